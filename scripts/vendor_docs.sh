#!/usr/bin/env bash
# Refresh the vendored Swagger UI and ReDoc that /docs and /redoc load (no CDN at runtime).
# Usage: scripts/vendor_docs.sh [SWAGGER_UI_VERSION] [REDOC_VERSION]
#        (default: the pinned versions in static/vendor/*/VERSION)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SWAGGER="$ROOT/static/vendor/swagger-ui"
REDOC="$ROOT/static/vendor/redoc"
SWAGGER_VERSION="${1:-$(cat "$SWAGGER/VERSION" 2>/dev/null || echo 5.35.0)}"
REDOC_VERSION="${2:-$(cat "$REDOC/VERSION" 2>/dev/null || echo 3.0.1)}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "swagger-ui-dist@$SWAGGER_VERSION" "redoc@$REDOC_VERSION" >/dev/null
mkdir swagger redoc
tar xzf "swagger-ui-dist-$SWAGGER_VERSION.tgz" -C swagger
tar xzf "redoc-$REDOC_VERSION.tgz" -C redoc
rm -rf "$SWAGGER" "$REDOC"
mkdir -p "$SWAGGER" "$REDOC"
# The built bundle and its stylesheet are all /docs needs; source maps stay out.
cp swagger/package/swagger-ui-bundle.js swagger/package/swagger-ui.css \
   swagger/package/swagger-ui-bundle.js.LICENSE.txt swagger/package/LICENSE \
   swagger/package/NOTICE "$SWAGGER/"
cp redoc/package/bundles/redoc.standalone.js redoc/package/LICENSE "$REDOC/"
# ReDoc fetches its own logo from cdn.redoc.ly; point that at an empty inline image so the
# docs make no request off this server (the CSP would block it and log an error).
EMPTY_SVG="data:image/svg+xml,%3Csvg xmlns='http:\/\/www.w3.org\/2000\/svg'\/%3E"
sed -i "s#https://cdn.redoc.ly/redoc/logo-mini\(-full\)\?.svg#$EMPTY_SVG#g" "$REDOC/redoc.standalone.js"
grep -q "cdn.redoc.ly" "$REDOC/redoc.standalone.js" && { echo "ReDoc still calls cdn.redoc.ly" >&2; exit 1; }
echo "$SWAGGER_VERSION" > "$SWAGGER/VERSION"
echo "$REDOC_VERSION" > "$REDOC/VERSION"
echo "Swagger UI $SWAGGER_VERSION -> $SWAGGER; ReDoc $REDOC_VERSION -> $REDOC"
