// The last rules, for a point no other rule reads: a cloze of a technical
// token ("____ complexity trade-off for long sequences"), then a cloze of a
// bracketed aside, then "complete the point". The last two are flagged for
// review: they ask for wording, not for an idea.

#include <algorithm>
#include <cstring>

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {
namespace {

Built cloze_of(std::string_view point, std::size_t begin, std::size_t end) {
  Built built;
  built.kind = CardKind::kCloze;
  const std::string_view answer = point.substr(begin, end - begin);
  built.question = "Fill in the blank: " + std::string(point.substr(0, begin)) +
                   std::string(kBlank) + std::string(point.substr(end));
  built.back = std::string(answer) + "\n" + std::string(point);
  built.hidden.emplace_back(answer);
  return built;
}

// A parenthesised aside of one to six words: "(weight decay)",
// "(RoPE, sinusoidal, learned)". "(e.g., ...)" is an example, not a term.
// Each cloze is [begin, end) of the point; the caller builds them in order
// until one hides its answer (most points stop at the first).
using ClozeSpan = std::pair<std::size_t, std::size_t>;

std::vector<ClozeSpan> paren_clozes(std::string_view point) {
  std::vector<ClozeSpan> out;
  for (std::size_t open : find_top_level(point, " (")) {
    const std::size_t close = find_matching_close(point, open + 1);
    if (close == std::string_view::npos) continue;
    const std::string_view inner = trim(point.substr(open + 2, close - open - 2));
    if (inner.empty() || count_words(inner) > 6) continue;
    if (starts_with_no_case(inner, "e.g") || starts_with_no_case(inner, "i.e")) continue;
    out.emplace_back(open + 2, close);
  }
  return out;
}

// How technical a token looks: acronyms and CamelCase (AUC, RMSProp, W^O),
// numbers (O(n²), 1/T², 49x), symbols (Precision@k). Zero for plain words.
int term_score(std::string_view token) {
  int upper_inside = 0;
  bool digit = false;
  bool symbol = false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    if (i > 0 && c >= 'A' && c <= 'Z') ++upper_inside;
    if (is_digit(c)) digit = true;
    if (c == '@' || c == '^' || c == '_') symbol = true;
  }
  if (token.find("²") != std::string_view::npos) digit = true;
  // Function notation: O(n!), log(k).
  const std::size_t paren = token.find('(');
  if (paren != std::string_view::npos && paren > 0 && token.back() == ')') symbol = true;
  return (upper_inside > 0 ? 2 : 0) + (digit ? 2 : 0) + (symbol ? 1 : 0);
}

std::vector<ClozeSpan> term_clozes(std::string_view point) {
  struct Candidate {
    int score;
    std::size_t begin, end;
  };
  std::vector<Candidate> candidates;
  std::size_t i = 0;
  while (i < point.size()) {
    while (i < point.size() && is_space(point[i])) ++i;
    std::size_t begin = i;
    while (i < point.size() && !is_space(point[i])) ++i;
    std::size_t end = i;
    // Trailing punctuation and an unbalanced bracket belong to the sentence.
    while (end > begin && std::strchr(",;:.!?\"'", point[end - 1]) != nullptr) --end;
    while (begin < end && (point[begin] == '(' || point[begin] == '"')) ++begin;
    while (end > begin && point[end - 1] == ')' &&
           find_matching_open(point.substr(0, end), end - 1) < begin) {
      --end;
    }
    if (end <= begin) continue;
    const int score = term_score(point.substr(begin, end - begin));
    if (score > 0) candidates.push_back({score, begin, end});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
  std::vector<ClozeSpan> out;
  for (const Candidate& c : candidates) out.emplace_back(c.begin, c.end);
  return out;
}

// --- Last resort: complete the point --------------------------------------

Built build_complete(std::string_view point) {
  const std::size_t n = point.size();
  std::size_t cut = std::string_view::npos, resume = 0;
  // Prefer a natural break (", ", "; ", " — ") near the middle.
  for (std::string_view sep : {", ", "; ", " — "}) {
    for (std::size_t at : find_top_level(point, sep)) {
      if (at * 4 < n || at * 4 > n * 3) continue;
      const auto dist = [n](std::size_t p) { return p * 2 > n ? p * 2 - n : n - p * 2; };
      if (cut == std::string_view::npos || dist(at) < dist(cut)) {
        cut = at;
        resume = at + sep.size();
      }
    }
  }
  if (cut == std::string_view::npos) {
    // Otherwise the word boundary nearest the middle.
    for (std::size_t at = 0; at < n; ++at) {
      if (point[at] != ' ') continue;
      const auto dist = [n](std::size_t p) { return p * 2 > n ? p * 2 - n : n - p * 2; };
      if (cut == std::string_view::npos || dist(at) < dist(cut)) {
        cut = at;
        resume = at + 1;
      }
    }
  }
  Built built;
  built.kind = CardKind::kComplete;
  built.back = std::string(point);
  if (cut == std::string_view::npos) {  // a single word
    built.question = "Complete the point: …";
    built.hidden.emplace_back(point);
  } else {
    built.question = "Complete the point: " + std::string(trim(point.substr(0, cut))) + " …";
    built.hidden.emplace_back(trim(point.substr(resume)));
  }
  return built;
}

}  // namespace

Built build_fallback(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  for (const auto& [begin, end] : term_clozes(point)) {
    if (Built b = cloze_of(point, begin, end); hides_answer(b, ctx.context_line)) {
      b.rule = "cloze/token";
      return b;
    }
  }
  for (const auto& [begin, end] : paren_clozes(point)) {
    if (Built b = cloze_of(point, begin, end); hides_answer(b, ctx.context_line)) {
      b.rule = "cloze/aside";
      b.quality_reason = "the blank is a bracketed aside";
      return b;
    }
  }
  Built b = build_complete(point);
  b.rule = "complete/fallback";
  b.quality_reason = "made by the fallback rule";
  return b;
}

}  // namespace recall::cardgen
