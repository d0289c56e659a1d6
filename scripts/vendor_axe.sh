#!/usr/bin/env bash
# Refresh the vendored axe-core under static/vendor/axe-core/. Only the browser tests inject it
# (tests/web/axe.py); the page never loads it.
# Usage: scripts/vendor_axe.sh [VERSION]   (default: the pinned version in VERSION)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/static/vendor/axe-core"
VERSION="${1:-$(cat "$DEST/VERSION" 2>/dev/null || echo 4.14.1)}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm install --silent --no-audit --no-fund "axe-core@$VERSION" >/dev/null
SRC="$WORK/node_modules/axe-core"
rm -rf "$DEST"
mkdir -p "$DEST"
cp "$SRC/axe.min.js" "$SRC/LICENSE" "$DEST/"
echo "$VERSION" > "$DEST/VERSION"
echo "axe-core $VERSION -> $DEST"
