#!/usr/bin/env bash
# The Anki round trip's figures (issue 26; docs/anki.md): `recall export anki`
# of 10,000 cards, and `recall import anki` of 100,000 phone answers, into a
# collection without history (appended) and into one with 100,000 terminal
# answers they interleave with (every card's log merged and written again),
# then the same package again (all duplicates). Called by bench/run.sh; on its
# own: bench/anki.sh BUILD_DIR prints the Markdown section on stdout.
# Knobs: RUNS (default 3), WORK (default /tmp/recall-bench-anki, deleted first).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
RECALL=$BUILD/recall
GEN=$BUILD/recall_bench_gen
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/recall-bench-anki}
TODAY=2026-03-01
TIME=/usr/bin/time

"$ROOT/scripts/install-deps.sh" sqlite3 time zip unzip >&2
[ -x "$GEN" ] || cmake --build "$BUILD" --target recall_bench_gen >&2
rm -rf "$WORK"
mkdir -p "$WORK"
log() { echo "bench anki: $*" >&2; }

# measure RUNS SETUP CMD...: prints "median_ms min_ms max_ms peak_mb".
measure() {
  local runs=$1 setup=$2
  shift 2
  local -a times=()
  local peak=0 i start end kb
  for ((i = 0; i < runs; i++)); do
    eval "$setup"
    start=$(date +%s%N)
    $TIME -f %M -o "$WORK/mem" "$@" > "$WORK/stdout" 2> "$WORK/stderr" ||
      { log "failed: $*"; cat "$WORK/stderr" >&2; exit 1; }
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
    kb=$(tail -1 "$WORK/mem")
    ((kb > peak)) && peak=$kb
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p") $(echo "$sorted" | head -1)" \
    "$(echo "$sorted" | tail -1) $((peak / 1024))"
}
R() { "$RECALL" --db "$1" --today "$TODAY" "${@:2}"; }

log "a 10,000-card collection, and one with 100,000 terminal answers"
"$GEN" tracker --topics 1430 --out "$WORK/t.md"
R "$WORK/fresh.db" import "$WORK/t.md" > /dev/null
R "$WORK/fresh.db" config set new-per-day 100000 > /dev/null
CARDS=$(sqlite3 "$WORK/fresh.db" "SELECT COUNT(*) FROM cards")
cp "$WORK/fresh.db" "$WORK/history.db"
"$GEN" history --db "$WORK/history.db" --today "$TODAY" --rows 100000 >&2
sqlite3 "$WORK/history.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null

log "export"
# Every card, flagged drafts too: the generated tracker's cards are mostly flagged.
EXPORT=$(measure "$RUNS" ':' "$RECALL" --db "$WORK/fresh.db" --today "$TODAY" export anki \
  "$WORK/cards.apkg" --include-drafts)
NOTES=$(R "$WORK/fresh.db" export anki "$WORK/cards.apkg" --include-drafts --json |
  sed 's/.*"notes":\([0-9]*\).*/\1/')
APKG_KB=$(($(stat -c %s "$WORK/cards.apkg") / 1024))

log "the phone's package: 10 answers on each exported card over the 300 days before $TODAY"
mkdir -p "$WORK/phone"
(cd "$WORK/phone" && unzip -q "$WORK/cards.apkg")
# Anki's revlog ids are the answers' times in ms: noon UTC, a second apart per card.
sqlite3 "$WORK/phone/collection.anki2" "
  WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 9),
    c AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS i FROM cards)
  INSERT INTO revlog(id, cid, usn, ease, ivl, lastIvl, factor, time, type)
  SELECT CAST(((julianday('$TODAY') - 2440587.5 - 300 + k.n * 30) * 86400 + 43200 + c.i) AS INTEGER) * 1000,
         c.id, -1, 1 + (c.i + k.n) % 4, 1, 0, 2500, 5000, 1 FROM c, k;"
ANSWERS=$(sqlite3 "$WORK/phone/collection.anki2" "SELECT COUNT(*) FROM revlog")
(cd "$WORK/phone" && rm -f ../phone.apkg && zip -q ../phone.apkg collection.anki2 media)

log "import"
cp "$WORK/fresh.db" "$WORK/fresh.orig.db"
cp "$WORK/history.db" "$WORK/history.orig.db"
restore() { echo "cp '$WORK/$1.orig.db' '$WORK/$1.db'; rm -f '$WORK/$1.db-wal' '$WORK/$1.db-shm'"; }
IMPORT_FRESH=$(measure "$RUNS" "$(restore fresh)" "$RECALL" --db "$WORK/fresh.db" --today "$TODAY" \
  import anki "$WORK/phone.apkg")
IMPORT_MERGED=$(measure "$RUNS" "$(restore history)" "$RECALL" --db "$WORK/history.db" --today \
  "$TODAY" import anki "$WORK/phone.apkg" --json)
MERGED_JSON=$(cat "$WORK/stdout")
REIMPORT=$(measure "$RUNS" ':' "$RECALL" --db "$WORK/history.db" --today "$TODAY" import anki \
  "$WORK/phone.apkg")
R "$WORK/history.db" check > /dev/null || { log "check failed after the import"; exit 1; }

field() { echo "$1" | cut -d' ' -f"$2"; }
row() { echo "| $1 | $(field "$2" 1) | $(field "$2" 2) | $(field "$2" 3) | $(field "$2" 4) |"; }
replayed=$(echo "$MERGED_JSON" | sed 's/.*"replayed":\([0-9]*\).*/\1/')
echo "### Anki round trip (bench/anki.sh)"
echo
echo "$CARDS cards ($NOTES notes exported, a ${APKG_KB} KB package); $ANSWERS phone answers"
echo "(10 per card over 300 days). Median of $RUNS runs, whole commands; \`recall check\` passes"
echo "after the merged import."
echo
echo "| operation | median (ms) | min | max | peak RSS (MB) |"
echo "|---|---|---|---|---|"
row "\`recall export anki --include-drafts\`, $NOTES cards" "$EXPORT"
row "\`recall import anki\`, $ANSWERS answers, no history (appended)" "$IMPORT_FRESH"
row "\`recall import anki\`, $ANSWERS answers among 100,000 terminal ones ($replayed rows written again)" "$IMPORT_MERGED"
row "the same package again (all duplicates)" "$REIMPORT"
echo
