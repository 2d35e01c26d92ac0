#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz/ with clang (ASan + UBSan) into
# build-fuzz/ and runs each for FUZZ_SECONDS (default 60). The seed corpus is
# tests/fuzz/corpus/<target>/ (read only); new inputs go to
# build-fuzz/corpus/<target>/, crashes to build-fuzz/crashes/. Exit 1 on a
# finding. Without clang/libclang-rt (not installable), says so and skips.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
OUT=build-fuzz
./scripts/install-deps.sh clang libclang-rt-14-dev libhowardhinnant-date-dev nlohmann-json3-dev || true
CXX="$(command -v clang++ || command -v clang++-14 || true)"
if [ -z "$CXX" ] || ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
    "$CXX" -x c++ -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
  echo "fuzz: SKIPPED — clang++ with libFuzzer (Debian clang + libclang-rt-14-dev) is not available"
  exit 0
fi
FLAGS=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -Iengine/include -Iengine/src -I.)
declare -A SOURCES=(
  [tracker]="engine/src/tracker.cpp engine/src/tracker_lines.cpp engine/src/tracker_text.cpp engine/src/mojibake.cpp engine/src/day.cpp engine/src/text.cpp"
  [mojibake]="engine/src/mojibake.cpp"
)
# recall mcp's message reader and JSON-RPC dispatch (header-only nlohmann/json
# and the bounds of json_edit.cpp).
SOURCES[mcp]="mcp/protocol.cpp engine/src/json_edit.cpp"
# The JSON recall reads from outside: one MCP message and integrate's
# .mcp.json and settings.json merges, their templates embedded as the build does.
mkdir -p "$OUT"
cmake -DDIR=integrations/claude-code -DOUTPUT="$OUT/claude_code_templates.cpp" \
  -P integrations/claude-code/embed.cmake
SOURCES[json]="mcp/protocol.cpp engine/src/json_edit.cpp engine/src/integrate.cpp engine/src/files.cpp engine/src/writeback.cpp engine/src/text.cpp engine/src/tracker.cpp engine/src/tracker_lines.cpp engine/src/tracker_text.cpp engine/src/mojibake.cpp engine/src/day.cpp $OUT/claude_code_templates.cpp"
# The deck parser joins when its header and target exist.
if [ -f engine/include/recall/deck.h ] && [ -f tests/fuzz/deck_fuzz.cpp ]; then
  # The card rules (cards.cpp, cardgen/, identity.cpp, text.cpp) come with it.
  SOURCES[deck]="engine/src/deck.cpp engine/src/cards.cpp engine/src/identity.cpp engine/src/text.cpp $(echo engine/src/cardgen/*.cpp) engine/src/tracker.cpp engine/src/tracker_lines.cpp engine/src/tracker_text.cpp engine/src/mojibake.cpp engine/src/day.cpp"
fi
# The Anki package reader (zip, meta, zstd, SQLite): its own libraries.
declare -A LIBS=()
if [ -f tests/fuzz/anki_fuzz.cpp ]; then
  ./scripts/install-deps.sh libzip-dev libzstd-dev libssl-dev libsqlitecpp-dev || true
  SOURCES[anki]="engine/src/anki/package_read.cpp engine/src/anki/package_write.cpp engine/src/anki/anki_text.cpp engine/src/anki/libraries.cpp engine/src/files.cpp"
  # The sonames engine/src/anki/libraries.cpp opens (CMakeLists.txt reads them the same way).
  soname() { objdump -p "$("$CXX" -print-file-name="$1")" | awk '/SONAME/ {print $2}'; }
  LIBS[anki]="-lzip -lzstd -lcrypto -lSQLiteCpp -lsqlite3 -DRECALL_LIBZIP_SONAME=\"$(soname libzip.so)\" -DRECALL_LIBCRYPTO_SONAME=\"$(soname libcrypto.so)\""
fi
mkdir -p "$OUT/crashes"
# Each target is built and run on its own core, as many at once as there are
# cores (FUZZ_JOBS): the same FUZZ_SECONDS each, in less wall time.
JOBS="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: FUZZ_JOBS must be a positive number, not '$JOBS'"; exit 2; }
fuzz_one() {
  local target=$1
  echo "fuzz: building $target"
  # shellcheck disable=SC2086
  if ! "$CXX" "${FLAGS[@]}" ${SOURCES[$target]} "tests/fuzz/${target}_fuzz.cpp" -ldate-tz -lutf8proc ${LIBS[$target]:-} -o "$OUT/${target}_fuzz"; then
    echo "fuzz: $target DID NOT BUILD"
    return 1
  fi
  mkdir -p "$OUT/corpus/$target"
  local seeds="tests/fuzz/corpus/$target"
  [ -d "$seeds" ] || seeds=""
  echo "fuzz: running $target for ${SECONDS_PER_TARGET}s"
  # shellcheck disable=SC2086
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      "$OUT/${target}_fuzz" -max_total_time="$SECONDS_PER_TARGET" -max_len=262144 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$OUT/crashes/${target}-" \
      "$OUT/corpus/$target" $seeds 2>"$OUT/${target}.log"; then
    echo "fuzz: $target FOUND A PROBLEM — see $OUT/${target}.log and $OUT/crashes/"
    tail -40 "$OUT/${target}.log"
    return 1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$OUT/${target}.log" | sed "s/^/fuzz: $target /" || true
}
status=0
running=0
# FUZZ_TARGETS="json mcp" runs only those.
for target in "${!SOURCES[@]}"; do
  if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $target "* ]]; then continue; fi
  if ((running >= JOBS)); then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_one "$target" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
