#!/bin/sh
# browser.sh SLO SOURCE_DIR: two checks of chart.toml with a history, the
# second writing the SVG chart, then tests/browser/slo_chart.test.mjs on it
# in headless Chromium (the flame graph's harness: chromium from apt,
# playwright-core in .cleanroom/node, both from scripts/bootstrap). Exit 77
# (skipped) only when there is no Chromium binary at all.
set -eu
slo=$1 src=$2
node_dir=${CLEANROOM_NODE_DIR:-$src/.cleanroom/node}
chromium=${CLEANROOM_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "SKIPPED: no Chromium at $chromium (scripts/bootstrap installs the" \
        "chromium package); the browser test did not run"
    exit 77
fi
command -v node >/dev/null || { echo "node is missing: run scripts/bootstrap"; exit 1; }
[ -d "$node_dir/node_modules/playwright-core" ] ||
    { echo "playwright-core is missing in $node_dir: run scripts/bootstrap"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$slo" check "$src/tests/slo/chart.toml" --history "$tmp/h.jsonl" >/dev/null
"$slo" check "$src/tests/slo/chart.toml" --history "$tmp/h.jsonl" \
    --svg "$tmp/chart.svg" >/dev/null
exec node "$src/tests/browser/slo_chart.test.mjs" "$node_dir" "$chromium" \
    "$tmp/chart.svg" 3
