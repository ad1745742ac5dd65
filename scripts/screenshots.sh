#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/screenshots): every page, signed in with the test
# wallet on a devnet of its own, in light and dark at 1280 and 360 px wide, taken by the browser
# test that also checks them (Tests/e2e/test_figures.py), then copied over the committed ones.
#   scripts/screenshots.sh        (needs the debug build and chromium: make deps-browser build-debug contracts)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/test/tmp
TMPDIR=$PWD/var/test/tmp .venv/bin/python -m pytest -q Tests/e2e/test_figures.py -k test_every_page_in_light_and_dark
for page in dashboard chat history nft premium staking swap; do
  for scheme in light dark; do
    for width in 1280 360; do
      cp "test-artifacts/$page-$scheme-$width.png" "docs/screenshots/$page-$scheme-$width.png"
    done
  done
done
echo "screenshots: 28 written to docs/screenshots"
