#!/usr/bin/env bash
# The install, end to end (ctest install_uninstall; issue 27): cmake --install
# of BUILD into a temporary DESTDIR, the installed binary run (--version,
# import, due, integrate pinning it), the man page rendered with man -l, the
# bash and zsh completion scripts loaded (and `recall re<TAB>` completed
# through bash's compgen), then the uninstall leaving the folder empty.
#   tests/install/run.sh BUILD SOURCE
set -euo pipefail
build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
work=$(mktemp -d)
dest=$(mktemp -d)
trap 'rm -rf "$work" "$dest"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
prefix=/usr/local
export RECALL_INSTALL_RECORD=$work/record
unset RECALL_DB

DESTDIR=$dest cmake --install "$build" --prefix "$prefix" > "$work/install.log" ||
  { cat "$work/install.log"; fail "cmake --install"; }
# A second install (an upgrade) finds the folders made: the record keeps them.
DESTDIR=$dest cmake --install "$build" --prefix "$prefix" > "$work/install.log" ||
  { cat "$work/install.log"; fail "cmake --install, again"; }
grep -q "^dir	$dest/usr$" "$RECALL_INSTALL_RECORD" || fail "the second install forgot the folders: $(cat "$RECALL_INSTALL_RECORD")"
root=$dest$prefix
bin=$root/bin/recall
[ -x "$bin" ] || fail "no executable $bin"
for file in share/man/man1/recall.1.gz share/bash-completion/completions/recall \
            share/zsh/site-functions/_recall share/recall/decks/ml-study-tracker.md \
            share/recall/decks/ml-study-tracker.deck.md share/recall/docs/README.md; do
  [ -f "$root/$file" ] || fail "not installed: $prefix/$file"
done

# The installed binary.
version=$("$bin" --version)
grep -Eq '^recall [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{7,}(-dirty)?|unknown)\)$' <<< "$version" ||
  fail "--version: $version"
db=$work/t.db
today=(--db "$db" --today 2026-01-05)
"$bin" "${today[@]}" import "$root/share/recall/decks/ml-study-tracker.deck.md" > "$work/import.txt" ||
  fail "import of the installed deck"
"$bin" "${today[@]}" due --json > "$work/due.json"
grep -Eq '"new": *[1-9]' "$work/due.json" || fail "due after import: $(cat "$work/due.json")"

# integrate run through the PATH pins the installed binary, without a warning;
# run from the build folder it warns; --check follows the pinned paths.
tutor=$work/tutor
mkdir "$tutor"
PATH=$root/bin:$PATH recall --db "$db" integrate claude-code "$tutor" > /dev/null 2> "$work/warn.txt"
grep -q "\"command\": \"$bin\"" "$tutor/.mcp.json" || fail "integrate pinned: $(cat "$tutor/.mcp.json")"
[ ! -s "$work/warn.txt" ] || fail "integrate from the install warned: $(cat "$work/warn.txt")"
"$bin" integrate claude-code "$tutor" --check > "$work/check.txt" || fail "--check: $(cat "$work/check.txt")"
grep -q "every pinned path exists" "$work/check.txt" || fail "--check: $(cat "$work/check.txt")"
"$build/recall" --db "$db" integrate claude-code "$work" --dry-run > /dev/null 2> "$work/warn.txt"
grep -q "a binary in a build folder" "$work/warn.txt" || fail "no build-folder warning: $(cat "$work/warn.txt")"

# The man page renders, without groff warnings, with every section and command.
if command -v man > /dev/null; then
  MANWIDTH=80 man --warnings -l "$root/share/man/man1/recall.1.gz" > "$work/man.txt" 2> "$work/man.err" ||
    fail "man -l: $(cat "$work/man.err")"
  [ ! -s "$work/man.err" ] || fail "man -l warned: $(cat "$work/man.err")"
  for word in "EXIT STATUS" ENVIRONMENT FILES EXAMPLES RECALL_DB XDG_DATA_HOME NO_COLOR \
              "integrate claude-code" "completion bash"; do
    grep -q "$word" "$work/man.txt" || fail "the man page lacks '$word'"
  done
  for command in $("$bin" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}'); do
    grep -Eq "^   $command\$" "$work/man.txt" || fail "the man page lacks the command $command"
  done
else
  [ "${CI:-}" != true ] || fail "man is not installed (make deps installs man-db)"
  echo "skipped the man page check: man is not installed"
fi

# Completion: bash loads it, `recall re<TAB>` gives review and report, and an
# id and a topic come from the database given with --db.
bash_script=$root/share/bash-completion/completions/recall
bash -n "$bash_script" || fail "bash -n $bash_script"
complete_bash() {  # WORDS... : the completions of the last word
  bash --norc --noprofile -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
    _recall; printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_script" "$@"
}
[ "$(complete_bash recall re | tr '\n' ' ')" = "review retire report " ] ||
  fail "recall re<TAB>: $(complete_bash recall re | tr '\n' ' ')"
[ "$(complete_bash recall review --to | tr '\n' ' ')" = "--topic --today " ] ||
  fail "recall review --to<TAB>: $(complete_bash recall review --to | tr '\n' ' ')"
# (Whole outputs are read before grep: grep -q and head end a pipe early,
# and under pipefail the writer's SIGPIPE would fail the check.)
first_id=$("$bin" --db "$db" completion --list card-ids | sed -n 1p)
[ -n "$first_id" ] || fail "completion --list card-ids printed nothing"
words=$(complete_bash "$bin" --db "$db" card "")
grep -qx "$first_id" <<< "$words" || fail "no card id completed"
first_topic=$("$bin" --db "$db" completion --list topics | sed -n 1p)
words=$(complete_bash "$bin" --db "$db" due --topic "${first_topic:0:2}")
grep -qxF "$first_topic" <<< "$words" || fail "no topic label completed: $words"
words=$(complete_bash "$bin" config set "")
grep -qx "interview-date" <<< "$words" || fail "no setting key completed: $words"
# Tab never creates a database.
complete_bash "$bin" --db "$work/none.db" card "" > /dev/null
[ ! -e "$work/none.db" ] || fail "completion created a database"

zsh_script=$root/share/zsh/site-functions/_recall
if command -v zsh > /dev/null; then
  zsh -n "$zsh_script" || fail "zsh -n $zsh_script"
  zsh -f -c 'autoload -Uz compinit && compinit -u -d "$1/zcompdump" && source "$2" &&
             (( $+functions[_recall] )) && [[ $_comps[recall] == _recall ]]' _ "$work" "$zsh_script" ||
    fail "zsh does not load $zsh_script"
else
  [ "${CI:-}" != true ] || fail "zsh is not installed (make deps installs it)"
  echo "skipped the zsh check: zsh is not installed"
fi

# The uninstall removes everything the install wrote, and the folders it made.
cmake -DRECORD="$RECALL_INSTALL_RECORD" -P "$source_dir/scripts/uninstall.cmake" > "$work/uninstall.log" ||
  { cat "$work/uninstall.log"; fail "uninstall"; }
left=$(cd "$dest" && find . -mindepth 1)
[ -z "$left" ] || fail "left after the uninstall: $left"
"$build/recall" --db "$db" integrate claude-code "$tutor" --check > "$work/check.txt" &&
  fail "--check passed with the binary uninstalled"
grep -q "MISSING" "$work/check.txt" || fail "--check: $(cat "$work/check.txt")"
echo "install, run, man page, completion and uninstall: ok"
