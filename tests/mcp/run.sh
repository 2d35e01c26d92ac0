#!/usr/bin/env bash
# ctest's entry for tests/mcp/drill.mjs: node and the pinned SDK
# (tests/mcp/node_modules, `npm ci` here; `make test` runs it) are needed.
# Without them: a failure under CI=true, else a skip (exit 77) that says why.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
missing=""
command -v node >/dev/null || missing="node is not installed (apt-get install nodejs npm)"
[ -n "$missing" ] || [ -d "$here/node_modules/@modelcontextprotocol/sdk" ] ||
  missing="tests/mcp/node_modules is missing (run: cd tests/mcp && npm ci)"
if [ -n "$missing" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "mcp drill: FAILED — $missing" >&2
    exit 1
  fi
  echo "mcp drill: SKIPPED — $missing"
  exit 77
fi
exec node "$here/drill.mjs" "$@"
