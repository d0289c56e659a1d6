#!/usr/bin/env bash
# Refresh the vendored KaTeX under static/vendor/katex/ (no build step at runtime).
# Usage: scripts/vendor_katex.sh [VERSION]   (default: the pinned version in VERSION)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/static/vendor/katex"
VERSION="${1:-$(cat "$DEST/VERSION" 2>/dev/null || echo 0.19.1)}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm install --silent --no-audit --no-fund "katex@$VERSION" >/dev/null
SRC="$WORK/node_modules/katex"
rm -rf "$DEST"
mkdir -p "$DEST/fonts"
cp "$SRC/dist/katex.min.js" "$SRC/dist/katex.min.css" "$SRC/LICENSE" "$DEST/"
# The CSS lists woff2 first; every browser we target takes it, so the rest are left out.
cp "$SRC"/dist/fonts/*.woff2 "$DEST/fonts/"
echo "$VERSION" > "$DEST/VERSION"
echo "KaTeX $VERSION -> $DEST"
