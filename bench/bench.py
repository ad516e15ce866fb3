#!/usr/bin/env python3
"""Import and `check` benchmark of nuanfeng: one table of ratios against references measured in the same run.

Every figure is a whole process (start, open, work, commit, exit), timed from the parent, its
peak memory the child's max RSS (os.wait4). Each row's time is the median of --runs runs, and
each ratio the median of the per-run ratios: the runs are interleaved (within a run nuanfeng
and its reference run back to back), so a busy machine slows both sides of a ratio alike.

The references:
  * sqlite3 `.import`: the sqlite3 shell's `.import --csv --skip 1` of the same file into a
    fresh file, in an unindexed table of TEXT columns shaped like the file;
  * the minimal loop (`bench/reference.rs`, `reference loop`): csv + rusqlite, one transaction,
    one prepared INSERT into a plain table, the worker looked up in a HashMap loaded from the
    registry; the physical floor of a check-in import into the same registry file;
  * the bare calamine read (`reference xlsx`): opens the .xlsx and streams every cell of its
    first sheet, nothing else;
  * SQLite's own checks: `sqlite3 X.db "PRAGMA cache_size=-N; PRAGMA integrity_check;
    PRAGMA foreign_key_check;"` with N the page cache of nuanfeng's connection, read from
    CACHE_KIB in src/db/mod.rs.

The rows (sizes are those of the default run):
  * 1,000,000 check-ins, 100,000 workers on file: `import checkins` into a registry holding
    the stations and workers, vs `.import` (target ≤ 1.0×) and vs the minimal loop (≤ 1.5×);
  * 100,000 workers: `import workers` of the CSV into a registry holding the stations, vs
    `.import` of workers.csv (≤ 2.0×); of the same register as .xlsx (written once with
    openpyxl, installed with pip when missing, every cell text) vs the bare calamine read
    (≤ 2.0×);
  * points: `import points` of the first 500,000 and of all 1,000,000 entries of points.csv
    (--points sets the larger size, the smaller is half of it) into a registry holding the
    workers, each vs `.import` of the same file (1M ≤ 2.0×), and the 1M / 500k time ratio
    (≤ 2.1: linear);
  * identical re-import: `import checkins` of the same 1M file again into the registry that
    just took it, vs that first import (≤ 0.2×);
  * peak RSS of the 1M check-in import (the median of the runs) and, once, of a --scale-row
    check-in file (< 64 MiB each);
  * the same 1M points beside plain SQL writing them into the registry's own tables at the
    same page cache (`.import` into a temporary table, one INSERT … SELECT of the entries in
    windows of 32,768 file rows sorted by worker and date, one of their seals): the floor of the schema, no target;
  * with --points-10m, once: `import points` of 10,000,000 entries (time and peak RSS, beside
    its `.import`; the target is that it finishes);
  * `check` on a registry holding the 1M check-ins and all entries of points.csv (built once,
    before the runs) vs SQLite's own checks at the same page cache (≤ 1.2×). `check` exits 1
    when it finds problems; both exit statuses count as a finished check.

Each row prints its target beside the measured ratio and PASS, or `over` when the ratio misses.
A per-run list of every ratio follows the table.

Usage (from the project root; builds `nuanfeng` and `bench/reference.rs` in release first):
  python3 bench/bench.py                        # 5 runs; the scale row at 3,000,000 check-ins
  python3 bench/bench.py --scale 10000000       # the acceptance scale row (generates 10M rows)
  python3 bench/bench.py --points-10m           # also 10,000,000 point entries, once
  python3 bench/bench.py --runs 7 --points 500000
  python3 bench/bench.py --quick                # smoke run: 1 run, 200,000 check-ins and points
  python3 bench/bench.py --only workers         # the two workers rows alone (CSV, .xlsx)
  python3 bench/bench.py --only checkins        # the check-in rows alone (.import, loop, re-import)
  GEN_DATA=/path/to/gen_data.py python3 bench/bench.py

The default run should take some 10 minutes once the imports meet their targets; with imports
as slow as the before table shows, the 1M points dominate (about 2 minutes a run, and once more
to build the `check` registry), so --points 500000 or --runs 1 keeps it short. --scale 10000000
adds about 10 minutes of data generation the first time (Python needs some 5 GB for it) and
one import. Every figure is measured on a machine that others may be using: compare ratios of
one run, not times across runs.

Data comes from ../shared/tools/gen_data.py (GEN_DATA names another copy) with its default seed
into bench/data/ (ignored by git), one folder per size: w100000-c1000000 holds 100,000 workers,
1,000,000 check-ins and 1,000,000 point entries; w100000-c10000000-p0 the scale file's check-ins,
w100000-c0-p10000000 the 10M point entries. The same seed gives every folder the same workers.
Databases go to a temporary folder. Needs python3, cargo and the sqlite3 shell.
"""

import argparse
import csv
import filecmp
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.environ.get("GEN_DATA", os.path.join(ROOT, "..", "shared", "tools", "gen_data.py"))
DB_SOURCE = os.path.join(ROOT, "src", "db", "mod.rs")
RSS_LIMIT_MIB = 64


def run(cmd, ok=(0,)):
    """Runs a command as a whole process; returns (seconds, peak RSS in MiB, stdout).

    The child's peak RSS is its ru_maxrss from os.wait4. Exits the benchmark, with the
    command's stderr, when its exit status is not in `ok`.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        if proc.returncode not in ok:
            err.seek(0)
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n"
                     f"{err.read().decode(errors='replace')}")
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, out.read()


def build():
    """Builds nuanfeng and the references in release; returns their two executables."""
    cmd = ["cargo", "build", "--release", "--bin", "nuanfeng", "--bench", "reference",
           "--message-format=json-render-diagnostics"]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, check=True)
    exes = {}
    for line in proc.stdout.decode().splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
            exes[msg["target"]["name"]] = msg["executable"]
    if "nuanfeng" not in exes or "reference" not in exes:
        sys.exit(f"cargo did not name both executables: {exes}")
    return exes["nuanfeng"], exes["reference"]


def cache_kib():
    """The page cache of nuanfeng's connection in KiB: CACHE_KIB in src/db/mod.rs."""
    with open(DB_SOURCE, encoding="utf-8") as f:
        m = re.search(r"const\s+CACHE_KIB\s*:\s*\w+\s*=\s*([^;]+);", f.read())
    if not m or not re.fullmatch(r"[\d_\s*+()]+", m.group(1)):
        sys.exit(f"no `const CACHE_KIB: u64 = <number>;` in {DB_SOURCE}")
    return int(eval(m.group(1).replace("_", ""), {"__builtins__": {}}))


def sqlite3_version():
    return subprocess.run(["sqlite3", "--version"], capture_output=True, text=True,
                          check=True).stdout.split()[0]


def revision():
    """The commit benchmarked, with `+changes` when the work tree differs from it."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return head + ("+changes" if dirty else "")


def data_dir(workers, checkins, points):
    """The gen_data.py folder of that size under bench/data, generated when missing."""
    name = f"w{workers}-c{checkins}" + ("" if points == checkins else f"-p{points}")
    d = os.path.join(ROOT, "bench", "data", name)
    if not os.path.exists(os.path.join(d, "points.csv")):
        if not os.path.exists(GEN):
            sys.exit(f"no data generator at {GEN}: set GEN_DATA")
        print(f"generating {workers:,} workers, {checkins:,} check-ins, {points:,} point entries "
              f"into {d} …", file=sys.stderr)
        subprocess.run([sys.executable, GEN, "--workers", str(workers), "--checkins",
                        str(checkins), "--points", str(points), "--out", d], check=True)
    return d


def rows_in(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f) - 1


def prefix_file(src, dst, rows):
    """Writes the header and the first `rows` records of the CSV `src` (one record a line)."""
    with open(src, "rb") as f, open(dst, "wb") as g:
        for i, line in enumerate(f):
            if i > rows:
                break
            g.write(line)


def xlsx_from_csv(src, dst):
    """Writes the CSV as a one-sheet workbook, every cell text (身份证号 and 手机号 too)."""
    try:
        import openpyxl
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "openpyxl"], check=True)
        import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    with open(src, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            ws.append(row)
    wb.save(dst + ".part")
    os.replace(dst + ".part", dst)


class Bench:
    """The executables, the temporary folder and the registries every run starts from."""

    def __init__(self, nuanfeng, reference, tmp):
        self.bin, self.ref, self.tmp = nuanfeng, reference, tmp
        self.n = 0

    def path(self, name):
        self.n += 1
        return os.path.join(self.tmp, f"{self.n}-{name}")

    def nf(self, db, *args, ok=(0,)):
        return run([self.bin, "--db", db, "-q", *args], ok=ok)

    def copy(self, db):
        """A fresh copy of the registry `db` (closed: no journal beside it)."""
        dst = self.path(os.path.basename(db))
        shutil.copyfile(db, dst)
        return dst

    def registry(self, data, workers=True):
        """A registry with the district, the stations of `data` and, if asked, its workers."""
        db = self.path("base.db")
        self.nf(db, "init", "--district", "140106")
        self.nf(db, "import", "stations", os.path.join(data, "stations.csv"))
        if workers:
            self.nf(db, "import", "workers", os.path.join(data, "workers.csv"))
        return db

    def sqlite_import(self, src):
        """Seconds of the sqlite3 shell's `.import` of the CSV `src` into a fresh file."""
        with open(src, encoding="utf-8", newline="") as f:
            width = len(next(csv.reader(f)))
        raw = self.path("raw.db")
        cols = ", ".join(f"c{i} TEXT" for i in range(width))
        t, _, _ = run(["sqlite3", raw, f"CREATE TABLE t ({cols});",
                           f".import --csv --skip 1 {src} t"])
        os.remove(raw)
        return t


    def points_sql(self, base, src, kib):
        """Seconds of the same point entries written by plain SQL into a copy of the registry
        `base`, at nuanfeng's page cache: the sqlite3 shell `.import`s the file into a
        temporary table, then one INSERT … SELECT finds each worker by 手机号 and writes the
        entries in windows of 32,768 file rows, each sorted by worker and date (as nuanfeng
        stores them: in file order the index by worker thrashes the page cache, sorted by
        worker throughout the index by date does), and a second writes a 64-hex-digit seal
        for each. No overdraw judged, no identity checked,
        no hashing: the floor of this schema, not a loader."""
        db = self.copy(base)
        t, _, _ = run(["sqlite3", db, f"PRAGMA cache_size=-{kib};",
                       "CREATE TEMP TABLE raw (phone TEXT, date TEXT, category TEXT, "
                       "points TEXT, reason TEXT);",
                       f".import --csv --skip 1 {src} raw",
                       "BEGIN;",
                       "INSERT INTO point_entries (worker_id, date, points, kind, category, "
                       "reason, occurrence, event_key, allow_negative, operator, entered_at) "
                       "SELECT w.id, r.date, CAST(r.points AS INTEGER), CASE WHEN "
                       "CAST(r.points AS INTEGER) > 0 THEN 'earn' ELSE 'redeem' END, 'other', "
                       "r.reason, 1, r.rowid, 1, 'bench', '2026-01-01 00:00:00' FROM raw r "
                       "JOIN workers w ON w.phone = r.phone "
                       "ORDER BY r.rowid / 32768, w.id, r.date, r.rowid;",
                       "INSERT INTO ledger_seals (entry_id, seal) "
                       "SELECT id, hex(randomblob(32)) FROM point_entries;",
                       "COMMIT;"])
        os.remove(db)
        return t


def checkins_run(b, reference, base, checkins, r):
    """One run of the check-in rows: nuanfeng, .import, the minimal loop, the identical
    re-import (appended to r)."""
    db = b.copy(base)
    t, rss, _ = b.nf(db, "import", "checkins", checkins)
    imp = b.sqlite_import(checkins)
    loop_db = b.copy(base)
    loop, _, out = run([reference, "loop", loop_db, checkins])
    if not out.decode().strip().endswith("unknown 0"):
        sys.exit(f"the minimal loop did not find every worker: {out.decode().strip()}")
    os.remove(loop_db)
    again, again_rss, _ = b.nf(db, "import", "checkins", checkins)
    os.remove(db)
    r["ck"].append(t), r["ck_rss"].append(rss), r["ck_imp"].append(imp)
    r["ck_loop"].append(loop), r["ck_r_imp"].append(t / imp)
    r["ck_r_loop"].append(t / loop)
    r["again"].append(again), r["again_rss"].append(again_rss)
    r["r_again"].append(again / t)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=100_000)
    ap.add_argument("--checkins", type=int, default=1_000_000)
    ap.add_argument("--points", type=int, default=None,
                    help="point entries of the larger points row (the smaller is half); "
                         "default: as many as --checkins")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scale", type=int, default=3_000_000,
                    help="check-in rows of the file whose import's peak RSS is shown once "
                         "(0: none); the acceptance wants 10000000")
    ap.add_argument("--points-10m", action="store_true",
                    help="also import 10,000,000 point entries once (time, peak RSS)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 1 run, 200,000 check-ins and points, no scale row")
    ap.add_argument("--only", choices=["workers", "checkins"],
                    help="measure these rows alone: `workers` is the CSV and .xlsx workers rows, "
                         "`checkins` the check-in rows (vs .import, the minimal loop, the "
                         "identical re-import and the peak RSS), with no points, check or "
                         "scale row")
    args = ap.parse_args()
    if args.only:
        args.scale, args.points_10m = 0, False
    only_workers, only_checkins = args.only == "workers", args.only == "checkins"
    if args.quick:
        args.runs, args.checkins, args.scale = 1, 200_000, 0
    if args.points is None:
        args.points = args.checkins
    if not shutil.which("sqlite3"):
        sys.exit("the sqlite3 shell is needed for the references")

    nuanfeng, reference = build()
    kib = cache_kib()
    W, C, P = args.workers, args.checkins, args.points
    data = data_dir(W, C, C)
    checkins = os.path.join(data, "checkins.csv")
    workers_csv = os.path.join(data, "workers.csv")
    xlsx = os.path.join(data, "workers.xlsx")
    if not only_checkins and not os.path.exists(xlsx):
        print("writing workers.xlsx …", file=sys.stderr)
        xlsx_from_csv(workers_csv, xlsx)
    points_src = os.path.join(data, "points.csv") if P <= C else \
        os.path.join(data_dir(W, 0, P), "points.csv")
    if rows_in(points_src) < P:
        sys.exit(f"{points_src} holds fewer than {P:,} entries")

    r = {k: [] for k in (
        "ck", "ck_rss", "ck_imp", "ck_loop", "ck_r_imp", "ck_r_loop", "again", "again_rss",
        "r_again", "wk", "wk_rss", "wk_imp", "r_wk", "xl", "xl_rss", "xl_ref", "r_xl",
        "ph", "ph_rss", "ph_imp", "r_ph", "pf", "pf_rss", "pf_imp", "r_pf", "r_lin",
        "pf_sql", "r_pf_sql",
        "chk", "chk_rss", "chk_ref", "r_chk")}
    once = {}

    with tempfile.TemporaryDirectory(prefix="nuanfeng-bench-") as tmp:
        b = Bench(nuanfeng, reference, tmp)
        half, full = P // 2, P
        if not only_checkins:
            bare = b.registry(data, workers=False)
        if not only_workers:
            base = b.registry(data)
        if not args.only:
            p_half, p_full = b.path("points-half.csv"), b.path("points-full.csv")
            prefix_file(points_src, p_half, half)
            prefix_file(points_src, p_full, full)

            print("building the registry `check` reads (check-ins and all point entries) …",
                  file=sys.stderr)
            check_db = b.copy(base)
            b.nf(check_db, "import", "checkins", checkins)
            points_all = os.path.join(data, "points.csv")
            b.nf(check_db, "import", "points", points_all)
            check_points = rows_in(points_all)

        for i in range(args.runs):
            if only_checkins:
                checkins_run(b, reference, base, checkins, r)
                print(f"run {i + 1}/{args.runs}: check-ins {r['ck'][-1]:.2f} s "
                      f"(.import {r['ck_imp'][-1]:.2f} s, loop {r['ck_loop'][-1]:.2f} s, "
                      f"again {r['again'][-1]:.2f} s)", file=sys.stderr)
                continue
            # Workers: CSV, .import, .xlsx, bare read.
            db = b.copy(bare)
            t, rss, _ = b.nf(db, "import", "workers", workers_csv)
            ref = b.sqlite_import(workers_csv)
            r["wk"].append(t), r["wk_rss"].append(rss), r["wk_imp"].append(ref)
            r["r_wk"].append(t / ref)
            os.remove(db)
            db = b.copy(bare)
            t, rss, _ = b.nf(db, "import", "workers", xlsx)
            ref, _, _ = run([reference, "xlsx", xlsx])
            r["xl"].append(t), r["xl_rss"].append(rss), r["xl_ref"].append(ref)
            r["r_xl"].append(t / ref)
            os.remove(db)
            if args.only:
                print(f"run {i + 1}/{args.runs}: workers {r['wk'][-1]:.2f} s "
                      f"(.import {r['wk_imp'][-1]:.2f} s), xlsx {r['xl'][-1]:.2f} s "
                      f"(calamine {r['xl_ref'][-1]:.2f} s)", file=sys.stderr)
                continue

            checkins_run(b, reference, base, checkins, r)

            # Points: half and full, each beside its .import.
            for key, src in (("ph", p_half), ("pf", p_full)):
                db = b.copy(base)
                t, rss, _ = b.nf(db, "import", "points", src)
                os.remove(db)
                ref = b.sqlite_import(src)
                r[key].append(t), r[key + "_rss"].append(rss), r[key + "_imp"].append(ref)
                r["r_" + key].append(t / ref)
            r["r_lin"].append(r["pf"][-1] / r["ph"][-1])
            sql = b.points_sql(base, p_full, kib)
            r["pf_sql"].append(sql), r["r_pf_sql"].append(r["pf"][-1] / sql)

            # check vs SQLite's own checks at the same page cache.
            t, rss, _ = b.nf(check_db, "check", ok=(0, 1))
            ref, _, _ = run(["sqlite3", check_db, f"PRAGMA cache_size=-{kib}; "
                                 "PRAGMA integrity_check; PRAGMA foreign_key_check;"])
            r["chk"].append(t), r["chk_rss"].append(rss), r["chk_ref"].append(ref)
            r["r_chk"].append(t / ref)

            print(f"run {i + 1}/{args.runs}: check-ins {r['ck'][-1]:.2f} s "
                  f"(.import {r['ck_imp'][-1]:.2f} s, loop {r['ck_loop'][-1]:.2f} s, "
                  f"again {r['again'][-1]:.2f} s), workers {r['wk'][-1]:.2f} s, "
                  f"xlsx {r['xl'][-1]:.2f} s, points {r['ph'][-1]:.2f} / {r['pf'][-1]:.2f} s, "
                  f"check {r['chk'][-1]:.2f} s", file=sys.stderr)

        if args.scale:
            sdata = data_dir(W, args.scale, 0)
            sbase = base if filecmp.cmp(os.path.join(sdata, "workers.csv"), workers_csv,
                                        shallow=False) else b.registry(sdata)
            db = b.copy(sbase)
            print(f"importing {args.scale:,} check-ins once …", file=sys.stderr)
            once["scale"] = b.nf(db, "import", "checkins", os.path.join(sdata, "checkins.csv"))
            os.remove(db)
        if args.points_10m:
            tdata = data_dir(W, 0, 10_000_000)
            tbase = base if filecmp.cmp(os.path.join(tdata, "workers.csv"), workers_csv,
                                        shallow=False) else b.registry(tdata)
            src = os.path.join(tdata, "points.csv")
            db = b.copy(tbase)
            print("importing 10,000,000 point entries once …", file=sys.stderr)
            once["p10m"] = b.nf(db, "import", "points", src)
            os.remove(db)
            once["p10m_imp"] = b.sqlite_import(src)

    m = {k: median(v) for k, v in r.items()}
    rows = []

    def row(work, nf_time, ref, ratio, target, limit, rss=None, unit="×"):
        mark = "" if limit is None else ("PASS" if ratio <= limit else "over")
        rows.append((work, nf_time, ref, f"{ratio:.2f}{unit}", target, mark, rss))

    def s(x):
        return f"{x:.2f} s"

    def mib(x):
        return f"{x:.0f} MiB"

    if not only_workers:
        row(f"{C:,} check-ins ({W:,} workers on file)", s(m["ck"]),
            f"sqlite3 .import {s(m['ck_imp'])}", m["ck_r_imp"], "≤ 1.0×", 1.0, mib(m["ck_rss"]))
        row(f"{C:,} check-ins", s(m["ck"]), f"minimal loop {s(m['ck_loop'])}",
            m["ck_r_loop"], "≤ 1.5×", 1.5)
    if only_checkins:
        row(f"identical re-import of the {C:,} check-ins", s(m["again"]),
            f"first import {s(m['ck'])}", m["r_again"], "≤ 0.2×", 0.2, mib(m["again_rss"]))
        rows.append((f"peak RSS, {C:,} check-ins", s(m["ck"]), "—", "—", f"< {RSS_LIMIT_MIB} MiB",
                     "PASS" if m["ck_rss"] < RSS_LIMIT_MIB else "over", mib(m["ck_rss"])))
    else:
        row(f"{W:,} workers (CSV)", s(m["wk"]), f"sqlite3 .import {s(m['wk_imp'])}",
            m["r_wk"], "≤ 2.0×", 2.0, mib(m["wk_rss"]))
        row(f"{W:,} workers (.xlsx)", s(m["xl"]), f"bare calamine read {s(m['xl_ref'])}",
            m["r_xl"], "≤ 2.0×", 2.0, mib(m["xl_rss"]))
    if not args.only:
        row(f"{half:,} points", s(m["ph"]), f"sqlite3 .import {s(m['ph_imp'])}",
            m["r_ph"], "—", None, mib(m["ph_rss"]))
        row(f"{full:,} points", s(m["pf"]), f"sqlite3 .import {s(m['pf_imp'])}",
            m["r_pf"], "≤ 2.0×", 2.0, mib(m["pf_rss"]))
        row(f"{full:,} points", s(m["pf"]), f"plain SQL, same tables and cache {s(m['pf_sql'])}",
            m["r_pf_sql"], "—", None)
        row(f"{full:,} / {half:,} points (linear)", f"{s(m['pf'])} / {s(m['ph'])}", "—",
            m["r_lin"], "≤ 2.1", 2.1, unit="")
        if args.points_10m:
            t, rss, _ = once["p10m"]
            row("10,000,000 points (1 run)", s(t), f"sqlite3 .import {s(once['p10m_imp'])}",
                t / once["p10m_imp"], "finishes", float("inf"), mib(rss))
        row(f"identical re-import of the {C:,} check-ins", s(m["again"]),
            f"first import {s(m['ck'])}", m["r_again"], "≤ 0.2×", 0.2, mib(m["again_rss"]))
        rows.append((f"peak RSS, {C:,} check-ins", s(m["ck"]), "—", "—", f"< {RSS_LIMIT_MIB} MiB",
                     "PASS" if m["ck_rss"] < RSS_LIMIT_MIB else "over", mib(m["ck_rss"])))
        if args.scale:
            t, rss, _ = once["scale"]
            rows.append((f"peak RSS, {args.scale:,} check-ins (1 run)", s(t), "—", "—",
                         f"< {RSS_LIMIT_MIB} MiB", "PASS" if rss < RSS_LIMIT_MIB else "over",
                         mib(rss)))
        row(f"`check`, {C:,} check-ins + {check_points:,} points", s(m["chk"]),
            f"integrity_check + foreign_key_check, cache {kib:,} KiB, {s(m['chk_ref'])}",
            m["r_chk"], "≤ 1.2×", 1.2, mib(m["chk_rss"]))

    print(f"\n$ python3 bench/bench.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"nuanfeng {revision()}, sqlite3 {sqlite3_version()}: {W:,} workers, {C:,} check-ins, "
          f"points {half:,} / {full:,}; median of {args.runs} interleaved "
          f"run{'s' if args.runs != 1 else ''}, each ratio the median of the per-run ratios\n")
    print("| work | nuanfeng | reference | ratio | target | | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for work, t, ref, ratio, target, mark, rss in rows:
        print(f"| {work} | {t} | {ref} | {ratio} | {target} | {mark} | {rss or ''} |")

    print("\nper-run ratios:")
    for key, label in (("ck_r_imp", "check-ins / .import"), ("ck_r_loop", "check-ins / loop"),
                       ("r_wk", "workers CSV / .import"), ("r_xl", "workers .xlsx / calamine"),
                       ("r_ph", f"{half:,} points / .import"),
                       ("r_pf", f"{full:,} points / .import"),
                       ("r_pf_sql", f"{full:,} points / plain SQL"),
                       ("r_lin", f"{full:,} / {half:,} points"),
                       ("r_again", "re-import / first"), ("r_chk", "check / SQLite checks")):
        if not r[key]:
            continue
        print(f"  {label}: {', '.join(f'{v:.2f}' for v in r[key])}")


if __name__ == "__main__":
    main()
