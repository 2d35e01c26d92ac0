#include "recall/text.h"

#include <algorithm>

#include "recall/error.h"

namespace recall {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

Utf8Step utf8_step(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t length = 0;
  char32_t code_point = 0, lowest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, lowest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, lowest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, lowest = 0x10000;
  } else {
    return {lead, 1, false};
  }
  if (text.size() - at < length) return {lead, 1, false};
  for (std::size_t i = 1; i < length; ++i) {
    const auto c = static_cast<unsigned char>(text[at + i]);
    if (!continuation(c)) return {lead, 1, false};
    code_point = (code_point << 6) | (c & 0x3F);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < lowest || surrogate || code_point > 0x10FFFF) return {lead, 1, false};
  return {code_point, length, true};
}

namespace {

// Why `note` breaks the rules, or nullopt.
std::optional<std::string> note_problem(std::string_view note) {
  std::size_t characters = 0;
  for (std::size_t at = 0; at < note.size();) {
    const Utf8Step step = utf8_step(note, at);
    if (!step.valid) return "it is not valid UTF-8";
    if (is_control(step.code_point)) return "it holds a line break or a control character";
    ++characters;
    at += step.length;
  }
  if (characters > kMaxNoteLength) return "it has " + std::to_string(characters);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> note_error(std::string_view note, std::string_view argument) {
  const auto problem = note_problem(note);
  if (!problem) return std::nullopt;
  return std::string(argument) + ": must be one line of UTF-8 text, at most " +
         std::to_string(kMaxNoteLength) + " characters (" + *problem + ")";
}

void require_valid_note(std::string_view note, std::string_view argument) {
  if (auto error = note_error(note, argument)) throw Error::usage(*error);
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Step step = utf8_step(text, at);
    if (!step.valid)
      out += kReplacement;
    else if (is_control(step.code_point))
      out += ' ';
    else
      out += text.substr(at, step.length);
    at += step.length;
  }
  return out;
}

}  // namespace recall

namespace recall {

std::size_t context_line_size(std::string_view text) {
  const auto newline = text.find('\n');
  if (text.empty() || text[0] != '[' || newline == std::string_view::npos || newline == 0 ||
      text[newline - 1] != ']')
    return 0;
  return newline + 1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

void append_lower(std::string& out, std::string_view piece) {
  // Sized once, then written: a push_back per byte checked the capacity
  // each time (the card rules lower-case most of a tracker's text).
  const std::size_t at = out.size();
  out.resize(at + piece.size());
  std::transform(piece.begin(), piece.end(), out.begin() + static_cast<std::ptrdiff_t>(at),
                 to_lower);
}

std::string lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_lower(out, s);
  return out;
}

bool starts_with_no_case(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (to_lower(s[i]) != to_lower(prefix[i])) return false;
  }
  return true;
}

bool equals_no_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && starts_with_no_case(a, b);
}

bool contains_no_case(std::string_view hay, std::string_view needle) {
  return !needle.empty() && lower(hay).find(lower(needle)) != std::string::npos;
}

int count_words(std::string_view s) {
  int words = 0;
  bool in_word = false;
  for (char c : s) {
    if (is_space(c)) {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++words;
    }
  }
  return words;
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t begin = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > begin) words.push_back(s.substr(begin, i - begin));
  }
  return words;
}

std::string upper_first(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = char(out[0] - 'a' + 'A');
  return out;
}

std::string lower_first(std::string_view s) {
  std::string out(s);
  // Only a plain capitalised word changes: "Training-serving" -> "training-serving";
  // "AUC", "RMSProp", "ReLU", "Q," and "W^O" keep their case.
  const std::size_t end = std::min(out.find(' '), out.size());
  if (end < 2 || !is_upper(out[0]) || !(out[1] >= 'a' && out[1] <= 'z')) return out;
  for (std::size_t i = 1; i < end; ++i) {
    const char c = out[i];
    if (!((c >= 'a' && c <= 'z') || c == '-')) return out;
  }
  out[0] = to_lower(out[0]);
  return out;
}

std::size_t code_point_count(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    next_code_point(s, i);
    ++n;
  }
  return n;
}

bool is_separator_code_point(char32_t cp) {
  switch (cp) {
    case 0x00A0:
    case 0x00B7:
    case 0x2013:
    case 0x2014:
    case 0x2016:
    case 0x2018:
    case 0x2019:
    case 0x201C:
    case 0x201D:
    case 0x2022:
    case 0x2026:
    case 0x26A0:
    case 0xFE0F:
      return true;
    default:
      return cp >= 0x2190 && cp <= 0x21FF;  // arrows
  }
}

bool contains_term(std::string_view hay, std::string_view needle) {
  needle = trim(needle);
  if (needle.empty()) return false;
  for (std::size_t pos = hay.find(needle); pos != std::string_view::npos;
       pos = hay.find(needle, pos + 1)) {
    const std::size_t end = pos + needle.size();
    const bool left_ok = pos == 0 || !is_word_byte(hay[pos - 1]) || !is_word_byte(needle.front());
    const bool right_ok =
        end == hay.size() || !is_word_byte(hay[end]) || !is_word_byte(needle.back());
    if (left_ok && right_ok) return true;
  }
  return false;
}

namespace {

// Calls found(i) at each position of `needle` outside brackets, in order,
// while found returns true.
template <typename Found>
void scan_top_level(std::string_view text, std::string_view needle, Found&& found) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (depth == 0 && text[i] == needle.front() && text.compare(i, needle.size(), needle) == 0 &&
        !found(i))
      return;
    if (is_open(text[i])) {
      ++depth;
    } else if (is_close(text[i]) && depth > 0) {
      --depth;
    }
  }
}

}  // namespace

std::vector<std::size_t> find_top_level(std::string_view text, std::string_view needle) {
  std::vector<std::size_t> found;
  scan_top_level(text, needle, [&](std::size_t i) {
    found.push_back(i);
    return true;
  });
  return found;
}

std::size_t find_first_top_level(std::string_view text, std::string_view needle) {
  std::size_t first = std::string_view::npos;
  scan_top_level(text, needle, [&](std::size_t i) {
    first = i;
    return false;
  });
  return first;
}

std::size_t find_matching_close(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (is_open(text[i])) ++depth;
    if (is_close(text[i]) && --depth == 0) return i;
  }
  return std::string_view::npos;
}

std::size_t find_matching_open(std::string_view text, std::size_t close) {
  int depth = 0;
  for (std::size_t i = close + 1; i-- > 0;) {
    if (is_close(text[i])) ++depth;
    if (is_open(text[i]) && --depth == 0) return i;
  }
  return std::string_view::npos;
}

std::vector<std::string_view> split_top_level(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  for (std::size_t at : find_top_level(text, separator)) {
    if (at < start) continue;
    if (auto piece = trim(text.substr(start, at - start)); !piece.empty()) pieces.push_back(piece);
    start = at + separator.size();
  }
  if (auto piece = trim(text.substr(start)); !piece.empty()) pieces.push_back(piece);
  return pieces;
}

}  // namespace recall
