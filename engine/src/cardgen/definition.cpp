// Definitions: "Term: explanation" -> "What is training-serving skew?", "What
// does momentum do?" (the explanation starts with a verb), "What are ...?"
// (a plural term). A plain one-word term that the topic title does not name
// ("Labels", "Ranking", "Evaluation") is a part of the topic, not a concept of its own:
// "What is the approach to ranking in Listing Recommendation System Design?".
// The old front was "In the context of T, explain: X".

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {
namespace {

// One capitalised or lower-case word with no capital inside and no digit.
bool plain_word(std::string_view term) {
  if (count_words(term) != 1) return false;
  for (std::size_t i = 1; i < term.size(); ++i)
    if (is_upper(term[i]) || is_digit(term[i]) || static_cast<unsigned char>(term[i]) >= 0x80)
      return false;
  return true;
}

// A term that is a verb phrase ("All four share gradient") cannot follow "What is".
bool has_verb(const std::vector<std::string_view>& words) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (is_claim_verb(words[i]) || is_purpose_verb(words[i])) return true;
    // "Skips the explicit reward model": an article inside a noun phrase
    // follows a preposition ("cost of the model"); after any other word it
    // follows a verb.
    if (i > 0 && is_article(words[i]) &&
        !is_one_of(words[i - 1], {"of", "in",   "on",   "at",      "for",    "with",   "by", "from",
                                  "to", "into", "over", "under",   "across", "per",    "vs", "than",
                                  "as", "and",  "or",   "between", "within", "without"}))
      return true;
  }
  return false;
}

// "Choosing k", "Handling the long tail": an activity, not a thing.
bool gerund_term(const std::vector<std::string_view>& words) {
  if (words.size() < 2) return false;
  const std::string first = lower(words.front());
  if (first.size() <= 5 || !first.ends_with("ing") || first.find('-') != std::string::npos)
    return false;
  // "Thundering herd" is an adjective and a noun; "choosing k" and
  // "handling the tail" take an object: a symbol or a determiner.
  return words[1].size() == 1 || is_article(words[1]) || is_one_of(words[1], {"your", "each"});
}

// A term whose head says how the point is put, not what it is about
// ("Geometric view", "Key insight", "Intuition"): the question cannot name
// the thing the view is of.
bool vague_head(std::string_view term) {
  static constexpr std::string_view kVague[] = {
      "view",    "idea",    "intuition", "insight", "takeaway", "summary", "overview",     "note",
      "picture", "analogy", "lesson",    "details", "detail",   "point",   "rule of thumb"};
  const std::string low = lower(term);
  for (std::string_view v : kVague)
    if (low == v || low.ends_with(" " + std::string(v))) return true;
  return false;
}

// A process noun ("Ranking", "Evaluation", "Compression"): a part of the topic.
bool process_noun(std::string_view term) {
  const std::string low = lower(term);
  return low.ends_with("ing") || low.ends_with("tion") || low.ends_with("sion");
}

}  // namespace

std::optional<Built> build_definition(const PointContext& ctx) {
  const auto& split = ctx.reading.colon;
  if (!split) return std::nullopt;
  Built built;
  built.kind = CardKind::kDefinition;
  built.back = std::string(ctx.point);
  built.hidden.emplace_back(split->rest);
  const std::string_view term = split->term;
  const std::vector<std::string_view>& rest_words = ctx.reading.rest_words;
  const bool verb_first = !rest_words.empty() &&
                          (is_claim_verb(rest_words[0]) || is_purpose_verb(rest_words[0])) &&
                          rest_words[0].back() == 's';
  if (const auto& resolved = resolve_fragment(ctx)) {
    built.rule = "definition/fragment";
    built.question = "What are the " + *resolved + "?";
  } else if (has_verb(ctx.reading.term_words)) {
    built.kind = CardKind::kCloze;
    built.rule = "cloze/clause-term";
    built.question = "Fill in the blank: " + std::string(term) + ": " + std::string(kBlank);
  } else if (plain_word(term) && !contains_no_case(ctx.topic_title, term) &&
             (process_noun(term) || looks_plural(term))) {
    built.rule = "definition/approach";
    built.question = "What is the approach to " + lower(term) + " in " + ctx.subject + "?";
    // "Analogies: king - man + woman ≈ queen": an example, not an approach.
    for (std::string_view sign : {"=", "≈"})
      if (split->rest.find(sign) != std::string_view::npos)
        built.quality_reason = "the point is an example, not what the term is";
  } else if (verb_first) {
    built.rule = "definition/does";
    built.question = "What does " + with_article(term) + " do?";
  } else if (gerund_term(ctx.reading.term_words)) {
    // An activity takes no article ("What is the choosing k?"); the reading
    // is a guess (a gerund or a noun: "Learning rate"), so the rule is unsure.
    built.rule = "definition/activity";
    built.question = "What is involved in " + lower_first(term) + "?";
  } else if (looks_plural(term)) {
    built.rule = "definition/plural";
    built.question = "What are " + lower_first(term) + "?";
  } else {
    built.rule = "definition/what-is";
    built.question = "What is " + with_article(lower_first(term)) + "?";
  }
  if (vague_head(term)) built.quality_reason = "fragment term";
  return built;
}

}  // namespace recall::cardgen
