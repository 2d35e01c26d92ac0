#!/usr/bin/env bash
# The benchmark suite: `make bench` (= bench/run.sh BUILD_DIR).
# Times whole commands as a user runs them (fork/exec to exit), several runs
# each, and writes BENCHMARKS.md (generated figures + bench/notes.md).
# Knobs (environment): RUNS (default 3), WORK (default /tmp/recall-bench,
# deleted first), PEER=0 to skip Mnemosyne, SCALING=0 to skip the 3-size
# runs, OUT (default BENCHMARKS.md in the repository).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
RECALL=$BUILD/recall
GEN=$BUILD/recall_bench_gen
FLOOR=$BUILD/recall_bench_floor
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/recall-bench}
OUT=${OUT:-$ROOT/BENCHMARKS.md}
PEER=${PEER:-1}
SCALING=${SCALING:-1}
PEER_DIR=${PEER_DIR:-$ROOT/../shared/peers/mnemosyne}
TODAY=2026-03-01
TIME=/usr/bin/time

"$ROOT/scripts/install-deps.sh" sqlite3 time
[ -x "$GEN" ] || cmake --build "$BUILD" --target recall_bench_gen
[ -x "$FLOOR" ] || cmake --build "$BUILD" --target recall_bench_floor
[ -x "$RECALL" ] && [ -x "$GEN" ] && [ -x "$FLOOR" ] || { echo "bench: build $BUILD first" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
RESULTS=$WORK/results.tsv   # label  median_s  min_s  max_s  peak_kb  runs
: > "$RESULTS"
START=$(date +%s)

has_command() { "$RECALL" --help 2>&1 | grep -qE "^ +$1 "; }
log() { echo "bench: $*" >&2; }

# measure LABEL RUNS SETUP STDIN CMD...  (SETUP is eval'ed before each run,
# untimed; STDIN is a file or /dev/null). Wall time via date +%s%N around
# /usr/bin/time (which also gives peak RSS); stdout discarded.
measure() {
  local label=$1 runs=$2 setup=$3 input=$4
  shift 4
  local -a times=()
  local peak=0 i start end kb
  for ((i = 0; i < runs; i++)); do
    eval "$setup"
    start=$(date +%s%N)
    if ! $TIME -f %M -o "$WORK/mem" "$@" < "$input" > "$WORK/stdout" 2> "$WORK/stderr"; then
      echo "bench: $label failed: $*" >&2
      cat "$WORK/stderr" >&2
      exit 1
    fi
    end=$(date +%s%N)
    times+=($((end - start)))
    kb=$(tail -1 "$WORK/mem")
    ((kb > peak)) && peak=$kb
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  local median min max
  median=$(echo "$sorted" | awk -v n="$runs" 'NR == int((n + 1) / 2) {print}')
  if ((runs % 2 == 0)); then
    median=$(echo "$sorted" | awk -v n="$runs" 'NR == n / 2 {a = $1} NR == n / 2 + 1 {print int((a + $1) / 2)}')
  fi
  min=$(echo "$sorted" | head -1)
  max=$(echo "$sorted" | tail -1)
  printf '%s\t%.4f\t%.4f\t%.4f\t%d\t%d\n' "$label" "$(ns_to_s "$median")" "$(ns_to_s "$min")" \
    "$(ns_to_s "$max")" "$peak" "$runs" >> "$RESULTS"
  log "$(tail -1 "$RESULTS")"
}
ns_to_s() { awk -v n="$1" 'BEGIN {printf "%.4f", n / 1e9}'; }
result() { awk -F'\t' -v l="$1" -v c="${2:-2}" '$1 == l {print $c}' "$RESULTS"; }

R() { "$RECALL" --db "$1" --today "$TODAY" "${@:2}"; }
sql() { sqlite3 "$1" "$2"; }
today_day() { sql ":memory:" "SELECT CAST(julianday('$TODAY') - julianday('1970-01-01') AS INTEGER)"; }
D=$(today_day)

# ---- inputs --------------------------------------------------------------
# make_collection NAME CARDS ROWS: a tracker of CARDS/6 topics imported, then
# ROWS review-log rows over 3 years; limits raised so the drill serves all.
make_collection() {
  local name=$1 cards=$2 rows=$3
  # About 6 cards per topic (6 points, A vs B giving 2, some points none):
  # at least CARDS cards.
  local topics=$((cards / 6 + 1))
  "$GEN" tracker --topics "$topics" --out "$WORK/$name.md"
  R "$WORK/$name.db" import "$WORK/$name.md" > /dev/null
  "$GEN" history --db "$WORK/$name.db" --today "$TODAY" --rows "$rows" >&2
  R "$WORK/$name.db" config set reviews-per-day 100000 > /dev/null
  R "$WORK/$name.db" config set new-per-day 100000 > /dev/null
  # Every card drillable, as before rules version 9 flagged every card: the
  # drill answers as many cards as it is given (drafts waiting would leave
  # only the due ones), the same work as the floor and the peer.
  R "$WORK/$name.db" config set drafts drill > /dev/null
  sql "$WORK/$name.db" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" > /dev/null
}
# grades: the peer's cycle (20% failures).
grades() { awk -v n="$1" 'BEGIN {split("4 3 5 0 4 2 4 3 1 5", g, " "); for (i = 0; i < n; i++) print g[i % 10 + 1]}'; }
# The piped drill: one grade per line, then q.
piped_input() { { grades "$1"; echo q; } > "$2"; }
# `recall answer` loop over the first N cards a session would take (the
# cards the floor answers too).
answer_loop() {  # DB N
  local db=$1 n=$2
  "$FLOOR" cards --db "$db" --today "$TODAY" --count "$n" > "$WORK/ids"
  grades "$n" > "$WORK/gr"
  cat > "$WORK/loop.sh" << EOF
#!/usr/bin/env bash
paste -d' ' "$WORK/ids" "$WORK/gr" | while read -r id g; do
  "$RECALL" --db "$db" --today $TODAY answer "\$id" "\$g" > /dev/null || exit 1
done
EOF
  chmod +x "$WORK/loop.sh"
}

log "generating the 60k-point tracker and the 100k-card / 1M-row collection"
"$GEN" tracker --topics 10000 --out "$WORK/t60k.md"
POINTS=$(grep -o '• ' "$WORK/t60k.md" | wc -l)
make_collection big 100000 1000000
BIG=$WORK/big.db
BIG_CARDS=$(sql "$BIG" "SELECT COUNT(*) FROM cards")
BIG_ROWS=$(sql "$BIG" "SELECT COUNT(*) FROM reviews")
BIG_MB=$(du -m "$BIG" | cut -f1)

# ---- 1. import ------------------------------------------------------------
log "1. import"
measure import_60k "$RUNS" 'rm -f "$WORK"/imp.db*' /dev/null "$RECALL" --db "$WORK/imp.db" --today "$TODAY" import "$WORK/t60k.md"
# The SQLite floor under that import: its rows copied into an empty database.
rm -f "$WORK"/impempty.db*; R "$WORK/impempty.db" due > /dev/null
measure import_floor_60k "$RUNS" 'cp "$WORK/impempty.db" "$WORK/impf.db"; rm -f "$WORK"/impf.db-wal "$WORK"/impf.db-shm' /dev/null \
  "$FLOOR" copy --from "$WORK/imp.db" --db "$WORK/impf.db"
rm -f "$WORK"/impf.db* "$WORK"/impempty.db*
# The no-op re-import two ways: the full comparison (parse, generate, match;
# the record of the last no-op import deleted first, untimed), and the
# repeated re-import answered from that record (importer.h, unchanged_import).
FORGET="sqlite3 '$WORK/imp.db' \"DELETE FROM settings WHERE key = 'import-fingerprint'\""
measure reimport_60k "$RUNS" "$FORGET" /dev/null "$RECALL" --db "$WORK/imp.db" --today "$TODAY" import "$WORK/t60k.md"
"$RECALL" --db "$WORK/imp.db" --today "$TODAY" import "$WORK/t60k.md" > /dev/null
measure reimport_60k_recorded "$RUNS" ':' /dev/null "$RECALL" --db "$WORK/imp.db" --today "$TODAY" import "$WORK/t60k.md"

# ---- 2. due / next vs sqlite3 -----------------------------------------------
log "2. due / next"
DUE_SQL="SELECT (SELECT COUNT(*) FROM cards WHERE due_day IS NOT NULL AND suspended = 0 AND retired = 0 AND due_day <= $D), (SELECT COUNT(*) FROM cards WHERE due_day IS NULL AND suspended = 0 AND retired = 0)"
NEXT_SQL="SELECT * FROM cards WHERE id = (SELECT id FROM cards WHERE due_day IS NOT NULL AND suspended = 0 AND retired = 0 AND due_day <= $D ORDER BY due_day LIMIT 1)"
R "$BIG" due --json > /dev/null  # warm the page cache
measure due_100k "$RUNS" ':' /dev/null "$RECALL" --db "$BIG" --today "$TODAY" due --json
measure sqlite_due_100k "$RUNS" ':' /dev/null sqlite3 "$BIG" "$DUE_SQL"
measure next_100k "$RUNS" ':' /dev/null "$RECALL" --db "$BIG" --today "$TODAY" next --json
measure sqlite_next_100k "$RUNS" ':' /dev/null sqlite3 "$BIG" "$NEXT_SQL"
# The same collection with the default daily limits (20 new, 200 reviews), as a user keeps them.
cp "$BIG" "$WORK/big.default.db"
R "$WORK/big.default.db" config unset new-per-day > /dev/null
R "$WORK/big.default.db" config unset reviews-per-day > /dev/null
measure next_100k_default "$RUNS" ':' /dev/null "$RECALL" --db "$WORK/big.default.db" --today "$TODAY" next --json
measure due_100k_default "$RUNS" ':' /dev/null "$RECALL" --db "$WORK/big.default.db" --today "$TODAY" due --json
rm -f "$WORK"/big.default.db*
BIG_DUE=$(sql "$BIG" "SELECT COUNT(*) FROM cards WHERE due_day <= $D AND suspended = 0 AND retired = 0")

# ---- 3. answering 10,000 cards ---------------------------------------------
log "3. answering 10,000 cards"
cp "$BIG" "$WORK/big.orig.db"
piped_input 10000 "$WORK/piped10k"
measure review_piped_10k "$RUNS" 'cp "$WORK/big.orig.db" "$BIG"; rm -f "$BIG"-wal "$BIG"-shm' "$WORK/piped10k" \
  "$RECALL" --db "$BIG" --today "$TODAY" review
PIPED_ANSWERED=$(grep -c '^graded' "$WORK/stdout" || true)
cp "$WORK/big.orig.db" "$BIG"; rm -f "$BIG"-wal "$BIG"-shm
answer_loop "$BIG" 10000
measure answer_loop_10k 1 ':' /dev/null "$WORK/loop.sh"
cp "$WORK/big.orig.db" "$BIG"; rm -f "$BIG"-wal "$BIG"-shm

# ---- 4. stats / sync --------------------------------------------------------
log "4. stats / sync"
HAS_STATS=0; HAS_SYNC=0
if has_command stats; then
  HAS_STATS=1
  measure stats_100k "$RUNS" ':' /dev/null "$RECALL" --db "$BIG" --today "$TODAY" stats --json
fi
if has_command sync; then
  HAS_SYNC=1
  measure sync_dry_100k "$RUNS" ':' /dev/null "$RECALL" --db "$BIG" --today "$TODAY" sync --dry-run
fi
# Not in the targets: the other commands that derive feedback from the whole log.
for c in gaps topics brief; do
  if has_command $c; then measure ${c}_100k "$RUNS" ':' /dev/null "$RECALL" --db "$BIG" --today "$TODAY" $c; fi
done
# The memory model on the whole log (docs/memory-model.md): scoring the three
# models, and a fit that stores nothing.
if has_command optimize; then
  measure calibration_100k "$RUNS" ':' /dev/null "$RECALL" --db "$BIG" --today "$TODAY" stats --calibration --json
  measure optimize_dry_100k 1 ':' /dev/null "$RECALL" --db "$BIG" --today "$TODAY" optimize --dry-run
fi
# FSRS-6 fitted to 100,000 generated reviews of a known truth: its own figures.
if [ -x "$BUILD/recall_bench_fsrs_fit" ]; then
  "$BUILD/recall_bench_fsrs_fit" > "$WORK/fsrs_fit.txt"
  export FSRS_FIT_TEXT=$WORK/fsrs_fit.txt
fi

# ---- the Anki round trip: export 10,000 cards, import 100,000 phone answers
if has_command export; then
  log "anki"
  RUNS="$RUNS" WORK="$WORK/anki" "$ROOT/bench/anki.sh" "$BUILD" > "$WORK/anki.md"
  export ANKI_TEXT=$WORK/anki.md
fi

# ---- scaling: 3 sizes -------------------------------------------------------
if [ "$SCALING" = 1 ]; then
  log "scaling"
  for topics in 2500 5000 20000; do
    "$GEN" tracker --topics $topics --out "$WORK/t$topics.md"
    measure import_t$topics "$RUNS" 'rm -f "$WORK"/imp.db*' /dev/null "$RECALL" --db "$WORK/imp.db" --today "$TODAY" import "$WORK/t$topics.md"
  done
  for cards in 25000 50000 200000; do
    make_collection c$cards $cards $((cards * 10))
    measure due_c$cards "$RUNS" ':' /dev/null "$RECALL" --db "$WORK/c$cards.db" --today "$TODAY" due --json
    measure next_c$cards "$RUNS" ':' /dev/null "$RECALL" --db "$WORK/c$cards.db" --today "$TODAY" next --json
    if [ $HAS_STATS = 1 ]; then measure stats_c$cards "$RUNS" ':' /dev/null "$RECALL" --db "$WORK/c$cards.db" --today "$TODAY" stats --json; fi
    for c in gaps brief; do
      measure ${c}_c$cards "$RUNS" ':' /dev/null "$RECALL" --db "$WORK/c$cards.db" --today "$TODAY" $c
    done
    rm -f "$WORK/c$cards".*
  done
fi

# ---- the peer: the same five operations at N = 1,000 and 20,000 -------------
PEER_OK=0
if [ "$PEER" = 1 ] && [ -x "$PEER_DIR/run.sh" ]; then
  log "Mnemosyne (peer)"
  if "$ROOT/scripts/install-deps.sh" mnemosyne time >&2 &&
     (cd "$PEER_DIR" && NS="1000 20000" REPEATS="$RUNS" WORK="$WORK/mnemo" ./run.sh) > "$WORK/peer.txt" 2> "$WORK/peer.err"; then
    PEER_OK=1
  else
    log "peer run failed; see $WORK/peer.err"
  fi
  # The peer's grade op again, committing after every answer as recall does
  # (its default commits every 10): the same durability side by side.
  if [ $PEER_OK = 1 ] &&
     ! (cd "$PEER_DIR" && MNEMO_COMMIT_EVERY=1 NS="1000 20000" REPEATS="$RUNS" WORK="$WORK/mnemo1" ./run.sh) > "$WORK/peer1.txt" 2> "$WORK/peer1.err"; then
    log "peer run (commit every answer) failed; see $WORK/peer1.err"
  fi
fi
for n in 1000 20000; do
  topics=$((n / 6 + 1))  # at least N cards, as make_collection
  "$GEN" tracker --topics $topics --out "$WORK/p$n.md"
  measure add_$n "$RUNS" 'rm -f "$WORK"/p.db*' /dev/null "$RECALL" --db "$WORK/p.db" --today "$TODAY" import "$WORK/p$n.md"
  # The SQLite floor under that import: its rows copied into an empty database.
  rm -f "$WORK"/pempty.db*; R "$WORK/pempty.db" due > /dev/null
  measure add_floor_$n "$RUNS" 'cp "$WORK/pempty.db" "$WORK/pf.db"; rm -f "$WORK"/pf.db-wal "$WORK"/pf.db-shm' /dev/null \
    "$FLOOR" copy --from "$WORK/p.db" --db "$WORK/pf.db"
  rm -f "$WORK"/pf.db* "$WORK"/pempty.db* "$WORK"/p.db*
  make_collection p$n $n $((n * 5))
  P=$WORK/p$n.db
  cp "$P" "$WORK/p$n.orig.db"
  restore="cp '$WORK/p$n.orig.db' '$P'; rm -f '$P'-wal '$P'-shm"
  measure due_$n "$RUNS" ':' /dev/null "$RECALL" --db "$P" --today "$TODAY" due --json
  answer_loop "$P" 1000
  measure grade_loop_$n "$RUNS" "$restore" /dev/null "$WORK/loop.sh"
  piped_input 1000 "$WORK/piped1k"
  measure review_$n "$RUNS" "$restore" "$WORK/piped1k" "$RECALL" --db "$P" --today "$TODAY" review
  # The SQLite floor under those answers: 1,000 committed answers and nothing else.
  measure grade_floor_$n "$RUNS" "$restore" /dev/null "$FLOOR" answers --db "$P" --today "$TODAY" --count 1000
  if [ $HAS_STATS = 1 ]; then measure stats_$n "$RUNS" ':' /dev/null "$RECALL" --db "$P" --today "$TODAY" stats --json; fi
  rm -f "$WORK/p$n".*
done

ELAPSED=$(($(date +%s) - START))
log "done in ${ELAPSED}s; writing $OUT"
RESULTS="$RESULTS" WORK="$WORK" OUT="$OUT" RUNS="$RUNS" POINTS="$POINTS" BIG_CARDS="$BIG_CARDS" \
  BIG_ROWS="$BIG_ROWS" BIG_MB="$BIG_MB" BIG_DUE="$BIG_DUE" PIPED_ANSWERED="$PIPED_ANSWERED" \
  HAS_STATS="$HAS_STATS" HAS_SYNC="$HAS_SYNC" PEER_OK="$PEER_OK" ELAPSED="$ELAPSED" TODAY="$TODAY" \
  SCALING="$SCALING" BUILD="$BUILD" NOTES="$ROOT/bench/notes.md" "$ROOT/bench/report.sh"
