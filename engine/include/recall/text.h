// Rules for free text: what a mistake note may hold when it enters recall,
// and the UTF-8 walk shared by everything that makes text safe to show or
// to write into a tracker line. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

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

// Nullopt when `note` may be kept as a mistake note, else the one-line
// error naming `argument`: "--note: must be one line of UTF-8 text, at most
// 500 characters (it holds a line break or a control character)".
std::optional<std::string> note_error(std::string_view note, std::string_view argument);
// Throws Error(kUsage) with note_error's message when there is one.
void require_valid_note(std::string_view note, std::string_view argument);

// `text` made one line of valid UTF-8: each invalid byte becomes U+FFFD and
// each control character a space. Notes stored before the rule existed go
// through this before they reach a tracker.
std::string one_line(std::string_view text);

}  // namespace recall
