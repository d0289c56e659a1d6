#!/usr/bin/env bash
# Refresh the vendored KaTeX under static/vendor/katex/ (no build step at runtime).
# The CSS lists woff2 fonts first; every browser we target takes them, so the rest are left out.
# Usage: scripts/vendor_katex.sh [VERSION]   (default: the pinned version in VERSION)
exec "$(dirname "$0")/vendor_npm.sh" katex 0.19.1 \
  dist/katex.min.js dist/katex.min.css "dist/fonts/*.woff2:fonts" -- "${1:-}"
