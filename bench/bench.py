#!/usr/bin/env python3
"""Import and report benchmark for nuanfeng.

Generates a synthetic district with gen_data.py (100,000 workers and 1,000,000 check-ins by
default), then, in each run and on a fresh database:

  * imports the stations and workers registers,
  * imports the check-in register (all validation, identity and event keys),
  * times the sqlite3 shell's `.import` of the same check-in file into a table shaped like
    the file (five TEXT columns, no index), for comparison.

Reports have their own benchmark, bench/reports.py.

It also converts the workers register to an .xlsx workbook (openpyxl, installed with pip
when missing) and times importing that beside the CSV.

Then it imports growing prefixes of a larger check-in file (3,000,000 rows by default) to
show that peak memory does not grow with the file. Wall times are the median of the runs,
and the comparison is the median of the per-run ratios (the two imports run back to back,
so a busy machine slows both); peak memory is the child's max RSS.

Usage (from the project root):
  python3 bench/bench.py                       # 100k workers, 1M check-ins, 5 runs
  python3 bench/bench.py --checkins 200000 --runs 1 --scale 400000
  GEN_DATA=/path/to/gen_data.py python3 bench/bench.py

Needs python3 and the sqlite3 shell; the data generator is ../shared/tools/gen_data.py unless
GEN_DATA names another copy.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "nuanfeng")
GEN = os.environ.get("GEN_DATA", os.path.join(ROOT, "..", "shared", "tools", "gen_data.py"))


def run(cmd, stdin=None):
    """Runs a command; returns (seconds, max RSS in MiB, stdout). Fails loudly."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if stdin:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024, out


def data_dir(workers, checkins):
    d = os.path.join(ROOT, "bench", "data", f"w{workers}-c{checkins}")
    if not os.path.exists(os.path.join(d, "checkins.csv")):
        if not os.path.exists(GEN):
            sys.exit(f"no data generator at {GEN}: set GEN_DATA")
        print(f"generating {workers} workers, {checkins} check-ins into {d} …", file=sys.stderr)
        subprocess.run([sys.executable, GEN, "--workers", str(workers), "--checkins", str(checkins),
                        "--out", d], check=True)
    return d


def nf(db, *args):
    return run([BIN, "--db", db, "-q", *args])


def fresh_db(tmp, data, name):
    db = os.path.join(tmp, name)
    nf(db, "init", "--district", "140106")
    nf(db, "import", "stations", os.path.join(data, "stations.csv"))
    return db


def xlsx_from_csv(src, dst):
    """Writes the CSV as a one-sheet workbook, the 身份证号 and 手机号 columns as text."""
    try:
        import openpyxl
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "openpyxl"], check=True)
        import openpyxl
    import csv
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    with open(src, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            ws.append(row)
    wb.save(dst)


def prefix_file(src, dst, rows):
    with open(src, "rb") as f, open(dst, "wb") as g:
        for i, line in enumerate(f):
            if i > rows:
                break
            g.write(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=100_000)
    ap.add_argument("--checkins", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scale", type=int, default=3_000_000,
                    help="rows of the check-in file whose prefixes show peak memory")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    if not shutil.which("sqlite3"):
        sys.exit("the sqlite3 shell is needed for the comparison")
    data = data_dir(args.workers, args.checkins)
    checkins = os.path.join(data, "checkins.csv")
    results = {k: [] for k in ("workers", "checkins", "rss", "sqlite3", "ratio",
                               "xlsx", "xlsx_rss", "workers_rss")}
    xlsx = os.path.join(data, "workers.xlsx")
    if not os.path.exists(xlsx):
        print("writing workers.xlsx …", file=sys.stderr)
        xlsx_from_csv(os.path.join(data, "workers.csv"), xlsx)
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.runs):
            db = fresh_db(tmp, data, f"run{r}.db")
            t, rss, _ = nf(db, "import", "workers", os.path.join(data, "workers.csv"))
            results["workers"].append(t)
            results["workers_rss"].append(rss)
            book = fresh_db(tmp, data, f"book{r}.db")
            t, rss, _ = nf(book, "import", "workers", xlsx)
            results["xlsx"].append(t)
            results["xlsx_rss"].append(rss)
            os.remove(book)
            t, rss, _ = nf(db, "import", "checkins", checkins)
            results["checkins"].append(t)
            results["rss"].append(rss)
            raw = os.path.join(tmp, f"raw{r}.db")
            t, _, _ = run(["sqlite3", raw,
                           "CREATE TABLE checkins_raw (phone TEXT, date TEXT, street TEXT, community TEXT, purpose TEXT);",
                           f".import --csv --skip 1 {checkins} checkins_raw"])
            results["sqlite3"].append(t)
            results["ratio"].append(results["checkins"][-1] / t)
            os.remove(db)
            os.remove(raw)
            print(f"run {r + 1}: checkins {results['checkins'][-1]:.2f} s, "
                  f"sqlite3 .import {results['sqlite3'][-1]:.2f} s", file=sys.stderr)

        med = {k: statistics.median(v) for k, v in results.items()}
        n = args.checkins
        print(f"\n{args.workers} workers, {n} check-ins, median of {args.runs} runs\n")
        print("| step | time | rate |")
        print("|---|---|---|")
        print(f"| import workers, CSV | {med['workers']:.2f} s | {args.workers / med['workers']:,.0f} rows/s, peak {med['workers_rss']:.0f} MiB |")
        print(f"| import workers, .xlsx | {med['xlsx']:.2f} s | {args.workers / med['xlsx']:,.0f} rows/s, peak {med['xlsx_rss']:.0f} MiB |")
        print(f"| import checkins (nuanfeng, validated) | {med['checkins']:.2f} s | {n / med['checkins']:,.0f} rows/s |")
        print(f"| sqlite3 `.import` of the same file | {med['sqlite3']:.2f} s | {n / med['sqlite3']:,.0f} rows/s |")
        print(f"\nnuanfeng / sqlite3 .import, median of the per-run ratios: {med['ratio']:.2f} "
              f"(runs: {', '.join(f'{r:.2f}' for r in results['ratio'])})")
        print(f"peak memory, check-in import: {med['rss']:.0f} MiB")

        big = data_dir(args.workers, args.scale)
        print(f"\npeak memory by file size ({args.workers} workers imported first)\n")
        print("| check-in rows | time | peak RSS |")
        print("|---|---|---|")
        for rows in sorted({args.scale // 6, args.scale // 3, 2 * args.scale // 3, args.scale}):
            part = os.path.join(tmp, f"part{rows}.csv")
            prefix_file(os.path.join(big, "checkins.csv"), part, rows)
            db = fresh_db(tmp, big, f"mem{rows}.db")
            nf(db, "import", "workers", os.path.join(big, "workers.csv"))
            t, rss, _ = nf(db, "import", "checkins", part)
            print(f"| {rows:,} | {t:.2f} s | {rss:.0f} MiB |")
            if rows == args.scale:
                t, rss, _ = nf(db, "import", "checkins", part)
                print(f"| {rows:,} again (every row already stored) | {t:.2f} s | {rss:.0f} MiB |")
            os.remove(db)
            os.remove(part)


if __name__ == "__main__":
    main()
