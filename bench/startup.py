#!/usr/bin/env python3
"""Start-up benchmark: how long `nuanfeng --help` takes, beside `sqlite3 -version`.

The help is built at every start from the message catalogue (the language is chosen from
--lang or NUANFENG_LANG, every help text looked up, clap's tree built), so this measures the
cost of the catalogue where a person feels it. Each command is run many times, interleaved
with the reference (the sqlite3 shell printing its version: a process of about the same size
doing almost nothing), and the medians compared; the ratio is the median of the per-round
ratios, so a busy machine slows both sides alike. Times include starting a process from
Python, the same for both.

Usage (from the project root, after `cargo build --release`):
  python3 bench/startup.py            # 200 rounds
  python3 bench/startup.py --runs 50
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "nuanfeng")


def once(cmd, env):
    """Wall seconds of one run of `cmd`, its output discarded; fails loudly."""
    start = time.perf_counter()
    status = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(cmd)}")
    return seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit(f"build first: cargo build --release ({BIN} is missing)")
    env = dict(os.environ)
    env.pop("NUANFENG_LANG", None)
    reference = ["sqlite3", "-version"]
    cases = [
        ("nuanfeng --help", [BIN, "--help"]),
        ("nuanfeng import --help", [BIN, "import", "--help"]),
        ("nuanfeng --lang en --help", [BIN, "--lang", "en", "--help"]),
        ("nuanfeng worker list -h", [BIN, "worker", "list", "-h"]),
    ]
    for _ in range(10):  # warm the page cache
        once(reference, env)
        for _, cmd in cases:
            once(cmd, env)
    ref_times = []
    times = {name: [] for name, _ in cases}
    ratios = {name: [] for name, _ in cases}
    for _ in range(args.runs):
        r = once(reference, env)
        ref_times.append(r)
        for name, cmd in cases:
            t = once(cmd, env)
            times[name].append(t)
            ratios[name].append(t / r)
    ref = statistics.median(ref_times) * 1000
    print(f"{args.runs} rounds, medians (process start from Python included)")
    print(f"{'command':<28} {'ms':>7} {'vs sqlite3 -version':>20}")
    print(f"{'sqlite3 -version':<28} {ref:>7.2f} {'1.00x':>20}")
    for name, _ in cases:
        ms = statistics.median(times[name]) * 1000
        ratio = statistics.median(ratios[name])
        print(f"{name:<28} {ms:>7.2f} {ratio:>19.2f}x")


if __name__ == "__main__":
    main()
