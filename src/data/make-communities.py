#!/usr/bin/env python3
"""Writes communities-2023.txt.gz, the communities list built into nuanfeng, from the NBS
统计用区划代码 2023 list of every 村/社区 (communities-2023.csv.gz: 代码,名称,上级代码).

The format, once unpacked (`zcat communities-2023.txt.gz | head`), is one line per street or
community in code order:

    #140106001              a street or town (9 digits): the communities below are its own
    察院后社区居委会          the next community: 12-digit code = street code + 001, 002, ...
    010,某某村委会            a community whose number does not follow the one before it

Dropping the repeated parent code and the numbers that follow on makes the gzip file a third
smaller than the source. The output is the same byte for byte on every run (gzip mtime 0).

Usage: make-communities.py communities-2023.csv.gz communities-2023.txt.gz
"""
import csv
import gzip
import io
import sys


def main(src, dst):
    with gzip.open(src, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["代码", "名称", "上级代码"], rows[0]
    out = io.StringIO()
    street, number = None, 0
    for code, name, parent in rows[1:]:
        assert len(code) == 12 and code[:9] == parent and name, (code, name, parent)
        assert "\n" not in name and "," not in name and not name.startswith("#"), name
        if parent != street:
            out.write(f"#{parent}\n")
            street, number = parent, 0
        n = int(code[9:])
        out.write(f"{name}\n" if n == number + 1 else f"{code[9:]},{name}\n")
        number = n
    with open(dst, "wb") as f:
        f.write(gzip.compress(out.getvalue().encode("utf-8"), 9, mtime=0))


if __name__ == "__main__":
    main(*sys.argv[1:])
