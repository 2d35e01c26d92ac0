// Formulas: "X = Y", "x=FPR, y=TPR", "∂L/∂w = (ŷ - y)x + λw". The right-hand
// sides are blanked; an example in brackets ("(e.g., 512/8 = 64)") works the
// formula out and so leaves the front.

#include <algorithm>
#include <cstring>
#include <iterator>

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {
namespace {

struct FormulaBlank {
  std::size_t lhs_end;    // end of the left-hand side (spaces trimmed)
  std::size_t rhs_begin;  // the hidden right-hand side [rhs_begin, rhs_end)
  std::size_t rhs_end;
};

bool is_assignment(std::string_view s, std::size_t i) {
  if (s[i] != '=') return false;
  if (i > 0 && std::strchr("=<>!", s[i - 1]) != nullptr) return false;
  if (i + 1 < s.size() && (s[i + 1] == '=' || s[i + 1] == '>')) return false;
  return true;
}

bool has_top_level_assignment(std::string_view s) {
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_open(s[i])) {
      ++depth;
    } else if (is_close(s[i]) && depth > 0) {
      --depth;
    } else if (depth == 0 && is_assignment(s, i)) {
      return true;
    }
  }
  return false;
}

// The arithmetic operators of tracker formulas, ASCII and Unicode.
constexpr std::string_view kOperators[] = {"×", "·", "−", "*", "/", "+", "^", "-"};

bool ends_with_operator(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.back() == '=') return true;
  for (std::string_view op : kOperators) {
    if (s.ends_with(op)) return true;
  }
  return false;
}

// "w - lr*dw (baseline)": a trailing parenthesis after a complete expression
// is an aside, not part of the blank (without_examples decides whether the
// front shows it); in "δ × (input to that layer)" it is an operand and is
// hidden with the rest.
std::size_t strip_trailing_hint(std::string_view body, std::size_t begin, std::size_t end) {
  if (end <= begin || body[end - 1] != ')') return end;
  const std::size_t open = find_matching_open(body, end - 1);
  if (open == std::string_view::npos || open <= begin + 1 || body[open - 1] != ' ') return end;
  const std::string_view before = body.substr(begin, open - 1 - begin);
  if (trim(before).empty() || ends_with_operator(before)) return end;
  std::size_t hint_start = open - 1;
  while (hint_start > begin && is_space(body[hint_start - 1])) --hint_start;
  return hint_start;
}

// End of a tight right-hand side ("x=FPR," -> "FPR"): up to a space, comma
// or semicolon outside brackets.
std::size_t tight_rhs_end(std::string_view body, std::size_t begin, std::size_t limit) {
  int depth = 0;
  std::size_t i = begin;
  for (; i < limit; ++i) {
    const char c = body[i];
    if (is_open(c)) {
      ++depth;
    } else if (is_close(c)) {
      if (depth == 0) break;
      --depth;
    } else if (depth == 0 && (is_space(c) || c == ',' || c == ';')) {
      break;
    }
  }
  return depth == 0 ? i : begin;
}

// Pieces are split at top-level ';' and at top-level ',' that start a new
// assignment, so "same pattern, different rate" stays one right-hand side
// while "x=FPR, y=TPR" is two.
std::vector<std::pair<std::size_t, std::size_t>> formula_pieces(std::string_view body) {
  std::vector<std::size_t> seps = find_top_level(body, ",");
  const std::vector<std::size_t> semis = find_top_level(body, ";");
  seps.insert(seps.end(), semis.begin(), semis.end());
  std::sort(seps.begin(), seps.end());
  std::vector<std::pair<std::size_t, std::size_t>> pieces;
  std::size_t start = 0;
  for (std::size_t k = 0; k < seps.size(); ++k) {
    const std::size_t s = seps[k];
    const std::size_t next = k + 1 < seps.size() ? seps[k + 1] : body.size();
    if (body[s] == ';' || has_top_level_assignment(body.substr(s + 1, next - s - 1))) {
      pieces.emplace_back(start, s);
      start = s + 1;
    }
  }
  pieces.emplace_back(start, body.size());
  return pieces;
}

void scan_piece(std::string_view body, std::size_t begin, std::size_t end,
                std::vector<FormulaBlank>& blanks) {
  std::size_t cursor = begin;  // start of the current left-hand side
  int depth = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const char c = body[i];
    if (is_open(c)) {
      ++depth;
      continue;
    }
    if (is_close(c)) {
      if (depth > 0) --depth;
      continue;
    }
    if (depth != 0 || !is_assignment(body, i)) continue;
    if (trim(body.substr(cursor, i - cursor)).empty()) continue;  // no LHS
    const bool loose = (i > begin && body[i - 1] == ' ') || (i + 1 < end && body[i + 1] == ' ');
    std::size_t rb = i + 1;
    while (rb < end && is_space(body[rb])) ++rb;
    std::size_t re;
    if (loose) {
      re = end;
      while (re > rb && is_space(body[re - 1])) --re;
      re = strip_trailing_hint(body, rb, re);
    } else {
      re = tight_rhs_end(body, rb, end);
    }
    if (re <= rb) continue;
    std::size_t lhs_end = i;
    while (lhs_end > cursor && is_space(body[lhs_end - 1])) --lhs_end;
    blanks.push_back({lhs_end, rb, re});
    if (loose) return;  // a loose right-hand side runs to the piece's end
    cursor = re;
    i = re - 1;
  }
}

// `tail` without the bracketed examples in it: "(e.g., 512/8 = 64)" works
// the formula out, so it stays on the back only. With a single blank every
// bracketed aside leaves the front: "(m̂=m/(1-β₁ᵗ))" and "(same as binary!)"
// give the blank away, "(baseline)" and "(RetinaNet, 2017)" add nothing to
// the question. With several blanks an aside labels its blank ("AUC = ____
// (random), AUC = ____ (perfect)", "(i≠j)") and stays.
//
// Only an aside leaves: a bracket after the blank, or after a space that
// follows a word or a closing bracket. "e(X)" (no space: an argument) and
// "; R & R 1983: (Y(0), Y(1)) ⊥ T" (it opens a clause: an operand) are the
// point's text, and a front never loses the text it shows.
bool is_aside(std::string_view tail, std::size_t open) {
  if (open == 0) return true;
  if (!is_space(tail[open - 1])) return false;
  std::size_t k = open;
  while (k > 0 && is_space(tail[k - 1])) --k;
  if (k == 0) return true;  // right after the blank
  const char before = tail[k - 1];
  if (std::strchr(":;,([{", before) != nullptr) return false;
  return !ends_with_operator(tail.substr(0, k));
}

std::string without_examples(std::string_view tail, bool every_aside) {
  std::string out;
  std::size_t cursor = 0;
  for (std::size_t open : find_top_level(tail, "(")) {
    if (open < cursor) continue;
    const std::size_t close = find_matching_close(tail, open);
    if (close == std::string_view::npos) break;
    const std::string_view inner = trim(tail.substr(open + 1, close - open - 1));
    if (!every_aside && !starts_with_no_case(inner, "e.g") && !starts_with_no_case(inner, "i.e"))
      continue;
    if (!is_aside(tail, open)) continue;
    std::size_t cut = open;
    while (cut > cursor && is_space(tail[cut - 1])) --cut;
    out.append(tail.substr(cursor, cut - cursor));
    cursor = close + 1;
  }
  out.append(tail.substr(cursor));
  return out;
}

// The part of a left-hand side that is its own: "‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖;
// step η" -> "step η" (the pieces before it are other statements).
std::string_view own_lhs(std::string_view lhs) {
  std::size_t start = 0;
  for (const char* sep : {";", ",", ":"}) {
    const std::vector<std::size_t> at = find_top_level(lhs, sep);
    if (!at.empty()) start = std::max(start, at.back() + 1);
  }
  return trim(lhs.substr(start));
}

// "f(x_k) − f* ≤ L‖x₀ − x*‖² / 2k = ____", "LOF ≫ 1 = ____": the blank ends
// a chain that the front has already stated, so it is read off the front
// ("O(1/k)") or follows from the relation ("outlier").
bool holds_relation(std::string_view lhs) {
  for (std::string_view op : {"≤", "≥", "≪", "≫", "≈", "∝", "→", "⇒", "<", ">"}) {
    if (lhs.find(op) != std::string_view::npos) return true;
  }
  return false;
}

// "2 × 32 × 32 × 128 × 2 B = ____": numbers worked out on the front; the
// blank is arithmetic, not recall.
bool holds_arithmetic(std::string_view lhs) {
  for (std::size_t i = 0; i < lhs.size(); ++i) {
    if (!is_digit(lhs[i])) continue;
    std::size_t j = i + 1;
    while (j < lhs.size() && (is_digit(lhs[j]) || lhs[j] == '.')) ++j;
    while (j < lhs.size() && is_space(lhs[j])) ++j;
    const std::string_view rest = lhs.substr(j);
    const auto op = std::find_if(std::begin(kOperators), std::end(kOperators),
                                 [&](std::string_view o) { return rest.starts_with(o); });
    if (op == std::end(kOperators)) continue;
    j += op->size();
    while (j < lhs.size() && is_space(lhs[j])) ++j;
    if (j < lhs.size() && is_digit(lhs[j])) return true;
  }
  return false;
}

// A word of five letters or more of the blank that the front shows anyway:
// "anomaly score = ____" under "[F.2 Reconstruction-Based Detection ...]"
// hides "reconstruction error".
bool word_shown(std::string_view hidden, std::string_view shown) {
  const auto letter = [](char c) { return is_ascii_alnum(c) && !is_digit(c); };
  std::size_t i = 0;
  while (i < hidden.size()) {
    std::size_t j = i;
    while (j < hidden.size() && letter(hidden[j])) ++j;
    if (j - i >= 5 && contains_no_case(shown, hidden.substr(i, j - i))) return true;
    i = j + 1;
  }
  return false;
}

// The words of `text` outside brackets.
std::vector<std::string_view> top_level_words(std::string_view text) {
  std::vector<std::string_view> words;
  int depth = 0;
  std::size_t start = std::string_view::npos;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    if (depth == 0 && is_space(c)) {
      if (start != std::string_view::npos) words.push_back(text.substr(start, i - start));
      start = std::string_view::npos;
      continue;
    }
    if (is_open(c)) ++depth;
    if (is_close(c) && depth > 0) --depth;
    if (start == std::string_view::npos) start = i;
  }
  return words;
}

// A word of English prose: two or more lower-case ASCII letters ("and",
// "in", "counter", "is"), not a symbol ("QKᵀ", "E[x²]", "softmax(S)").
bool is_prose_word(std::string_view word) {
  return word.size() >= 2 &&
         std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// A term of mathematics: it holds something that is not a letter
// ("QKᵀ", "1e−8", "E[x²]", "σ").
bool is_math_token(std::string_view word) {
  return std::any_of(word.begin(), word.end(),
                     [](char c) { return !is_ascii_alnum(c) || is_digit(c); });
}

// "S = QKᵀ and P = softmax(S) in HBM → memory-bound", "Var = E[x²] − E[x]²
// in one pass → catastrophic cancellation → …": the blank's formula is
// followed by prose and then by an arrow, so it only names the symbols the
// point goes on to use; the idea lies after the arrow, and the chain rules
// ask for it. "s = 1 − p̂(x) → {y : …}" (no prose before the arrow) and
// "Causal version = RNN with matrix state … → …" (a name's expansion) stay
// formulas.
bool idea_after_arrow(std::string_view rhs) {
  const std::size_t arrow = find_first_top_level(rhs, kArrow);
  if (arrow == std::string_view::npos) return false;
  const std::vector<std::string_view> words = top_level_words(rhs.substr(0, arrow));
  if (words.size() < 2 || !is_math_token(words.front())) return false;
  return std::any_of(words.begin() + 1, words.end(), is_prose_word);
}

// "update = counter increment": words of prose, not mathematics.
bool is_prose(std::string_view rhs) {
  const std::vector<std::string_view> words = split_words(rhs);
  return words.size() >= 2 && std::all_of(words.begin(), words.end(), [](std::string_view w) {
           return std::all_of(w.begin(), w.end(), [](char c) {
             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '\'';
           });
         }) && words.front()[0] >= 'a' && words.front()[0] <= 'z';
}

// "1e−8 is below fp16's smallest subnormal": a number that leads a
// sentence. Its length in bytes, 0 when the text does not open with one.
std::size_t leading_number(std::string_view rhs) {
  if (rhs.empty() || !is_digit(rhs.front())) return 0;
  std::size_t i = 0;
  while (i < rhs.size() && !is_space(rhs[i])) {
    const char c = rhs[i];
    if (is_digit(c) || c == '.' || c == 'e' || c == 'E' || c == '-') {
      ++i;
    } else if (rhs.substr(i).starts_with("−")) {
      i += std::string_view("−").size();
    } else {
      return 0;
    }
  }
  return i;
}
}  // namespace

std::optional<Built> build_formula(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  // Every blank sits right of an '=' (is_assignment): none, no formula.
  if (point.find('=') == std::string_view::npos) return std::nullopt;
  std::string prefix;
  std::string_view body = point;
  if (const auto& split = ctx.reading.colon) {
    prefix = std::string(split->term) + ": ";
    body = split->rest;
  }
  std::vector<FormulaBlank> blanks;
  for (const auto& [begin, end] : formula_pieces(body)) scan_piece(body, begin, end, blanks);
  if (blanks.empty()) return std::nullopt;
  for (const FormulaBlank& b : blanks)
    if (idea_after_arrow(body.substr(b.rhs_begin, b.rhs_end - b.rhs_begin))) return std::nullopt;
  // "ε = 1e−8 is the default": the number alone is the blank, the sentence
  // after it stays on the front (a value, as "γ = ____ reduces to …").
  bool value_lead = false;
  if (blanks.size() == 1) {
    FormulaBlank& b = blanks.front();
    const std::string_view rhs = body.substr(b.rhs_begin, b.rhs_end - b.rhs_begin);
    const std::size_t n = leading_number(rhs);
    const std::vector<std::string_view> words = split_words(rhs);
    if (n > 0 && n < rhs.size() && words.size() >= 2 && is_prose_word(words[1])) {
      b.rhs_end = b.rhs_begin + n;
      value_lead = true;
    }
  }

  Built built;
  built.kind = CardKind::kCloze;
  std::string front = prefix;
  std::size_t cursor = 0;
  for (const FormulaBlank& b : blanks) {
    const std::string_view lhs = body.substr(cursor, b.lhs_end - cursor);
    const std::string_view rhs = body.substr(b.rhs_begin, b.rhs_end - b.rhs_begin);
    front.append(lhs).append(" = ").append(kBlank);
    built.back.append(lhs).append(" = ").append(rhs);
    built.hidden.emplace_back(rhs);
    cursor = b.rhs_end;
  }
  front.append(without_examples(body.substr(cursor), blanks.size() == 1));
  built.back.append(body.substr(cursor));
  built.question =
      std::string(blanks.size() > 1 ? "Fill in the blanks: " : "Fill in the blank: ") + front;
  built.rule = "cloze/formula";
  // "SFT = sparse RL with indicator reward", "AUC = P(...)": a name on the
  // left is a word, not a variable, and its expansion fills the blank too.
  const std::string_view lhs = trim(body.substr(0, blanks.front().lhs_end));
  const bool word_lhs =
      blanks.size() == 1 && lhs.size() >= 2 &&
      std::all_of(lhs.begin(), lhs.end(),
                  [](char c) { return is_ascii_alnum(c) || c == ' ' || c == '-'; }) &&
      !std::any_of(lhs.begin(), lhs.end(), is_digit);
  if (word_lhs) built.rule = "cloze/word-formula";
  // "γ = ____ reduces to weighted CE", "β₂ = ____ needs correction longer
  // than ...": a number in a sentence, which the rest of it all but gives.
  for (std::size_t k = 0; k < blanks.size(); ++k) {
    const std::string_view rhs =
        body.substr(blanks[k].rhs_begin, blanks[k].rhs_end - blanks[k].rhs_begin);
    const bool number =
        std::all_of(rhs.begin(), rhs.end(),
                    [](char c) { return is_digit(c) || c == '.' || c == '-' || c == 'e'; }) &&
        std::any_of(rhs.begin(), rhs.end(), is_digit);
    const std::string_view after = trim(body.substr(
        blanks[k].rhs_end,
        (k + 1 < blanks.size() ? blanks[k + 1].lhs_end : body.size()) - blanks[k].rhs_end));
    if (number && !after.empty() && is_ascii_alnum(after.front())) built.rule = "cloze/value";
  }
  if (value_lead) built.rule = "cloze/value-lead";
  // The front shows what a blank holds: a chain it already states, numbers
  // it works out, or a word of the blank in the front or the topic's title.
  if (built.rule == "cloze/formula") {
    std::size_t from = 0;
    for (const FormulaBlank& b : blanks) {
      const std::string_view lhs = own_lhs(body.substr(from, b.lhs_end - from));
      const std::string_view rhs = body.substr(b.rhs_begin, b.rhs_end - b.rhs_begin);
      if (holds_relation(lhs) || holds_arithmetic(lhs) || word_shown(rhs, front) ||
          word_shown(rhs, ctx.topic_title)) {
        built.rule = "cloze/formula-shown";
        break;
      }
      from = b.rhs_end;
    }
  }
  // "update = counter increment": the blank is words, not a formula.
  if (built.rule == "cloze/formula" &&
      std::all_of(built.hidden.begin(), built.hidden.end(),
                  [](const std::string& h) { return is_prose(h); }))
    built.rule = "cloze/prose";
  return built;
}

}  // namespace recall::cardgen
