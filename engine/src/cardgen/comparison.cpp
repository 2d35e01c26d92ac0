// Comparisons: "A vs B", "A (...) vs B (...)", "A: x; B: y", a property of
// things side by side ("Target type — FixMatch: hard label; MixMatch: soft",
// a comparison table's row as the tracker reader gives it) and two clauses
// with their own subjects ("Sum is lossy but ...; concat preserves info
// but ..."). The front names both sides and, when a side is a bare adjective
// ("Sparse vs dense"), what they qualify: the topic's subject.

#include <algorithm>

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {
namespace {

std::string_view strip_trailing_parens(std::string_view s) {
  s = trim(s);
  while (!s.empty() && s.back() == ')') {
    const std::size_t open = find_matching_open(s, s.size() - 1);
    if (open == std::string_view::npos || open == 0) break;
    s = trim(s.substr(0, open));
  }
  return s;
}

std::string_view cut_comparand(std::string_view s) {
  std::size_t end = s.size();
  for (std::string_view stop : {"(", ":", ",", ";", " — ", " – "}) {
    const std::vector<std::size_t> at = find_top_level(s, stop);
    if (!at.empty()) end = std::min(end, at.front());
  }
  return trim(s.substr(0, end));
}

// One plain word, no capital inside, no digit: "dense", "Online", "asymmetric".
bool bare_word(std::string_view side) {
  return count_words(side) == 1 && !has_inner_capital_or_digit(side) &&
         side.find('/') == std::string_view::npos;
}

Built make_comparison(const PointContext& ctx, std::string a, std::string b,
                      std::string_view point) {
  Built built;
  built.kind = CardKind::kComparison;
  std::string subject;
  if (bare_word(a) && bare_word(b)) subject = " in " + ctx.subject;
  built.question = upper_first(a) + " vs " + lower_first(b) + subject + ": how do they differ?";
  built.back = std::string(point);
  return built;
}

// "A: x; B: y" or "A is ... ; B ..." with different subjects.
std::optional<Built> clause_pair(const PointContext& ctx) {
  if (ctx.point.find("; ") == std::string_view::npos) return std::nullopt;  // one clause
  const std::vector<std::string_view> clauses = split_top_level(ctx.point, "; ");
  if (clauses.size() != 2) return std::nullopt;
  std::string sides[2];
  std::string_view answers[2];
  for (int i = 0; i < 2; ++i) {
    if (const auto split = split_colon_term(clauses[i]); split && count_words(split->term) <= 3) {
      sides[i] = std::string(split->term), answers[i] = split->rest;
      continue;
    }
    const std::vector<std::string_view> words = split_words(clauses[i]);
    // "Adam+L2 distorts ...", "RL can surpass ...": subject, then a verb.
    if (words.size() < 3) return std::nullopt;
    const std::string second = lower(words[1]);
    const bool verb = is_claim_verb(second) || is_purpose_verb(second) || second == "is" ||
                      second == "are" || second == "can" || second == "bounded" ||
                      is_claim_verb(second + "s");
    if (!verb || split_colon_term(clauses[i])) return std::nullopt;
    sides[i] = std::string(words[0]);
    answers[i] = clauses[i].substr(words[1].data() - clauses[i].data());
  }
  if (equals_no_case(sides[0], sides[1])) return std::nullopt;
  Built built = make_comparison(ctx, sides[0], sides[1], ctx.point);
  built.rule = "comparison/clauses";
  built.hidden.emplace_back(answers[0]);
  built.hidden.emplace_back(answers[1]);
  return built;
}

bool has_vs(std::string_view s) {
  for (std::size_t i = s.find(' '); i != std::string_view::npos && i + 2 < s.size();
       i = s.find(' ', i + 1)) {
    if (to_lower(s[i + 1]) == 'v' && to_lower(s[i + 2]) == 's') return true;
  }
  return false;
}

}  // namespace

std::optional<Built> build_side_by_side(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  constexpr std::string_view kDash = " \xE2\x80\x94 ";  // " — "
  const std::vector<std::size_t> dash = find_top_level(point, kDash);
  if (dash.empty()) return std::nullopt;
  const std::string_view property = trim(point.substr(0, dash.front()));
  if (property.empty() || count_words(property) > 6 || property.find(':') != std::string_view::npos)
    return std::nullopt;
  const std::vector<std::string_view> clauses =
      split_top_level(point.substr(dash.front() + kDash.size()), "; ");
  if (clauses.size() < 2 || clauses.size() > 4) return std::nullopt;
  std::vector<std::string_view> names, values;
  for (std::string_view clause : clauses) {
    const std::vector<std::size_t> colon = find_top_level(clause, ": ");
    if (colon.empty()) return std::nullopt;
    const std::string_view name = trim(clause.substr(0, colon.front()));
    const std::string_view value = trim(clause.substr(colon.front() + 2));
    if (name.empty() || value.empty() || count_words(name) > 6) return std::nullopt;
    for (std::string_view seen : names)
      if (equals_no_case(seen, name)) return std::nullopt;
    names.push_back(name);
    values.push_back(value);
  }
  Built built;
  built.kind = CardKind::kComparison;
  built.rule = "comparison/table";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) built.question += " vs ";
    built.question += names[i];
    if (i > 0) built.back += "\n";
    built.back.append(names[i]).append(": ").append(values[i]);
    built.hidden.emplace_back(values[i]);
  }
  built.question += " \xE2\x80\x94 " + lower_first(property);
  if (built.question.back() != '?') built.question += "?";
  return built;
}

std::optional<Built> build_comparison(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  if (!has_vs(point)) return clause_pair(ctx);
  const std::string& low = ctx.reading.low;
  std::vector<std::size_t> at = find_top_level(low, " vs ");
  std::size_t skip = 4;
  if (at.empty()) {
    at = find_top_level(low, " vs. ");
    skip = 5;
  }
  if (at.empty()) return clause_pair(ctx);
  std::string_view left = point.substr(0, at.front());
  const std::vector<std::size_t> colons = find_top_level(left, ": ");
  std::string_view label;
  if (!colons.empty())
    label = trim(left.substr(0, colons.back())), left = left.substr(colons.back() + 1);
  if (const auto commas = find_top_level(left, ", "); !commas.empty())
    left = left.substr(commas.back() + 2);
  // "EXPLAIN ANALYZE shows actual vs estimated rows" is a claim, not a comparison.
  for (std::string_view w : split_words(left))
    if (is_claim_verb(w) || is_purpose_verb(w)) return clause_pair(ctx);
  std::string a(strip_trailing_parens(left));
  const std::string b(cut_comparand(point.substr(at.front() + skip)));
  if (a.empty() || b.empty() || count_words(a) > 8 || count_words(b) > 8) return std::nullopt;
  // "On vs off-policy" compares on-policy with off-policy.
  const std::size_t hyphen = b.rfind('-');
  if (a.size() <= 3 && a.find('-') == std::string::npos && count_words(b) == 1 &&
      hyphen != std::string::npos && hyphen > 0 && hyphen + 1 < b.size()) {
    a += b.substr(hyphen);
  }
  Built built = make_comparison(ctx, a, b, point);
  built.rule = "comparison/vs";
  if (!label.empty() && count_words(label) <= 4)
    built.question = std::string(label) + ": " + built.question;
  // What is said of the two sides is the answer: the rest of the point.
  const std::string_view after = point.substr(at.front() + skip);
  const std::string_view rest = trim(after.substr(cut_comparand(after).size()));
  if (!trim(strip_trailing_parens(rest)).empty() || rest.size() > 2)
    built.hidden.emplace_back(rest);
  if (left.size() > a.size()) built.hidden.emplace_back(trim(left.substr(a.size())));
  if (built.hidden.empty() || (built.hidden.size() == 1 && trim(built.hidden[0]).size() < 3)) {
    built.hidden.clear();
    built.hidden.emplace_back(point);
    built.quality_reason = "the point holds no more than the two names";
  }
  return built;
}

}  // namespace recall::cardgen
