// The gap term index: which cards a gap's (or a checklist item's) words
// concern. Shared by make_cards and cards_for_gap(s).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cardgen/cardgen.h"
#include "recall/cards.h"
#include "recall/text.h"

namespace recall::cardgen {

inline bool is_stop_word(std::string_view w) {
  // English function words, plus the words the tutor uses to talk *about*
  // a gap ("recurring", "need drilling", "Session 5") rather than its topic.
  static const std::unordered_set<std::string_view> kStop = {
      "a",       "an",       "the",       "and",        "or",        "but",       "of",
      "to",      "in",       "on",        "at",         "by",        "for",       "with",
      "from",    "as",       "is",        "are",        "was",       "were",      "be",
      "been",    "it",       "its",       "this",       "that",      "these",     "those",
      "vs",      "via",      "per",       "not",        "no",        "than",      "then",
      "so",      "do",       "does",      "don",        "can",       "could",     "should",
      "would",   "will",     "what",      "when",       "how",       "why",       "which",
      "who",     "eg",       "ie",        "etc",        "into",      "over",      "about",
      "all",     "any",      "each",      "more",       "most",      "less",      "same",
      "only",    "also",     "too",       "very",       "just",      "up",        "out",
      "between", "across",   "we",        "you",        "your",      "need",      "needs",
      "needed",  "again",    "recurring", "session",    "drilling",  "drill",     "review",
      "detail",  "details",  "practice",  "practices",  "always",    "mention",   "early",
      "summary", "specific", "done",      "improving",  "steadily",  "precise",   "mechanics",
      "nuance",  "nuances",  "explain",   "describe",   "compare",   "derive",    "discuss",
      "walk",    "through",  "step",      "identify",   "handle",    "calculate", "use",
      "using",   "used",     "example",   "examples",   "original",  "say",       "says",
      "paper",   "full",     "three",     "generalize", "enumerate", "be",        "have",
      "has",     "their",    "there",     "one",        "two"};
  // Every stop word is lower-case ASCII letters: a table of the (length,
  // first letter) pairs that occur, sized by the longest, turns away nearly
  // every real term before it is hashed (terms of a 60,000-point tracker ask
  // millions of times).
  static const auto kShapes = [] {
    std::size_t longest = 0;
    for (std::string_view stop : kStop) longest = std::max(longest, stop.size());
    std::vector<std::uint32_t> shapes(longest + 1);
    for (std::string_view stop : kStop) shapes[stop.size()] |= 1u << (stop[0] - 'a');
    return shapes;
  }();
  if (w.empty() || w.size() >= kShapes.size() || w[0] < 'a' || w[0] > 'z') return false;
  if ((kShapes[w.size()] & (1u << (w[0] - 'a'))) == 0) return false;
  return kStop.count(w) > 0;
}

// "gradients" -> "gradient", "strategies" -> "strategy": enough to match
// singular and plural forms; both sides go through the same rule.
inline void stem_in_place(std::string& w) {
  if (w.size() > 4 && w.ends_with("ies")) {
    w.resize(w.size() - 3);
    w += 'y';
  } else if (w.size() > 3 && w.back() == 's' && w[w.size() - 2] != 's') {
    w.pop_back();
  }
}

// Significant terms of a text, in order, handed to `emit` as a view valid
// during the call: lower-cased words (digits keep their decimal point:
// "0.5"), stop words and single characters dropped, plurals stemmed.
template <typename Emit>
void for_each_term(std::string_view text, Emit&& emit) {
  std::string word;
  auto flush = [&]() {
    if (!word.empty() && code_point_count(word) >= 2 && !is_stop_word(word)) {
      stem_in_place(word);
      if (!is_stop_word(word)) emit(std::string_view(word));
    }
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    const char32_t cp = next_code_point(text, i);
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      const bool decimal_point = c == '.' && !word.empty() && is_digit(word.back()) &&
                                 i < text.size() && is_digit(text[i]);
      if (is_ascii_alnum(c) || decimal_point) {
        word += to_lower(c);
      } else {
        flush();
      }
    } else if (is_separator_code_point(cp)) {
      flush();
    } else {
      word.append(text.substr(start, i - start));
    }
  }
  flush();
}

inline std::vector<std::string> terms_of(std::string_view text) {
  std::vector<std::string> terms;
  for_each_term(text, [&](std::string_view term) { terms.emplace_back(term); });
  return terms;
}

inline std::vector<std::string> unique_terms(std::string_view text) {
  std::vector<std::string> terms = terms_of(text);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

// Inverted index over the cards a gap can concern: key-point cards (by
// their point) and topic cards (by their title). A link needs at least two
// shared terms (one if the card has only one); links are ranked by the summed rarity (idf) of the shared
// terms and only the few strongest are kept, so that a gap mentioning
// "feature" does not drag in every feature-related card.
class TermIndex {
 public:
  static constexpr int kMinSharedTerms = 2;
  static constexpr std::size_t kMaxLinks = 3;
  static constexpr double kRelativeCutoff = 0.75;  // of the best link's score

  // Indexes the key-point cards among `cards`, and topics by their title
  // (make_cards' topic entries; a topic card of an older database).
  explicit TermIndex(const std::vector<CardDraft>& cards) {
    build(cards.size(), [&](std::size_t i) -> std::optional<std::string_view> {
      const CardDraft& card = cards[i];
      if (card.kind == CardKind::kTopic) return std::string_view(card.topic_title);
      if (is_point_kind(card.kind)) return clean_key_point(card.source).text;
      // A "⚠️ Review needed" remark is a key point too (make_cards keeps it
      // beside its topic's cards); a gap of the Knowledge Gaps section is not.
      if (card.kind == CardKind::kGap && clean_key_point(card.source).remark)
        return clean_key_point(card.source).text;
      return std::nullopt;
    });
  }

  struct Hit {
    int shared = 0;
    double score = 0;
  };

  std::vector<std::size_t> query(std::string_view text) const {
    // Dense per-card tallies, reused across queries: a common term's
    // postings touch thousands of cards, a hash map per query would not keep up.
    hits_.resize(term_counts_.size());
    touched_.clear();
    for (const std::string& term : unique_terms(text)) {
      const auto it = term_ids_.find(std::string_view(term));
      if (it == term_ids_.end()) continue;
      const std::uint32_t begin = posting_starts_[it->second],
                          end = posting_starts_[it->second + 1];
      const double idf = std::log(1.0 + double(documents_) / double(end - begin));
      for (std::uint32_t k = begin; k < end; ++k) {
        const std::size_t card = postings_[k];
        Hit& hit = hits_[card];
        if (hit.shared++ == 0) touched_.push_back(card);
        hit.score += idf;
      }
    }
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t card : touched_) {
      Hit& hit = hits_[card];
      // A one-word topic ("Backpropagation") needs its one word only.
      const int needed = std::min(kMinSharedTerms, term_counts_[card]);
      if (hit.shared >= needed) ranked.emplace_back(hit.score, card);
      hit = Hit{};
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    std::vector<std::size_t> links;
    for (const auto& [score, card] : ranked) {
      if (links.size() == kMaxLinks || score < kRelativeCutoff * ranked.front().first) break;
      links.push_back(card);
    }
    return links;
  }

 private:
  // Looked up by string_view without building a std::string.
  struct TermHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view term) const {
      return std::hash<std::string_view>{}(term);
    }
  };
  std::unordered_map<std::string, std::uint32_t, TermHash, std::equal_to<>> term_ids_;
  std::vector<std::uint32_t> posting_starts_;  // term id -> its range in postings_
  std::vector<std::uint32_t> postings_;        // card indices, ascending per term
  std::vector<int> term_counts_;               // card -> distinct terms
  std::size_t documents_ = 0;
  mutable std::vector<Hit> hits_;  // query's scratch, all zero between queries
  mutable std::vector<std::size_t> touched_;

  // `text_of(i)`: card i's text, nullopt for a card the index leaves out.
  template <typename TextOf>
  void build(std::size_t cards, TextOf&& text_of) {
    term_counts_.assign(cards, 0);
    // Terms are interned: each card's distinct term ids, then one counting
    // pass lays out every term's postings contiguously, in card order.
    std::vector<std::uint32_t> card_terms;  // each card's distinct ids, concatenated
    std::vector<std::uint32_t> card_ends(cards, 0);
    std::vector<std::uint32_t> ids;
    for (std::size_t i = 0; i < cards; ++i) {
      if (const std::optional<std::string_view> text = text_of(i)) {
        ++documents_;
        ids.clear();
        for_each_term(*text, [&](std::string_view term) {
          const auto found = term_ids_.find(term);
          if (found != term_ids_.end()) {
            ids.push_back(found->second);
          } else {
            const auto id = static_cast<std::uint32_t>(term_ids_.size());
            term_ids_.emplace(std::string(term), id);
            ids.push_back(id);
          }
        });
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        term_counts_[i] = static_cast<int>(ids.size());
        card_terms.insert(card_terms.end(), ids.begin(), ids.end());
      }
      card_ends[i] = static_cast<std::uint32_t>(card_terms.size());
    }
    posting_starts_.assign(term_ids_.size() + 1, 0);
    for (std::uint32_t id : card_terms) ++posting_starts_[id + 1];
    for (std::size_t t = 1; t < posting_starts_.size(); ++t)
      posting_starts_[t] += posting_starts_[t - 1];
    postings_.resize(card_terms.size());
    std::vector<std::uint32_t> fill(posting_starts_.begin(), posting_starts_.end() - 1);
    std::size_t k = 0;
    for (std::size_t i = 0; i < cards; ++i) {
      for (; k < card_ends[i]; ++k)
        postings_[fill[card_terms[k]]++] = static_cast<std::uint32_t>(i);
    }
  }
};

}  // namespace recall::cardgen
