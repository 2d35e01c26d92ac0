// The study tracker: the markdown file the tutor keeps. read_tracker() turns
// its text into a model; every element remembers the line it came from so
// that write-back (feedback.h) can change single lines and keep the rest of
// the file byte for byte.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recall/day.h"

namespace recall {

// One domain, e.g. "C. Deep Learning & RL (25%)" in Quick Stats.
struct Domain {
  char letter = '?';           // 'C'
  std::string name;            // "Deep Learning & RL" (no letter, no weight)
  int weight_percent = 0;      // 25
  int topics_covered = 0;      // 6 in "6 (+2 in progress)"
  int topics_in_progress = 0;  // 2 in "6 (+2 in progress)"
  int total_topics = 0;        // 11
  std::string status;          // "🟡 In Progress"
  int stats_line = 0;          // 1-based line of its Quick Stats row; 0 if none
};

// One row of a "Topics Mastered" table.
struct Topic {
  std::string label;                    // "A.8" (a label, not an identity: may repeat)
  std::string title;                    // "Evaluation Metrics - AUC-ROC"
  bool in_progress = false;             // "*(in progress)*" after the bold topic
  std::string date_mastered;            // "2026-02-02" as written
  std::string confidence;               // "Medium-High" as written
  std::vector<std::string> key_points;  // without the leading "• ", "\|" unescaped
  char domain_letter = '?';             // from the "### A. ML Fundamentals" heading
  std::string domain_name;              // "ML Fundamentals", from that heading
  int line = 0;                         // 1-based line of the table row (or heading)
  // A topic written as a heading with bullets ("### P1. Optimal Transport"):
  // its confidence is text on a line of its own ("**Confidence:** Medium",
  // "Taught S1 · Confidence: 3.5 / 5"), at this line and byte offset; 0 for
  // a table row, whose confidence is its third cell.
  int confidence_line = 0;
  std::size_t confidence_at = 0;
  // A topic written as a heading: its confidence is written only at
  // confidence_line, and not at all when that is 0 (none, or several
  // lines that say so: which one is current is the tutor's to say).
  bool heading = false;
};

enum class GapTier { kHigh, kMedium, kResolved };
// The tier's one spelling, in the database and in every output.
std::string_view to_string(GapTier tier);             // "high", "medium", "resolved"
GapTier gap_tier_from_string(std::string_view name);  // throws Error(kData)

struct Gap {
  GapTier tier = GapTier::kMedium;
  // The gap's words: the bullet text / the Gap cell without the evidence
  // recall appended (split_gap_evidence). A gap's identity is made from
  // these words only, so recall's evidence never makes it a new gap.
  std::string text;
  bool recurring = false;       // the words say so (says_recurring)
  std::string resolution_date;  // Recently Resolved only
  // Recently Resolved: the Notes cell. High and Medium: recall's evidence
  // suffix exactly as written after the words (" — missed 3× since ..."),
  // "" when there is none; a sync replaces it.
  std::string notes;
  int line = 0;
};

// A gap line's text split into the words before recall's evidence and the
// evidence: the suffix recall writes (" — missed N× since DATE[, \"note\"]",
// " — recalled N× over D days in review"), and the shapes earlier versions
// appended, possibly many times over (" (recurring — missed N× since DATE…)",
// " — missed N× (d1, d2)", ", N× since DATE"). Views into `text`.
struct GapWords {
  std::string_view words, evidence;
};
GapWords split_gap_evidence(std::string_view text);

// The writer of that suffix (tracker_lines.cpp, beside the reader, one
// format for both). A mistake note as the suffix quotes it: one line, `"`
// written as `'` (the reader finds the quote's end by it), at most
// kEvidenceNoteChars characters ("…" at the cut).
inline constexpr std::size_t kEvidenceNoteChars = 60;
std::string evidence_note(std::string_view note);
// " — missed N× since DATE" and, with a note, `, "NOTE"` (evidence_note).
std::string missed_evidence(int count, Day since, const std::optional<std::string>& note);
// " — recalled N× over D days in review"
std::string recalled_evidence(int times, int days);

// Whether a gap's words say the mistake recurs: a word of recurrence with no
// common technical sense ("recurring", "recurs", "repeatedly", "habitual",
// "again") or phrase ("every time", "each time", "over and over"); or a word
// that also has a technical sense ("recurrent", "repeated", "persistent",
// "chronic", "keeps", "kept", "twice", "N times" with N >= 2) beside a word
// for a mistake or the learner's act ("error", "confused", "mixing",
// "swapped", "forgot", "wrong", "missed", "said", "wrote", "failed", ...).
// The tutor's wording, not a fixture's: docs/feedback.md.
bool says_recurring(std::string_view words);

struct ChecklistItem {
  std::string group;  // "Fundamentals" (the bold group name)
  std::string text;   // "Explain bias-variance tradeoff with examples"
  bool checked = false;
  int line = 0;
};

struct PlanItem {
  std::string group;  // "This Week's Focus" (the ### heading)
  std::string text;
  bool checked = false;
  int line = 0;
};

struct SessionRow {
  std::string date;  // "2026-02-02 (Session 1)" as written
  std::string topics;
  std::vector<std::string> wins;        // bullets, without "• "
  std::vector<std::string> gaps_found;  // bullets, without "• "
  int line = 0;
};

// A "## " section: [heading_line, end_line) in 1-based lines; end_line is the
// first line of the next "## " heading (or line count + 1).
struct Section {
  std::string title;  // "Knowledge Gaps"
  int heading_line = 0;
  int end_line = 0;
  bool gaps = false;  // read as the knowledge gaps ("Knowledge Gaps", "Gap Register")
};

// The label of recall's readiness line: sync writes it, the reader knows
// the line by it (any case), before the tutor's "... Readiness" lines.
inline constexpr std::string_view kRecallReadinessLabel = "Recall Readiness";

struct Tracker {
  std::optional<Day> last_updated;
  int last_updated_line = 0;
  std::optional<Day> interview_date;  // nullopt for "[Your interview date]"
  int interview_date_line = 0;
  std::optional<int> readiness_percent;  // the tutor's "Overall Interview Readiness"
  int readiness_line = 0;
  // recall's own figure, "**Recall Readiness**: 31% — ..." (sync writes it
  // under kRecallReadinessLabel).
  std::optional<int> recall_readiness_percent;
  int recall_readiness_line = 0;

  std::vector<Section> sections;
  std::vector<Domain> domains;  // ordered by Quick Stats (then headings)
  std::vector<Topic> topics;    // file order
  std::vector<Gap> gaps;        // file order, all tiers
  std::vector<ChecklistItem> checklist;
  std::vector<PlanItem> plan;
  std::vector<SessionRow> sessions;

  const Domain* find_domain(char letter) const;
  const Section* find_section(std::string_view title) const;
};

// The file's bytes made ready to parse: BOM removed, mojibake repaired, and
// the text in Unicode NFC (a tracker saved decomposed, NFD, reads as the same
// text, so its cards keep their identities; sync writes it back in NFC).
// `lines` are split on LF with a trailing CR removed; line n is lines[n-1].
struct TrackerText {
  std::string text;  // the repaired UTF-8 text in NFC (BOM removed)
  std::vector<std::string> lines;
  bool had_bom = false;
  bool crlf = false;  // the file used CRLF line endings
  bool repaired_mojibake = false;
};

// Prepares raw file bytes. Mojibake (UTF-8 once decoded as Mac OS Roman and
// saved again) is repaired only when the whole text maps back cleanly to
// valid UTF-8 and the repair removes the telltale sequences.
TrackerText prepare_text(std::string_view bytes);

// Reads a tracker. `file_name` is used in error messages only.
// Throws Error(kData, "FILE:LINE: what was expected") when the text is not a
// tracker: no recognisable section, binary data (NUL bytes, invalid UTF-8),
// or a Topics Mastered row whose column count is not 4.
Tracker read_tracker(const TrackerText& text, std::string_view file_name);

// Reads only what the tracker's header fields say (Last Updated, Interview
// Date, the readiness figures, wherever they stand) and its sections, as
// read_tracker reads them; no domain, topic, gap or other row. Throws as
// read_tracker does, except on a malformed row (rows are not read).
Tracker read_tracker_header(const TrackerText& text, std::string_view file_name);

// Splits one markdown table row "| a | b \| c |" into trimmed cells
// ("a", "b | c"). Returns nullopt when the line is not a table row.
std::optional<std::vector<std::string>> split_table_row(std::string_view line);

}  // namespace recall
