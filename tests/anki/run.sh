#!/usr/bin/env bash
# ctest's entry for tests/anki/roundtrip.mjs: node, the pinned reader
# (tests/anki/node_modules, `npm ci` here; `make test` runs it) and the zstd
# tool are needed. Without them: a failure under CI=true, else a skip
# (exit 77) that says why.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
missing=""
command -v node >/dev/null || missing="node is not installed (apt-get install nodejs npm)"
[ -n "$missing" ] || command -v zstd >/dev/null || missing="the zstd tool is not installed (apt-get install zstd)"
[ -n "$missing" ] || [ -d "$here/node_modules/anki-reader" ] ||
  missing="tests/anki/node_modules is missing (run: cd tests/anki && npm ci)"
if [ -n "$missing" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "anki round trip: FAILED — $missing" >&2
    exit 1
  fi
  echo "anki round trip: SKIPPED — $missing"
  exit 77
fi
exec node "$here/roundtrip.mjs" "$@"
