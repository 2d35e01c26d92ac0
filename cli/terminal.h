// The only terminal code: raw single-key input, screen size, colour, and
// word wrapping. The terminal is restored on every exit path, including
// Ctrl-C, SIGTERM and a closed terminal (SIGHUP).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recall::cli {

class RawTerminal {
 public:
  RawTerminal();   // switches stdin to raw (no echo, no line buffering)
  ~RawTerminal();  // restores it
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

  // One key press; nullopt at end of input.
  std::optional<char> read_key();
  // A line typed with echo (for the mistake note); nullopt at end of input.
  std::optional<std::string> read_line();
};

bool stdin_is_tty();
bool stdout_is_tty();
// Colour only on a TTY and when NO_COLOR is unset.
bool use_colour();
// The terminal's width in columns, 80 when unknown.
int terminal_width();
// The locale (LC_ALL, else LC_CTYPE, else LANG) says UTF-8: charts may use
// Unicode blocks; otherwise they fall back to ASCII.
bool locale_is_utf8();
// Text from a file, a note or the database, safe to print as text: every
// control character (C0, DEL, C1) and every bidi control or line separator
// (text.h is_display_control) is shown as an escape ("\x1b", "\x7f",
// "\u009b", "\u202e") instead of being acted on, a tab becomes a space, and an invalid
// UTF-8 byte U+FFFD. `multi_line` keeps the line breaks of card text.
// Everything the commands print from such sources goes through here; JSON
// escapes the same characters on its own (json.h).
std::string printable(std::string_view text, bool multi_line = false);
// Wraps UTF-8 text at `width` columns (counting code points), keeping
// existing line breaks.
std::vector<std::string> wrap(const std::string& text, int width);

struct Style {
  bool colour = false;
  std::string bold(const std::string& s) const { return colour ? "\x1b[1m" + s + "\x1b[0m" : s; }
  std::string dim(const std::string& s) const { return colour ? "\x1b[2m" + s + "\x1b[0m" : s; }
  std::string green(const std::string& s) const { return colour ? "\x1b[32m" + s + "\x1b[0m" : s; }
  std::string red(const std::string& s) const { return colour ? "\x1b[31m" + s + "\x1b[0m" : s; }
  std::string yellow(const std::string& s) const { return colour ? "\x1b[33m" + s + "\x1b[0m" : s; }
  std::string clear_screen() const { return "\x1b[H\x1b[2J"; }
};

}  // namespace recall::cli
