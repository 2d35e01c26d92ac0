// Shared reading of a point: the topic's subject, "Term: rest",
// lists, and the small English word classes the rules rely on.

#include <algorithm>
#include <array>
#include <unordered_set>

#include "cardgen/cardgen.h"

#include <cctype>
#include "recall/text.h"

namespace recall::cardgen {

namespace {

// A word class looked up by hashing: the rules ask the long classes (141
// verbs) about most words of every point.
class WordSet {
 public:
  explicit WordSet(std::span<const std::string_view> words) : words_(words.begin(), words.end()) {
    for (std::string_view w : words) longest_ = std::max(longest_, w.size());
  }
  // Whether lower(word) is one of the words.
  bool contains(std::string_view word) const {
    char low[kLongest];
    if (word.size() > longest_ || word.size() > kLongest) return false;
    for (std::size_t i = 0; i < word.size(); ++i) low[i] = to_lower(word[i]);
    return words_.contains(std::string_view(low, word.size()));
  }

 private:
  static constexpr std::size_t kLongest = 32;
  std::unordered_set<std::string_view> words_;
  std::size_t longest_ = 0;
};

}  // namespace

bool is_one_of(std::string_view word, std::span<const std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [word](std::string_view entry) { return equals_no_case(word, entry); });
}

bool is_article(std::string_view word) { return is_one_of(word, {"the", "a", "an"}); }

bool has_inner_capital_or_digit(std::string_view word) {
  return word.size() > 1 && std::any_of(word.begin() + 1, word.end(),
                                        [](char c) { return is_upper(c) || is_digit(c); });
}

std::string topic_subject(std::string_view title) {
  title = trim(title);
  // "Model Interpretability (SHAP)": an acronym in brackets names the subject.
  if (!title.empty() && title.back() == ')') {
    const std::size_t open = find_matching_open(title, title.size() - 1);
    if (open != std::string_view::npos && open > 0) {
      const std::string_view inner = trim(title.substr(open + 1, title.size() - open - 2));
      const int capitals = static_cast<int>(std::count_if(inner.begin(), inner.end(), is_upper));
      if (capitals >= 2 && count_words(inner) <= 2) return std::string(inner);
      title = trim(title.substr(0, open));
    }
  }
  // "Evaluation Metrics - AUC-ROC": the part after the dash is the specific one,
  // unless it is a bare list ("SGD/Momentum/RMSProp").
  for (std::string_view dash : {" - ", " — ", " – "}) {
    const std::size_t at = title.find(dash);
    if (at == std::string_view::npos) continue;
    const std::string_view after = trim(title.substr(at + dash.size()));
    const bool bare_list = after.find('/') != std::string_view::npos && count_words(after) == 1;
    return std::string(bare_list || after.empty() ? trim(title.substr(0, at)) : after);
  }
  return std::string(title);
}

std::string without_emphasis(std::string_view text) {
  // Emphasis is a pair of the same marker ("**", "__" or "*") around words:
  // the opening one at the start or after a space or an opening bracket and
  // before a non-space, the closing one after a non-space and before the
  // end, a space or punctuation. Anything else stays ("**kwargs", "w**2",
  // "Q*(s,a)", "a * b"), and nothing inside `code` is touched.
  const auto opens_at = [&](std::size_t i, std::size_t n) {
    return (i == 0 || std::string_view(" ([\"'").find(text[i - 1]) != std::string_view::npos) &&
           i + n < text.size() && text[i + n] != ' ' && text[i + n] != text[i];
  };
  const auto closes_at = [&](std::size_t i, std::size_t n) {
    return i > 0 && text[i - 1] != ' ' && text[i - 1] != text[i] &&
           (i + n == text.size() ||
            std::string_view(" .,;:!?)]\"'").find(text[i + n]) != std::string_view::npos);
  };
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '`') {  // a code span, as it is
      const std::size_t end = text.find('`', i + 1);
      const std::size_t stop = end == std::string_view::npos ? text.size() : end + 1;
      out.append(text.substr(i, stop - i));
      i = stop;
      continue;
    }
    bool stripped = false;
    for (std::string_view marker : {"**", "__", "*"}) {
      const std::size_t n = marker.size();
      if (text.substr(i, n) != marker || !opens_at(i, n)) continue;
      // Its closing marker, on the same line, before any code span.
      for (std::size_t j = text.find(marker, i + n); j != std::string_view::npos;
           j = text.find(marker, j + 1)) {
        const std::string_view inside = text.substr(i + n, j - i - n);
        if (inside.find('\n') != std::string_view::npos || inside.find('`') != std::string_view::npos)
          break;
        if (n == 1 && inside.find(' ') != std::string_view::npos) break;  // "*word*" only
        if (!closes_at(j, n)) continue;
        out.append(inside);
        i = j + n;
        stripped = true;
        break;
      }
      if (stripped) break;
    }
    if (!stripped) out += text[i++];
  }
  return out;
}

std::optional<ColonSplit> split_colon_term(std::string_view point) {
  const std::size_t colon = find_first_top_level(point, ": ");
  if (colon == std::string_view::npos) return std::nullopt;
  ColonSplit split{trim(point.substr(0, colon)), trim(point.substr(colon + 1))};
  if (split.term.empty() || split.rest.empty()) return std::nullopt;
  if (count_words(split.term) > 6) return std::nullopt;
  if (split.term.find('=') != std::string_view::npos) return std::nullopt;
  return split;
}

PointReading read_point(std::string_view cleaned) {
  PointReading reading;
  reading.text = cleaned;
  reading.words = split_words(cleaned);
  reading.low = lower(cleaned);
  reading.colon = split_colon_term(cleaned);
  if (reading.colon) {
    reading.term_words = split_words(reading.colon->term);
    reading.rest_words = split_words(reading.colon->rest);
  }
  return reading;
}

TopicReading read_topic(std::string_view title, std::string_view context_line,
                        const std::vector<CleanPoint>& points) {
  TopicReading topic;
  topic.title = title;
  topic.subject = topic_subject(title);
  topic.context_line = context_line;
  topic.points.reserve(points.size());
  topic.at.reserve(points.size());
  for (const CleanPoint& point : points) {
    topic.at.push_back(topic.points.size());
    if (!trim(point.text).empty()) topic.points.push_back(read_point(point.text));
  }
  return topic;
}

std::vector<std::string_view> list_items(std::string_view text) {
  // Most text has neither separator: no list, and nothing to split.
  if (text.find(", ") == std::string_view::npos && text.find(" + ") == std::string_view::npos)
    return {};
  std::vector<std::string_view> items = split_top_level(text, ", ");
  if (items.size() < 2) items = split_top_level(text, " + ");
  if (items.size() < 2) return {};
  return items;
}

bool is_claim_verb(std::string_view word) {
  static constexpr std::array<std::string_view, 141> kVerbs = {
      "estimates",  "estimate",  "orders",      "order",      "smooth",    "smooths",   "moves",
      "move",       "keeps",     "keep",        "shows",      "show",      "builds",    "build",
      "tracks",     "track",     "detects",     "detect",     "elects",    "elect",     "replays",
      "replay",     "sorts",     "sort",        "merges",     "merge",     "scans",     "scan",
      "extends",    "extend",    "sees",        "blocks",     "block",     "adds",      "add",
      "removes",    "remove",    "reduces",     "reduce",     "increases", "increase",  "decreases",
      "decrease",   "controls",  "control",     "causes",     "cause",     "enables",   "enable",
      "requires",   "require",   "measures",    "measure",    "uses",      "use",       "makes",
      "make",       "learns",    "learn",       "computes",   "compute",   "encodes",   "encode",
      "preserves",  "preserve",  "saves",       "save",       "improves",  "improve",   "converts",
      "convert",    "maps",      "map",         "combines",   "combine",   "replaces",  "replace",
      "returns",    "return",    "stores",      "store",      "splits",    "split",     "ensures",
      "ensure",     "allows",    "allow",       "provides",   "provide",   "captures",  "capture",
      "decouples",  "decouple",  "accumulates", "accumulate", "applies",   "apply",     "softens",
      "soften",     "fuses",     "fuse",        "buffers",    "buffer",    "distorts",  "distort",
      "penalizes",  "penalize",  "normalizes",  "normalize",  "shares",    "share",     "handles",
      "handle",     "trades",    "trade",       "dominates",  "dominate",  "generates", "generate",
      "determines", "determine", "treats",      "treat",      "picks",     "pick",      "divides",
      "divide",     "gives",     "give",        "inflates",   "inflate",   "averages",  "average",
      "equals",     "equal",     "drives",      "drive",      "shrinks",   "shrink",    "affects",
      "affect"};
  static const WordSet kSet(kVerbs);
  return kSet.contains(word);
}

bool is_purpose_verb(std::string_view word) {
  static constexpr std::array<std::string_view, 18> kVerbs = {
      "solves",   "solve",   "compensates", "compensate", "prevents",  "prevent",
      "avoids",   "avoid",   "fixes",       "fix",        "mitigates", "mitigate",
      "corrects", "correct", "addresses",   "address",    "counters",  "counter"};
  static const WordSet kSet(kVerbs);
  return kSet.contains(word);
}

bool is_learner_word(std::string_view word) {
  // Words that open a sentence about the learner, not about the subject.
  static constexpr std::array<std::string_view, 36> kWords = {
      "can",       "could",     "needs",     "need",       "derived",   "built",
      "learned",   "learnt",    "mastered",  "understood", "practiced", "practised",
      "completed", "covered",   "reviewed",  "studied",    "struggled", "forgot",
      "knows",     "connected", "grasped",   "proved",     "applied",   "solved",
      "explained", "drilled",   "rehearsed", "finished",   "started",   "interview-ready",
      "confuses",  "confused",  "mixes",     "mixed",      "swaps",     "swapped"};
  static const WordSet kSet(kWords);
  return kSet.contains(word);
}

bool is_remedy_noun(std::string_view word) {
  static constexpr std::array<std::string_view, 8> kWords = {
      "solutions", "solution", "fixes", "fix", "remedies", "mitigations", "mitigation", "cures"};
  static const WordSet kSet(kWords);
  return kSet.contains(word);
}

bool is_fragment_noun(std::string_view word) {
  static constexpr std::array<std::string_view, 30> kWords = {
      "examples",   "example",    "limitations",    "guarantees", "advantages",   "disadvantages",
      "benefits",   "drawbacks",  "approximations", "properties", "types",        "options",
      "strategies", "approaches", "methods",        "causes",     "symptoms",     "pros",
      "cons",       "tradeoffs",  "trade-offs",     "uses",       "applications", "variants",
      "hybrid",     "prevention", "caveats",        "pitfalls",   "challenges",   "techniques"};
  static const WordSet kSet(kWords);
  return is_remedy_noun(word) || kSet.contains(word);
}

bool is_count_word(std::string_view word, int* count) {
  static constexpr std::array<std::string_view, 10> kNumbers = {
      "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"};
  const std::string w = lower(word);
  for (std::size_t i = 0; i < kNumbers.size(); ++i) {
    if (w == kNumbers[i]) return *count = static_cast<int>(i) + 2, true;
  }
  // "4", "4-layer", "3-step"
  std::size_t digits = 0;
  while (digits < w.size() && is_digit(w[digits])) ++digits;
  if (digits == 0 || digits > 2 || (digits < w.size() && w[digits] != '-')) return false;
  *count = std::stoi(w.substr(0, digits));
  return *count >= 2;
}

std::string verb_base(std::string_view word) {
  std::string w = lower(word);
  if (w.size() > 4 && w.ends_with("ies")) return w.substr(0, w.size() - 3) + "y";
  for (std::string_view suffix : {"sses", "ches", "shes", "xes", "zes"}) {
    if (w.ends_with(suffix)) return w.substr(0, w.size() - 2);
  }
  if (w.size() > 3 && w.back() == 's' && w[w.size() - 2] != 's') w.pop_back();
  return w;
}

bool looks_plural(std::string_view noun_phrase) {
  std::vector<std::string_view> words = split_words(noun_phrase);
  // The head noun comes before a preposition: "Shapley values from game theory".
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string w = lower(words[i]);
    if (w == "from" || w == "of" || w == "in" || w == "for" || w == "with" || w == "over") {
      words.resize(i);
      break;
    }
  }
  if (words.empty()) return false;
  const std::string last = lower(words.back());
  // Singular despite the s: "loss", "corpus", "analysis", "bias".
  // "series", "species": the same word in both numbers; read as one.
  if (last.ends_with("series") || last.ends_with("species")) return false;
  return last.size() > 3 && last.back() == 's' && !last.ends_with("ss") && !last.ends_with("us") &&
         !last.ends_with("is") && !last.ends_with("ias");
}

bool gives_reason(std::string_view point) {
  const std::string low = lower(point);
  for (std::string_view w : {" because ", " since ", " so that ", " so ", " due to ", " hence ",
                             " therefore ", " otherwise ", " which ", " (", " — "})
    if (low.find(w) != std::string::npos) return true;
  return false;
}

namespace {

// The word a noun phrase is about: the last plain word before a preposition
// or a bracket ("error signal (δ)" -> "signal", "exact computation in SHAP"
// -> "computation"). Empty when that word is a symbol or a name ("τ", "SHAP").
std::string head_noun(std::string_view noun_phrase) {
  std::vector<std::string_view> words = split_words(noun_phrase);
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string w = lower(words[i]);
    if (w == "from" || w == "of" || w == "in" || w == "for" || w == "with" || w == "over" ||
        words[i].front() == '(') {
      words.resize(i);
      break;
    }
  }
  // "scaling factor α/r", "temperature τ": a symbol after the noun names it.
  const auto symbol = [](std::string_view w) {
    return std::any_of(w.begin(), w.end(), [](char c) {
      return c == '/' || c == '^' || c == '_' || static_cast<unsigned char>(c) >= 0x80;
    });
  };
  while (words.size() > 1 && symbol(words.back())) words.pop_back();
  if (words.empty()) return {};
  const std::string_view last = words.back();
  for (char c : last)
    if (!((c >= 'a' && c <= 'z') || c == '-')) return {};
  return std::string(last);
}

// Countable structures take "the" whatever their ending ("the W^O
// projection", "the Q, K, V mechanism", "the feedback loop problem").
bool is_countable_noun(std::string_view head) {
  static constexpr std::array<std::string_view, 28> kCountable = {
      "mechanism",   "framework", "problem",    "loop",         "trick",    "head",
      "projection",  "layer",     "cache",      "architecture", "check",    "hierarchy",
      "pipeline",    "model",     "function",   "step",         "rule",     "matrix",
      "vector",      "encoder",   "decoder",    "network",      "tradeoff", "trade-off",
      "transaction", "partition", "connection", "question"};
  return is_one_of(head, kCountable);
}

// Nouns that take no article: abstract and mass nouns by their ending
// ("regularization", "consistency", "hashing"), and a few common ones.
bool is_mass_noun(std::string_view head) {
  // "cross-entropy", "read-heavy load": the last part of a compound decides.
  if (const std::size_t dash = head.rfind('-'); dash != std::string_view::npos)
    head = head.substr(dash + 1);
  if (is_countable_noun(head)) return false;
  static constexpr std::array<std::string_view, 27> kMass = {
      "data",    "information", "knowledge", "memory",   "compute", "momentum", "attention",
      "latency", "throughput",  "lag",       "loss",     "skew",    "leakage",  "drift",
      "bias",    "variance",    "noise",     "feedback", "traffic", "load",     "storage",
      "entropy", "decay",       "work",      "time",     "math",    "search"};
  if (is_one_of(head, kMass)) return true;
  for (std::string_view suffix : {"ing", "tion", "sion", "ity", "cy", "ness", "ism", "ance", "ence",
                                  "ics", "ledge", "ship", "hood", "ment"}) {
    if (head.size() > suffix.size() + 1 && head.ends_with(suffix)) return true;
  }
  return false;
}

}  // namespace

std::string with_article(std::string_view noun_phrase) {
  // A singular countable common noun takes "the" ("the W^O projection", "the
  // cost-based optimizer", "the error signal (δ)"); names, plurals and mass
  // nouns ("dark knowledge", "consistent hashing") do not.
  const std::vector<std::string_view> words = split_words(noun_phrase);
  if (words.empty() || looks_plural(noun_phrase)) return std::string(noun_phrase);
  if (is_article(words.front())) return std::string(noun_phrase);
  // A word on its own is a name ("RMSProp", "Momentum", "quorum") unless it
  // is written as a common noun: "Pipeline" is the topic's pipeline.
  if (words.size() == 1) {
    const std::string low = lower_first(noun_phrase);
    if (low == noun_phrase || is_mass_noun(low)) return std::string(noun_phrase);
    return "the " + low;
  }
  const std::string head = head_noun(noun_phrase);
  if (head.empty() || is_mass_noun(head)) return std::string(noun_phrase);
  return "the " + lower_first(noun_phrase);
}

namespace {

std::optional<std::string> fragment_of(const PointContext& ctx) {
  if (!ctx.reading.colon) return std::nullopt;
  const std::string_view term = ctx.reading.colon->term;
  const std::vector<std::string_view>& words = ctx.reading.term_words;
  if (words.empty()) return std::nullopt;
  if (words.size() == 2 && is_fragment_noun(words.back()) && !is_fragment_noun(words.front())) {
    // "Practical benefits" -> "practical benefits of softmax"; "NaN causes" -> "causes of NaN".
    const std::string first = lower(words.front());
    const bool adjective = first.ends_with("al") || first.ends_with("ic") ||
                           first.ends_with("ive") || first == "key" || first == "main" ||
                           first == "common";
    if (adjective) return lower(term) + " of " + ctx.subject;
    return std::nullopt;  // "Exploration strategies", "NaN causes" name themselves
  }
  if (!is_fragment_noun(words.front())) return std::nullopt;
  const std::string head = lower(term);
  if (words.size() > 1) {
    // "Advantages over feature importance" -> "advantages of SHAP over feature importance"
    if (words.size() >= 2 && (equals_no_case(words[1], "over") || equals_no_case(words[1], "vs")))
      return lower(words[0]) + " of " + ctx.subject + " " +
             std::string(term.substr(words[1].data() - term.data()));
    return std::nullopt;  // "Practical benefits" etc. are handled below by their head word
  }
  if (is_remedy_noun(words.front())) {
    // A remedy answers the problem the points just before it name: their terms
    // ("Vanishing gradients: ...", "Exploding gradients: ...").
    std::vector<const PointReading*> problems;
    for (auto it = ctx.before.rbegin(); it != ctx.before.rend() && problems.size() < 2; ++it) {
      if (!it->colon || is_fragment_noun(it->term_words.front())) break;
      problems.insert(problems.begin(), &*it);
    }
    const auto name = [](const PointReading* p) { return lower_first(p->colon->term); };
    // Two problems only when they are one family ("vanishing / exploding gradients").
    if (problems.size() == 2 &&
        equals_no_case(problems[0]->term_words.back(), problems[1]->term_words.back()))
      return head + " for " + name(problems[0]) + " and " + name(problems[1]);
    if (problems.size() == 2) return head + " for " + name(problems[1]);
    if (problems.size() == 1) return head + " for " + name(problems[0]);
    return head + " in " + ctx.subject;
  }
  if (equals_no_case(words.front(), "examples") || equals_no_case(words.front(), "example")) {
    // Examples illustrate the point before them.
    if (!ctx.before.empty()) {
      std::string_view prev = ctx.before.back().text;
      if (const std::size_t paren = prev.find(" ("); paren != std::string_view::npos)
        prev = prev.substr(0, paren);
      return "examples of this: " + lower_first(trim(prev));
    }
    return "examples in " + ctx.subject;
  }
  if (equals_no_case(words.front(), "hybrid")) return "the hybrid approach in " + ctx.subject;
  if (equals_no_case(words.front(), "prevention"))
    return "ways to prevent problems in " + ctx.subject;
  return head + " of " + ctx.subject;
}

}  // namespace

const std::optional<std::string>& resolve_fragment(const PointContext& ctx) {
  if (!ctx.fragment) ctx.fragment = fragment_of(ctx);
  return *ctx.fragment;
}

}  // namespace recall::cardgen
