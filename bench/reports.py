#!/usr/bin/env python3
"""Report benchmark for nuanfeng: `report streets` for one month and for every month of a year.

For each size (100,000 workers with 1,000,000 and with 10,000,000 check-ins by default, and
250,000 point entries, from gen_data.py), it builds one database (stations, workers, check-ins
and points imported through nuanfeng), then times, as the median of --runs runs:

  * `nuanfeng report streets --month 2025-07 --format json` — the whole process: start, open,
    every figure of every street (stock figures, check-ins and distinct workers, points …);
  * `nuanfeng report streets --year 2025 --monthly --format json` — all twelve months, every
    street, in one command;
  * the straightforward SQL for the check-in figures alone (person-times and distinct workers
    per street), with a covering index on checkins(date, street_id, worker_id), run in-process
    through Python's sqlite3 on a copy of the same database: once for the month, and once per
    month for the year.

Usage (from the project root):
  python3 bench/reports.py                          # 1M and 10M check-ins, 7 runs
  python3 bench/reports.py --checkins 1000000 --runs 3

Needs python3; the data generator is ../shared/tools/gen_data.py unless GEN_DATA names
another copy. Data goes under bench/data/ (ignored by git); databases under a temporary folder.
"""

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "nuanfeng")
GEN = os.environ.get("GEN_DATA", os.path.join(ROOT, "..", "shared", "tools", "gen_data.py"))


def nf(db, *args):
    """Runs nuanfeng; returns (seconds, stdout)."""
    start = time.perf_counter()
    proc = subprocess.run([BIN, "--db", db, "-q", *args], capture_output=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: nuanfeng {' '.join(args)}\n{proc.stderr.decode(errors='replace')}")
    return seconds, proc.stdout


def data_dir(workers, checkins, points):
    d = os.path.join(ROOT, "bench", "data", f"w{workers}-c{checkins}-p{points}")
    if not os.path.exists(os.path.join(d, "points.csv")):
        if not os.path.exists(GEN):
            sys.exit(f"no data generator at {GEN}: set GEN_DATA")
        print(f"generating {workers} workers, {checkins} check-ins, {points} point entries "
              f"into {d} …", file=sys.stderr)
        subprocess.run([sys.executable, GEN, "--workers", str(workers), "--checkins",
                        str(checkins), "--points", str(points), "--out", d], check=True)
    return d


def build(tmp, data, name):
    db = os.path.join(tmp, name)
    nf(db, "init", "--district", "140106")
    for kind in ("stations", "workers", "checkins", "points"):
        t, _ = nf(db, "import", kind, os.path.join(data, f"{kind}.csv"))
        print(f"  import {kind}: {t:.2f} s", file=sys.stderr)
    return db


MONTH_SQL = """SELECT street_id, count(*), count(DISTINCT worker_id) FROM checkins
WHERE date BETWEEN ? AND ? GROUP BY street_id"""


def month_bounds(year, m):
    last = [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return f"{year}-{m:02d}-01", f"{year}-{m:02d}-{last}"


def median_time(runs, f):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=100_000)
    ap.add_argument("--checkins", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--points", type=int, default=250_000,
                    help="point entries (the same number at every size)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--month", default="2025-07")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    year, month = int(args.month[:4]), int(args.month[5:7])

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.checkins:
            data = data_dir(args.workers, n, args.points)
            print(f"{args.workers} workers, {n} check-ins:", file=sys.stderr)
            db = build(tmp, data, f"c{n}.db")
            # Warm the page cache once, as an instructor's second run would be.
            nf(db, "report", "streets", "--month", args.month, "--format", "json")
            one = median_time(args.runs, lambda: nf(db, "report", "streets", "--month",
                                                    args.month, "--format", "json"))
            full = median_time(args.runs, lambda: nf(db, "report", "streets", "--year",
                                                     str(year), "--monthly", "--format", "json"))
            plain = os.path.join(tmp, f"plain{n}.db")
            shutil.copy(db, plain)
            conn = sqlite3.connect(plain)
            start = time.perf_counter()
            conn.execute("CREATE INDEX bench_cover ON checkins(date, street_id, worker_id)")
            conn.execute("ANALYZE")
            index_s = time.perf_counter() - start
            one_sql = median_time(args.runs, lambda: conn.execute(
                MONTH_SQL, month_bounds(year, month)).fetchall())
            full_sql = median_time(max(1, args.runs // 2), lambda: [
                conn.execute(MONTH_SQL, month_bounds(year, m)).fetchall() for m in range(1, 13)])
            conn.close()
            os.remove(plain)
            size = os.path.getsize(db) / 2**20
            os.remove(db)
            rows.append((n, one, full, one_sql, full_sql, index_s, size))

    print(f"\n{args.workers} workers, {args.points} point entries; median of {args.runs} runs; nuanfeng times are whole "
          "processes, the SQL in-process\n")
    print("| check-ins | report streets, one month | full year, every month | "
          "plain SQL, one month | plain SQL, 12 months | covering index built in | db size |")
    print("|---|---|---|---|---|---|---|")
    for n, one, full, one_sql, full_sql, index_s, size in rows:
        print(f"| {n:,} | {one * 1000:.0f} ms | {full * 1000:.0f} ms | {one_sql * 1000:.0f} ms | "
              f"{full_sql * 1000:.0f} ms | {index_s:.1f} s | {size:.0f} MiB |")


if __name__ == "__main__":
    main()
