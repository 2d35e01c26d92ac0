// recall's rules of evidence, each number spelled once, with its default.
// The store binds them into its SQL (the queue's recurring tier, the noted
// failures, the stats' recurring count); feedback (feedback.h), the drill's
// note patterns (drill.h), stats and check read them from here.
//
//   recurring mistake : failed (grade < kPassingGrade) on at least
//                       recurring_fail_days distinct days within the last
//                       window_days days, today included; or a mistake note
//                       whose words recur on that many days in the window
//   resolved gap      : resolve_streak passes in a row on every linked card,
//                       spanning at least resolve_span_days days
//   confidence moves  : with confidence_min_reviews graded answers over at
//                       least confidence_min_days distinct days; a value
//                       above the evidence's level holds while the success
//                       rate is within confidence_hold_margin of its floor
//   gap lines sync adds: a card failed on recurring_fail_days distinct days
//                       within the window since its last resolved run (or a
//                       recurring mistake note); one line per topic, at most
//                       gap_lines_per_sync a sync and recall_gaps_open_max
//                       open at once, each naming at most gap_line_points_max
//                       points of at most gap_point_chars characters; raised to High at high_fail_days days; at
//                       most recall_resolved_rows_max of recall's rows kept
//                       in Recently Resolved (docs/feedback.md)
#pragma once

#include "recall/day.h"
#include "recall/sm2.h"

namespace recall {

struct Rules {
  int window_days = 30;              // recurring: failures within this many days (today included)
  int recurring_fail_days = 2;       // ... on at least this many distinct days
  int resolve_streak = 3;            // resolved: this many passes in a row on every linked card
  int resolve_span_days = 7;         // ... spanning at least this many days
  int confidence_min_reviews = 5;    // confidence moves only with this many graded reviews
  int confidence_min_days = 2;       // ... over at least this many distinct days
  int gap_lines_per_sync = 3;        // gap lines one sync adds, at most
  int recall_gaps_open_max = 8;      // High and Medium lines recall added, open at once
  int recall_resolved_rows_max = 4;  // recall's rows kept in Recently Resolved
  int high_fail_days = 3;            // recall's line moves to High: failed on this many days
  int gap_line_points_max = 3;       // points one line recall adds names, at most
  int gap_point_chars = 80;          // ... each in at most this many characters (cut at a word)
  // A tracker import refuses to retire most of the cards made from key points
  // at once (a layout read wrong, a damaged file) unless told to: at least
  // this many cards, and more than this share of those live before it.
  int mass_retire_min_cards = 10;
  int mass_retire_percent = 50;
  double confidence_hold_margin = 0.05;  // a level holds down to its floor rate minus this
};

// The rules in force: the defaults above.
inline constexpr Rules kRules{};

// The first day of the window of `rules` that ends on `day`.
constexpr Day window_start(Day day, const Rules& rules = kRules) {
  return day - rules.window_days + 1;
}

// A failed answer: below SM-2's passing grade (sm2.h).
constexpr bool is_failure(int grade) { return grade < kPassingGrade; }

}  // namespace recall
