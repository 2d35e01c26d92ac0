#include "terminal.h"

#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "recall/text.h"

namespace recall::cli {

namespace {

struct termios g_saved;
volatile std::sig_atomic_t g_raw_active = 0;

void restore_terminal() {
  if (g_raw_active) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved);
    g_raw_active = 0;
  }
}

// Every answer is already committed, so leaving is safe: restore the
// terminal, show the cursor and exit with the signal's conventional code.
extern "C" void on_signal(int signal) {
  restore_terminal();
  const char reset[] = "\x1b[0m\x1b[?25h\n";
  [[maybe_unused]] auto ignored = ::write(STDOUT_FILENO, reset, sizeof reset - 1);
  ::_exit(128 + signal);
}

}  // namespace

RawTerminal::RawTerminal() {
  if (::tcgetattr(STDIN_FILENO, &g_saved) != 0) return;
  struct termios raw = g_saved;
  raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGHUP, on_signal);
  std::signal(SIGQUIT, on_signal);
  if (::tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0) g_raw_active = 1;
}

RawTerminal::~RawTerminal() { restore_terminal(); }

std::optional<char> RawTerminal::read_key() {
  char c = 0;
  for (;;) {
    const ssize_t got = ::read(STDIN_FILENO, &c, 1);
    if (got == 1) return c;
    if (got < 0 && errno == EINTR) continue;
    return std::nullopt;
  }
}

std::optional<std::string> RawTerminal::read_line() {
  std::string line;
  for (;;) {
    auto key = read_key();
    if (!key) return line.empty() ? std::nullopt : std::optional<std::string>(line);
    if (*key == '\r' || *key == '\n') return line;
    if (*key == 127 || *key == 8) {
      if (line.empty()) continue;
      // Remove one UTF-8 character.
      while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0) == 0x80)
        line.pop_back();
      if (!line.empty()) line.pop_back();
      [[maybe_unused]] auto ignored = ::write(STDOUT_FILENO, "\b \b", 3);
      continue;
    }
    if (static_cast<unsigned char>(*key) < 0x20) continue;
    line += *key;
    [[maybe_unused]] auto ignored = ::write(STDOUT_FILENO, &*key, 1);
  }
}

bool stdin_is_tty() { return ::isatty(STDIN_FILENO) == 1; }
bool stdout_is_tty() { return ::isatty(STDOUT_FILENO) == 1; }

bool use_colour() {
  const char* no_colour = std::getenv("NO_COLOR");
  return stdout_is_tty() && !(no_colour && *no_colour);
}

bool locale_is_utf8() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* value = std::getenv(name);
    if (!value || !*value) continue;
    const std::string text = value;
    return text.find("UTF-8") != std::string::npos || text.find("utf8") != std::string::npos ||
           text.find("utf-8") != std::string::npos || text.find("UTF8") != std::string::npos;
  }
  return false;
}

int terminal_width() {
  struct winsize size {};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

std::string printable(std::string_view text, bool multi_line) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Step step = utf8_step(text, at);
    const char32_t c = step.code_point;
    if (!step.valid) {
      out += "\xEF\xBF\xBD";
    } else if (c == '\t') {
      out += ' ';
    } else if (c == '\n' && multi_line) {
      out += '\n';
    } else if (is_control(c) || is_display_control(c)) {
      char shown[8];
      std::snprintf(shown, sizeof shown, c < 0x80 ? "\\x%02x" : "\\u%04x",
                    static_cast<unsigned>(c));
      out += shown;
    } else {
      out += text.substr(at, step.length);
    }
    at += step.length;
  }
  return out;
}

std::vector<std::string> wrap(const std::string& text, int width) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string paragraph = text.substr(start, end - start);
    // Greedy word wrap counting code points.
    std::string line;
    int line_width = 0;
    std::size_t i = 0;
    while (i < paragraph.size()) {
      std::size_t space = paragraph.find(' ', i);
      if (space == std::string::npos) space = paragraph.size();
      std::string word = paragraph.substr(i, space - i);
      int word_width = 0;
      for (unsigned char c : word) word_width += (c & 0xC0) != 0x80;
      if (line_width > 0 && line_width + 1 + word_width > width) {
        lines.push_back(line);
        line.clear();
        line_width = 0;
      }
      if (line_width > 0) {
        line += ' ';
        ++line_width;
      }
      line += word;
      line_width += word_width;
      i = space + 1;
    }
    lines.push_back(line);
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

}  // namespace recall::cli
