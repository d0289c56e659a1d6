#!/usr/bin/env bash
# Copy built files of one npm package into static/vendor/NAME/ with its licence and a
# VERSION file (no build step at runtime; npm runs only here, by hand, to refresh them).
# Usage: scripts/vendor_npm.sh NAME DEFAULT_VERSION FILE[:SUBFOLDER]... [-- VERSION]
#   FILE is a path or glob inside the package; SUBFOLDER, where it goes under the folder.
#   The version is the one given after --, else the pinned one in VERSION, else DEFAULT.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NAME="$1" DEFAULT="$2"
shift 2
FILES=()
ASKED=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then ASKED="${2:-}"; break; fi
  FILES+=("$1")
  shift
done
DEST="$ROOT/static/vendor/$NAME"
VERSION="${ASKED:-$(cat "$DEST/VERSION" 2>/dev/null || echo "$DEFAULT")}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm install --silent --no-audit --no-fund "$NAME@$VERSION" >/dev/null)
SRC="$WORK/node_modules/$NAME"
rm -rf "$DEST"
mkdir -p "$DEST"
cp "$SRC/LICENSE" "$DEST/"
for spec in "${FILES[@]}"; do
  pattern="${spec%%:*}"
  sub=""
  [ "$spec" != "$pattern" ] && sub="${spec#*:}"
  mkdir -p "$DEST/$sub"
  # shellcheck disable=SC2086  # the pattern is a glob on purpose
  cp $SRC/$pattern "$DEST/$sub"
done
echo "$VERSION" > "$DEST/VERSION"
echo "$NAME $VERSION -> $DEST"
