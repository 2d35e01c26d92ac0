#!/usr/bin/env bash
# The Debian package, as a user gets it (.ci/run; issue 27): make deb, lintian
# on the .deb (failing on any error or warning not overridden with a reason in
# packaging/debian/lintian-overrides), `apt install ./recall_….deb`,
# `recall --version` and a short drill from /usr/bin/recall, then `apt remove`
# and a check that none of the package's files is left.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
fail() { echo "FAIL: $*" >&2; exit 1; }

make deb
deb=$(ls build-deb/recall_*.deb)
./scripts/install-deps.sh lintian
lintian --version
lintian --fail-on error,warning --display-info "$deb"
dpkg-deb --info "$deb"

dpkg-query -W recall > /dev/null 2>&1 && fail "recall is installed already; remove it first"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "./$deb"
[ "$(command -v recall)" = /usr/bin/recall ] || fail "recall on the PATH is $(command -v recall)"
version=$(/usr/bin/recall --version)
echo "$version"
grep -Eq '^recall [0-9.]+ \(commit [0-9a-f]{7,}(-dirty)?\)$' <<< "$version" ||
  fail "--version names no commit: $version"
dpkg -L recall | grep -qx /usr/share/man/man1/recall.1.gz || fail "the package has no man page"
if [ -e /usr/share/man/man1/recall.1.gz ]; then  # (some images tell dpkg to skip man pages)
  [ "$(man -w recall)" = /usr/share/man/man1/recall.1.gz ] || fail "man -w recall: $(man -w recall)"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
on_day=(--db "$work/t.db" --today 2026-01-05)
/usr/bin/recall "${on_day[@]}" import /usr/share/recall/decks/ml-study-tracker.deck.md
printf 'show\n4\nshow\n2 mixed up the two terms\nq\n' |
  /usr/bin/recall "${on_day[@]}" review | tee "$work/drill.txt"
grep -q "^graded 4" "$work/drill.txt" || fail "the drill did not grade a card 4"
grep -q "^graded 2" "$work/drill.txt" || fail "the drill did not grade a card 2"
/usr/bin/recall "${on_day[@]}" check
# integrate run as `recall` pins /usr/bin/recall, without the build-folder warning.
mkdir "$work/tutor"
(cd "$work" && recall --db "$work/t.db" integrate claude-code tutor 2> "$work/warn.txt")
grep -q '"command": "/usr/bin/recall"' "$work/tutor/.mcp.json" || fail "integrate did not pin /usr/bin/recall"
[ ! -s "$work/warn.txt" ] || fail "integrate warned: $(cat "$work/warn.txt")"
recall integrate claude-code "$work/tutor" --check

dpkg -L recall > "$work/files"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y recall
status=$(dpkg-query -W -f='${db:Status-Status}' recall 2>/dev/null || echo not-installed)
[ "$status" = not-installed ] || fail "after apt remove, recall's status is $status"
while read -r path; do
  [ -d "$path" ] && continue  # shared folders (/usr/bin, ...) stay
  [ ! -e "$path" ] || fail "left after apt remove: $path"
done < "$work/files"
[ ! -e /usr/share/recall ] || fail "left after apt remove: /usr/share/recall"
echo "deb: built, lintian clean, installed, drilled, removed"
