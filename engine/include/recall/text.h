// Rules for free text: what a mistake note may hold when it enters recall,
// and the UTF-8 walk shared by everything that makes text safe to show or
// to write into a tracker line. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recall {

// A mistake note is one short line: long enough for "swapped precision and
// recall again", short enough to sit in a gap bullet of the tracker.
constexpr std::size_t kMaxNoteLength = 500;  // code points

// One step of a UTF-8 walk: the code point at `at` and its length in bytes.
// An invalid sequence (stray continuation, truncated, overlong, surrogate,
// above U+10FFFF) is one byte long with `valid` false.
struct Utf8Step {
  char32_t code_point = 0;
  std::size_t length = 1;
  bool valid = false;
};
Utf8Step utf8_step(std::string_view text, std::size_t at);

// C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F): the code points a
// terminal may act on instead of showing.
constexpr bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// The invisible characters that reorder or break what a terminal shows
// (U+202E makes "txt.exe" read "exe.txt"): the bidi marks, embeddings,
// overrides and isolates (U+061C, U+200E-U+200F, U+202A-U+202E,
// U+2066-U+2069) and the line and paragraph separators (U+2028, U+2029).
// On the way to a terminal they are shown as escapes, like control
// characters (cli/terminal.h printable); stored text may keep them.
constexpr bool is_display_control(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

// Nullopt when `note` may be kept as a mistake note, else the one-line
// error naming `argument`: "--note: must be one line of UTF-8 text, at most
// 500 characters (it holds a line break or a control character)".
std::optional<std::string> note_error(std::string_view note, std::string_view argument);
// Throws Error(kUsage) with note_error's message when there is one.
void require_valid_note(std::string_view note, std::string_view argument);

// The bytes of a card text's context line ("[A.8 Title · A. Domain]\n"):
// a first line that starts with '[' and ends with ']', with its line
// break; 0 when the text has none.
std::size_t context_line_size(std::string_view text);

// `text` made one line of valid UTF-8: each invalid byte becomes U+FFFD and
// each control character a space. Notes stored before the rule existed go
// through this before they reach a tracker.
std::string one_line(std::string_view text);

}  // namespace recall

// --- Helpers for reading tracker text (card rules, identity keys) ----------
// ASCII-only case and class tests: a UTF-8 sequence is copied as it is, so
// "β₁" or "∂L/∂w" pass through every helper unchanged.
namespace recall {

constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_ascii_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr char to_lower(char c) { return is_upper(c) ? char(c - 'A' + 'a') : c; }
// Bytes of a "word" for boundary checks: ASCII letters and digits, and every
// byte of a non-ASCII character (ŷ, β₁, ∂ are letters in this material).
constexpr bool is_word_byte(char c) {
  return is_ascii_alnum(c) || static_cast<unsigned char>(c) >= 0x80;
}

std::string_view trim(std::string_view s);
std::string lower(std::string_view s);
void append_lower(std::string& out, std::string_view piece);
bool starts_with_no_case(std::string_view s, std::string_view prefix);
bool contains_no_case(std::string_view hay, std::string_view needle);
bool equals_no_case(std::string_view a, std::string_view b);
int count_words(std::string_view s);
// The words of `s` split at spaces (views into `s`).
std::vector<std::string_view> split_words(std::string_view s);
// `s` with its first letter upper-cased / lower-cased (ASCII only); a word
// that is an acronym ("AUC", "RMSProp") keeps its case under lower_first.
std::string upper_first(std::string_view s);
std::string lower_first(std::string_view s);

// Decodes the code point at text[i] and advances i. A byte that does not
// start a valid sequence decodes as itself, so no input is ever rejected.
// Inline: an ASCII byte (most of a tracker's text) is its own code point,
// with no call.
inline char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte < 0x80) return ++i, char32_t{byte};
  const Utf8Step step = utf8_step(text, i);
  i += step.length;
  return step.code_point;
}
std::size_t code_point_count(std::string_view s);
// Non-ASCII punctuation that separates words: dashes, bullets, quotes,
// arrows, the warning sign and its emoji selector.
bool is_separator_code_point(char32_t cp);

// Finds `needle` in `hay` as a whole term: not glued to letters or digits on
// a side where the needle itself starts/ends with a word character ("0" may
// appear inside "2017", but not on its own).
bool contains_term(std::string_view hay, std::string_view needle);

// Brackets: positions of `needle` outside any (), [] or {} pair, and the
// partner of the bracket at `at` (npos when unbalanced).
constexpr bool is_open(char c) { return c == '(' || c == '[' || c == '{'; }
constexpr bool is_close(char c) { return c == ')' || c == ']' || c == '}'; }
std::vector<std::size_t> find_top_level(std::string_view text, std::string_view needle);
// The first of them (npos when none), without looking for the others.
std::size_t find_first_top_level(std::string_view text, std::string_view needle);
std::size_t find_matching_close(std::string_view text, std::size_t open);
std::size_t find_matching_open(std::string_view text, std::size_t close);
// `text` split at each top-level `separator`, every piece trimmed, empty
// pieces dropped.
std::vector<std::string_view> split_top_level(std::string_view text, std::string_view separator);

}  // namespace recall
