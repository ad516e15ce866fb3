#!/bin/sh
# Renders what `nuanfeng` writes for people to print — the 简报 as .docx, the workbooks and
# the blank template — to PDF (LibreOffice) and to one PNG per page (poppler's pdftoppm), so
# the pages can be looked at: how many there are, whether the tables fit, which fonts show.
#
#   bench/render.sh [OUTDIR]            default OUTDIR: target/render
#   NUANFENG=path/to/nuanfeng bench/render.sh
#
# It builds the demo district (nuanfeng demo) in OUTDIR and writes, for July 2025:
#   2025年7月简报.docx, 2025年7月简报-en.docx (report district --format docx, Chinese and --lang en),
#   2025年7月报表.xlsx (report district --format xlsx), 逐月.xlsx (report streets --year 2025 --monthly),
#   从业人员台账.xlsx (template workers, with the demo's streets as a drop-down list),
# then OUTDIR/pdf/NAME.pdf and OUTDIR/png/NAME-N.png, and prints the page count and page size
# of each PDF. Without soffice or pdftoppm it writes the files and says what is missing
# (Debian: apt-get install libreoffice-calc libreoffice-writer fonts-noto-cjk poppler-utils).
set -eu

out=${1:-target/render}
bin=${NUANFENG:-}
if [ -z "$bin" ]; then
    cargo build --quiet
    bin="${CARGO_TARGET_DIR:-target}/debug/nuanfeng"
fi
case $bin in /*) ;; *) bin="$PWD/$bin" ;; esac

rm -rf "$out"
mkdir -p "$out/pdf" "$out/png"
cd "$out"
db=demo.db
"$bin" --db "$db" -q demo >/dev/null
"$bin" --db "$db" -q report district --month 2025-07 --format docx -o 2025年7月简报.docx
"$bin" --db "$db" -q --lang en report district --month 2025-07 --format docx -o 2025年7月简报-en.docx
"$bin" --db "$db" -q report district --month 2025-07 --format xlsx -o 2025年7月报表.xlsx
"$bin" --db "$db" -q report streets --year 2025 --monthly --format xlsx -o 逐月.xlsx
"$bin" --db "$db" -q template workers -o 从业人员台账.xlsx

if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
    echo "render.sh: soffice or pdftoppm is missing: the files are in $out, not rendered" >&2
    exit 0
fi
# A profile of its own, so a running LibreOffice does not swallow the conversion.
profile="file://$PWD/.lo-profile"
for f in 2025年7月简报.docx 2025年7月简报-en.docx 2025年7月报表.xlsx 逐月.xlsx 从业人员台账.xlsx; do
    soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir pdf "$f" >/dev/null 2>&1
    name=${f%.*}
    pdftoppm -png -r 80 "pdf/$name.pdf" "png/$name"
    pages=$(pdfinfo "pdf/$name.pdf" | sed -n 's/^Pages: *//p')
    size=$(pdfinfo "pdf/$name.pdf" | sed -n 's/^Page size: *//p')
    echo "$f: $pages pages, $size"
done
echo "PNG pages in $out/png"
