#!/usr/bin/env bash
# make run: today's drill on the default database. A fresh database first
# imports the study tracker shipped in decks/, so there are cards to study.
set -euo pipefail
recall="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "$("$recall" cards | head -n 1)" ]; then
  "$recall" import "$here/decks/ml-study-tracker.md"
fi
exec "$recall" review
