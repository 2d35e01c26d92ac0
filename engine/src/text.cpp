#include "recall/text.h"

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
