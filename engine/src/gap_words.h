// Internal to the engine: how a gap's words name cards, shared by the
// feedback rules (feedback.cpp) and the two gap linkers (gap_linker.cpp),
// so the linker over every card and the one over the store's indexes read
// the words the same way.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace recall::gap_words {

inline constexpr std::string_view kDash = " \xE2\x80\x94 ";  // " — "

// The subject of a key point: "ROC axes" for "ROC axes: x=FPR, y=TPR"; a
// view into `source`.
inline std::string_view term_of(std::string_view source) {
  const auto colon = source.find(':');
  if (colon == std::string_view::npos || colon == 0) return source;
  std::string_view term = source.substr(0, colon);
  while (!term.empty() && term.back() == ' ') term.remove_suffix(1);
  return term;
}

// The first line of a card's question, after a "[context]" line.
inline std::string first_front_line(std::string front) {
  if (auto nl = front.find('\n'); nl != std::string::npos && front.rfind('[', 0) == 0)
    front = front.substr(nl + 1);
  if (auto nl = front.find('\n'); nl != std::string::npos) front = front.substr(0, nl);
  return front;
}

// What a card is about, for a gap's words: its key point, or for a card
// without one the first line of its question.
inline std::string subject_of(const std::string& source, const std::string& front) {
  return source.empty() ? first_front_line(front) : source;
}

// A topic's name in a line recall writes: "A.8 Evaluation Metrics - AUC-ROC".
inline std::string topic_name(const std::string& label, const std::string& title) {
  if (label.empty() || title.empty()) return label + title;
  return label + " " + title;
}

// Tokens shaped like a topic label ("A.8", "C.21"): a capital, a dot, digits,
// standing alone (not inside a longer word or number).
inline std::vector<std::string_view> label_tokens(std::string_view text) {
  std::vector<std::string_view> out;
  const auto word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
  };
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if (!(text[i] >= 'A' && text[i] <= 'Z') || text[i + 1] != '.' ||
        !std::isdigit(static_cast<unsigned char>(text[i + 2])))
      continue;
    if (i > 0 && word_char(text[i - 1])) continue;
    std::size_t end = i + 2;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    if (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) continue;
    out.push_back(text.substr(i, end - i));
  }
  return out;
}

}  // namespace recall::gap_words
