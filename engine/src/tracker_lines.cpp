// The line scanner of the tracker reader: small ASCII text helpers and the
// pieces of the tracker format (headings, table rows and cells, bullets,
// task items, domain and topic labels, section and gap-tier names), plus
// the public split_table_row. The section parser is in tracker.cpp.
#include "tracker_lines.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <utility>

#include "recall/day.h"
#include "recall/text.h"

namespace recall {

namespace tracker_lines {

namespace {

constexpr std::string_view kBullet = "\xE2\x80\xA2";  // "•"
constexpr std::string_view kEmDash = "\xE2\x80\x94";  // "—"
constexpr std::string_view kEnDash = "\xE2\x80\x93";  // "–"

}  // namespace

// ---------------------------------------------------------------------------
// Small text helpers. Everything works on ASCII bytes so that UTF-8 text
// (emoji, "•") passes through untouched.

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view trim(std::string_view s) { return trim_left(trim_right(s)); }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

bool equals_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Case-insensitive search for a short ASCII needle: O(haystack * needle),
// and needles here are a few words, so this stays linear in the input.
std::size_t find_ci(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return 0;
  if (needle.size() > haystack.size()) return std::string_view::npos;
  const char first = lower(needle.front());
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i)
    if (lower(haystack[i]) == first && equals_ci(haystack.substr(i, needle.size()), needle))
      return i;
  return std::string_view::npos;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  return find_ci(haystack, needle) != std::string_view::npos;
}

// Parses the digits at the start of `s` (after blanks). Values are capped so
// that a hostile "99999999999%" cannot overflow.
std::optional<int> leading_int(std::string_view s) {
  s = trim_left(s);
  if (s.empty() || !is_digit(s.front())) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < s.size() && is_digit(s[i]); ++i)
    value = std::min(value * 10 + (s[i] - '0'), 1'000'000'000 / 10);
  return value;
}

// "**x**" -> "x"; anything else is returned trimmed.
std::string_view strip_bold(std::string_view s) {
  s = trim(s);
  if (s.size() >= 4 && s.substr(0, 2) == "**" && s.substr(s.size() - 2) == "**")
    return trim(s.substr(2, s.size() - 4));
  return s;
}

// A cell that only holds a dash stands for "nothing here" (e.g. "| — | — |").
bool is_placeholder(std::string_view cell) {
  cell = trim(cell);
  return cell.empty() || cell == "-" || cell == kEmDash || cell == kEnDash;
}

// "None identified yet", "None." and the like in a gap list mean "no gaps".
bool is_none_placeholder(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && (text.front() == '*' || text.front() == '_')) text = trim(text.substr(1));
  if (text.size() < 4 || !equals_ci(text.substr(0, 4), "none")) return false;
  return text.size() == 4 || !is_alpha(text[4]);
}

// A heading of `level` hashes: "## Title" -> "Title". "###" is not "##".
std::optional<std::string_view> heading_text(std::string_view line, std::size_t level) {
  if (line.size() < level) return std::nullopt;
  for (std::size_t i = 0; i < level; ++i)
    if (line[i] != '#') return std::nullopt;
  if (line.size() > level && !is_blank(line[level])) return std::nullopt;
  return trim(line.substr(level));
}

// A table row separator such as "|---|:---:|".
bool is_separator_row(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.front() != '|') return false;
  bool has_dash = false;
  for (char c : line) {
    if (c == '-') {
      has_dash = true;
    } else if (c != '|' && c != ':' && !is_blank(c)) {
      return false;
    }
  }
  return has_dash;
}

// Splits "| a | b \| c |" into trimmed, unescaped cells. Only the first
// `max_cells` cells are stored, the rest only counted: a hostile row of
// millions of pipes then costs no memory.
std::optional<TableRow> parse_table_row(std::string_view line, std::size_t max_cells) {
  line = trim(line);
  if (line.empty() || line.front() != '|') return std::nullopt;
  TableRow row;
  std::string cell;
  bool cell_has_text = false;
  const auto end_cell = [&] {
    if (row.column_count < max_cells) row.cells.emplace_back(trim(cell));
    ++row.column_count;
    cell.clear();
    cell_has_text = false;
  };
  for (std::size_t i = 1; i < line.size(); ++i) {
    const bool storing = row.column_count < max_cells;
    const char c = line[i];
    if (c == '|') {
      end_cell();
      continue;
    }
    char text = c;
    if (c == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      text = '|';  // "\|" is a pipe inside the cell
      ++i;
    }
    if (storing) cell.push_back(text);
    if (!is_blank(text)) cell_has_text = true;
  }
  // A row need not end with "|": text after the last pipe is a cell too.
  if (cell_has_text) end_cell();
  return row;
}

// Splits a cell holding a "<br>"-separated list ("• a<br>• b") into items
// without their bullets. "<br/>" and "<br />" are accepted as well.
std::vector<std::string> split_bullets(std::string_view cell) {
  std::vector<std::string> items;
  const auto add = [&items](std::string_view item) {
    item = trim(item);
    if (item.substr(0, kBullet.size()) == kBullet) item = trim_left(item.substr(kBullet.size()));
    if (!item.empty()) items.emplace_back(item);
  };
  std::size_t start = 0;
  std::size_t pos = 0;
  while ((pos = cell.find('<', pos)) != std::string_view::npos) {
    std::size_t end = pos + 1;
    if (cell.size() - end < 2 || !equals_ci(cell.substr(end, 2), "br")) {
      ++pos;
      continue;
    }
    end += 2;
    while (end < cell.size() && (is_blank(cell[end]) || cell[end] == '/')) ++end;
    if (end >= cell.size() || cell[end] != '>') {
      ++pos;
      continue;
    }
    add(cell.substr(start, pos - start));
    start = pos = end + 1;
  }
  add(cell.substr(start));
  return items;
}

// "- text", "* text", "+ text" at the top level (at most one blank of
// indent, since nested bullets are details of their parent).
std::optional<std::string_view> bullet_text(std::string_view line) {
  std::size_t indent = 0;
  while (indent < line.size() && is_blank(line[indent])) ++indent;
  if (indent > 1) return std::nullopt;
  line.remove_prefix(indent);
  if (line.size() < 2 || (line[0] != '-' && line[0] != '*' && line[0] != '+') || !is_blank(line[1]))
    return std::nullopt;
  return trim(line.substr(2));
}

// "- [x] text", "* [ ] text" or "1. [x] text" (also "1)"), at any indent.
std::optional<TaskItem> task_item(std::string_view line) {
  line = trim(line);
  std::size_t i = 0;
  if (!line.empty() && (line[0] == '-' || line[0] == '*' || line[0] == '+')) {
    i = 1;
  } else {
    while (i < line.size() && is_digit(line[i])) ++i;
    if (i == 0 || i >= line.size() || (line[i] != '.' && line[i] != ')')) return std::nullopt;
    ++i;
  }
  if (i >= line.size() || !is_blank(line[i])) return std::nullopt;
  std::string_view rest = trim_left(line.substr(i));
  if (rest.size() < 3 || rest[0] != '[' || rest[2] != ']') return std::nullopt;
  const char mark = lower(rest[1]);
  if (mark != 'x' && mark != ' ') return std::nullopt;
  if (rest.size() > 3 && !is_blank(rest[3])) return std::nullopt;
  return TaskItem{trim(rest.substr(3)), mark == 'x'};
}

// A line that is only a bold phrase, e.g. "**Fundamentals**" or
// "**System Design:**", names a group in the checklist.
std::optional<std::string_view> bold_group(std::string_view line) {
  line = trim(line);
  if (line.size() < 5 || line.substr(0, 2) != "**" || line.substr(line.size() - 2) != "**")
    return std::nullopt;
  std::string_view inner = line.substr(2, line.size() - 4);
  if (inner.find("**") != std::string_view::npos) return std::nullopt;
  inner = trim(inner);
  if (!inner.empty() && inner.back() == ':') inner = trim(inner.substr(0, inner.size() - 1));
  if (inner.empty()) return std::nullopt;
  return inner;
}

// ---------------------------------------------------------------------------
// Pieces of the tracker format.

// "A. ML Fundamentals (20%)" or "**A. ML Fundamentals**".
std::optional<DomainLabel> parse_domain_label(std::string_view text) {
  text = strip_bold(text);
  if (text.size() < 3 || !is_alpha(text[0]) || text[1] != '.' || !is_blank(text[2]))
    return std::nullopt;
  DomainLabel label;
  label.letter = static_cast<char>(text[0] >= 'a' ? text[0] - 'a' + 'A' : text[0]);
  std::string_view name = trim(text.substr(2));
  // The weight is a trailing "(NN%)"; other parentheses belong to the name.
  const std::size_t open = name.rfind('(');
  if (name.size() >= 4 && name.back() == ')' && open != std::string_view::npos) {
    const std::string_view inner = trim(name.substr(open + 1, name.size() - open - 2));
    const std::optional<int> weight = leading_int(inner);
    if (weight && inner.back() == '%') {
      label.weight_percent = *weight;
      name = trim(name.substr(0, open));
    }
  }
  label.name = std::string(name);
  return label;
}

// "A.8", "C.21": letters, a dot, then digits (and dots).
bool looks_like_topic_label(std::string_view token) {
  std::size_t i = 0;
  while (i < token.size() && is_alpha(token[i])) ++i;
  if (i == 0 || i + 1 >= token.size() || token[i] != '.') return false;
  for (++i; i < token.size(); ++i)
    if (!is_digit(token[i]) && token[i] != '.') return false;
  return is_digit(token.back());
}

// "**A.8 Evaluation Metrics - AUC-ROC** *(in progress)*".
TopicCell parse_topic_cell(std::string_view cell) {
  cell = trim(cell);
  std::string_view head = cell;
  std::string_view tail;
  if (cell.substr(0, 2) == "**") {
    const std::size_t close = cell.find("**", 2);
    if (close != std::string_view::npos) {
      head = cell.substr(2, close - 2);
      tail = cell.substr(close + 2);
    }
  } else {
    // No bold: a trailing "(in progress)" marker is still recognised.
    const std::size_t marker = find_ci(cell, "(in progress)");
    if (marker != std::string_view::npos) {
      head = trim_right(cell.substr(0, marker));
      while (!head.empty() && (head.back() == '*' || head.back() == '_')) head.remove_suffix(1);
      tail = cell.substr(marker);
    }
  }
  TopicCell topic;
  topic.in_progress = contains_ci(tail, "in progress");
  head = trim(head);
  std::size_t space = 0;
  while (space < head.size() && !is_blank(head[space])) ++space;
  if (looks_like_topic_label(head.substr(0, space))) {
    topic.label = std::string(head.substr(0, space));
    head = trim(head.substr(space));
  }
  topic.title = std::string(head);
  return topic;
}

// Sections are known by their words, so "## 🧠 Knowledge Gaps (live)" works.
// The word, whole and in any case: "High" in "🔴 High: fix first", not in
// "Highlights".
bool contains_word_ci(std::string_view text, std::string_view word) {
  for (std::size_t at = find_ci(text, word); at != std::string_view::npos;) {
    const std::size_t end = at + word.size();
    if ((at == 0 || !is_alpha(text[at - 1])) && (end >= text.size() || !is_alpha(text[end])))
      return true;
    const std::size_t next = find_ci(text.substr(at + 1), word);
    at = next == std::string_view::npos ? next : at + 1 + next;
  }
  return false;
}

namespace {

// "P1.", "A.8", "C.21", "T3:", "G12": letters, then digits with dots
// between. Or a section number, "2.1", "3.", "4:": digits with a dot or
// colon, at most three a part (not a year, "2026 plans").
std::optional<std::string_view> heading_topic_label(std::string_view token) {
  const std::string_view whole = token;
  while (!token.empty() && (token.back() == '.' || token.back() == ':')) token.remove_suffix(1);
  std::size_t i = 0;
  while (i < token.size() && is_alpha(token[i])) ++i;
  if (i > 3 || i == token.size()) return std::nullopt;
  bool digit = false;
  std::size_t run = 0;
  for (std::size_t j = i; j < token.size(); ++j) {
    if (is_digit(token[j])) {
      digit = true;
      if (++run > 3 && i == 0) return std::nullopt;
    } else if (token[j] == '.') {
      run = 0;
    } else {
      return std::nullopt;
    }
  }
  if (!digit) return std::nullopt;
  if (i == 0 && whole.find_first_of(".:") == std::string_view::npos) return std::nullopt;
  return token;
}

// "Level 3" or "Level 3/5" after a title's sentence (". Level 3", ", level
// 2", " — Level 4"): its offset and length in `title`.
std::optional<std::pair<std::size_t, std::size_t>> find_level(std::string_view title) {
  for (std::size_t from = 0, found; (found = find_ci(title.substr(from), "level ")) !=
                                     std::string_view::npos;
       from += found + 1) {
    const std::size_t at = from + found;
    std::size_t before = at;
    while (before > 0 && title[before - 1] == ' ') --before;
    const bool after_sentence =
        before > 0 && (title[before - 1] == '.' || title[before - 1] == ',' ||
                       (before >= 3 && (title.substr(before - 3, 3) == "\xE2\x80\x94" ||
                                        title.substr(before - 2, 2) == "\xC2\xB7")));
    std::size_t end = at + 6;
    while (end < title.size() && (is_digit(title[end]) || title[end] == '/' || title[end] == '.'))
      ++end;
    while (end > at + 6 && !is_digit(title[end - 1])) --end;
    // Last in the title, or before "in progress" only: not "level 2
    // pooling", "Level 1 vs Level 2 caches".
    std::string_view rest = title.substr(end);
    const std::size_t progress = find_ci(rest, "in progress");
    if (progress != std::string_view::npos) rest = rest.substr(0, progress);
    const bool last = std::all_of(rest.begin(), rest.end(), [](char c) {
      return is_blank(c) || c == ',' || c == '.' || c == '*' || c == '_' || c == '(' || c == ')' ||
             c == ';' || c == '-';
    });
    if (after_sentence && last && end > at + 6) return std::make_pair(at, end - at);
  }
  return std::nullopt;
}

// "Image segmentation — 65 %", "… — 4/5": a confidence after a dash at the
// title's end, read (never written: it is on the tutor's scale).
void cut_confidence(TopicCell& topic, bool letter_levels) {
  std::string_view title = topic.title;
  // "Experiment statistics (A/B testing). Level 3", "…. Level 2, *in
  // progress*": a level on the tutor's scale after the title's sentence.
  if (const auto level = find_level(title)) {
    topic.confidence = std::string(title.substr(level->first, level->second));
    if (contains_ci(title.substr(level->first), "in progress")) topic.in_progress = true;
    std::size_t end = level->first;
    while (end > 0 && (title[end - 1] == ' ' || title[end - 1] == '.' || title[end - 1] == ','))
      --end;
    topic.title = std::string(trim(title.substr(0, end)));
    return;
  }
  for (std::string_view dash : {" \xE2\x80\x94 ", " \xE2\x80\x93 ", " - "}) {
    const std::size_t at = title.rfind(dash);
    if (at == std::string_view::npos || at == 0) continue;
    std::string_view value = trim(title.substr(at + dash.size()));
    // Marks after it ("45 % 🚧"): the value is its first word or two.
    std::size_t end = 0;
    while (end < value.size() && (is_digit(value[end]) || value[end] == '.' || value[end] == '/' ||
                                  value[end] == ' ' || value[end] == '%'))
      ++end;
    // "MCMC sampling — L4", "LDA — L2 · in progress": a level written "L"
    // and one digit, then nothing or marks (not "L1 regularisation" nor
    // "L1 vs L2", which run on in words).
    if (letter_levels && value.size() >= 2 && value[0] == 'L' && is_digit(value[1])) {
      std::size_t level_end = 2;
      if (level_end + 1 < value.size() && value[level_end] == '/' && is_digit(value[level_end + 1]))
        level_end += 2;
      const std::string_view rest = trim(value.substr(level_end));
      if (!rest.empty() &&
          (is_alpha(rest.front()) || is_digit(rest.front()) || rest.front() == '/'))
        continue;
      topic.confidence = std::string(value.substr(0, level_end));
      if (contains_ci(value, "in progress")) topic.in_progress = true;
      topic.title = std::string(trim(title.substr(0, at)));
      return;
    }
    const std::string_view number = trim(value.substr(0, end));
    if (number.empty() || !is_digit(number.front()) ||
        (number.back() != '%' && number.find('/') == std::string_view::npos))
      continue;
    topic.confidence = std::string(number);
    if (contains_ci(value, "in progress")) topic.in_progress = true;
    topic.title = std::string(trim(title.substr(0, at)));
    return;
  }
}

// "Anomaly detection — 🚧 IN PROGRESS (about half taught)": the title
// before the dash; in progress.
void cut_progress_marker(TopicCell& topic) {
  const std::size_t marker = find_ci(topic.title, "in progress");
  if (marker == std::string::npos) return;
  for (std::string_view dash : {" \xE2\x80\x94 ", " \xE2\x80\x93 ", " - ", " ("}) {
    const std::size_t at = topic.title.rfind(dash, marker);
    if (at == std::string::npos || at == 0) continue;
    topic.title = std::string(trim(std::string_view(topic.title).substr(0, at)));
    topic.in_progress = true;
    return;
  }
}

}  // namespace

std::optional<TopicCell> parse_topic_heading(std::string_view title, bool other_section) {
  TopicCell topic = parse_topic_cell(title);
  if (topic.label.empty()) {
    std::string_view head = trim(strip_bold(trim(topic.title)));
    // "Topic 1: Experiment statistics": the word, then the label.
    if (head.size() > 6 && equals_ci(head.substr(0, 6), "topic ") && is_digit(head[6]))
      head.remove_prefix(6);
    std::size_t space = 0;
    while (space < head.size() && !is_blank(head[space])) ++space;
    std::optional<std::string_view> label = heading_topic_label(head.substr(0, space));
    std::string_view rest = trim(head.substr(space));
    // "1 · Semi-supervised learning": a number, then a separator.
    if (!label) {
      const std::string_view token = head.substr(0, space);
      const bool number = !token.empty() && token.size() <= 3 &&
                          std::all_of(token.begin(), token.end(), is_digit);
      for (std::string_view sep : {"\xC2\xB7 ", "\xE2\x80\x94 ", "\xE2\x80\x93 ", "- ", "| "})
        if (number && rest.starts_with(sep)) {
          label = token;
          rest = trim(rest.substr(sep.size()));
          break;
        }
    }
    if (!label) return std::nullopt;
    topic.label = std::string(*label);
    head = rest;
    while (!head.empty() && (head.back() == '*' || head.back() == '_')) head.remove_suffix(1);
    topic.title = std::string(trim(head));
  }
  // "M1 · MCMC sampling": the separator after the label is not the title's.
  if (other_section)
    for (std::string_view sep :
         {"\xC2\xB7 ", "\xE2\x80\x94 ", "\xE2\x80\x93 ", "- ", "| ", ": "})
      if (std::string_view(topic.title).starts_with(sep)) {
        topic.title = std::string(trim(std::string_view(topic.title).substr(sep.size())));
        break;
      }
  cut_confidence(topic, other_section);
  if (!topic.in_progress) cut_progress_marker(topic);
  if (topic.title.empty()) return std::nullopt;
  return topic;
}

namespace {

// The fixture's section names, in the order they are tried.
constexpr std::pair<std::string_view, SectionKind> kKnownSections[] = {
    {"quick stats", SectionKind::kQuickStats}, {"topics mastered", SectionKind::kTopics},
    {"knowledge gap", SectionKind::kGaps},     {"checklist", SectionKind::kChecklist},
    {"study plan", SectionKind::kPlan},        {"session history", SectionKind::kSessions}};

// Coloured marks that open a gap tier's heading.
constexpr std::pair<std::string_view, GapTier> kTierColours[] = {
    {"\xF0\x9F\x9F\xA5", GapTier::kHigh},      // 🟥
    {"\xF0\x9F\x94\xB4", GapTier::kHigh},      // 🔴
    {"\xF0\x9F\x9F\xA8", GapTier::kMedium},    // 🟨
    {"\xF0\x9F\x9F\xA1", GapTier::kMedium},    // 🟡
    {"\xF0\x9F\x9F\xA7", GapTier::kMedium},    // 🟧
    {"\xF0\x9F\x9F\xA0", GapTier::kMedium},    // 🟠
    {"\xF0\x9F\x9F\xA9", GapTier::kResolved},  // 🟩
    {"\xF0\x9F\x9F\xA2", GapTier::kResolved},  // 🟢
    {"\xE2\x9C\x85", GapTier::kResolved}};      // ✅

}  // namespace

bool about_later(std::string_view title) {
  for (std::string_view word : {"to", "upcoming", "planned", "next", "later", "backlog", "still",
                                "revisit", "remaining", "future", "todo", "queue"})
    if (contains_word_ci(title, word)) return true;
  return false;
}

bool may_be_section_topic(std::string_view title) {
  return classify_section(title) == SectionKind::kOther && !contains_word_ci(title, "topic") &&
         !contains_word_ci(title, "topics") && !about_later(title);
}

bool is_known_section(std::string_view title) {
  for (const auto& [name, kind] : kKnownSections)
    if (contains_ci(title, name)) return true;
  return false;
}

SectionKind classify_section(std::string_view title) {
  for (const auto& [name, kind] : kKnownSections)
    if (contains_ci(title, name)) return kind;
  // The name before a colon: "Topic notes: what Dana must be able to say"
  // is not about topics still "to" come.
  if (const std::size_t colon = title.find(": "); colon != std::string_view::npos && colon > 0)
    title = title.substr(0, colon);
  // Other tutors' names for the same sections: "Topic Notes", "Topics",
  // "Plan", "Session Log". Not the topics still to come ("Upcoming
  // Topics", "Topics to cover").
  if (contains_word_ci(title, "topic") || contains_word_ci(title, "topics")) {
    if (!about_later(title)) return SectionKind::kTopics;
  }
  if (contains_word_ci(title, "gap") || contains_word_ci(title, "gaps")) return SectionKind::kGaps;
  if (contains_word_ci(title, "readiness")) return SectionKind::kChecklist;
  if (contains_word_ci(title, "plan")) return SectionKind::kPlan;
  if (contains_word_ci(title, "session") || contains_word_ci(title, "sessions"))
    return SectionKind::kSessions;
  return SectionKind::kOther;
}

bool is_aside_label(std::string_view label) {
  // About the learner: "About the learner:", "Notes on the student:",
  // "About Dana:" (a name alone after "About").
  if (contains_word_ci(label, "learner") || contains_word_ci(label, "student")) return true;
  const std::string_view rest = equals_ci(label.substr(0, 6), "about ") ? trim(label.substr(6)) : "";
  if (!rest.empty() && rest.front() >= 'A' && rest.front() <= 'Z' &&
      std::none_of(rest.begin(), rest.end(), [](char c) { return is_blank(c); }))
    return true;
  // Not taught yet: "Not yet taught (planned for S7):", "Still to cover:".
  for (std::string_view words : {"not yet", "still to", "to teach", "to cover", "planned",
                                 "next session", "todo", "upcoming"})
    if (contains_ci(label, words)) return true;
  return false;
}

std::optional<GapTier> classify_gap_tier(std::string_view heading) {
  if (contains_ci(heading, "high priority")) return GapTier::kHigh;
  if (contains_ci(heading, "medium priority")) return GapTier::kMedium;
  // A tier by the colour it opens with: red first, amber next, green done
  // ("🟥 Fix before the interview", "🟨 Polish", "🟩 Closed").
  for (const auto& [mark, tier] : kTierColours)
    if (trim_left(heading).starts_with(mark)) return tier;
  // Other tutors' tiers, by the word they open with (after an emoji):
  // "🔴 High: fix first", "🟡 Medium", "🟢 Cleared recently", "Recently
  // fixed". Not a word further on: "Low (medium effort)", "Still open,
  // not yet fixed".
  std::vector<std::string> words;
  std::string word;
  for (char c : heading) {
    if (is_alpha(c)) {
      word += lower(c);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
      if (words.size() == 2) break;
    }
  }
  if (!word.empty() && words.size() < 2) words.push_back(std::move(word));
  std::string lead = words.empty() ? "" : words[0];
  if (lead == "recently" && words.size() > 1) lead = words[1];
  // "Tier 1 — must close", "Tier 2", "Tier 3 — closed", "Tier A: must be
  // closed before 12 March", "Tier C: polish". Closed when the word after
  // the tier's name says so; a third tier is a lower open one (medium).
  if (lead == "tier") {
    const std::size_t at = find_ci(heading, "tier");
    const std::string_view after = trim_left(heading.substr(at + 4));
    std::size_t id = 0;
    while (id < after.size() && !is_blank(after[id]) && after[id] != ':' && after[id] != '.')
      ++id;
    const std::string_view name = after.substr(0, id);
    std::string_view rest = after.substr(id);
    while (!rest.empty() && !is_alpha(rest.front())) rest.remove_prefix(1);
    std::size_t word = 0;
    while (word < rest.size() && is_alpha(rest[word])) ++word;
    // "Tier 3 — closed", not "Tier A — done by S10" (a deadline) nor "Tier
    // A (closed-book recall)".
    std::string_view after_word = trim_left(rest.substr(word));
    const bool deadline = [&] {
      for (std::string_view w : {"by ", "before ", "until ", "in "})
        if (after_word.size() >= w.size() && equals_ci(after_word.substr(0, w.size()), w))
          return true;
      return false;
    }();
    if (!deadline && (word == rest.size() || rest[word] != '-'))
      for (std::string_view done : {"closed", "resolved", "cleared", "fixed", "done"})
        if (equals_ci(rest.substr(0, word), done)) return GapTier::kResolved;
    if (name == "1" || equals_ci(name, "a")) return GapTier::kHigh;
    if (name == "2" || name == "3" || equals_ci(name, "b") || equals_ci(name, "c"))
      return GapTier::kMedium;
    return std::nullopt;
  }
  if (lead == "high") return GapTier::kHigh;
  if (lead == "medium") return GapTier::kMedium;
  if (lead == "resolved" || lead == "cleared" || lead == "fixed" || lead == "closed")
    return GapTier::kResolved;
  if (contains_ci(heading, "resolved")) return GapTier::kResolved;
  return std::nullopt;
}

// tracker_lines.h: the date a value opens with, as a tutor writes it.
std::optional<Day> parse_written_date(std::string_view value) {
  std::vector<std::string> words;
  std::string word;
  for (char c : value) {
    if (c == '*' || c == '_') continue;
    if (is_blank(c) || c == ',' || c == ';' || c == '(' || c == ')') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
      if (words.size() == 4) break;
    } else {
      word += c;
    }
  }
  if (!word.empty() && words.size() < 4) words.push_back(std::move(word));
  std::size_t at = 0;
  static constexpr std::string_view kDays[] = {"monday", "tuesday", "wednesday", "thursday",
                                               "friday", "saturday", "sunday"};
  if (!words.empty() && words[0].size() >= 3)
    for (std::string_view day : kDays)
      if (words[0].size() <= day.size() && equals_ci(day.substr(0, words[0].size()), words[0]))
        at = 1;
  if (at < words.size())
    if (const auto iso = parse_day(words[at])) return iso;
  if (at + 2 >= words.size()) return std::nullopt;
  static constexpr std::string_view kMonths[] = {"january", "february", "march",     "april",
                                                 "may",     "june",     "july",      "august",
                                                 "september", "october", "november", "december"};
  const auto month_of = [](const std::string& w) {
    for (int m = 0; m < 12; ++m)
      if (w.size() >= 3 && w.size() <= kMonths[m].size() &&
          equals_ci(kMonths[m].substr(0, w.size()), w))
        return m + 1;
    return 0;
  };
  const auto number = [](const std::string& w, std::size_t max) {
    if (w.empty() || w.size() > max) return -1;
    int n = 0;
    for (char c : w) {
      if (!is_digit(c)) return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  };
  // "12th" is 12.
  const auto day_number = [&number](std::string w) {
    for (std::string_view suffix : {"st", "nd", "rd", "th"})
      if (w.size() > 2 && equals_ci(std::string_view(w).substr(w.size() - 2), suffix))
        w.resize(w.size() - 2);
    return number(w, 2);
  };
  int d = day_number(words[at]), m = month_of(words[at + 1]);
  if (d < 0 || m == 0) {  // "March 12, 2026"
    m = month_of(words[at]);
    d = day_number(words[at + 1]);
  }
  const int y = number(words[at + 2], 4);
  if (d <= 0 || m == 0 || y < 1000) return std::nullopt;
  char iso[40];  // room for any int, though y, m and d are checked above
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
  return parse_day(iso);
}

std::string cell_or_empty(const std::vector<std::string>& cells, std::size_t i) {
  return i < cells.size() ? cells[i] : std::string();
}

}  // namespace tracker_lines

std::optional<std::vector<std::string>> split_table_row(std::string_view line) {
  std::optional<tracker_lines::TableRow> row =
      tracker_lines::parse_table_row(line, std::numeric_limits<std::size_t>::max());
  if (!row) return std::nullopt;
  return std::move(row->cells);
}

namespace {

// recall's evidence suffix: the pieces both its writer and its reader use.
constexpr std::string_view kDash = " \xE2\x80\x94 ";  // " — "
constexpr std::string_view kTimes = "\xC3\x97";       // "×"
constexpr std::string_view kMissed = "missed ";
constexpr std::string_view kSince = " since ";
constexpr std::string_view kNoteOpen = ", \"";
constexpr std::string_view kRecalled = "recalled ";
constexpr std::string_view kOver = " over ";
constexpr std::string_view kDaysInReview = " days in review";

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

// Consumes "N×" at the front of `text`; false when it is not there.
bool take_count(std::string_view& text) {
  std::size_t digits = 0;
  while (digits < text.size() && tracker_lines::is_digit(text[digits])) ++digits;
  if (digits == 0 || text.substr(digits, kTimes.size()) != kTimes) return false;
  text.remove_prefix(digits + kTimes.size());
  return true;
}

// Consumes "YYYY-MM-DD" at the front of `text`.
bool take_day(std::string_view& text) {
  if (text.size() < 10 || !parse_day(text.substr(0, 10))) return false;
  text.remove_prefix(10);
  return true;
}

bool take(std::string_view& text, std::string_view word) {
  if (text.substr(0, word.size()) != word) return false;
  text.remove_prefix(word.size());
  return true;
}

// ", \"note\"" (a note holds no double quote: evidence_note writes it so).
bool take_note(std::string_view& text) {
  std::string_view t = text;
  if (!take(t, kNoteOpen)) return false;
  const std::size_t close = t.find('"');
  if (close == std::string_view::npos) return false;
  text = t.substr(close + 1);
  return true;
}

// Whether `tail` is exactly one piece of recall's evidence.
bool is_evidence(std::string_view tail) {
  std::string_view t = tail;
  // " — missed N× since DATE[, \"note\"]"
  if (take(t, kDash) && take(t, kMissed) && take_count(t)) {
    std::string_view since = t;
    if (take(since, kSince) && take_day(since)) {
      take_note(since);
      if (since.empty()) return true;
    }
    // legacy " — missed N× (d1, d2, ...)"
    if (take(t, " (") && ends_with(t, ")")) {
      t.remove_suffix(1);
      return !t.empty() && t.find_first_not_of("0123456789-, ") == std::string_view::npos;
    }
    return false;
  }
  t = tail;
  // " — recalled N× over D days in review"
  if (take(t, kDash) && take(t, kRecalled) && take_count(t) && take(t, kOver)) {
    std::size_t digits = 0;
    while (digits < t.size() && tracker_lines::is_digit(t[digits])) ++digits;
    return digits > 0 && t.substr(digits) == kDaysInReview;
  }
  t = tail;
  // legacy " (recurring — missed N× since DATE[, \"note\"])"
  if (take(t, " (recurring") && take(t, kDash) && take(t, kMissed) && take_count(t) &&
      take(t, kSince) && take_day(t)) {
    take_note(t);
    return t == ")";
  }
  t = tail;
  // legacy ", N× since DATE" (a note-pattern gap)
  return take(t, ", ") && take_count(t) && take(t, kSince) && take_day(t) && t.empty();
}

std::string count_text(int n) { return std::to_string(n) + std::string(kTimes); }

}  // namespace

std::string evidence_note(std::string_view note) {
  std::string out = one_line(note);
  std::replace(out.begin(), out.end(), '"', '\'');
  if (code_point_count(out) > kEvidenceNoteChars) {
    std::size_t cut = 0;
    for (std::size_t count = 0; count + 1 < kEvidenceNoteChars; ++count) next_code_point(out, cut);
    out = out.substr(0, cut) + "\xE2\x80\xA6";  // "…"
  }
  return out;
}

std::string missed_evidence(int count, Day since, const std::optional<std::string>& note) {
  std::string out = std::string(kDash) + std::string(kMissed) + count_text(count) +
                    std::string(kSince) + format_day(since);
  if (note) out += std::string(kNoteOpen) + evidence_note(*note) + "\"";
  return out;
}

std::string recalled_evidence(int times, int days) {
  return std::string(kDash) + std::string(kRecalled) + count_text(times) + std::string(kOver) +
         std::to_string(days) + std::string(kDaysInReview);
}

GapWords split_gap_evidence(std::string_view text) {
  std::string_view words = tracker_lines::trim_right(text);
  const std::size_t end = words.size();
  // Peel pieces off the end while the rest up to the end is evidence; each
  // piece starts at one of the markers below.
  for (bool peeled = true; peeled;) {
    peeled = false;
    for (std::size_t at = words.size(); at-- > 0;) {
      const std::string_view rest = words.substr(at);
      if (rest[0] != ' ' && rest[0] != ',') continue;
      if (is_evidence(rest)) {
        words = tracker_lines::trim_right(words.substr(0, at));
        peeled = true;
        break;
      }
    }
  }
  if (words.empty()) return {text.substr(0, end), {}};  // nothing but evidence: keep it as words
  const std::size_t from = words.size();
  return {words, text.substr(from, end - from)};
}

bool says_recurring(std::string_view words) {
  // "↻": the sign tutors use for "came back again" (round 19's legend).
  if (words.find("\xE2\x86\xBB") != std::string_view::npos) return true;
  // Words that say an event recurs and have no common technical sense.
  static constexpr std::string_view kRecurs[] = {"recurring",  "recurs",   "recur", "recurred",
                                                 "repeatedly", "habitual", "again"};
  // Words with a technical sense too ("recurrent network", "all-gather
  // repeated in backward", "repeated k-fold", "persistent kernel", "kept in
  // fp32", "twice the memory", "5 times faster"): they say the mistake
  // recurs only beside a word for a mistake (kMistake).
  static constexpr std::string_view kMaybe[] = {
      "recurrent",  "repeated", "repeating", "persistent", "persists",
      "persisting", "chronic",  "keeps",     "kept",       "twice"};
  // A mistake or the learner's act, by the start of the word.
  static constexpr std::string_view kMistake[] = {
      "error",    "mistake", "confus",  "mix",     "swap",  "forg",    "wrong",
      "miss",     "slip",    "said",    "says",    "wrote", "writes",  "answer",
      "stumbl",   "struggl", "fail",    "hesitat", "blank", "misread", "misremember",
      "mislabel", "misplac", "misappl", "misus"};
  std::vector<std::string> tokens;
  std::string word;
  for (const char c : words) {
    if (tracker_lines::is_alpha(c) || tracker_lines::is_digit(c)) {
      word += tracker_lines::lower(c);
    } else if (!word.empty()) {
      tokens.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) tokens.push_back(std::move(word));
  const bool names_mistake = std::any_of(tokens.begin(), tokens.end(), [](const std::string& t) {
    return std::any_of(std::begin(kMistake), std::end(kMistake),
                       [&](std::string_view m) { return t.starts_with(m); });
  });
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    for (const std::string_view w : kRecurs)
      if (tokens[i] == w) return true;
    if (names_mistake)
      for (const std::string_view w : kMaybe)
        if (tokens[i] == w) return true;
    const std::string next = i + 1 < tokens.size() ? tokens[i + 1] : "";
    if (next == "time" && (tokens[i] == "every" || tokens[i] == "each")) return true;
    if (tokens[i] == "over" && next == "and" && i + 2 < tokens.size() && tokens[i + 2] == "over")
      return true;
    if (next == "times" && names_mistake) {
      static constexpr std::string_view kMany[] = {"two",     "three", "four",    "five",
                                                   "several", "many",  "multiple"};
      if (std::all_of(tokens[i].begin(), tokens[i].end(), tracker_lines::is_digit) &&
          tokens[i].size() < 4 && std::stoi(tokens[i]) >= 2)
        return true;
      for (const std::string_view m : kMany)
        if (tokens[i] == m) return true;
    }
  }
  return false;
}

}  // namespace recall
