#include "recall/tracker.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>

#include <utf8proc.h>

#include "mojibake.h"
#include "recall/error.h"

namespace recall {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kBullet = "\xE2\x80\xA2";  // "•"
constexpr std::string_view kEmDash = "\xE2\x80\x94";  // "—"
constexpr std::string_view kEnDash = "\xE2\x80\x93";  // "–"

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

struct TableRow {
  std::vector<std::string> cells;  // at most the number asked for
  std::size_t column_count = 0;    // all columns, stored or not
};

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

struct TaskItem {
  std::string_view text;
  bool checked = false;
};

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

struct DomainLabel {
  char letter = '?';
  std::string name;
  int weight_percent = 0;
};

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

struct TopicCell {
  std::string label;
  std::string title;
  bool in_progress = false;
};

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

enum class SectionKind { kOther, kQuickStats, kTopics, kGaps, kChecklist, kPlan, kSessions };

// Sections are known by their words, so "## 🧠 Knowledge Gaps (live)" works.
SectionKind classify_section(std::string_view title) {
  if (contains_ci(title, "quick stats")) return SectionKind::kQuickStats;
  if (contains_ci(title, "topics mastered")) return SectionKind::kTopics;
  if (contains_ci(title, "knowledge gap")) return SectionKind::kGaps;
  if (contains_ci(title, "checklist")) return SectionKind::kChecklist;
  if (contains_ci(title, "study plan")) return SectionKind::kPlan;
  if (contains_ci(title, "session history")) return SectionKind::kSessions;
  return SectionKind::kOther;
}

std::optional<GapTier> classify_gap_tier(std::string_view heading) {
  if (contains_ci(heading, "high priority")) return GapTier::kHigh;
  if (contains_ci(heading, "medium priority")) return GapTier::kMedium;
  if (contains_ci(heading, "resolved")) return GapTier::kResolved;
  return std::nullopt;
}

std::string cell_or_empty(const std::vector<std::string>& cells, std::size_t i) {
  return i < cells.size() ? cells[i] : std::string();
}

// ---------------------------------------------------------------------------
// The parser: one pass over the lines, with the current section and
// subsection as state. Nothing recurses, so hostile nesting costs nothing.

class TrackerParser {
 public:
  static constexpr std::size_t kMaxCells = 4;

  TrackerParser(const TrackerText& text, std::string_view file_name)
      : lines_(text.lines), file_name_(file_name) {}

  Tracker parse() {
    check_encoding();
    for (std::size_t i = 0; i < lines_.size(); ++i) read_line(static_cast<int>(i) + 1);
    finish();
    return std::move(tracker_);
  }

 private:
  [[noreturn]] void fail(int line, const std::string& what) const {
    throw Error::data(std::string(file_name_) + ":" + std::to_string(line) + ": " + what);
  }

  // Binary data is refused before anything is read from it.
  void check_encoding() const {
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const std::string& line = lines_[i];
      const int number = static_cast<int>(i) + 1;
      if (std::memchr(line.data(), '\0', line.size()) != nullptr)
        fail(number, "expected text, found a NUL byte (binary data)");
      const std::size_t bad = find_invalid_utf8(line);
      if (bad != std::string_view::npos) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(line[bad]));
        fail(number, std::string("expected UTF-8 text, found byte ") + byte + " (binary data)");
      }
    }
  }

  std::string_view line_at(int number) const {
    return number >= 1 && static_cast<std::size_t>(number) <= lines_.size()
               ? std::string_view(lines_[number - 1])
               : std::string_view();
  }

  void read_line(int number) {
    const std::string_view line = trim_right(line_at(number));
    if (skip_fenced_code(line)) return;
    if (const auto title = heading_text(line, 2)) return start_section(number, *title);
    if (read_header_field(number, line)) return;
    if (const auto title = heading_text(line, 3)) return start_subsection(*title);
    switch (kind_) {
      case SectionKind::kQuickStats: return read_quick_stats_line(number, line);
      case SectionKind::kTopics: return read_topics_line(number, line);
      case SectionKind::kGaps: return read_gaps_line(number, line);
      case SectionKind::kChecklist: return read_checklist_line(number, line);
      case SectionKind::kPlan: return read_plan_line(number, line);
      case SectionKind::kSessions: return read_sessions_line(number, line);
      case SectionKind::kOther: return;
    }
  }

  // Lines inside ``` or ~~~ fences are code, not tracker content.
  bool skip_fenced_code(std::string_view line) {
    const std::string_view start = trim_left(line).substr(0, 3);
    if (start == "```" || start == "~~~") {
      if (fence_.empty()) {
        fence_ = std::string(start);
      } else if (fence_ == start) {
        fence_.clear();
      }
      return true;
    }
    return !fence_.empty();
  }

  void start_section(int number, std::string_view title) {
    if (!tracker_.sections.empty()) tracker_.sections.back().end_line = number;
    tracker_.sections.push_back(Section{std::string(title), number, 0});
    kind_ = classify_section(title);
    if (kind_ != SectionKind::kOther) recognised_ = true;
    group_.clear();
    gap_tier_.reset();
    heading_domain_ = DomainLabel{};
  }

  void start_subsection(std::string_view title) {
    group_ = std::string(title);
    switch (kind_) {
      case SectionKind::kTopics: return start_topic_domain(title);
      case SectionKind::kGaps: gap_tier_ = classify_gap_tier(title); return;
      default: return;
    }
  }

  // "**Last Updated**: 2026-02-17" (the colon may also sit inside the bold).
  // The first occurrence of each field wins.
  bool read_header_field(int number, std::string_view line) {
    if (line.substr(0, 2) != "**") return false;
    const std::size_t close = line.find("**", 2);
    if (close == std::string_view::npos) return false;
    std::string_view label = trim(line.substr(2, close - 2));
    std::string_view value = trim_left(line.substr(close + 2));
    if (!label.empty() && label.back() == ':') {
      label = trim_right(label.substr(0, label.size() - 1));
    } else if (!value.empty() && value.front() == ':') {
      value = trim(value.substr(1));
    } else {
      return false;
    }
    // A date is the first word: "2026-02-17 (Tuesday)" still reads.
    const auto first_word = [](std::string_view v) {
      std::size_t end = 0;
      while (end < v.size() && !is_blank(v[end])) ++end;
      return v.substr(0, end);
    };
    if (contains_ci(label, "last updated")) {
      if (tracker_.last_updated_line != 0) return true;
      tracker_.last_updated = parse_day(first_word(value));
      tracker_.last_updated_line = number;
      return true;
    }
    if (contains_ci(label, "interview date")) {
      if (tracker_.interview_date_line != 0) return true;
      tracker_.interview_date = parse_day(first_word(value));
      tracker_.interview_date_line = number;
      return true;
    }
    if (contains_ci(label, "readiness")) {
      if (tracker_.readiness_line != 0) return true;
      tracker_.readiness_percent = leading_int(value);
      tracker_.readiness_line = number;
      return true;
    }
    return false;
  }

  // A table row that carries data: not a separator, and not a header (a row
  // directly followed by a separator). No reader needs more than 4 cells.
  std::optional<TableRow> data_row(int number, std::string_view line) const {
    if (is_separator_row(line) || is_separator_row(line_at(number + 1))) return std::nullopt;
    return parse_table_row(line, kMaxCells);
  }

  void read_quick_stats_line(int number, std::string_view line) {
    const std::optional<TableRow> row = data_row(number, line);
    if (!row || row->cells.empty()) return;
    const std::vector<std::string>& cells = row->cells;
    const std::optional<DomainLabel> label = parse_domain_label(cells[0]);
    if (!label || has_domain(tracker_.domains, label->letter)) return;
    Domain domain;
    domain.letter = label->letter;
    domain.name = label->name;
    domain.weight_percent = label->weight_percent;
    const std::string covered = cell_or_empty(cells, 1);
    domain.topics_covered = leading_int(covered).value_or(0);
    // "6 (+2 in progress)"
    const std::size_t open = covered.find('(');
    if (open != std::string::npos && contains_ci(covered, "progress")) {
      std::string_view extra = trim_left(std::string_view(covered).substr(open + 1));
      if (!extra.empty() && extra.front() == '+') extra.remove_prefix(1);
      domain.topics_in_progress = leading_int(extra).value_or(0);
    }
    domain.total_topics = leading_int(cell_or_empty(cells, 2)).value_or(0);
    domain.status = cell_or_empty(cells, 3);
    domain.stats_line = number;
    tracker_.domains.push_back(std::move(domain));
  }

  // "### A. ML Fundamentals" opens the table of that domain's topics.
  void start_topic_domain(std::string_view title) {
    std::optional<DomainLabel> label = parse_domain_label(title);
    if (!label) {
      heading_domain_ = DomainLabel{'?', std::string(title), 0};
      return;
    }
    if (!has_domain(heading_domains_, label->letter)) {
      Domain domain;
      domain.letter = label->letter;
      domain.name = label->name;
      domain.weight_percent = label->weight_percent;
      heading_domains_.push_back(std::move(domain));
    }
    heading_domain_ = std::move(*label);
  }

  void read_topics_line(int number, std::string_view line) {
    const std::optional<TableRow> row = data_row(number, line);
    if (!row) return;
    const std::vector<std::string>& cells = row->cells;
    // A header without its separator row still is a header.
    if (!cells.empty() && equals_ci(cells[0], "topic")) return;
    if (row->column_count != 4)
      fail(number, "expected 4 columns (Topic | Date Mastered | Confidence | Key Points), found " +
                       std::to_string(row->column_count));
    if (is_placeholder(cells[0])) return;
    TopicCell cell = parse_topic_cell(cells[0]);
    Topic topic;
    topic.label = std::move(cell.label);
    topic.title = std::move(cell.title);
    topic.in_progress = cell.in_progress;
    topic.date_mastered = cells[1];
    topic.confidence = cells[2];
    topic.key_points = split_bullets(cells[3]);
    topic.domain_letter = heading_domain_.letter;
    topic.domain_name = heading_domain_.name;
    topic.line = number;
    tracker_.topics.push_back(std::move(topic));
  }

  void read_gaps_line(int number, std::string_view line) {
    if (!gap_tier_) return;
    Gap gap;
    gap.tier = *gap_tier_;
    gap.line = number;
    if (const auto text = bullet_text(line)) {
      if (text->empty() || is_none_placeholder(*text)) return;
      gap.text = std::string(*text);
    } else if (const std::optional<TableRow> row = data_row(number, line)) {
      const std::vector<std::string>& cells = row->cells;
      if (cells.empty() || is_placeholder(cells[0])) return;
      gap.text = cells[0];
      gap.resolution_date = cell_or_empty(cells, 1);
      gap.notes = cell_or_empty(cells, 2);
    } else {
      return;
    }
    gap.recurring = contains_ci(gap.text, "recurring");
    tracker_.gaps.push_back(std::move(gap));
  }

  void read_checklist_line(int number, std::string_view line) {
    if (const auto group = bold_group(line)) {
      group_ = std::string(*group);
      return;
    }
    const std::optional<TaskItem> item = task_item(line);
    if (!item) return;
    tracker_.checklist.push_back(ChecklistItem{group_, std::string(item->text), item->checked, number});
  }

  void read_plan_line(int number, std::string_view line) {
    if (const auto group = bold_group(line)) {
      group_ = std::string(*group);
      return;
    }
    const std::optional<TaskItem> item = task_item(line);
    if (!item) return;
    tracker_.plan.push_back(PlanItem{group_, std::string(item->text), item->checked, number});
  }

  void read_sessions_line(int number, std::string_view line) {
    const std::optional<TableRow> table_row = data_row(number, line);
    if (!table_row || table_row->cells.empty() || is_placeholder(table_row->cells[0])) return;
    const std::vector<std::string>& cells = table_row->cells;
    SessionRow row;
    row.date = cells[0];
    row.topics = cell_or_empty(cells, 1);
    row.wins = split_bullets(cell_or_empty(cells, 2));
    row.gaps_found = split_bullets(cell_or_empty(cells, 3));
    row.line = number;
    tracker_.sessions.push_back(std::move(row));
  }

  static bool has_domain(const std::vector<Domain>& domains, char letter) {
    return std::any_of(domains.begin(), domains.end(),
                       [letter](const Domain& d) { return d.letter == letter; });
  }

  void finish() {
    if (!tracker_.sections.empty())
      tracker_.sections.back().end_line = static_cast<int>(lines_.size()) + 1;
    if (!recognised_)
      fail(1,
           "expected a study tracker (a \"## Quick Stats\", \"## Topics Mastered\" or "
           "\"## Knowledge Gaps\" section), found none");
    // Quick Stats decides the order; domains that only have a heading in
    // Topics Mastered follow in heading order.
    for (Domain& domain : heading_domains_)
      if (!has_domain(tracker_.domains, domain.letter)) tracker_.domains.push_back(std::move(domain));
  }

  const std::vector<std::string>& lines_;
  const std::string_view file_name_;
  Tracker tracker_;

  SectionKind kind_ = SectionKind::kOther;
  bool recognised_ = false;            // a known section was seen
  std::string fence_;                  // the open code fence, if any
  std::string group_;                  // the current checklist / plan group
  std::optional<GapTier> gap_tier_;    // the current Knowledge Gaps tier
  DomainLabel heading_domain_;         // the current Topics Mastered domain
  std::vector<Domain> heading_domains_;
};

// ---------------------------------------------------------------------------
// Unicode NFC. An editor that saves the tracker decomposed (NFD: "ŷ" as "y"
// and a combining circumflex, "≠" as "=" and a combining slash) changes no
// character a reader sees, but every byte comparison, identity hash and card
// rule would see other text ("=" makes a formula). The text is brought to NFC
// before anything reads it. utf8proc is slow (about 1 s for 5 MB), so only
// lines holding a code point that may change or combine are passed to it;
// normalisation never crosses a newline, so line by line equals whole-text.

// True when a string of such code points is NFC whatever their neighbours
// among them: a starter (combining class 0) without canonical decomposition
// that is not the second of a composition (utf8proc marks those with a
// comb_index of 0x8000 and above; Hangul vowels and trailing consonants
// compose algorithmically).
bool stays_nfc(utf8proc_int32_t cp) {
  if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2)) return false;
  const utf8proc_property_t* p = utf8proc_get_property(cp);
  const bool canonical = p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0;
  const bool second = p->comb_index != UINT16_MAX && p->comb_index >= 0x8000;
  return p->combining_class == 0 && !canonical && !second;
}

// True when `line` (valid UTF-8) might not be NFC. Invalid UTF-8 is left as
// it is, for the parser to refuse.
bool needs_nfc(std::string_view line) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(line.data());
  const auto size = static_cast<utf8proc_ssize_t>(line.size());
  bool suspect = false;
  for (utf8proc_ssize_t i = 0; i < size;) {
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes + i, size - i, &cp);
    if (length <= 0) return false;
    suspect = suspect || !stays_nfc(cp);
    i += length;
  }
  return suspect;
}

// Appends `line` in NFC.
void append_nfc(std::string& out, std::string_view line) {
  utf8proc_uint8_t* normal = nullptr;
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(line.data()),
                   static_cast<utf8proc_ssize_t>(line.size()), &normal,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (length < 0) {
    out.append(line);  // cannot happen for valid UTF-8; keep the text as read
  } else {
    out.append(reinterpret_cast<const char*>(normal), static_cast<std::size_t>(length));
  }
  std::free(normal);
}

// `text` in NFC; nullopt when it already is.
std::optional<std::string> to_nfc(std::string_view text) {
  std::optional<std::string> result;
  std::size_t copied = 0;  // text[0, copied) is in `result`
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end;
    const std::string_view line = text.substr(start, end - start);
    if (needs_nfc(line)) {
      if (!result) result.emplace().reserve(text.size());
      result->append(text.substr(copied, start - copied));
      append_nfc(*result, line);
      copied = end;
    }
    start = end + 1;
  }
  if (!result) return std::nullopt;
  result->append(text.substr(copied));
  if (*result == text) return std::nullopt;
  return result;
}

}  // namespace

const Domain* Tracker::find_domain(char letter) const {
  for (const Domain& domain : domains)
    if (domain.letter == letter) return &domain;
  return nullptr;
}

const Section* Tracker::find_section(std::string_view title) const {
  for (const Section& section : sections)
    if (equals_ci(section.title, title)) return &section;
  // Headings may carry emoji or extra words: "## 🧠 Knowledge Gaps".
  for (const Section& section : sections)
    if (contains_ci(section.title, title)) return &section;
  return nullptr;
}

std::optional<std::vector<std::string>> split_table_row(std::string_view line) {
  std::optional<TableRow> row = parse_table_row(line, std::numeric_limits<std::size_t>::max());
  if (!row) return std::nullopt;
  return std::move(row->cells);
}

TrackerText prepare_text(std::string_view bytes) {
  TrackerText result;
  if (bytes.substr(0, kBom.size()) == kBom) {
    bytes.remove_prefix(kBom.size());
    result.had_bom = true;
  }
  if (std::optional<std::string> repaired = repair_mac_roman_mojibake(bytes)) {
    result.text = std::move(*repaired);
    result.repaired_mojibake = true;
    // A BOM that went through the round trip ("Ôªø") comes back as a BOM.
    if (std::string_view(result.text).substr(0, kBom.size()) == kBom) {
      result.text.erase(0, kBom.size());
      result.had_bom = true;
    }
  } else {
    result.text = std::string(bytes);
  }
  if (std::optional<std::string> normal = to_nfc(result.text)) result.text = std::move(*normal);

  const std::string_view text = result.text;
  const std::size_t first_newline = text.find('\n');
  result.crlf = first_newline != std::string_view::npos && first_newline > 0 &&
                text[first_newline - 1] == '\r';
  result.lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    result.lines.emplace_back(line);
    start = end + 1;
  }
  return result;
}

Tracker read_tracker(const TrackerText& text, std::string_view file_name) {
  return TrackerParser(text, file_name).parse();
}

}  // namespace recall
