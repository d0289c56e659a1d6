#!/usr/bin/env bash
# Refresh the vendored axe-core under static/vendor/axe-core/. Only the browser tests inject it
# (tests/web/axe.py); the page never loads it.
# Usage: scripts/vendor_axe.sh [VERSION]   (default: the pinned version in VERSION)
exec "$(dirname "$0")/vendor_npm.sh" axe-core 4.14.1 axe.min.js -- "${1:-}"
