// Enumerations: a list after a term ("Three drift types: covariate, label,
// concept", "Solutions: ReLU, residual connections, gradient clipping") or
// in brackets at the end ("... relationship types (syntactic, semantic,
// positional)"). The front asks for the items and says how many; a fragment
// term is resolved first. The old rule showed these as definitions.

#include <array>

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {
namespace {

constexpr std::size_t kLongList = 5;
constexpr int kMaxItemWords = 7;

bool short_items(const std::vector<std::string_view>& items) {
  for (std::string_view item : items) {
    if (count_words(item) > kMaxItemWords) return false;
    if (item.find(": ") != std::string_view::npos) return false;
  }
  return true;
}

bool is_comparative(std::string_view word) {
  static constexpr std::array<std::string_view, 11> kWords = {
      "harder",  "easier",  "better", "worse",   "faster",  "slower",
      "cheaper", "riskier", "safer",  "simpler", "costlier"};
  return is_one_of(word, kWords);
}

// A name ("ACID", "B-tree", "MVCC"): a capital or a digit after its first
// letter. A name's list is its properties; a common noun phrase ("Cold
// start", "Sudden NaN", "Two-sided marketplace") may list its causes,
// fixes, parts or goals, and the point does not say which.
bool is_name(std::string_view term) {
  if (count_words(term) != 1) return false;
  if (has_inner_capital_or_digit(term)) return true;
  return term.size() > 1 && is_upper(term[0]) && term[1] == '-';
}

// "Deep trees: low bias, high variance": items that open with a word of
// degree describe the term; they are not members of it.
bool degree_items(const std::vector<std::string_view>& items) {
  static constexpr std::array<std::string_view, 18> kDegree = {
      "low",   "high",      "more", "less", "fast", "slow",   "small", "large", "big",
      "cheap", "expensive", "good", "bad",  "poor", "strong", "weak",  "no",    "higher"};
  for (std::string_view item : items) {
    if (count_words(item) > 3) return false;  // "small chunks are precise" is a claim
    if (!is_one_of(split_words(item).front(), kDegree)) return false;
  }
  return true;
}

// The question for the list under `term`, the rule (shape) that asked it,
// and a reason when the question cannot say what the items are to the term.
struct ListQuestion {
  std::string_view rule;
  std::string text;
  std::string reason = {};  // "" when the question says what the items are
};

// `term` is the point's ("Term: a, b, c").
ListQuestion list_question(const PointContext& ctx, std::size_t n, bool items_describe) {
  const std::string_view term = ctx.reading.colon->term;
  const std::string count = std::to_string(n);
  const std::vector<std::string_view>& words = ctx.reading.term_words;
  if (items_describe) {
    return {"enumeration/properties",
            "What are the " + count + " properties of " + with_article(lower_first(term)) + "?"};
  }
  int stated = 0;
  if (is_count_word(words.front(), &stated) && static_cast<std::size_t>(stated) == n) {
    // "4-layer monitoring" -> "the 4 layers of monitoring"; "Three drift types" as it is.
    const std::string first = lower(words.front());
    const std::size_t dash = first.find('-');
    if (dash != std::string::npos && words.size() > 1) {
      return {"enumeration/named", "Name the " + count + " " + first.substr(dash + 1) + "s of " +
                                       lower_first(term.substr(words[1].data() - term.data())) +
                                       "."};
    }
    return {"enumeration/named", "Name the " + lower_first(term) + "."};
  }
  if (is_comparative(words.back()) && words.size() >= 2) {
    const std::string subject(term.substr(0, words.back().data() - term.data()));
    return {"enumeration/named", "Why " +
                                     std::string(looks_plural(trim(subject)) ? "are " : "is ") +
                                     lower_first(trim(subject)) + " " + lower(words.back()) +
                                     "? Give the " + count + " reasons."};
  }
  // "Some features fundamentally different" -> "Which features are fundamentally different?"
  const std::string first = lower(words.front());
  if ((first == "some" || first == "many" || first == "certain") && words.size() >= 3 &&
      looks_plural(words[1])) {
    return {"enumeration/which", "Which " + lower(words[1]) + " are " +
                                     std::string(term.substr(words[2].data() - term.data())) +
                                     "? Name the " + count + "."};
  }
  if (const auto& resolved = resolve_fragment(ctx)) {
    if (resolved->starts_with("examples of this: "))
      return {"enumeration/examples",
              "Give " + count + " examples of this: " + resolved->substr(18) + "."};
    if (!looks_plural(*resolved) && !resolved->starts_with("solutions"))
      return {"enumeration/fragment", "Name the " + count + " parts of " + *resolved + "."};
    return {"enumeration/fragment", "Name the " + count + " " + *resolved + "."};
  }
  std::string where;
  if (words.size() == 1) where = " in " + ctx.subject;
  if (looks_plural(term))
    return {"enumeration/named", "Name the " + count + " " + lower_first(term) + where + "."};
  if (is_name(term))
    return {"enumeration/name",
            "What are the " + count + " key properties of " + std::string(term) + "?"};
  return {
      "enumeration/elements",
      "What are the " + count + " key elements of " + with_article(lower_first(term)) + where + "?",
      "list under a term: the point does not say what the items are to it"};
}

Built make_list(std::string_view rule, std::string question, std::string_view point,
                std::string_view answer, std::size_t n) {
  Built built;
  built.kind = CardKind::kEnumeration;
  built.rule = std::string(rule);
  built.question = std::move(question);
  built.back = std::string(point);
  built.hidden.emplace_back(answer);
  if (n > kLongList) built.quality_reason = "long list";
  return built;
}

// "X (a, b, c)" at the end of the point.
std::optional<Built> bracket_list(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  if (point.empty() || point.back() != ')') return std::nullopt;
  const std::size_t open = find_matching_open(point, point.size() - 1);
  if (open == std::string_view::npos || open == 0) return std::nullopt;
  const std::string_view inner = point.substr(open + 1, point.size() - open - 2);
  const std::vector<std::string_view> items = list_items(inner);
  if (items.size() < 3 || !short_items(items)) return std::nullopt;
  const std::string_view before = trim(point.substr(0, open));
  if (before.find(':') != std::string_view::npos) return std::nullopt;
  return make_list("enumeration/bracket",
                   upper_first(before) + ": name all " + std::to_string(items.size()) + ".", point,
                   inner, items.size());
}

}  // namespace

std::optional<Built> build_enumeration(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  if (const auto& split = ctx.reading.colon) {
    const std::vector<std::string_view> items = list_items(split->rest);
    if (items.size() < 2 || !short_items(items)) return std::nullopt;
    // "Labels: w1*P(click) + w2*P(save)", "Analogies: king - man + woman ≈
    // queen": a formula, not a list.
    for (std::string_view sign : {"*", "=", "≈", "∝"})
      if (split->rest.find(sign) != std::string_view::npos) return std::nullopt;
    // Two items under a singular name ("Momentum: accumulates ..., cancels
    // ...") describe the name: a definition, not a list.
    int stated = 0;
    const std::vector<std::string_view>& term_words = ctx.reading.term_words;
    if (items.size() == 2 && !looks_plural(split->term) && !resolve_fragment(ctx) &&
        !degree_items(items) && !is_count_word(term_words.front(), &stated))
      return std::nullopt;
    // "Hot keys: add a random suffix, split the key, cache it": remedies.
    std::size_t actions = 0;
    for (std::string_view item : items) {
      const std::string first = lower(split_words(item).front());
      actions += (is_claim_verb(first) || is_purpose_verb(first)) && first.back() != 's';
    }
    if (actions * 2 >= items.size() && actions >= 2) {
      return make_list("enumeration/actions",
                       "How do you deal with " + lower_first(split->term) + "? Name the " +
                           std::to_string(items.size()) + " ways.",
                       point, split->rest, items.size());
    }
    ListQuestion question = list_question(ctx, items.size(), degree_items(items));
    Built built =
        make_list(question.rule, std::move(question.text), point, split->rest, items.size());
    if (built.quality_reason.empty()) built.quality_reason = std::move(question.reason);
    return built;
  }
  return bracket_list(ctx);
}

std::optional<Built> build_bare_list(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  if (ctx.reading.colon) return std::nullopt;
  // A bare list ("Threshold-independent, handles imbalanced data"): the
  // tracker does not say what it lists, so the card asks about the subject.
  const std::vector<std::string_view> items = list_items(point);
  if (items.size() < 2 || items.size() > 4 || !short_items(items)) return std::nullopt;
  for (std::string_view item : items)
    if (count_words(item) > 4) return std::nullopt;
  Built built = make_list("enumeration/bare",
                          "Name " + std::to_string(items.size()) + " properties of " + ctx.subject +
                              " that this topic stresses.",
                          point, point, items.size());
  built.quality_reason = "list without a named subject";
  return built;
}

}  // namespace recall::cardgen
