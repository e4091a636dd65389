#!/usr/bin/env bash
# Vendor vega, vega-lite, vega-embed and vega-interpreter from npm into the static files (pinned).
set -euo pipefail
target="$(cd "$(dirname "$0")/.." && pwd)/src/parindex/server/static/parindex/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund vega@6.4.0 vega-lite@6.4.3 vega-embed@7.3.0 \
  vega-interpreter@2.3.2 esbuild@0.25.12 >/dev/null
echo "export { expressionInterpreter } from 'vega-interpreter';" > interpreter.mjs
npx esbuild interpreter.mjs --bundle --minify --format=iife --global-name=vegaInterpreter \
  --outfile=vega-interpreter.min.js
cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
  node_modules/vega-embed/build/vega-embed.min.js vega-interpreter.min.js "$target/"
sed -i 's#//\# sourceMappingURL=.*##' "$target"/*.js
