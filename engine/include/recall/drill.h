// Today's queue and the review session. Ordering is pure (order_queue);
// only gather_queue() and DrillSession talk to the store. No terminal I/O:
// cli/ draws what DrillSession says.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "recall/model.h"
#include "recall/settings.h"

namespace recall {

class Store;  // store.h

// Daily limits, persisted as settings "new-per-day" and "reviews-per-day".
struct Limits {
  int new_per_day = kDefaultNewPerDay;  // settings.h
  int reviews_per_day = kDefaultReviewsPerDay;
};

enum class Phase { kReview, kNew, kRedrill };
std::string_view to_string(Phase phase);  // "review", "new", "redrill"

struct QueueItem {
  long long card_id = 0;
  Phase phase = Phase::kReview;
};

// Everything order_queue needs, gathered from the store in one place.
struct QueueInputs {
  Day day = 0;
  std::vector<QueueEntry> due;
  std::vector<QueueEntry> fresh;        // new cards: of open gaps (gap_rank), then in tracker order
  std::map<long long, int> introduced;  // topic id -> its new cards answered first today
  std::vector<QueueEntry> redrill;      // in the order they were failed today
  int redrill_count = 0;           // the whole round, when `redrill` holds only its first cards
  std::set<long long> recurring;   // recurring mistakes (at least those in `due`)
  std::set<long long> gap_linked;  // linked to open knowledge gaps (at least those in `due`)
  int due_count = 0;               // all due cards, when `due` holds only the first ones
  int new_count = 0;               // all new cards, when `fresh` holds only the first ones
  DayCounts answered_today;
  Limits limits;
  std::optional<int> limit;           // --limit N: cards in the main queue
  std::optional<Day> interview_date;  // no new cards on [I-3, I] (interview.h)
  bool new_anyway = false;            // introduce new cards even then
};

// Today's main queue (reviews then new cards) and the re-drill round.
// Reviews: recurring mistakes, then gap-linked cards, then the rest; within
// each, most overdue first, then heavier domain, lower EF, more lapses.
// New cards: those of open knowledge gaps first (QueueEntry::gap_rank: a
// recurring gap's, then High's, then Medium's), then round-robin across
// topics, topics ordered by domain weight then tracker order; the round robin's place comes from the new cards of each
// topic introduced today, so it is the same in every process (`next`, the
// drill, recall mcp). Re-drill: in the order of each card's latest answer
// today. Limits subtract what was answered earlier today.
struct Queue {
  std::vector<QueueItem> main;     // only the first ones when gathered with `fetch`
  int reviews_total = 0;           // reviews in today's whole main queue
  int new_total = 0;               // new cards in today's whole main queue
  std::vector<QueueItem> redrill;  // only the first ones when gathered with `fetch`
  int redrill_total = 0;           // cards in today's whole re-drill round
  int due_total = 0;               // due reviews before the daily limit
  int new_available = 0;           // new cards before the daily limit
};
Queue order_queue(const QueueInputs& inputs);

// Cards whose failures share a mistake note (normalised, feedback.h) seen on
// at least 2 days: recurring mistakes even when each card failed once.
std::set<long long> note_pattern_cards(const std::vector<NotedFailure>& failures);

// The card `next` offers: the head of the main queue, else of the re-drill
// round, passing over the cards in `skipped`; `total` is the length of that
// phase today. nullopt: nothing left.
struct QueueHead {
  QueueItem item;
  int total = 0;
};
std::optional<QueueHead> queue_head(const Queue& queue, const std::set<long long>& skipped = {});

// `recall next` and MCP next_card: the head of today's queue (`filter`),
// loaded, with what each grade would schedule; nullopt when nothing is left.
// `progress`: what a session (MCP's) already answered today in each phase,
// counted into position and total as the drill counts them (`recall next`,
// a session of one card, passes none: position 1 of what is left).
struct SessionProgress {
  int main = 0;     // answers to cards of the main queue (reviews, new cards)
  int redrill = 0;  // answers in the re-drill round
};
struct NextCard {
  QueueItem item;
  int position = 1;  // answered in this phase + 1
  int total = 0;     // answered in this phase + what is left of it
  Card card;
  // answering.h schedule_preview: nullopt when the answer would be a
  // re-drill, which moves no schedule.
  std::optional<std::array<Sm2State, 6>> outcomes;
  std::optional<std::string> last_mistake;  // answering.h last_mistake_note
};
// It passes over the cards in `skipped` (recall mcp skip_card: left for the
// rest of a session, as DrillSession::skip).
std::optional<NextCard> next_card(Store& store, Day day, const CardFilter& filter,
                                  const SessionProgress& progress = {},
                                  const std::set<long long>& skipped = {});
// What to say when next_card finds nothing: the day's queue (for `filter`)
// is finished, what was answered today, the cards `skipped` this session,
// and the drafts waiting for a review (review.h).
std::string finished_day(Store& store, Day day, const CardFilter& filter, std::size_t skipped);

// `filter` with its topic label and domain letter as the database has them
// ("a.8" is A.8 when no topic is labelled "a.8"; "a" is domain A). Throws
// Error(kUsage) for a topic or domain that does not exist, naming those that
// do: a filter that matches nothing is a mistake, not a finished day.
CardFilter resolve_filter(Store& store, const CardFilter& filter);

Limits load_limits(Store& store);
// `fetch`: only the first N cards of the main queue are needed (next: 1;
// due: 0), so only those are loaded; counts stay whole.
QueueInputs gather_queue(Store& store, Day day, const CardFilter& filter,
                         std::optional<int> limit = std::nullopt,
                         std::optional<int> fetch = std::nullopt);

// How an answer to `card_id` today is logged: the first answer of the day
// moves the schedule (kReview); later answers the same day are re-drill
// practice (kRedrill) and leave it alone.
ReviewKind answer_kind(Store& store, long long card_id, Day day);

// A review session: the queue for today, consumed answer by answer. Every
// answer is committed before the next card is offered.
class DrillSession {
 public:
  struct Options {
    CardFilter filter;
    std::optional<int> limit;                                       // --limit N
    std::optional<std::chrono::steady_clock::time_point> deadline;  // --minutes
    bool new_anyway = false;  // new cards even in the days before the interview
  };
  struct Current {
    Card card;
    Phase phase = Phase::kReview;
    int position = 0;  // 1-based within the phase's list
    int total = 0;
    // What each grade would schedule (answer_outcomes); nullopt in the
    // re-drill round and for any answer that moves no schedule.
    std::optional<std::array<Sm2State, 6>> preview;
    Day day = 0;  // the session's day, which `preview` counts from
    // What went wrong last time, when a failed card comes back
    // (answering.h last_mistake_note).
    std::optional<std::string> last_mistake;
  };
  struct Summary {
    int answered = 0;
    int correct = 0;          // grade >= 3
    int redrilled = 0;        // distinct cards re-drilled
    int redrill_waiting = 0;  // cards still to re-drill today (the round left when quitting)
    std::vector<long long> new_recurring;                      // cards that became recurring today
    std::vector<std::pair<std::string, double>> worst_topics;  // label+title, failure share
    int due_tomorrow = 0;
  };

  // `timestamp` gives the wall-clock time stored with each answer.
  DrillSession(Store& store, Day day, std::function<std::string()> timestamp, Options options);

  // The card to show now, or nullopt when the session is over.
  std::optional<Current> current(std::chrono::steady_clock::time_point now);
  // FSRS-6's chance that the learner recalls `card` today (memory.h), from
  // the memory kept with it, for the reveal; nullopt for a card never answered.
  std::optional<double> recall_chance(const Card& card);
  // Records the grade for the current card. REQUIRES: current() had a card.
  ReviewLog answer(int grade, const std::optional<std::string>& note);
  // Reverts this session's last answer still standing (state and log
  // restored), never another process's: answering.h undo_own_answer, the
  // rule MCP's undo_last follows too. nullopt: this session answered
  // nothing (left to undo).
  std::optional<ReviewLog> undo();
  // Leaves the current card for the rest of this session: the order of the
  // others is unchanged, and `recall next` or another session still offers it.
  void skip();
  Summary summary();

 private:
  void rebuild();

  Store& store_;
  Day day_;
  std::function<std::string()> timestamp_;
  Options options_;
  Queue queue_;
  std::set<long long> skipped_;
  std::vector<ReviewLog> answered_;
  std::set<long long> recurring_at_start_;
  std::set<long long> redrilled_;
  // The queue is read again from the store after every answer, skip and
  // undo, as `recall next` reads it: nothing in this object orders it.
  int main_answered_ = 0;  // answers in the main phase, for --limit
  int main_skipped_ = 0;   // main-phase cards skipped, for the position
  // Cards of the main queue read at a time beyond the skipped ones.
  static constexpr int kDrillBatch = 32;
  // Takes the answered `item` off the batch; false when the queue must be
  // read again (it was not there, or nothing unskipped is left in it).
  bool take_from_batch(const QueueItem& item);
  // A re-drill answer of `grade` to `item` applied to the round already
  // read, as reading it again would give it; false when the round was not
  // read whole (then the caller reads the queue again).
  bool take_from_round(const QueueItem& item, int grade);
  std::optional<QueueItem> shown_;  // the card in hand
  bool time_up_ = false;
};

}  // namespace recall
