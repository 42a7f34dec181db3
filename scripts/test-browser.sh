#!/bin/sh
# `make test-browser` (not in CI): print briefs to PDF with headless Chromium,
# as a reader would from a browser, and check every page (tests/browser_check.py):
# as many pages as the brief has sheets, each picture wholly on its page, no
# blank page. The page images are left in OUT for a person to look at.
#   scripts/test-browser.sh [BUILD] [OUT]
set -eu

build=${1:-build}
out=${2:-$build/test-browser}
ddrsim="$build/ddrsim"
for tool in chromium pdftoppm pdftotext pdfinfo; do
  command -v "$tool" >/dev/null || {
    echo "test-browser: $tool is missing (apt-get install chromium poppler-utils)" >&2
    exit 1
  }
done

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# the baseline and a what-if, paired (same seed and replications), with their
# series so that the brief has the paired-difference chart; the redeployment
# plan for its timeline, in French
"$ddrsim" run scenarios/mali-2020-baseline.yaml -n 1000 --store full -q -o "$out/baseline.h5"
"$ddrsim" run scenarios/mali-2020-second-centre.yaml -n 1000 --store full -q -o "$out/second-centre.h5"
"$ddrsim" run scenarios/mali-2020-redeployment.yaml -n 1000 -q -o "$out/redeployment.h5"
"$ddrsim" report "$out/baseline.h5" "$out/second-centre.h5" -o "$out/compare.html"
"$ddrsim" report "$out/redeployment.h5" --lang fr -o "$out/redeployment-fr.html"

status=0
for brief in compare redeployment-fr; do
  # as root Chromium runs only without its sandbox
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$out/$brief.pdf" "file://$out/$brief.html" >"$out/$brief.chromium.log" 2>&1 || {
    echo "test-browser: chromium failed printing $brief.html (see $out/$brief.chromium.log)" >&2
    exit 1
  }
  pdftoppm -r 60 -png "$out/$brief.pdf" "$out/$brief-page"
  /usr/bin/python3 tests/browser_check.py "$out/$brief.html" "$out/$brief.pdf" || status=1
done
echo "test-browser: the pages are in $out/*-page-*.png: look at them"
exit $status
