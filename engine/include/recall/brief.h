// What a tutor should know at the start of a session (`recall brief`): the
// day's queue, the recurring mistakes with their notes, the weakest topics by
// review evidence, the open gaps drilling has not fixed and the interview.
// Facts only; every rule comes from drill.h, feedback.h and interview.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "recall/day.h"
#include "recall/feedback.h"
#include "recall/study.h"

namespace recall {

class Store;

struct BriefOptions {
  int max_items = 3;  // entries kept per list (the totals count them all)
};

// A recurring mistake (feedback.h rules) and what the learner wrote about it.
struct BriefMistake {
  long long card_id = 0;
  std::string topic_label;  // "" for a card without topic
  std::string question;     // the card's question (withhold.h question_of), never its answer
  int failures = 0;         // failed answers, all days
  std::vector<Day> fail_days;
  std::vector<std::string> notes;  // distinct mistake notes, most recent first
};

// A topic's graded answers in the retention window (stats.h, 30 days).
struct BriefTopic {
  std::string label, title;
  std::string confidence;              // the tutor's value in the tracker
  std::optional<Confidence> evidence;  // what the evidence supports (nullopt: too little)
  int graded = 0, passed = 0, days = 0;
};

// An open gap that the review evidence does not resolve.
struct BriefGap {
  long long gap_id = 0;  // 0: a gap the next sync would add
  std::string text;      // the tutor's words, without engine evidence
  std::string tier;      // "high" / "medium" (pending tier for a gap to add)
  bool recurring = false;
  int misses = 0;  // failed answers on its linked cards
  std::vector<Day> miss_days;
  std::vector<long long> card_ids;
};

struct Brief {
  Day day = 0;
  int cards = 0;  // cards not retired
  // Today's queue as `recall due` gives it (after the daily limits).
  int due = 0, fresh = 0, redrill = 0;
  std::optional<Day> interview;        // effective_interview_date
  std::vector<BriefMistake> mistakes;  // most recent failure first
  int mistakes_total = 0;
  // Topics with a failed graded answer in the window: those with enough
  // evidence for a level first, lowest level first; then lowest pass share,
  // more failures, heavier domain.
  std::vector<BriefTopic> weakest;
  // Recurring first, then high tier, then the most missed, then tracker order.
  std::vector<BriefGap> gaps;
  int gaps_total = 0;
  int flagged = 0;      // cards not retired whose quality is "review" (cards.h)
  ReviewCounts review;  // the review pass: drafts waiting, cards not yet reviewed
  // The tracker: when it was last synced and what waits for a sync; the
  // readiness figures as its lines say now (read from the file when it can
  // be read, else as the last sync saw them).
  SyncState sync;
  std::optional<std::string> tracker;  // the tracker last imported
};

// Reads the store once (cards, gaps, the review log, today's queue counts).
Brief load_brief(Store& store, Day today, const BriefOptions& options = {});

}  // namespace recall
