// Key points become cards; see docs/cards.md for the rules with examples.
// Identity keys and matching are in identity.cpp (rule in recall/identity.h).
//
// Everything here is a hand-written scanner (no std::regex): imports of
// 60,000 points must stay linear.

#include "recall/cards.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <future>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "recall/error.h"

namespace recall {
namespace {

// ---------------------------------------------------------------------------
// Text helpers

constexpr std::string_view kBlank = "____";
constexpr std::string_view kArrow = "→";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

// Bytes of a "word" for boundary checks: ASCII letters and digits, and every
// byte of a non-ASCII character (ŷ, β₁, ∂ are letters in this material).
bool IsWordByte(char c) {
  return IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Appends `piece` lower-cased: only ASCII letters change, so a UTF-8
// sequence is copied as it is.
void AppendLower(std::string& out, std::string_view piece) {
  for (char c : piece) out += ToLower(c);
}

std::string Lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  AppendLower(out, s);
  return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ToLower(s[i]) != ToLower(prefix[i])) return false;
  }
  return true;
}

int CountWords(std::string_view s) {
  int words = 0;
  bool in_word = false;
  for (char c : s) {
    if (IsSpace(c)) {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++words;
    }
  }
  return words;
}

// Decodes the code point at text[i] and advances i. A byte that does not
// start a valid sequence decodes as itself, so no input is ever rejected.
char32_t NextCodePoint(std::string_view text, std::size_t& i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const int len = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (len == 0 || i + len > text.size()) {
    ++i;
    return c;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return c;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += len;
  return cp;
}

// Non-ASCII punctuation that separates words: dashes, bullets, quotes,
// arrows, the warning sign and its emoji selector.
bool IsSeparatorCodePoint(char32_t cp) {
  switch (cp) {
    case 0x00A0: case 0x00B7: case 0x2013: case 0x2014: case 0x2016:
    case 0x2018: case 0x2019: case 0x201C: case 0x201D: case 0x2022:
    case 0x2026: case 0x26A0: case 0xFE0F:
      return true;
    default:
      return cp >= 0x2190 && cp <= 0x21FF;  // arrows
  }
}

// Finds `needle` in `hay` as a whole term: not glued to letters or digits on
// a side where the needle itself starts/ends with a word character. Used to
// prove that a front does not show the hidden answer ("0" may appear inside
// "2017", but not on its own).
bool ContainsTerm(std::string_view hay, std::string_view needle) {
  needle = Trim(needle);
  if (needle.empty()) return false;
  for (std::size_t pos = hay.find(needle); pos != std::string_view::npos;
       pos = hay.find(needle, pos + 1)) {
    const std::size_t end = pos + needle.size();
    const bool left_ok = pos == 0 || !IsWordByte(hay[pos - 1]) || !IsWordByte(needle.front());
    const bool right_ok = end == hay.size() || !IsWordByte(hay[end]) || !IsWordByte(needle.back());
    if (left_ok && right_ok) return true;
  }
  return false;
}

bool IsOpen(char c) { return c == '(' || c == '[' || c == '{'; }
bool IsClose(char c) { return c == ')' || c == ']' || c == '}'; }

// Positions of `needle` outside any bracket pair. Separators inside
// "(e.g., 512/8 = 64)" or "r(x,y)" belong to the bracket, not to the point.
std::vector<std::size_t> FindTopLevel(std::string_view text, std::string_view needle) {
  std::vector<std::size_t> found;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (depth == 0 && text[i] == needle.front() && text.compare(i, needle.size(), needle) == 0) {
      found.push_back(i);
    }
    if (IsOpen(text[i])) {
      ++depth;
    } else if (IsClose(text[i]) && depth > 0) {
      --depth;
    }
  }
  return found;
}

std::size_t FindMatchingClose(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (IsOpen(text[i])) ++depth;
    if (IsClose(text[i]) && --depth == 0) return i;
  }
  return std::string_view::npos;
}

std::size_t FindMatchingOpen(std::string_view text, std::size_t close) {
  int depth = 0;
  for (std::size_t i = close + 1; i-- > 0;) {
    if (IsClose(text[i])) ++depth;
    if (IsOpen(text[i]) && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Key point cleaning

// "⚠️ Review needed: X" is the tutor's flag on a point; the card asks about
// X and carries the tag "review". The flag is not part of the identity, so
// removing it once the point is reviewed keeps the schedule.
struct CleanPoint {
  std::string_view text;  // a part of the raw point: valid while it is
  bool flagged = false;
};

CleanPoint CleanKeyPoint(std::string_view raw) {
  static constexpr std::string_view kWarning = "⚠";
  static constexpr std::string_view kEmojiSelector = "\xEF\xB8\x8F";
  CleanPoint clean;
  std::string_view text = Trim(raw);
  if (text.substr(0, kWarning.size()) == kWarning) {
    clean.flagged = true;
    text.remove_prefix(kWarning.size());
    if (text.substr(0, kEmojiSelector.size()) == kEmojiSelector) {
      text.remove_prefix(kEmojiSelector.size());
    }
    text = Trim(text);
    for (std::string_view prefix : {"Review needed:", "Needs review:", "Review:"}) {
      if (StartsWithNoCase(text, prefix) && text.size() > prefix.size()) {
        text = Trim(text.substr(prefix.size()));
        break;
      }
    }
  }
  clean.text = text;
  return clean;
}

// ---------------------------------------------------------------------------
// Card shapes. Each builder returns nullopt when the point does not have its
// shape; the first shape whose front provably hides its answer wins.

struct Built {
  CardKind kind = CardKind::kComplete;
  std::string question;               // front, after the context line
  std::string back;                   // back, after the context line
  std::vector<std::string> hidden;    // what the front must not show
};

struct ColonSplit {
  std::string_view term;  // "ROC axes"
  std::string_view rest;  // "x=FPR, y=TPR"
};

constexpr int kMaxTermWords = 6;

// "Term: explanation" with a short term (at most six words, no formula).
std::optional<ColonSplit> SplitColonTerm(std::string_view point) {
  const std::vector<std::size_t> colons = FindTopLevel(point, ": ");
  if (colons.empty()) return std::nullopt;
  ColonSplit split{Trim(point.substr(0, colons.front())),
                   Trim(point.substr(colons.front() + 1))};
  if (split.term.empty() || split.rest.empty()) return std::nullopt;
  if (CountWords(split.term) > kMaxTermWords) return std::nullopt;
  if (split.term.find('=') != std::string_view::npos) return std::nullopt;
  return split;
}

// --- Formulas: "X = Y", "x=FPR, y=TPR", "∂L/∂w = (ŷ - y)x + λw" ----------

struct FormulaBlank {
  std::size_t lhs_end;    // end of the left-hand side (spaces trimmed)
  std::size_t rhs_begin;  // the hidden right-hand side [rhs_begin, rhs_end)
  std::size_t rhs_end;
};

bool IsAssignment(std::string_view s, std::size_t i) {
  if (s[i] != '=') return false;
  if (i > 0 && std::strchr("=<>!", s[i - 1]) != nullptr) return false;
  if (i + 1 < s.size() && (s[i + 1] == '=' || s[i + 1] == '>')) return false;
  return true;
}

bool HasTopLevelAssignment(std::string_view s) {
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (IsOpen(s[i])) {
      ++depth;
    } else if (IsClose(s[i]) && depth > 0) {
      --depth;
    } else if (depth == 0 && IsAssignment(s, i)) {
      return true;
    }
  }
  return false;
}

bool EndsWithOperator(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return true;
  if (std::strchr("+-*/=^", s.back()) != nullptr) return true;
  for (std::string_view op : {"×", "·", "−"}) {
    if (s.size() >= op.size() && s.substr(s.size() - op.size()) == op) return true;
  }
  return false;
}

// "w - lr*dw (baseline)": a trailing parenthesis after a complete expression
// is a hint that stays visible; in "δ × (input to that layer)" it is an
// operand and is hidden with the rest.
std::size_t StripTrailingHint(std::string_view body, std::size_t begin, std::size_t end) {
  if (end <= begin || body[end - 1] != ')') return end;
  const std::size_t open = FindMatchingOpen(body, end - 1);
  if (open == std::string_view::npos || open <= begin + 1 || body[open - 1] != ' ') return end;
  const std::string_view before = body.substr(begin, open - 1 - begin);
  if (Trim(before).empty() || EndsWithOperator(before)) return end;
  std::size_t hint_start = open - 1;
  while (hint_start > begin && IsSpace(body[hint_start - 1])) --hint_start;
  return hint_start;
}

// End of a tight right-hand side ("x=FPR," -> "FPR"): up to a space, comma
// or semicolon outside brackets.
std::size_t TightRhsEnd(std::string_view body, std::size_t begin, std::size_t limit) {
  int depth = 0;
  std::size_t i = begin;
  for (; i < limit; ++i) {
    const char c = body[i];
    if (IsOpen(c)) {
      ++depth;
    } else if (IsClose(c)) {
      if (depth == 0) break;
      --depth;
    } else if (depth == 0 && (IsSpace(c) || c == ',' || c == ';')) {
      break;
    }
  }
  return depth == 0 ? i : begin;
}

// Pieces are split at top-level ';' and at top-level ',' that start a new
// assignment, so "same pattern, different rate" stays one right-hand side
// while "x=FPR, y=TPR" is two.
std::vector<std::pair<std::size_t, std::size_t>> FormulaPieces(std::string_view body) {
  std::vector<std::size_t> seps = FindTopLevel(body, ",");
  const std::vector<std::size_t> semis = FindTopLevel(body, ";");
  seps.insert(seps.end(), semis.begin(), semis.end());
  std::sort(seps.begin(), seps.end());
  std::vector<std::pair<std::size_t, std::size_t>> pieces;
  std::size_t start = 0;
  for (std::size_t k = 0; k < seps.size(); ++k) {
    const std::size_t s = seps[k];
    const std::size_t next = k + 1 < seps.size() ? seps[k + 1] : body.size();
    if (body[s] == ';' || HasTopLevelAssignment(body.substr(s + 1, next - s - 1))) {
      pieces.emplace_back(start, s);
      start = s + 1;
    }
  }
  pieces.emplace_back(start, body.size());
  return pieces;
}

void ScanPiece(std::string_view body, std::size_t begin, std::size_t end,
               std::vector<FormulaBlank>& blanks) {
  std::size_t cursor = begin;  // start of the current left-hand side
  int depth = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const char c = body[i];
    if (IsOpen(c)) {
      ++depth;
      continue;
    }
    if (IsClose(c)) {
      if (depth > 0) --depth;
      continue;
    }
    if (depth != 0 || !IsAssignment(body, i)) continue;
    if (Trim(body.substr(cursor, i - cursor)).empty()) continue;  // no LHS
    const bool loose = (i > begin && body[i - 1] == ' ') || (i + 1 < end && body[i + 1] == ' ');
    std::size_t rb = i + 1;
    while (rb < end && IsSpace(body[rb])) ++rb;
    std::size_t re;
    if (loose) {
      re = end;
      while (re > rb && IsSpace(body[re - 1])) --re;
      re = StripTrailingHint(body, rb, re);
    } else {
      re = TightRhsEnd(body, rb, end);
    }
    if (re <= rb) continue;
    std::size_t lhs_end = i;
    while (lhs_end > cursor && IsSpace(body[lhs_end - 1])) --lhs_end;
    blanks.push_back({lhs_end, rb, re});
    if (loose) return;  // a loose right-hand side runs to the piece's end
    cursor = re;
    i = re - 1;
  }
}

std::optional<Built> BuildFormula(std::string_view point) {
  // Every blank sits right of an '=' (IsAssignment): none, no formula.
  if (point.find('=') == std::string_view::npos) return std::nullopt;
  std::string prefix;
  std::string_view body = point;
  if (auto split = SplitColonTerm(point)) {
    prefix = std::string(split->term) + ": ";
    body = split->rest;
  }
  std::vector<FormulaBlank> blanks;
  for (const auto& [begin, end] : FormulaPieces(body)) ScanPiece(body, begin, end, blanks);
  if (blanks.empty()) return std::nullopt;

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
  front.append(body.substr(cursor));
  built.back.append(body.substr(cursor));
  built.question = std::string(blanks.size() > 1 ? "Fill in the blanks: " : "Fill in the blank: ") + front;
  return built;
}

// --- Chains: "X → Y → Z" -------------------------------------------------

// One card per chain, hiding its last step: the end of a pipeline or a
// causal chain is what an interviewer asks for.
std::optional<Built> BuildChain(std::string_view point) {
  if (point.find(kArrow) == std::string_view::npos) return std::nullopt;
  const std::vector<std::size_t> arrows = FindTopLevel(point, kArrow);
  if (arrows.empty()) return std::nullopt;
  std::size_t start = 0;
  for (std::size_t a : arrows) {
    if (Trim(point.substr(start, a - start)).empty()) return std::nullopt;
    start = a + kArrow.size();
  }
  const std::string_view last = Trim(point.substr(start));
  if (last.empty()) return std::nullopt;
  Built built;
  built.kind = CardKind::kChain;
  built.question = "What follows? " + std::string(Trim(point.substr(0, arrows.back()))) + " → ?";
  built.back = std::string(point);
  built.hidden.emplace_back(last);
  return built;
}

// --- Comparisons: "A vs B", "A (...) vs B (...)" -------------------------

std::string_view StripTrailingParens(std::string_view s) {
  s = Trim(s);
  while (!s.empty() && s.back() == ')') {
    const std::size_t open = FindMatchingOpen(s, s.size() - 1);
    if (open == std::string_view::npos || open == 0) break;
    s = Trim(s.substr(0, open));
  }
  return s;
}

std::string_view CutComparand(std::string_view s) {
  std::size_t end = s.size();
  for (std::string_view stop : {"(", ":", ",", ";", " — ", " – "}) {
    const std::vector<std::size_t> at = FindTopLevel(s, stop);
    if (!at.empty()) end = std::min(end, at.front());
  }
  return Trim(s.substr(0, end));
}

// Whether `s` has " vs" in any ASCII case: both separators below start so.
bool HasVs(std::string_view s) {
  for (std::size_t i = s.find(' '); i != std::string_view::npos && i + 2 < s.size();
       i = s.find(' ', i + 1)) {
    if (ToLower(s[i + 1]) == 'v' && ToLower(s[i + 2]) == 's') return true;
  }
  return false;
}

std::optional<Built> BuildComparison(std::string_view point) {
  if (!HasVs(point)) return std::nullopt;
  const std::string lower = Lower(point);
  std::vector<std::size_t> at = FindTopLevel(lower, " vs ");
  std::size_t skip = 4;
  if (at.empty()) {
    at = FindTopLevel(lower, " vs. ");
    skip = 5;
  }
  if (at.empty()) return std::nullopt;
  std::string_view left = point.substr(0, at.front());
  const std::vector<std::size_t> colons = FindTopLevel(left, ": ");
  if (!colons.empty()) left = left.substr(colons.back() + 1);
  std::string a(StripTrailingParens(left));
  const std::string b(CutComparand(point.substr(at.front() + skip)));
  if (a.empty() || b.empty() || CountWords(a) > 8 || CountWords(b) > 8) return std::nullopt;
  // "On vs off-policy" compares on-policy with off-policy.
  const std::size_t hyphen = b.rfind('-');
  if (a.size() <= 3 && a.find('-') == std::string::npos && CountWords(b) == 1 &&
      hyphen != std::string::npos && hyphen > 0 && hyphen + 1 < b.size()) {
    a += b.substr(hyphen);
  }
  Built built;
  built.kind = CardKind::kComparison;
  built.question = "What is the difference between " + a + " and " + b + "?";
  built.back = std::string(point);
  built.hidden.emplace_back(point);
  return built;
}

// --- Definitions: "Term: explanation" --------------------------------------

std::optional<Built> BuildDefinition(std::string_view point, std::string_view topic_title) {
  const auto split = SplitColonTerm(point);
  if (!split) return std::nullopt;
  Built built;
  built.kind = CardKind::kDefinition;
  built.question = "In the context of " + std::string(topic_title) + ", explain: " +
                   std::string(split->term);
  built.back = std::string(point);
  built.hidden.emplace_back(split->rest);
  return built;
}

// --- Fallback clozes ---------------------------------------------------------

Built ClozeOf(std::string_view point, std::size_t begin, std::size_t end) {
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

std::vector<ClozeSpan> ParenClozes(std::string_view point) {
  std::vector<ClozeSpan> out;
  for (std::size_t open : FindTopLevel(point, " (")) {
    const std::size_t close = FindMatchingClose(point, open + 1);
    if (close == std::string_view::npos) continue;
    const std::string_view inner = Trim(point.substr(open + 2, close - open - 2));
    if (inner.empty() || CountWords(inner) > kMaxTermWords) continue;
    if (StartsWithNoCase(inner, "e.g") || StartsWithNoCase(inner, "i.e")) continue;
    out.emplace_back(open + 2, close);
  }
  return out;
}

// How technical a token looks: acronyms and CamelCase (AUC, RMSProp, W^O),
// numbers (O(n²), 1/T², 49x), symbols (Precision@k). Zero for plain words.
int TermScore(std::string_view token) {
  int upper_inside = 0;
  bool digit = false;
  bool symbol = false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    if (i > 0 && c >= 'A' && c <= 'Z') ++upper_inside;
    if (IsDigit(c)) digit = true;
    if (c == '@' || c == '^' || c == '_') symbol = true;
  }
  if (token.find("²") != std::string_view::npos) digit = true;
  // Function notation: O(n!), log(k).
  const std::size_t paren = token.find('(');
  if (paren != std::string_view::npos && paren > 0 && token.back() == ')') symbol = true;
  return (upper_inside > 0 ? 2 : 0) + (digit ? 2 : 0) + (symbol ? 1 : 0);
}

std::vector<ClozeSpan> TermClozes(std::string_view point) {
  struct Candidate {
    int score;
    std::size_t begin, end;
  };
  std::vector<Candidate> candidates;
  std::size_t i = 0;
  while (i < point.size()) {
    while (i < point.size() && IsSpace(point[i])) ++i;
    std::size_t begin = i;
    while (i < point.size() && !IsSpace(point[i])) ++i;
    std::size_t end = i;
    // Trailing punctuation and an unbalanced bracket belong to the sentence.
    while (end > begin && std::strchr(",;:.!?\"'", point[end - 1]) != nullptr) --end;
    while (begin < end && (point[begin] == '(' || point[begin] == '"')) ++begin;
    while (end > begin && point[end - 1] == ')' &&
           FindMatchingOpen(point.substr(0, end), end - 1) < begin) {
      --end;
    }
    if (end <= begin) continue;
    const int score = TermScore(point.substr(begin, end - begin));
    if (score > 0) candidates.push_back({score, begin, end});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
  std::vector<ClozeSpan> out;
  for (const Candidate& c : candidates) out.emplace_back(c.begin, c.end);
  return out;
}

// --- Last resort: complete the point --------------------------------------

Built BuildComplete(std::string_view point) {
  const std::size_t n = point.size();
  std::size_t cut = std::string_view::npos, resume = 0;
  // Prefer a natural break (", ", "; ", " — ") near the middle.
  for (std::string_view sep : {", ", "; ", " — "}) {
    for (std::size_t at : FindTopLevel(point, sep)) {
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
    built.question = "Complete the point: " + std::string(Trim(point.substr(0, cut))) + " …";
    built.hidden.emplace_back(Trim(point.substr(resume)));
  }
  return built;
}

bool HidesAnswer(const Built& built, std::string_view context) {
  for (const std::string& h : built.hidden) {
    if (ContainsTerm(context, h) || ContainsTerm(built.question, h)) return false;
  }
  return true;
}

// Shapes in order of specificity; the first that hides its answer wins.
Built BuildPointCard(std::string_view point, std::string_view topic_title,
                     std::string_view context) {
  const auto usable = [context](const std::optional<Built>& b) {
    return b && HidesAnswer(*b, context);
  };
  if (auto b = BuildFormula(point); usable(b)) return std::move(*b);
  if (auto b = BuildChain(point); usable(b)) return std::move(*b);
  if (auto b = BuildComparison(point); usable(b)) return std::move(*b);
  if (auto b = BuildDefinition(point, topic_title); usable(b)) return std::move(*b);
  for (const auto& [begin, end] : ParenClozes(point)) {
    if (Built b = ClozeOf(point, begin, end); HidesAnswer(b, context)) return b;
  }
  for (const auto& [begin, end] : TermClozes(point)) {
    if (Built b = ClozeOf(point, begin, end); HidesAnswer(b, context)) return b;
  }
  return BuildComplete(point);
}

// ---------------------------------------------------------------------------
// Terms for linking gaps and checklist items to cards

bool IsStopWord(std::string_view w) {
  // English function words, plus the words the tutor uses to talk *about*
  // a gap ("recurring", "need drilling", "Session 5") rather than its topic.
  static const std::unordered_set<std::string_view> kStop = {
      "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by",
      "for", "with", "from", "as", "is", "are", "was", "were", "be", "been",
      "it", "its", "this", "that", "these", "those", "vs", "via", "per", "not",
      "no", "than", "then", "so", "do", "does", "don", "can", "could",
      "should", "would", "will", "what", "when", "how", "why", "which", "who",
      "eg", "ie", "etc", "into", "over", "about", "all", "any", "each", "more",
      "most", "less", "same", "only", "also", "too", "very", "just", "up",
      "out", "between", "across", "we", "you", "your", "need", "needs",
      "needed", "again", "recurring", "session", "drilling", "drill", "review",
      "detail", "details", "practice", "practices", "always", "mention",
      "early", "summary", "specific", "done", "improving", "steadily",
      "precise", "mechanics", "nuance", "nuances", "explain", "describe",
      "compare", "derive", "discuss", "walk", "through", "step", "identify",
      "handle", "calculate", "use", "using", "used", "example", "examples",
      "original", "say", "says", "paper", "full", "three", "generalize",
      "enumerate", "be", "have", "has", "their", "there", "one", "two"};
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
void StemInPlace(std::string& w) {
  if (w.size() > 4 && w.ends_with("ies")) {
    w.resize(w.size() - 3);
    w += 'y';
  } else if (w.size() > 3 && w.back() == 's' && w[w.size() - 2] != 's') {
    w.pop_back();
  }
}

std::size_t CodePointCount(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    NextCodePoint(s, i);
    ++n;
  }
  return n;
}

// Significant terms of a text, in order, handed to `emit` as a view valid
// during the call: lower-cased words (digits keep their decimal point:
// "0.5"), stop words and single characters dropped, plurals stemmed.
template <typename Emit>
void ForEachTerm(std::string_view text, Emit&& emit) {
  std::string word;
  auto flush = [&]() {
    if (!word.empty() && CodePointCount(word) >= 2 && !IsStopWord(word)) {
      StemInPlace(word);
      if (!IsStopWord(word)) emit(std::string_view(word));
    }
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    const char32_t cp = NextCodePoint(text, i);
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      const bool decimal_point = c == '.' && !word.empty() && IsDigit(word.back()) &&
                                 i < text.size() && IsDigit(text[i]);
      if (IsAsciiAlnum(c) || decimal_point) {
        word += ToLower(c);
      } else {
        flush();
      }
    } else if (IsSeparatorCodePoint(cp)) {
      flush();
    } else {
      word.append(text.substr(start, i - start));
    }
  }
  flush();
}

std::vector<std::string> Terms(std::string_view text) {
  std::vector<std::string> terms;
  ForEachTerm(text, [&](std::string_view term) { terms.emplace_back(term); });
  return terms;
}

std::vector<std::string> UniqueTerms(std::string_view text) {
  std::vector<std::string> terms = Terms(text);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

bool IsPointKind(CardKind kind) {
  return kind == CardKind::kDefinition || kind == CardKind::kCloze ||
         kind == CardKind::kComparison || kind == CardKind::kChain ||
         kind == CardKind::kComplete;
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

  // Indexes the key-point and topic cards among `cards`.
  explicit TermIndex(const std::vector<CardDraft>& cards) {
    Build(cards.size(), [&](std::size_t i) -> std::optional<std::string_view> {
      const CardDraft& card = cards[i];
      if (card.kind == CardKind::kTopic) return std::string_view(card.topic_title);
      if (IsPointKind(card.kind)) return CleanKeyPoint(card.source).text;
      return std::nullopt;
    });
  }
  // Indexes `texts[i]` as card i's text (the cleaned point, the title): every
  // card make_cards builds from the topics, before the cards themselves.
  explicit TermIndex(const std::vector<std::string_view>& texts) {
    Build(texts.size(), [&](std::size_t i) -> std::optional<std::string_view> { return texts[i]; });
  }

  struct Hit {
    int shared = 0;
    double score = 0;
  };

  std::vector<std::size_t> Query(std::string_view text) const {
    // Dense per-card tallies, reused across queries: a common term's
    // postings touch thousands of cards, a hash map per query would not keep up.
    hits_.resize(term_counts_.size());
    touched_.clear();
    for (const std::string& term : UniqueTerms(text)) {
      const auto it = term_ids_.find(std::string_view(term));
      if (it == term_ids_.end()) continue;
      const std::uint32_t begin = posting_starts_[it->second], end = posting_starts_[it->second + 1];
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
  std::vector<int> term_counts_;  // card -> distinct terms
  std::size_t documents_ = 0;
  mutable std::vector<Hit> hits_;              // Query's scratch, all zero between queries
  mutable std::vector<std::size_t> touched_;

  // `text_of(i)`: card i's text, nullopt for a card the index leaves out.
  template <typename TextOf>
  void Build(std::size_t cards, TextOf&& text_of) {
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
        ForEachTerm(*text, [&](std::string_view term) {
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
      for (; k < card_ends[i]; ++k) postings_[fill[card_terms[k]]++] = static_cast<std::uint32_t>(i);
    }
  }
};

// ---------------------------------------------------------------------------
// Drafts

std::string ContextLine(const Topic& topic) {
  std::string line = "[";
  if (!topic.label.empty()) line += topic.label + " ";
  line += topic.title;
  if (topic.domain_letter != '?' || !topic.domain_name.empty()) {
    line += " · ";
    if (topic.domain_letter != '?') line += std::string(1, topic.domain_letter) + ". ";
    line += topic.domain_name;
  }
  return std::string(Trim(line)) + "]";
}

// `context` joined to `text` by a line break, in one allocation.
std::string WithContext(const std::string& context, std::string_view text) {
  std::string out;
  out.reserve(context.size() + 1 + text.size());
  out.append(context).append(1, '\n').append(text);
  return out;
}

// `key` is the topic's topic_keys() entry; `points` the topic's key points, each
// through CleanKeyPoint (computed once per topic by make_cards).
CardDraft TopicDraft(const Topic& topic, const std::string& key, const std::string& context,
                     const std::vector<CleanPoint>& points) {
  CardDraft d;
  d.kind = CardKind::kTopic;
  d.topic_key = key;
  d.topic_label = topic.label;
  d.topic_title = topic.title;
  d.domain_letter = topic.domain_letter;
  d.source = topic.title;
  d.identity = card_identity(d.kind, d.topic_key, d.source);
  d.front = context + "\nExplain " + topic.title +
            " as you would in an interview: what are the key points?";
  for (const CleanPoint& point : points) {
    if (!d.answer.empty()) d.answer += "\n";
    d.answer.append("• ").append(point.text);
  }
  d.back = WithContext(context, d.answer);
  return d;
}

// `clean` is CleanKeyPoint(raw); `key` is the topic's topic_keys() entry.
CardDraft PointDraft(const Topic& topic, const std::string& key, const std::string& context,
                     const std::string& raw, const CleanPoint& clean) {
  Built built = BuildPointCard(clean.text, topic.title, context);
  CardDraft d;
  d.kind = built.kind;
  d.topic_key = key;
  d.topic_label = topic.label;
  d.topic_title = topic.title;
  d.domain_letter = topic.domain_letter;
  d.source = raw;
  d.identity = card_identity(d.kind, d.topic_key, d.source);
  d.front = WithContext(context, built.question);
  d.back = WithContext(context, built.back);
  for (std::size_t i = 0; i < built.hidden.size(); ++i) {
    if (i > 0) d.answer += ", ";
    d.answer += built.hidden[i];
  }
  if (clean.flagged) d.tags.push_back("review");
  return d;
}

bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  return !needle.empty() && Lower(hay).find(Lower(needle)) != std::string::npos;
}

// Checklist groups ("Deep Learning & RL", "System Design") name domains
// loosely; the letter is only for display, so a loose match is enough.
char DomainLetterForGroup(const Tracker& tracker, std::string_view group) {
  if (Trim(group).empty()) return '?';
  for (const Domain& d : tracker.domains) {
    if (ContainsNoCase(d.name, group) || ContainsNoCase(group, d.name)) return d.letter;
  }
  for (const Topic& t : tracker.topics) {
    if (ContainsNoCase(t.domain_name, group) || ContainsNoCase(group, t.domain_name)) {
      return t.domain_letter;
    }
  }
  return '?';
}

constexpr std::size_t kMaxRelatedPoints = 8;

CardDraft ChecklistDraft(const Tracker& tracker, const ChecklistItem& item,
                         const TermIndex& index, const std::vector<CardDraft>& cards) {
  CardDraft d;
  d.kind = CardKind::kChecklist;
  d.source = item.text;
  d.domain_letter = DomainLetterForGroup(tracker, item.group);
  d.identity = card_identity(d.kind, "", d.source);
  d.tags.push_back("checklist");
  const std::string context =
      item.group.empty() ? "[Checklist]" : "[Checklist · " + item.group + "]";
  d.front = WithContext(context, Trim(item.text));
  d.answer = "Self-graded: say your answer aloud, then grade how complete it was.";
  // A linked topic card stands for all of its points.
  std::vector<std::size_t> related_points;
  for (std::size_t link : index.Query(item.text)) {
    if (IsPointKind(cards[link].kind)) {
      related_points.push_back(link);
      continue;
    }
    // make_cards() puts a topic's point cards right before its topic card.
    std::size_t first = link;
    while (first > 0 && IsPointKind(cards[first - 1].kind) &&
           cards[first - 1].topic_key == cards[link].topic_key) {
      --first;
    }
    for (std::size_t i = first; i < link; ++i) related_points.push_back(i);
  }
  std::string related;
  std::unordered_set<std::size_t> listed;
  for (std::size_t i : related_points) {
    if (listed.size() == kMaxRelatedPoints || !listed.insert(i).second) continue;
    related.append("\n• ").append(CleanKeyPoint(cards[i].source).text);
  }
  if (!related.empty()) d.answer += "\nRelated key points:" + related;
  d.back = WithContext(context, d.answer);
  return d;
}

CardDraft GapDraft(const Gap& gap) {
  CardDraft d;
  d.kind = CardKind::kGap;
  d.source = gap.text;
  d.identity = card_identity(d.kind, "", d.source);
  d.tags.push_back("gap");
  const std::string context = gap.tier == GapTier::kHigh ? "[Knowledge gap · High priority]"
                                                         : "[Knowledge gap · Medium priority]";
  d.front = WithContext(context, "Knowledge gap — explain: " + std::string(Trim(gap.text)));
  d.answer = "Self-graded: explain it aloud, then check it against your notes.";
  d.back = WithContext(context, d.answer);
  return d;
}

}  // namespace

// ---------------------------------------------------------------------------
// Public API

std::string_view to_string(CardKind kind) {
  switch (kind) {
    case CardKind::kDefinition: return "definition";
    case CardKind::kCloze: return "cloze";
    case CardKind::kComparison: return "comparison";
    case CardKind::kChain: return "chain";
    case CardKind::kComplete: return "complete";
    case CardKind::kTopic: return "topic";
    case CardKind::kChecklist: return "checklist";
    case CardKind::kGap: return "gap";
  }
  return "complete";
}

CardKind card_kind_from_string(std::string_view name) {
  for (CardKind kind : {CardKind::kDefinition, CardKind::kCloze, CardKind::kComparison,
                        CardKind::kChain, CardKind::kComplete, CardKind::kTopic,
                        CardKind::kChecklist, CardKind::kGap}) {
    if (to_string(kind) == name) return kind;
  }
  throw Error::data("unknown card kind '" + std::string(name) + "'");
}

std::vector<CardDraft> make_cards(const Tracker& tracker,
                                  std::vector<std::vector<std::size_t>>* gap_links) {
  std::vector<CardDraft> cards;
  std::size_t points = 0;
  for (const Topic& topic : tracker.topics) points += topic.key_points.size() + 1;
  cards.reserve(points + tracker.checklist.size() + tracker.gaps.size());
  // Each topic's points cleaned once (views of the tracker's own strings).
  // What the gap index reads of each card the topics give, in the order the
  // loop below makes them (a card per non-empty point, then the topic card):
  // the cleaned point, the title.
  const auto drafted = [](const std::string& point) { return !Trim(point).empty(); };
  std::vector<std::vector<CleanPoint>> cleaned(tracker.topics.size());
  std::vector<std::string_view> index_texts;
  index_texts.reserve(cards.capacity());
  for (std::size_t t = 0; t < tracker.topics.size(); ++t) {
    for (const std::string& point : tracker.topics[t].key_points) {
      cleaned[t].push_back(CleanKeyPoint(point));
      if (drafted(point)) index_texts.push_back(cleaned[t].back().text);
    }
    index_texts.push_back(tracker.topics[t].title);
  }
  // The index needs those texts only: it is built on a second thread while
  // this one makes the drafts (both read the tracker, neither writes it).
  std::future<TermIndex> building =
      std::async(std::launch::async, [&index_texts] { return TermIndex(index_texts); });

  const std::vector<std::string> keys = topic_keys(tracker.topics);
  for (std::size_t t = 0; t < tracker.topics.size(); ++t) {
    const Topic& topic = tracker.topics[t];
    const std::string context = ContextLine(topic);
    const std::string& key = keys[t];
    for (std::size_t p = 0; p < topic.key_points.size(); ++p) {
      if (!drafted(topic.key_points[p])) continue;
      cards.push_back(PointDraft(topic, key, context, topic.key_points[p], cleaned[t][p]));
    }
    cards.push_back(TopicDraft(topic, key, context, cleaned[t]));
  }

  const TermIndex index = building.get();
  std::vector<CardDraft> extra;
  for (const ChecklistItem& item : tracker.checklist) {
    if (Trim(item.text).empty()) continue;
    extra.push_back(ChecklistDraft(tracker, item, index, cards));
  }
  if (gap_links) gap_links->assign(tracker.gaps.size(), {});
  for (std::size_t g = 0; g < tracker.gaps.size(); ++g) {
    const Gap& gap = tracker.gaps[g];
    if (gap.tier == GapTier::kResolved || Trim(gap.text).empty()) continue;
    const std::vector<std::size_t> links = index.Query(gap.text);
    if (gap_links) (*gap_links)[g] = links;
    if (links.empty()) {
      extra.push_back(GapDraft(gap));
      continue;
    }
    for (std::size_t i : links) {
      std::vector<std::string>& tags = cards[i].tags;
      if (std::find(tags.begin(), tags.end(), "gap-linked") == tags.end()) {
        tags.push_back("gap-linked");
      }
    }
  }
  cards.insert(cards.end(), std::make_move_iterator(extra.begin()),
               std::make_move_iterator(extra.end()));

  for (std::size_t i = 0; i < cards.size(); ++i) cards[i].order = static_cast<int>(i);
  make_identities_unique(cards);
  return cards;
}

std::vector<std::size_t> cards_for_gap(const Gap& gap, const std::vector<CardDraft>& cards) {
  return TermIndex(cards).Query(gap.text);
}

std::vector<std::vector<std::size_t>> cards_for_gaps(const std::vector<Gap>& gaps,
                                                     const std::vector<CardDraft>& cards) {
  std::vector<std::vector<std::size_t>> links(gaps.size());
  if (gaps.empty()) return links;
  const TermIndex index(cards);
  for (std::size_t i = 0; i < gaps.size(); ++i) links[i] = index.Query(gaps[i].text);
  return links;
}

}  // namespace recall
