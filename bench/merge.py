#!/usr/bin/env python3
"""Merge benchmark of nuanfeng: 7 street registries merged into one district registry, beside
importing the same data from CSV, in one table.

Every figure is a whole process (start, open, work, commit, exit), timed from the parent, its
peak memory the child's max RSS (os.wait4). With --runs above 1 each row is the median of the
runs, and each ratio the median of the per-run ratios: the runs are interleaved (within a run
the merge and its references run back to back), so a busy machine slows both sides alike.

The data: one gen_data.py set per street of 迎泽区 (--seed 20260001 … 20260007, --workers
and --checkins each, points a quarter of the check-ins), moved into that street (every worker's
所属街道 and 社区, station of the same enterprise in that street, every check-in's 报到街道 and
社区 there; only that street's stations kept, 从业人数 counted again). Numbers the sets happen
to share are replaced, so that two people of two files are one person only where meant:

  * overlap: --overlap (2%) of the workers of street k+1 become people of street k (姓名,
    性别, 身份证号, 手机号, 政治面貌, 从业类型, 所属企业 copied; their station the same
    enterprise's in street k+1; their check-ins and points in street k+1 kept, now theirs):
    one person on two streets' registers;
  * shared check-ins: up to 3 check-ins of each such person in street k (those whose content
    is unique there) are also in street k+1's check-in file: the same check-in exported in
    both;
  * point entries of an overlap person in street k+1 that have the content of one of theirs
    in street k (same day, category, points and reason) are left out: two such entries are one
    entry by the ledger's content key.

Each street registry: `init --district 140106`, `import stations`, `workers`, `checkins`,
`points`. Then the rows:

  * merge: `merge` of the 7 files into a fresh `init --district 140106` registry (time, peak
    RSS, the file's size after it);
  * re-merge: the same `merge` of the same 7 files again, into the registry that just took
    them: it must change nothing (no new or updated record in its JSON), vs the first merge;
  * CSV import: the same data imported from CSV into one fresh registry, as a district would
    without merge: `import stations` of the 7 stations files, then the 7 workers files, the 7
    check-in files and the 7 points files, one process each (time: their sum; peak RSS: the
    largest); the merge vs it;
  * sqlite3 `.import` floors: the sqlite3 shell's `.import --csv --skip 1` of the same
    check-in rows (the 7 files, one after another) into a fresh file, an unindexed table of
    TEXT columns; and of every row of the four kinds, each into its own table.

Once, after the runs: the district file merged into a fresh city registry (`init` with no
district, as a city's is made), and again (time, peak RSS, size).

Then the figures: the district's `report streets --year Y --format json` beside each street's
own (`report streets` of its file): for every street, every figure of its row must be the one
in its own file (OK, or the differences); the district's 从业人员 must be the sum of the
streets' minus the overlap, and its 报到 the sum of the streets' own rows (shared check-ins
counted once); in the city registry, every figure of every street of the district must be
the district's. A difference makes the exit status 1.

Usage (from the project root; builds `nuanfeng` in release first):
  python3 bench/merge.py                    # 7 × 20,000 workers, 200,000 check-ins; 1 run
  python3 bench/merge.py --runs 3
  python3 bench/merge.py --quick            # 7 × 2,000 workers, 20,000 check-ins
  GEN_DATA=/path/to/gen_data.py python3 bench/merge.py

Data goes to bench/data/merge-w…-c…-o…/ (ignored by git), databases to a temporary folder.
The street registries are built once per invocation: merge only reads them, so every run
merges the same files. Needs python3, cargo and the sqlite3 shell.
"""

import argparse
import collections
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# Whole-process timing and the versions printed, shared with the import benchmark.
from bench import revision, run, sqlite3_version  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.environ.get("GEN_DATA", os.path.join(ROOT, "..", "shared", "tools", "gen_data.py"))
DISTRICT = "140106"
STREETS = ["柳巷街道", "文庙街道", "庙前街道", "迎泽街道", "桥东街道", "老军营街道", "郝庄镇"]
SEED = 20260001
KINDS = ("stations", "workers", "checkins", "points")
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
# workers.csv columns.
NAME, GENDER, PHONE, IDNO, POLITICAL, OCCUPATION, ENTERPRISE, STATION, STREET, COMMUNITY = \
    range(10)


def build():
    """Builds nuanfeng in release; returns its executable."""
    cmd = ["cargo", "build", "--release", "--bin", "nuanfeng",
           "--message-format=json-render-diagnostics"]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, check=True)
    for line in proc.stdout.decode().splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") \
                and msg["target"]["name"] == "nuanfeng":
            return msg["executable"]
    sys.exit("cargo did not name the nuanfeng executable")


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_csv(path, header, rows):
    with open(path + ".part", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)
    os.replace(path + ".part", path)


def street_short(street):
    return street[:-2] if street.endswith("街道") else street[:-1]


def id_check_char(first17):
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


class Unique:
    """The 身份证号 and 手机号 already given to someone; new ones for a number taken."""

    def __init__(self, rng):
        self.rng, self.phones, self.ids = rng, set(), set()

    def phone(self, p):
        while p in self.phones:
            p = p[:2] + "%09d" % self.rng.randrange(10 ** 9)
        self.phones.add(p)
        return p

    def id_number(self, idno):
        # Another sequence number of the same parity (性别 stays right), the check char again.
        while idno in self.ids:
            seq = (int(idno[14:17]) + 2) % 1000
            first17 = idno[:14] + "%03d" % seq
            idno = first17 + id_check_char(first17)
        self.ids.add(idno)
        return idno


def street_set(raw, k, uniq, rng):
    """The gen_data set `raw` moved into street k: (stations, workers, checkins, points) as
    (header, rows) pairs, numbers made unique across streets."""
    street = STREETS[k]
    sh, stations = read_csv(os.path.join(raw, "stations.csv"))
    wh, workers = read_csv(os.path.join(raw, "workers.csv"))
    ch, checkins = read_csv(os.path.join(raw, "checkins.csv"))
    ph, points = read_csv(os.path.join(raw, "points.csv"))
    mine = [s for s in stations if s[4] == street]
    by_ent = collections.defaultdict(list)
    for s in mine:
        if s[2]:
            by_ent[s[2]].append(s[0])
    communities = sorted({c[3] for c in checkins if c[2] == street} |
                         {w[COMMUNITY] for w in workers if w[STREET] == street})
    phone_map = {}
    for w in workers:
        old = w[PHONE]
        w[PHONE] = uniq.phone(old)
        phone_map[old] = w[PHONE]
        w[IDNO] = uniq.id_number(w[IDNO])
        if w[STREET] != street:
            w[STREET] = street
            w[COMMUNITY] = rng.choice(communities)
        if w[STATION]:
            w[STATION] = rng.choice(by_ent[w[ENTERPRISE]])
    by_phone = {w[PHONE]: w for w in workers}
    for c in checkins:
        c[0] = phone_map[c[0]]
        w = by_phone[c[0]]
        c[2] = street
        c[3] = w[COMMUNITY] if rng.random() < 0.7 else rng.choice(communities)
    for p in points:
        p[0] = phone_map[p[0]]
    counts = collections.Counter(w[STATION] for w in workers if w[STATION])
    for s in mine:
        if s[1] != "暖蜂驿站":
            s[5] = str(counts[s[0]])
    return [(sh, mine), (wh, workers), (ch, checkins), (ph, points)]


def make_data(workers, checkins, overlap):
    """The 7 street folders under bench/data (made when missing); returns their paths and the
    number of people on two streets' registers."""
    share = round(workers * overlap)
    d = os.path.join(ROOT, "bench", "data", f"merge-w{workers}-c{checkins}-o{share}")
    dirs = [os.path.join(d, f"{k + 1}-{s}") for k, s in enumerate(STREETS)]
    if all(os.path.exists(os.path.join(x, "points.csv")) for x in dirs):
        return dirs, share * len(STREETS)
    if not os.path.exists(GEN):
        sys.exit(f"no data generator at {GEN}: set GEN_DATA")
    rng = random.Random(SEED)
    uniq = Unique(rng)
    sets = []
    for k, street in enumerate(STREETS):
        raw = os.path.join(d, "raw", str(k + 1))
        if not os.path.exists(os.path.join(raw, "points.csv")):
            print(f"generating {street}: {workers:,} workers, {checkins:,} check-ins …",
                  file=sys.stderr)
            subprocess.run([sys.executable, GEN, "--workers", str(workers), "--checkins",
                            str(checkins), "--seed", str(SEED + k), "--out", raw], check=True,
                           stderr=subprocess.DEVNULL)
        sets.append(street_set(raw, k, uniq, rng))
    # People of street k on street k+1's register too: the first `share` workers of k become
    # workers `share` … 2·share−1 of k+1 (disjoint from k+1's own first `share`).
    n = len(STREETS)
    for k in range(n):
        j = (k + 1) % n
        src_w = sets[k][1][1]
        dst_w = sets[j][1][1]
        dst_st = sets[j][0][1]
        by_ent = collections.defaultdict(list)
        for s in dst_st:
            if s[2]:
                by_ent[s[2]].append(s[0])
        src_ck = sets[k][2][1]
        content = collections.Counter(tuple(c) for c in src_ck)
        ck_of = collections.defaultdict(list)
        for c in src_ck:
            if content[tuple(c)] == 1:
                ck_of[c[0]].append(c)
        pt_of = collections.defaultdict(set)
        for p in sets[k][3][1]:
            pt_of[p[0]].add((p[1], p[2], p[3], p[4]))
        renamed, shared = {}, []
        for i in range(share):
            p, w = src_w[i], dst_w[share + i]
            renamed[w[PHONE]] = p[PHONE]
            for col in (NAME, GENDER, PHONE, IDNO, POLITICAL, OCCUPATION, ENTERPRISE):
                w[col] = p[col]
            w[STATION] = rng.choice(by_ent[p[ENTERPRISE]]) if p[STATION] else ""
            shared.extend(ck_of[p[PHONE]][:3])
        for c in sets[j][2][1]:
            c[0] = renamed.get(c[0], c[0])
        kept = []
        for p in sets[j][3][1]:
            p[0] = renamed.get(p[0], p[0])
            if (p[1], p[2], p[3], p[4]) not in pt_of.get(p[0], ()):
                kept.append(p)
        sets[j][3][1][:] = kept
        sets[j][2][1].extend([list(c) for c in shared])
        sets[j][2][1].sort(key=lambda c: c[1])
    for k in range(n):
        counts = collections.Counter(w[STATION] for w in sets[k][1][1] if w[STATION])
        for s in sets[k][0][1]:
            if s[1] != "暖蜂驿站":
                s[5] = str(counts[s[0]])
        os.makedirs(dirs[k], exist_ok=True)
        for kind, (header, rows) in zip(KINDS, sets[k]):
            write_csv(os.path.join(dirs[k], f"{kind}.csv"), header, rows)
    shutil.rmtree(os.path.join(d, "raw"))
    return dirs, share * n


def rows_in(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f) - 1


def concat(srcs, dst):
    """One CSV of the records of `srcs` (the first header kept)."""
    with open(dst, "wb") as g:
        for i, src in enumerate(srcs):
            with open(src, "rb") as f:
                head = f.readline()
                if i == 0:
                    g.write(head)
                shutil.copyfileobj(f, g)


# --------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------

class Bench:
    def __init__(self, nuanfeng, tmp):
        self.bin, self.tmp, self.n = nuanfeng, tmp, 0

    def path(self, name):
        self.n += 1
        return os.path.join(self.tmp, f"{self.n}-{name}")

    def nf(self, db, *args, ok=(0,)):
        return run([self.bin, "--db", db, "-q", *args], ok=ok)

    def fresh(self, name):
        db = self.path(name)
        self.nf(db, "init", "--district", DISTRICT)
        return db

    def report(self, db, year):
        _, _, out = self.nf(db, "report", "streets", "--year", str(year), "--format", "json")
        return json.loads(out)


def changed(merge_json):
    """New and updated records in a merge's JSON, and its conflicts."""
    new = updated = 0
    for s in merge_json["sources"]:
        for _, c in s["counts"]:
            new += c["new"]
            updated += c["updated"]
    return new, updated, len(merge_json["conflicts"])


def flat(row, prefix=""):
    """A report row's figures as {name: value}, nested objects flattened."""
    out = {}
    for k, v in row.items():
        if k in ("street", "street_code"):
            continue
        if isinstance(v, dict):
            out.update(flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=20_000, help="workers per street")
    ap.add_argument("--checkins", type=int, default=200_000, help="check-ins per street")
    ap.add_argument("--overlap", type=float, default=0.02,
                    help="share of a street's workers also on the next street's register")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--year", type=int, default=2025, help="the year the figures compare")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 7 × 2,000 workers and 20,000 check-ins")
    args = ap.parse_args()
    if args.quick:
        args.workers, args.checkins, args.runs = 2_000, 20_000, 1
    if not shutil.which("sqlite3"):
        sys.exit("the sqlite3 shell is needed for the references")

    nuanfeng = build()
    share = round(args.workers * args.overlap)
    made = os.path.join(ROOT, "bench", "data", f"merge-w{args.workers}-c{args.checkins}-o{share}")
    fresh = not os.path.exists(made)
    dirs, overlap = make_data(args.workers, args.checkins, args.overlap)
    if fresh:
        # A child's peak RSS (os.wait4) starts from this process's size when it forked:
        # the data just made in memory would be counted in every figure. Start again small.
        os.execv(sys.executable, [sys.executable] + sys.argv)
    src = {kind: [os.path.join(d, f"{kind}.csv") for d in dirs] for kind in KINDS}
    rows = {kind: sum(rows_in(p) for p in src[kind]) for kind in KINDS}
    r = collections.defaultdict(list)
    problems = []

    with tempfile.TemporaryDirectory(prefix="nuanfeng-merge-") as tmp:
        b = Bench(nuanfeng, tmp)
        streets, build_s = [], 0.0
        for k, d in enumerate(dirs):
            db = os.path.join(tmp, f"{STREETS[k]}.db")
            t, _, _ = b.nf(db, "init", "--district", DISTRICT)
            build_s += t
            for kind in KINDS:
                t, _, _ = b.nf(db, "import", kind, os.path.join(d, f"{kind}.csv"))
                build_s += t
            streets.append(db)
        print(f"7 street registries built in {build_s:.1f} s", file=sys.stderr)
        every = {}
        for kind in KINDS:
            every[kind] = os.path.join(tmp, f"{kind}-all.csv")
            concat(src[kind], every[kind])
        width = {kind: len(read_header(every[kind])) for kind in KINDS}

        for i in range(args.runs):
            district = b.fresh("district.db")
            t, rss, out = b.nf(district, "merge", *streets, "--format", "json")
            first = json.loads(out)
            new, updated, conflicts = changed(first)
            if conflicts:
                problems.append(f"first merge: {conflicts} conflicts")
            r["merge"].append(t), r["merge_rss"].append(rss)
            r["size"].append(os.path.getsize(district))
            t2, rss2, out = b.nf(district, "merge", *streets, "--format", "json")
            again = changed(json.loads(out))
            if again != (0, 0, 0):
                problems.append(f"re-merge changed something: new {again[0]}, "
                                f"updated {again[1]}, conflicts {again[2]}")
            r["again"].append(t2), r["again_rss"].append(rss2)
            r["r_again"].append(t2 / t)

            csv_db = b.fresh("from-csv.db")
            total, peak = 0.0, 0.0
            for kind in KINDS:
                for p in src[kind]:
                    tt, rr, _ = b.nf(csv_db, "import", kind, p)
                    total += tt
                    peak = max(peak, rr)
            r["csv"].append(total), r["csv_rss"].append(peak)
            r["csv_size"].append(os.path.getsize(csv_db))
            r["r_csv"].append(t / total)
            os.remove(csv_db)

            raw = b.path("raw.db")
            cols = ", ".join(f"c{n} TEXT" for n in range(width["checkins"]))
            imp, _, _ = run(["sqlite3", raw, f"CREATE TABLE t ({cols});",
                             f".import --csv --skip 1 {every['checkins']} t"])
            os.remove(raw)
            r["imp_ck"].append(imp), r["r_imp_ck"].append(t / imp)
            raw = b.path("raw-all.db")
            cmds = []
            for kind in KINDS:
                cols = ", ".join(f"c{n} TEXT" for n in range(width[kind]))
                cmds += [f"CREATE TABLE {kind} ({cols});",
                         f".import --csv --skip 1 {every[kind]} {kind}"]
            imp_all, _, _ = run(["sqlite3", raw, *cmds])
            os.remove(raw)
            r["imp_all"].append(imp_all), r["r_imp_all"].append(t / imp_all)
            print(f"run {i + 1}/{args.runs}: merge {t:.2f} s ({rss:.0f} MiB), re-merge "
                  f"{t2:.2f} s, CSV import {total:.2f} s, .import check-ins {imp:.2f} s, "
                  f"every row {imp_all:.2f} s", file=sys.stderr)
            if i + 1 < args.runs:
                os.remove(district)

        # The figures: the district's rows beside each street's own.
        whole = b.report(district, args.year)
        by_street = {row["street"]: row for row in whole["streets"]}
        checks, own_workers, own_checkins = [], 0, 0
        for k, db in enumerate(streets):
            name = STREETS[k]
            own = next(row for row in b.report(db, args.year)["streets"] if row["street"] == name)
            here, there = flat(by_street[name]), flat(own)
            diffs = [f"{f} {there.get(f)} → {here.get(f)}" for f in sorted(set(here) | set(there))
                     if here.get(f) != there.get(f)]
            checks.append((name, own["workers"], own["checkins"], diffs))
            own_workers += own["workers"]
            own_checkins += own["checkins"]
            if diffs:
                problems.append(f"{name}: {'; '.join(diffs)}")
        tot = whole["total"]
        if tot["workers"] != own_workers - overlap:
            problems.append(f"district 从业人员 {tot['workers']:,} ≠ {own_workers:,} − {overlap:,}")
        if tot["checkins"] != own_checkins:
            problems.append(f"district 报到 {tot['checkins']:,} ≠ {own_checkins:,}")
        street_sizes = sum(os.path.getsize(db) for db in streets)

        # One level up, once: the district file into a fresh city registry (`init` with no
        # district); every street of the district must keep every figure there.
        city = b.path("city.db")
        b.nf(city, "init")
        up = b.nf(city, "merge", district, "--format", "json")
        up_conflicts = changed(json.loads(up[2]))[2]
        if up_conflicts:
            problems.append(f"district into city: {up_conflicts} conflicts")
        up_size = os.path.getsize(city)
        up_again = b.nf(city, "merge", district, "--format", "json")
        in_city = {row["street_code"]: row for row in b.report(city, args.year)["streets"]}
        city_diffs = []
        for row in whole["streets"]:
            there = flat(in_city.get(row["street_code"], {}))
            here = flat(row)
            d = [f"{f} {here.get(f)} → {there.get(f)}" for f in sorted(set(here) | set(there))
                 if here.get(f) != there.get(f)]
            if d:
                city_diffs.append(f"{row['street']}: {'; '.join(d)}")
        problems += [f"city, {x}" for x in city_diffs]

    m = {k: median(v) for k, v in r.items()}
    W, C = args.workers, args.checkins

    def s(x):
        return f"{x:.2f} s"

    def mib(x):
        return f"{x:.0f} MiB"

    table = [
        ("merge of 7 street files into a fresh district file", s(m["merge"]),
         f"CSV import of the same data, {7 * 4} imports, {s(m['csv'])}", f"{m['r_csv']:.2f}×",
         mib(m["merge_rss"]), mib(m["size"] / 2**20)),
        ("merge", s(m["merge"]), f"sqlite3 .import of the {rows['checkins']:,} check-in rows "
         f"{s(m['imp_ck'])}", f"{m['r_imp_ck']:.2f}×", "", ""),
        ("merge", s(m["merge"]), f"sqlite3 .import of every row ({sum(rows.values()):,}) "
         f"{s(m['imp_all'])}", f"{m['r_imp_all']:.2f}×", "", ""),
        ("re-merge of the same 7 files (changes nothing)", s(m["again"]),
         f"first merge {s(m['merge'])}", f"{m['r_again']:.2f}×", mib(m["again_rss"]), ""),
        ("CSV import (reference)", s(m["csv"]), "—", "—", mib(m["csv_rss"]),
         mib(m["csv_size"] / 2**20)),
        ("the district file into a fresh city registry (1 run)", s(up[0]),
         f"district merge {s(m['merge'])}", f"{up[0] / m['merge']:.2f}×", mib(up[1]),
         mib(up_size / 2**20)),
        ("the same district file again (1 run)", s(up_again[0]), f"first {s(up[0])}",
         f"{up_again[0] / up[0]:.2f}×", mib(up_again[1]), ""),
    ]
    print(f"\n$ python3 bench/merge.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"nuanfeng {revision()}, sqlite3 {sqlite3_version()}: 7 streets × {W:,} workers, "
          f"{C:,} check-ins, {C // 4:,} point entries; {overlap:,} people on two streets' "
          f"registers, {rows['checkins'] - 7 * C:,} check-ins in two files; in all "
          f"{rows['stations']:,} stations, {rows['workers']:,} worker rows, "
          f"{rows['checkins']:,} check-in rows, {rows['points']:,} point entries; "
          f"median of {args.runs} run{'s' if args.runs != 1 else ''}\n")
    print("| work | nuanfeng | reference | ratio | peak RSS | file size |")
    print("|---|---|---|---|---|---|")
    for row in table:
        print("| " + " | ".join(row) + " |")
    print(f"\nthe 7 street files: {street_sizes / 2**20:.0f} MiB in all")
    if args.runs > 1:
        print("per-run ratios:")
        for key, label in (("r_csv", "merge / CSV import"), ("r_imp_ck", "merge / .import check-ins"),
                           ("r_imp_all", "merge / .import every row"),
                           ("r_again", "re-merge / merge")):
            print(f"  {label}: {', '.join(f'{v:.2f}' for v in r[key])}")

    print(f"\nfigures of `report streets --year {args.year}`, district row vs the street's own file:")
    for name, workers, checkins, diffs in checks:
        print(f"  {name}: {workers:,} 从业人员, {checkins:,} 报到 — "
              + ("OK" if not diffs else "differs: " + "; ".join(diffs)))
    print(f"  district 从业人员 {tot['workers']:,} = {own_workers:,} − {overlap:,} overlap: "
          + ("OK" if tot["workers"] == own_workers - overlap else "NO"))
    print(f"  district 报到 {tot['checkins']:,} = the streets' own {own_checkins:,}: "
          + ("OK" if tot["checkins"] == own_checkins else "NO"))
    print("  the district's streets in the city registry = in the district's: "
          + ("OK" if not city_diffs else "differ:"))
    for x in city_diffs:
        print(f"    {x}")
    if problems:
        print("\nproblems:\n  " + "\n  ".join(problems))
        sys.exit(1)


def read_header(path):
    with open(path, encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


if __name__ == "__main__":
    main()
