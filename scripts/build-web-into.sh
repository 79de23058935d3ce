#!/usr/bin/env bash
# Builds the console and the widget into a directory of one's own (parallel work on one checkout):
#   bash scripts/build-web-into.sh /tmp/kefu-dist-NAME && KEFU_WEB_DIST=/tmp/kefu-dist-NAME npm test -- e2e/x
set -euo pipefail
out="$(realpath -m "${1:?usage: build-web-into.sh OUT_DIR}")"
cd "$(dirname "$0")/.."
npx vite build --config web/vite.config.ts --outDir "$out" --emptyOutDir --logLevel warn
npx vite build --config web/widget/vite.config.ts --outDir "$out" --logLevel warn
