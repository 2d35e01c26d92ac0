// Internal helpers for text that reaches the tracker parser: UTF-8 checks and
// the repair of "mojibake", i.e. UTF-8 bytes that were once decoded as Mac OS
// Roman and saved again as UTF-8 ("•" became "‚Ä¢").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace recall {

// Returns the byte offset of the first byte that does not start a valid
// UTF-8 sequence (overlong forms, surrogates and code points above U+10FFFF
// are invalid), or std::string_view::npos when `text` is valid UTF-8.
std::size_t find_invalid_utf8(std::string_view text);

// True when `text` holds a code point that is the Mac OS Roman reading of a
// UTF-8 lead byte followed by as many readings of continuation bytes as that
// lead byte announces: the fingerprint a Mac Roman round trip leaves behind.
bool has_mac_roman_mojibake(std::string_view text);

// Undoes one Mac OS Roman round trip. Returns the repaired bytes only when
// there is something to repair and the repair is unambiguous: the text shows
// the fingerprint above, every code point maps back to one Mac Roman byte,
// and those bytes form valid UTF-8 that differs from the input. Otherwise
// returns nullopt and the caller keeps the text as it is.
std::optional<std::string> repair_mac_roman_mojibake(std::string_view text);

}  // namespace recall
