#!/bin/sh
# browser.sh FLAMEGRAPH SOURCE_DIR SHARED_DIR: renders a profile and a
# differential graph and runs tests/browser/flamegraph.test.mjs on them in
# headless Chromium. Needs chromium (apt) and playwright-core (npm, in
# .cleanroom/node), both installed by scripts/bootstrap. Exit 77 (skipped)
# only when there is no Chromium binary at all.
set -eu
fg=$1 src=$2 shared=$3
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
gzip -dc "$shared/user.perf-script.gz" | "$fg" collapse -o "$tmp/user.folded"
# No pruning, so that "Matched" can be compared exactly with the file.
"$fg" render --minwidth 0 "$tmp/user.folded" -o "$tmp/user.svg"
printf 'main;grew 100\nmain;shrank 300\nmain;same 50\n' >"$tmp/old.folded"
printf 'main;grew 300\nmain;shrank 100\nmain;same 50\n' >"$tmp/new.folded"
"$fg" diff "$tmp/old.folded" "$tmp/new.folded" -o "$tmp/diff.svg" 2>/dev/null
exec node "$src/tests/browser/flamegraph.test.mjs" "$node_dir" "$chromium" \
    "$tmp/user.svg" "$tmp/user.folded" "$tmp/diff.svg"
