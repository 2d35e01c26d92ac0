// Internal to the tracker reader: the line and cell scanners and the pieces
// of the tracker format (headings, table rows, bullets, task items, domain
// and topic labels, section and gap-tier names) that tracker.cpp's parser is
// built from. Defined in tracker_lines.cpp; everything works on ASCII bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recall/day.h"
#include "recall/tracker.h"

namespace recall::tracker_lines {

struct TableRow {
  std::vector<std::string> cells;  // at most the number asked for
  std::size_t column_count = 0;    // all columns, stored or not
};

struct TaskItem {
  std::string_view text;
  bool checked = false;
};

struct DomainLabel {
  char letter = '?';
  std::string name;
  int weight_percent = 0;
};

struct TopicCell {
  std::string label;
  std::string title;
  bool in_progress = false;
  std::string confidence;  // from a heading's end ("— 65 %"); "" when none
};

enum class SectionKind { kOther, kQuickStats, kTopics, kGaps, kChecklist, kPlan, kSessions };

bool is_blank(char c);
std::string_view trim_left(std::string_view s);
std::string_view trim_right(std::string_view s);
std::string_view trim(std::string_view s);
char lower(char c);
bool is_digit(char c);
bool is_alpha(char c);
bool equals_ci(std::string_view a, std::string_view b);
std::size_t find_ci(std::string_view haystack, std::string_view needle);
bool contains_ci(std::string_view haystack, std::string_view needle);
std::optional<int> leading_int(std::string_view s);
std::string_view strip_bold(std::string_view s);
bool is_placeholder(std::string_view cell);
bool is_none_placeholder(std::string_view text);
std::optional<std::string_view> heading_text(std::string_view line, std::size_t level);
bool is_separator_row(std::string_view line);
std::optional<TableRow> parse_table_row(std::string_view line, std::size_t max_cells);
std::vector<std::string> split_bullets(std::string_view cell);
std::optional<std::string_view> bullet_text(std::string_view line);
std::optional<TaskItem> task_item(std::string_view line);
std::optional<std::string_view> bold_group(std::string_view line);
std::optional<DomainLabel> parse_domain_label(std::string_view text);
bool looks_like_topic_label(std::string_view token);
TopicCell parse_topic_cell(std::string_view cell);
// A heading that names a topic: "P1. Optimal Transport", "A.3 Boosting
// *(in progress)*", "T2: Cox models"; not a domain heading ("A. Basics").
// `other_section`: a heading under a section of another name ("## B.
// Module notes"): the separator after the label ("M1 · MCMC sampling") is
// not the title's, and a level may be written "L4" ("— L4", not "L1/L2"
// nor "L1 vs L2"). Not read so elsewhere, where such titles were kept whole.
std::optional<TopicCell> parse_topic_heading(std::string_view title, bool other_section = false);
bool contains_word_ci(std::string_view text, std::string_view word);
SectionKind classify_section(std::string_view title);
// The fixture's section names: a file with none of them is no tracker
// (unless it holds a topic written as a heading).
bool is_known_section(std::string_view title);
// Words of a section about what comes later ("Upcoming topics", "Next up").
bool about_later(std::string_view title);
// A section title that may itself be a topic when numbered: none of the
// tracker's other parts, not about topics or what comes later.
bool may_be_section_topic(std::string_view title);
std::optional<GapTier> classify_gap_tier(std::string_view heading);
// The date a value opens with, as a tutor writes it: "2026-04-14 (…)",
// "Thursday **12 March 2026**, full loop", "Tue 2026-04-14", "March 12,
// 2026", "12th March 2026"; nullopt when it opens with none.
std::optional<Day> parse_written_date(std::string_view value);
// A label over a list that is not key points: about the learner ("About
// the learner:") or not taught yet ("Not yet taught (planned for S7):").
bool is_aside_label(std::string_view label);
std::string cell_or_empty(const std::vector<std::string>& cells, std::size_t i);

}  // namespace recall::tracker_lines
