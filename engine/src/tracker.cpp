// The tracker parser: one pass over the prepared lines with the current
// section as state, building the Tracker (domains, topics, gaps, checklist,
// plan, sessions). The line scanners are in tracker_lines.cpp, the text
// preparation (BOM, mojibake, NFC, lines) in tracker_text.cpp.
#include "recall/tracker.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include "mojibake.h"
#include "recall/error.h"
#include "tracker_lines.h"

namespace recall {

using namespace tracker_lines;

namespace {

// ---------------------------------------------------------------------------
// The parser: one pass over the lines, with the current section and
// subsection as state. Nothing recurses, so hostile nesting costs nothing.

class TrackerParser {
 public:
  static constexpr std::size_t kMaxCells = 4;

  // `header_only`: the header fields and the sections, not what the
  // sections hold (read_tracker_header).
  TrackerParser(const TrackerText& text, std::string_view file_name, bool header_only)
      : lines_(text.lines), file_name_(file_name), header_only_(header_only) {}

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
    if (read_fenced_code(line)) return;
    if (const auto title = heading_text(line, 2)) return start_section(number, *title);
    if (read_header_field(number, line) || header_only_) return;
    if (const auto title = heading_text(line, 3)) return start_subsection(number, *title);
    switch (kind_) {
      case SectionKind::kQuickStats:
        return read_quick_stats_line(number, line, true);
      case SectionKind::kTopics:
        return read_topics_line(number, line);
      case SectionKind::kGaps:
        return read_gaps_line(number, line);
      case SectionKind::kChecklist:
        return read_checklist_line(number, line);
      case SectionKind::kPlan:
        return read_plan_line(number, line);
      case SectionKind::kSessions:
        return read_sessions_line(number, line);
      case SectionKind::kOther:
        // A table of weighted domains under another name ("## Snapshot"):
        // read for the weights, never written (its counts are the tutor's).
        return read_quick_stats_line(number, line, false);
    }
  }

  // A formula block under a topic: each line with a formula sign is a key
  // point, "PCA: C = …" as written, an indented line under "PCA:   C = …"
  // or under a label alone ("MixMatch sharpening:") with the label before
  // it ("PCA: explained ratio_k = …"), runs of spaces made one. A line with
  // no sign (a note, a matrix's row) is none.
  void read_code_line(std::string_view line) {
    std::string_view text = trim(line);
    if (text.empty()) {
      code_block_label_.clear();
      return;
    }
    const bool indented = line.size() - trim_left(line).size() >= 2;
    if (!indented) code_block_label_.clear();
    if (text.back() == ':' && text.size() <= 60 && !has_formula_sign(text)) {
      code_block_label_ = std::string(trim(text.substr(0, text.size() - 1)));
      return;
    }
    if (!indented) {
      // "PCA:   C = …": a label for this line and those indented under it.
      const std::size_t colon = text.find(": ");
      const std::string_view label = colon == std::string_view::npos ? "" : trim(text.substr(0, colon));
      if (!label.empty() && !has_formula_sign(label) &&
          std::count(label.begin(), label.end(), ' ') <= 3) {
        code_block_label_ = std::string(label);
        text = trim(text.substr(colon + 2));
      }
    }
    if (text.empty() || text.front() == '[' || !has_formula_sign(text)) return;
    std::string point = code_block_label_.empty() ? "" : code_block_label_ + ": ";
    for (std::size_t i = 0; i < text.size(); ++i)
      if (!(text[i] == ' ' && i > 0 && text[i - 1] == ' ')) point += text[i];
    code_points_pending_.push_back(std::move(point));
  }

  static bool has_formula_sign(std::string_view text) {
    for (std::string_view sign : {"=", "\xE2\x88\x9D", "\xE2\x89\x88", "\xE2\x89\xA4",
                                  "\xE2\x89\xA5"})  // = ∝ ≈ ≤ ≥
      if (text.find(sign) != std::string_view::npos) return true;
    return false;
  }

  // Lines inside ``` or ~~~ fences are code, not tracker content, except a
  // topic's formula block: a block with no language named ("```", not
  // "```python") in a topic written as a heading, whose points are kept
  // when it closes (a block left open to the end of the file gives none).
  // Whether the line was a fence's or inside one.
  bool read_fenced_code(std::string_view line) {
    const std::string_view start = trim_left(line).substr(0, 3);
    if (start != "```" && start != "~~~") {
      if (fence_.empty()) return false;
      if (formula_block_) read_code_line(line);
      return true;
    }
    code_block_label_.clear();
    if (fence_.empty()) {
      fence_ = std::string(start);
      formula_block_ = kind_ == SectionKind::kTopics && !strict_topics_ && heading_topic_ &&
                       !aside_ && trim(trim_left(line).substr(3)).empty();
      code_points_pending_.clear();
    } else if (fence_ == start) {
      fence_.clear();
      if (formula_block_) {
        Topic& topic = tracker_.topics[*heading_topic_];
        code_points_[*heading_topic_] += code_points_pending_.size();
        for (std::string& point : code_points_pending_) topic.key_points.push_back(std::move(point));
        code_points_pending_.clear();
      }
    }
    return true;
  }

  void start_section(int number, std::string_view title) {
    if (!tracker_.sections.empty()) tracker_.sections.back().end_line = number;
    tracker_.sections.push_back(Section{std::string(title), number, 0});
    kind_ = classify_section(title);
    if (kind_ == SectionKind::kGaps) tracker_.sections.back().gaps = true;
    if (is_known_section(title)) recognised_ = true;
    strict_topics_ = contains_ci(title, "topics mastered");
    other_section_ = false;
    heading_topic_.reset();
    section_topic_ = false;
    group_.clear();
    gap_tier_.reset();
    heading_domain_ = DomainLabel{};
    // A numbered section that is no other part of the tracker is a topic
    // ("## 1 · Semi-supervised learning — 70 %"); one with no key points
    // is dropped at the end ("## 0 · Dashboard").
    if (may_be_section_topic(title))
      if (const auto topic = parse_topic_heading(title)) {
        kind_ = SectionKind::kTopics;
        section_topic_ = true;
        section_topics_.push_back(tracker_.topics.size());
        start_heading_topic(number, *topic);
      }
  }

  void start_subsection(int number, std::string_view title) {
    group_ = std::string(title);
    switch (kind_) {
      case SectionKind::kTopics:
        // The next labelled heading of a section of another name.
        if (other_section_) return start_other_section_topic(number, title);
        // Topics as headings in another tutor's topics section; in Topics
        // Mastered a heading is a domain, as it always was.
        if (!strict_topics_)
          if (const auto topic = parse_topic_heading(title))
            return start_heading_topic(number, *topic);
        // A heading inside a section that is a topic is a part of it.
        if (section_topic_) return;
        heading_topic_.reset();
        return start_topic_domain(title);
      case SectionKind::kGaps:
        gap_tier_ = classify_gap_tier(title);
        return;
      case SectionKind::kOther:
        // A section no other part of the tracker whose headings are
        // labelled topics with a level ("## B. Module notes", then "### M1
        // · MCMC sampling — L4") holds topics, as a topics section does.
        // Not topics still to come ("## Topics to cover", "## Backlog"),
        // and none when the tracker has its topics elsewhere (finish()):
        // then such a section is a log or a list of resources.
        if (!tracker_.sections.empty() && may_be_section_topic(tracker_.sections.back().title))
          return start_other_section_topic(number, title);
        return;
      default:
        return;
    }
  }

  // A heading under a section of another name: a topic when labelled and
  // with a level ("### M1 · MCMC sampling — L4"); the section holds topics
  // from then on, and a heading that is none ends the open one.
  void start_other_section_topic(int number, std::string_view title) {
    if (const auto topic = parse_topic_heading(title, true);
        topic && !topic->label.empty() && !topic->confidence.empty()) {
      kind_ = SectionKind::kTopics;
      other_section_ = true;
      other_section_topics_.push_back(tracker_.topics.size());
      return start_heading_topic(number, *topic);
    }
    heading_topic_.reset();
  }

  // "**Last Updated**: 2026-02-17" (the colon may also sit inside the bold).
  // The first occurrence of each field wins.
  bool read_header_field(int number, std::string_view line) {
    if (line.substr(0, 2) != "**") return read_plain_interview_date(number, line);
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
    if (contains_ci(label, "interview date") ||
        (tracker_.sections.empty() &&
         (contains_word_ci(label, "interview") || contains_word_ci(label, "onsite")) &&
         !names_no_interview_date(label) && !contains_ci(label, "readiness"))) {
      if (tracker_.interview_date_line != 0) return true;
      tracker_.interview_date = parse_written_date(value);
      // "**Interview:** the onsite loop" names no date: another line may.
      if (!tracker_.interview_date && !contains_ci(label, "interview date")) return true;
      tracker_.interview_date_line = number;
      return true;
    }
    if (contains_ci(label, kRecallReadinessLabel)) {  // recall's line, before the tutor's
      if (tracker_.recall_readiness_line != 0) return true;
      tracker_.recall_readiness_percent = leading_int(value);
      tracker_.recall_readiness_line = number;
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

  // Another tutor's header, before any section: "Onsite loop: 2026-04-14
  // (…)", "Interview: 2026-05-02". Only the interview date is read this
  // way (read, never written), and only as a date that opens the value.
  bool read_plain_interview_date(int number, std::string_view line) {
    if (!tracker_.sections.empty() || tracker_.interview_date_line != 0) return false;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon > 40) return false;
    const std::string_view label = line.substr(0, colon);
    if (!contains_word_ci(label, "interview") && !contains_word_ci(label, "onsite")) return false;
    if (names_no_interview_date(label)) return false;  // "Interview prep since: …"
    const std::optional<Day> day = parse_written_date(line.substr(colon + 1));
    if (!day) return false;
    tracker_.interview_date = day;
    tracker_.interview_date_line = number;
    return true;
  }

  // A label about another interview or its past: "Interview prep since",
  // "Mock interview", "Phone-screen interview".
  static bool names_no_interview_date(std::string_view label) {
    for (std::string_view past : {"since", "started", "start", "began", "prep", "last", "passed",
                                  "mock", "practice", "phone", "screen"})
      if (contains_word_ci(label, past)) return true;
    return false;
  }

  // A table row that carries data: not a separator, and not a header (a row
  // directly followed by a separator). No reader needs more than 4 cells.
  std::optional<TableRow> data_row(int number, std::string_view line) const {
    if (is_separator_row(line) || is_separator_row(line_at(number + 1))) return std::nullopt;
    return parse_table_row(line, kMaxCells);
  }

  // `quick_stats`: the Quick Stats table, whose second cell recall keeps
  // (topics covered). Elsewhere only a row with a weight is a domain.
  void read_quick_stats_line(int number, std::string_view line, bool quick_stats) {
    if (!quick_stats && (line.empty() || trim_left(line).front() != '|')) return;
    const std::optional<TableRow> row = data_row(number, line);
    if (!row || row->cells.empty()) return;
    const std::vector<std::string>& cells = row->cells;
    const std::optional<DomainLabel> label = parse_domain_label(cells[0]);
    std::vector<Domain>& into = quick_stats ? tracker_.domains : table_domains_;
    if (!label || has_domain(into, label->letter)) return;
    if (!quick_stats && label->weight_percent <= 0) return;
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
    domain.stats_line = quick_stats ? number : 0;
    into.push_back(std::move(domain));
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

  // "### P1. Optimal Transport" (or "####"): a topic whose key points are
  // the bullets under it, its confidence a line that says so.
  void start_heading_topic(int number, TopicCell cell) {
    Topic topic;
    topic.label = std::move(cell.label);
    topic.title = std::move(cell.title);
    topic.in_progress = cell.in_progress;
    if (heading_domain_.letter != '?') {
      topic.domain_letter = heading_domain_.letter;
      topic.domain_name = heading_domain_.name;
    } else if (is_alpha(topic.label[0])) {
      topic.domain_letter = static_cast<char>(lower(topic.label[0]) - 'a' + 'A');
      heading_letter_topics_.push_back(tracker_.topics.size());
    }
    topic.line = number;
    topic.heading = true;
    topic.confidence = std::move(cell.confidence);  // from the heading: read, never written
    recognised_ = true;
    lead_in_.clear();
    lead_in_point_.clear();
    last_was_point_ = false;
    aside_ = false;
    item_head_ = false;
    sides_.clear();
    confidence_lines_ = 0;
    heading_topic_ = tracker_.topics.size();
    tracker_.topics.push_back(std::move(topic));
  }

  // Emphasis and blanks around a label: "**Confidence:** x".
  static bool is_mark(char c) { return c == '*' || c == '_' || is_blank(c); }

  // Where a label's value starts: past its marks and its colon ("**:"),
  // from `at`, the label's end; npos when no colon follows.
  static std::size_t after_colon(std::string_view text, std::size_t at) {
    while (at < text.size() && is_mark(text[at])) ++at;
    return at < text.size() && text[at] == ':' ? at + 1 : std::string_view::npos;
  }

  // "Confidence: 3.5 / 5 (Medium-High)", "**Confidence:** Medium ·": the
  // value's offset in the line, and its length.
  static std::optional<std::pair<std::size_t, std::size_t>> confidence_value(
      std::string_view line) {
    const std::size_t at = find_ci(line, "confidence");
    if (at == std::string_view::npos) return std::nullopt;
    // A label: first on the line (a bullet's) or after a "·" or "|", not
    // "Low confidence:" or "(…, confidence: Low)" in a note.
    std::size_t before = at;
    while (before > 0 && (line[before - 1] == '*' || line[before - 1] == '_' ||
                          is_blank(line[before - 1]) || line[before - 1] == '-' ||
                          line[before - 1] == '+'))
      --before;
    if (before > 0 && !(before >= 2 && line.substr(before - 2, 2) == "\xC2\xB7") &&
        line[before - 1] != '|')
      return std::nullopt;
    std::size_t i = after_colon(line, at + 10);
    if (i == std::string_view::npos) return std::nullopt;
    while (i < line.size() && is_mark(line[i])) ++i;
    std::size_t end = line.size();
    for (std::string_view stop : {"\xC2\xB7", "|", " \xE2\x80\x94 ", ";", "**", " - ", "<br>"}) {
      const std::size_t found = line.find(stop, i);
      if (found != std::string_view::npos && found < end) end = found;
    }
    while (end > i && (is_blank(line[end - 1]) || line[end - 1] == '*' || line[end - 1] == '_'))
      --end;
    if (end <= i) return std::nullopt;
    return std::make_pair(i, end - i);
  }

  // A list item's text: "- x", "* x", "+ x", "1. x", "2) x".
  static std::optional<std::string_view> item_text(std::string_view line) {
    std::string_view text = trim_left(line);
    if (text.size() >= 2 && (text[0] == '-' || text[0] == '*' || text[0] == '+') &&
        is_blank(text[1]))
      return trim(text.substr(2));
    std::size_t i = 0;
    while (i < text.size() && i < 3 && is_digit(text[i])) ++i;
    if (i > 0 && i + 1 < text.size() && (text[i] == '.' || text[i] == ')') &&
        is_blank(text[i + 1]))
      return trim(text.substr(i + 2));
    // "1.1 **Error rates.** …", "2.3 CART builds …": a numbered item of a
    // numbered part; not a decimal ("1.96 standard errors", "0.05 is …").
    if (i > 0 && i < text.size() && text[i] == '.') {
      std::size_t j = i + 1;
      while (j < text.size() && j < i + 4 && is_digit(text[j])) ++j;
      if (j > i + 1 && j + 1 < text.size() && is_blank(text[j]) &&
          (text[j + 1] == '*' || (text[j + 1] >= 'A' && text[j + 1] <= 'Z')))
        return trim(text.substr(j + 1));
    }
    return std::nullopt;
  }

  // "**Error rates.** α = …": the bold run an item opens with, trimmed,
  // and the text after it.
  struct BoldLead {
    std::string_view head, rest;
  };
  static std::optional<BoldLead> bold_lead(std::string_view text) {
    if (!text.starts_with("**")) return std::nullopt;
    const std::size_t close = text.find("**", 2);
    if (close == std::string_view::npos) return std::nullopt;
    return BoldLead{trim(text.substr(2, close - 2)), trim(text.substr(close + 2))};
  }

  // A head run into its text, ending with a full stop ("**Error rates.**
  // α = …", or alone): the head without it, and the text.
  static std::optional<BoldLead> run_in_head(const std::optional<BoldLead>& lead) {
    if (!lead) return std::nullopt;
    std::string_view head = lead->head;
    if (head.size() < 2 || head.back() != '.' || head.size() > 80) return std::nullopt;
    head.remove_suffix(1);
    if (std::count(head.begin(), head.end(), ' ') > 7) return std::nullopt;
    return BoldLead{trim(head), lead->rest};
  }

  // "**Lloyd's k-means** alternates …": the bold term an item opens with
  // (a few words, not a whole sentence), with text after it.
  static std::optional<std::string_view> bold_term(const std::optional<BoldLead>& lead) {
    if (!lead || lead->rest.empty()) return std::nullopt;
    std::string_view head = lead->head;
    while (!head.empty() && (head.back() == '.' || head.back() == ':')) head.remove_suffix(1);
    if (head.empty() || std::count(head.begin(), head.end(), ' ') > 5) return std::nullopt;
    return head;
  }

  // A wrapped line goes on in lower case ("parameter, not …"); a note
  // right under a list ("✎ Next time: …") does not.
  static bool continues(std::string_view text) {
    return !text.empty() && ((text[0] >= 'a' && text[0] <= 'z') || text[0] == '(');
  }

  void read_heading_topic_line(int number, std::string_view line) {
    Topic& topic = tracker_.topics[*heading_topic_];
    if (trim(line).empty()) {
      last_was_point_ = false;
      sides_.clear();
      return;
    }
    if (line.front() != '|') {
      sides_.clear();
    } else if (read_comparison_row(topic, number, line)) {
      last_was_point_ = false;
      return;
    }
    const std::optional<std::string_view> item = item_text(line);
    const bool bullet = item.has_value();
    std::string_view text = bullet ? *item : trim(line);
    const std::size_t indent = line.size() - trim_left(line).size();
    if (!bullet && indent == 0) {
      item_head_ = false;  // a paragraph of its own ends a numbered item's bullets
      // "**Status:** in progress · **Confidence:** …"
      if (starts_with_label(text, "status")) {
        const std::string_view status = text.substr(0, text.find("\xC2\xB7"));
        if (contains_ci(status, "in progress")) topic.in_progress = true;
      }
      // A label over a list ("Key points:", "About the learner:"): the
      // list under it is key points unless the label sets it aside.
      aside_ = false;
      std::string_view label = without_marks(text);
      if (!label.empty() && label.back() == ':' && label.size() <= 120) {
        aside_ = is_aside_label(label.substr(0, label.size() - 1));
      } else if (label.size() <= 60 && !label.empty() && label.back() != '.' &&
                 item_text(line_at(number + 1))) {
        // A short line right over a list, with no colon ("About Dana").
        aside_ = is_aside_label(label);
      }
    }
    // The topic's confidence, on a line or bullet of its own. Several such
    // lines (a history, a note): the last is read, none is written.
    if (!bullet || starts_with_label(text, "confidence")) {
      if (const auto value = confidence_value(line)) {
        topic.confidence = std::string(line.substr(value->first, value->second));
        topic.confidence_line = ++confidence_lines_ == 1 ? number : 0;
        topic.confidence_at = confidence_lines_ == 1 ? value->first : 0;
        last_was_point_ = false;
        return;
      }
    }
    if (aside_) return;
    if (!bullet) {
      // A paragraph of a list item: indented under it, or the item's
      // wrapped line right after it. Other text is the tutor's, no point.
      if (line.front() == '|' || text.empty()) return;
      if (indent >= 2 && !lead_in_.empty() && !last_was_point_) {
        add_under_lead_in(topic, text);
        last_was_point_ = true;
      } else if ((indent >= 2 || (last_was_point_ && continues(text))) &&
                 !topic.key_points.empty()) {
        topic.key_points.back().append(" ").append(text);
      }
      return;
    }
    last_was_point_ = true;
    if (text.empty() || starts_with_label(text, "confidence")) return;
    // A nested bullet under a lead-in ("- EGNN (2021):" then "  - h′ = …")
    // is a point about the lead-in's subject: "EGNN (2021): h′ = …". The
    // lead-in alone, a label with nothing after its colon, is no point.
    // Bullets right under a numbered item with a bold head ("4.3 **LSTM
    // equations.** …" then "- The cell update is additive") are about it,
    // as if nested.
    const bool numbered = bullet && is_digit(trim_left(line).front());
    const bool nested = indent >= 2 || (item_head_ && !numbered);
    if (!nested) {
      // A lead-in is a label ("Adam:", "**Adam:**", "**Multiple
      // testing.**" alone): a long one is a point of its own.
      const std::string_view label = without_marks(text);
      lead_in_ = !label.empty() && label.back() == ':' && label.size() <= 120
                     ? std::string(without_marks(label.substr(0, label.size() - 1)))
                     : std::string();
      std::string point(text);
      const std::optional<BoldLead> lead = bold_lead(text);
      const std::optional<BoldLead> run_in = run_in_head(lead);
      const std::optional<std::string_view> term = run_in ? std::nullopt : bold_term(lead);
      item_head_ = numbered && (run_in || term);
      if (run_in) {
        // "**Error rates.** α = …" is the point "Error rates: α = …", and
        // the subject of what is nested under it.
        lead_in_ = std::string(run_in->head);
        if (!run_in->rest.empty())
          point = std::string(run_in->head) + ": " + std::string(run_in->rest);
      } else if (item_head_) {
        // "6.1 **Lloyd's k-means** alternates …": the bold term is the
        // subject of the bullets under the item.
        lead_in_ = std::string(*term);
      }
      // Only a lead-in alone gives way to the points under it.
      const bool bare = run_in ? run_in->rest.empty() : !lead_in_.empty() && !item_head_;
      lead_in_point_ = bare ? point : std::string();
      topic.key_points.push_back(std::move(point));
      return;
    }
    // A remark ("⚠️ Review needed: …") under an item stays a remark.
    if (text.starts_with("\xE2\x9A\xA0")) {
      topic.key_points.emplace_back(text);
      return;
    }
    if (lead_in_.empty()) {
      topic.key_points.emplace_back(text);
      return;
    }
    add_under_lead_in(topic, text);
  }

  // A table that sets things side by side under a topic: a header whose
  // first cell is empty or names what the rows are ("Aspect"), then 2 to 4
  // names; each row under it, a property and what each of them has, is the
  // key point "Target type — FixMatch: hard label; MixMatch: soft". Whether
  // the line was such a table's (its header, separator or a row). Under a
  // label that sets its list aside, a table is none.
  bool read_comparison_row(Topic& topic, int number, std::string_view line) {
    constexpr std::size_t kMaxSides = 4;
    if (aside_) return false;
    if (is_separator_row(line)) return !sides_.empty();
    const std::optional<TableRow> row = parse_table_row(line, kMaxSides + 2);
    if (!row) return false;
    const std::vector<std::string>& cells = row->cells;
    if (is_separator_row(line_at(number + 1))) {
      sides_.clear();
      if (row->column_count < 3 || row->column_count > kMaxSides + 1) return false;
      if (!names_rows_kind(without_marks(cells[0]))) return false;
      for (std::size_t i = 1; i < cells.size(); ++i) {
        const std::string_view name = without_marks(cells[i]);
        if (is_placeholder(name) || name.size() > 60 || name.find(';') != std::string_view::npos) {
          sides_.clear();
          return false;
        }
        sides_.emplace_back(name);
      }
      return true;
    }
    if (sides_.empty()) return false;
    if (row->column_count != sides_.size() + 1) return true;  // not a row of it
    const std::string_view property = without_marks(cells[0]);
    if (is_placeholder(property)) return true;
    std::string point = std::string(property) + " \xE2\x80\x94 ";
    for (std::size_t i = 0; i < sides_.size(); ++i) {
      // A value left out, or one that would run into the next side's.
      if (is_placeholder(cells[i + 1]) || cells[i + 1].find("; ") != std::string::npos)
        return true;
      if (i > 0) point += "; ";
      point += sides_[i] + ": " + cells[i + 1];
    }
    topic.key_points.push_back(std::move(point));
    return true;
  }

  // A table's first header cell over properties: empty, or a word for
  // what its rows are ("Aspect", "Property", "Criterion").
  static bool names_rows_kind(std::string_view cell) {
    if (cell.empty()) return true;
    for (std::string_view word : {"aspect", "aspects", "property", "properties", "feature",
                                  "features", "criterion", "criteria", "dimension", "attribute",
                                  "characteristic", "trait"})
      if (equals_ci(cell, word)) return true;
    return false;
  }

  // "EGNN: h′ = …" for a bullet or paragraph under the lead-in "EGNN:",
  // which is then no point of its own.
  void add_under_lead_in(Topic& topic, std::string_view text) {
    std::vector<std::string>& points = topic.key_points;
    if (!points.empty() && points.back() == lead_in_point_) points.pop_back();
    points.push_back(lead_in_ + ": " + std::string(text));
  }

  // "**Adam:**" → "Adam:": the emphasis marks around a text.
  static std::string_view without_marks(std::string_view text) {
    while (!text.empty() && (text.front() == '*' || text.front() == '_')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == '*' || text.back() == '_')) text.remove_suffix(1);
    return trim(text);
  }

  // "Confidence: …", "**Confidence:** …": the text opens with the label.
  static bool starts_with_label(std::string_view text, std::string_view label) {
    while (!text.empty() && (text.front() == '*' || text.front() == '_')) text.remove_prefix(1);
    if (text.size() <= label.size() || !equals_ci(text.substr(0, label.size()), label)) return false;
    return after_colon(text, label.size()) != std::string_view::npos;  // not "Confidence intervals"
  }

  void read_topics_line(int number, std::string_view line) {
    if (!strict_topics_) {
      if (const auto title = heading_text(line, 4)) {
        if (const auto topic = parse_topic_heading(*title)) start_heading_topic(number, *topic);
        item_head_ = false;
        return;
      }
      // Another tutor's topics section: topics are headings; its tables
      // (a coverage grid, mistakes by topic) are no topic rows. In a
      // numbered section that is a topic, a table of weighted domains is
      // still read, as in any other section.
      if (section_topic_ && !line.empty() && trim_left(line).front() == '|') {
        if (heading_topic_ && line.front() == '|' &&
            read_comparison_row(tracker_.topics[*heading_topic_], number, line))
          return;
        return read_quick_stats_line(number, line, false);
      }
      if (heading_topic_) read_heading_topic_line(number, line);
      return;
    }
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
    // A tier as a bold line of its own ("**Tier 1 — must close**").
    if (const auto group = bold_group(line))
      if (const auto tier = classify_gap_tier(*group)) {
        gap_tier_ = tier;
        return;
      }
    if (!gap_tier_) return;
    Gap gap;
    gap.tier = *gap_tier_;
    gap.line = number;
    // "- text" or, at the top level, "1. text".
    std::optional<std::string_view> text = bullet_text(line);
    if (!text && (line.empty() || !is_blank(line.front()))) text = item_text(line);
    if (text) {
      if (text->empty() || is_none_placeholder(*text)) return;
      gap.text = std::string(*text);
    } else if (const std::optional<TableRow> row = data_row(number, line)) {
      const std::vector<std::string>& cells = row->cells;
      if (cells.empty() || is_placeholder(cells[0])) return;
      gap.text = cells[0];
      // An open gap's row has no resolution date ("| Gap | Topic | …").
      if (gap.tier == GapTier::kResolved) gap.resolution_date = cell_or_empty(cells, 1);
      gap.notes = cell_or_empty(cells, 2);
    } else {
      return;
    }
    // The words are the gap; recall's evidence after them is recall's.
    const GapWords split = split_gap_evidence(gap.text);
    if (gap.tier != GapTier::kResolved) gap.notes = std::string(split.evidence);
    gap.text = std::string(split.words);
    gap.recurring = says_recurring(gap.text);
    tracker_.gaps.push_back(std::move(gap));
  }

  void read_checklist_line(int number, std::string_view line) {
    if (const auto group = bold_group(line)) {
      group_ = std::string(*group);
      return;
    }
    const std::optional<TaskItem> item = task_item(line);
    if (!item) return;
    tracker_.checklist.push_back(
        ChecklistItem{group_, std::string(item->text), item->checked, number});
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
    // Then domains from a weighted table elsewhere ("## Snapshot"), then
    // those that only have a heading.
    for (Domain& domain : table_domains_)
      if (!has_domain(tracker_.domains, domain.letter))
        tracker_.domains.push_back(std::move(domain));
    for (Domain& domain : heading_domains_)
      if (!has_domain(tracker_.domains, domain.letter))
        tracker_.domains.push_back(std::move(domain));
    // A heading topic's domain is its label's letter ("P1" is in "P. …")
    // when the tracker has that domain.
    for (std::size_t t : heading_letter_topics_) {
      Topic& topic = tracker_.topics[t];
      const Domain* domain = tracker_.find_domain(topic.domain_letter);
      topic.domain_letter = domain ? domain->letter : '?';
      topic.domain_name = domain ? domain->name : std::string();
    }
    // A numbered section with no key points (its formula blocks aside: a
    // dashboard's readiness sum) was no topic ("## 0 · Dashboard"),
    // and none is when the tracker has its topics elsewhere (a topics
    // section, a table): then its numbered sections are its other parts.
    // Topics under a section of another name (start_subsection) are topics
    // only when the tracker has none of its own: not when it has a topics
    // section or table, nor numbered sections that are topics.
    const bool topics_elsewhere =
        tracker_.topics.size() > section_topics_.size() + other_section_topics_.size();
    const auto empty = [&](std::size_t t) {
      return tracker_.topics[t].key_points.size() == code_points_[t];
    };
    std::set<std::size_t> dropped;
    bool section_kept = false;
    for (std::size_t t : section_topics_) {
      if (topics_elsewhere || empty(t))
        dropped.insert(t);
      else
        section_kept = true;
    }
    for (std::size_t t : other_section_topics_)
      if (topics_elsewhere || section_kept || empty(t)) dropped.insert(t);
    for (auto t = dropped.rbegin(); t != dropped.rend(); ++t)
      tracker_.topics.erase(tracker_.topics.begin() + static_cast<std::ptrdiff_t>(*t));
  }

  const std::vector<std::string>& lines_;
  const std::string_view file_name_;
  const bool header_only_;
  Tracker tracker_;

  SectionKind kind_ = SectionKind::kOther;
  bool recognised_ = false;          // a known section was seen
  std::string fence_;                // the open code fence, if any
  bool formula_block_ = false;       // the open code block is a topic's formula block
  std::vector<std::string> code_points_pending_;  // its points, kept when it closes
  std::string code_block_label_;     // in a topic's formula block: "PCA" of "PCA:   C = …"
  std::string group_;                // the current checklist / plan group
  std::optional<GapTier> gap_tier_;  // the current Knowledge Gaps tier
  DomainLabel heading_domain_;       // the current Topics Mastered domain
  bool strict_topics_ = false;       // "Topics Mastered": its table has 4 columns
  std::optional<std::size_t> heading_topic_;  // the open "### P1. …" topic
  std::vector<std::string> sides_;  // the names a comparison table under a topic sets side by side
  std::string lead_in_;           // the last top-level bullet's text before its ':'
  bool item_head_ = false;        // the last top-level item was numbered, with a bold head
  std::string lead_in_point_;     // that bullet's point, as read
  bool last_was_point_ = false;   // the line before was a list item (or its paragraph)
  bool aside_ = false;            // under a label that sets its list aside ("About the learner:")
  bool section_topic_ = false;    // the section is itself a topic ("## 1 · Title")
  std::vector<std::size_t> section_topics_;  // those topics, by index
  // Topics under a section of another name ("## B. Module notes"), by index.
  std::vector<std::size_t> other_section_topics_;
  bool other_section_ = false;  // the section holds such topics
  std::map<std::size_t, std::size_t> code_points_;  // by topic: its key points from formula blocks
  int confidence_lines_ = 0;      // the open heading topic's lines that say its confidence
  std::vector<Domain> table_domains_;  // weighted domain rows outside Quick Stats
  std::vector<std::size_t> heading_letter_topics_;  // heading topics lettered by label
  std::vector<Domain> heading_domains_;
};

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

std::string_view to_string(GapTier tier) {
  switch (tier) {
    case GapTier::kHigh:
      return "high";
    case GapTier::kMedium:
      return "medium";
    case GapTier::kResolved:
      return "resolved";
  }
  return "medium";
}

GapTier gap_tier_from_string(std::string_view name) {
  for (GapTier tier : {GapTier::kHigh, GapTier::kMedium, GapTier::kResolved})
    if (to_string(tier) == name) return tier;
  throw Error::data("unknown gap tier '" + std::string(name) + "'");
}

Tracker read_tracker(const TrackerText& text, std::string_view file_name) {
  return TrackerParser(text, file_name, false).parse();
}

Tracker read_tracker_header(const TrackerText& text, std::string_view file_name) {
  return TrackerParser(text, file_name, true).parse();
}

}  // namespace recall
