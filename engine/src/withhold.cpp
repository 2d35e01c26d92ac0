#include "recall/withhold.h"

#include <algorithm>
#include <string_view>

#include "recall/text.h"

namespace recall {

namespace {

// A letter, digit, '_' or any byte of a non-ASCII character: a word goes on.
bool word_byte(char c) { return is_word_byte(c) || c == '_'; }

void add(std::vector<std::string>& texts, std::string_view text, const std::string& front) {
  text = trim(text);
  for (std::string_view bullet : {"• ", "- ", "* "})
    if (text.substr(0, bullet.size()) == bullet) text = trim(text.substr(bullet.size()));
  if (text.size() < 2 || front.find(text) != std::string::npos) return;
  if (std::find(texts.begin(), texts.end(), text) == texts.end()) texts.emplace_back(text);
}

int withhold_in(std::string& text, const std::vector<std::string>& texts) {
  int replaced = 0;
  for (const std::string& secret : texts) {
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + 1)) {
      const bool starts = at == 0 || !word_byte(text[at - 1]) || !word_byte(secret.front());
      const std::size_t end = at + secret.size();
      const bool ends = end == text.size() || !word_byte(text[end]) || !word_byte(secret.back());
      if (!starts || !ends) continue;
      text.replace(at, secret.size(), kWithheld);
      at += std::string_view(kWithheld).size() - 1;
      ++replaced;
    }
  }
  return replaced;
}

}  // namespace

std::string question_of(const Card& card) {
  return std::string(trim(std::string_view(card.front).substr(context_line_size(card.front))));
}

std::vector<std::string> answer_texts(const Card& card) {
  std::vector<std::string> texts;
  for (const std::string* whole : {&card.back, &card.source}) {
    add(texts, *whole, card.front);
    std::size_t start = 0;
    for (std::size_t end; (end = whole->find('\n', start)) != std::string::npos; start = end + 1)
      add(texts, std::string_view(*whole).substr(start, end - start), card.front);
    if (start > 0) add(texts, std::string_view(*whole).substr(start), card.front);
  }
  // Longest first: a line inside the whole back is replaced after the whole.
  std::stable_sort(texts.begin(), texts.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return texts;
}

int withhold(JsonValue& value, const std::vector<std::string>& texts) {
  if (texts.empty()) return 0;
  int replaced = 0;
  if (value.is_string()) {
    replaced += withhold_in(value.get_ref<std::string&>(), texts);
  } else if (value.is_structured()) {
    for (auto& item : value) replaced += withhold(item, texts);
  }
  return replaced;
}

}  // namespace recall
