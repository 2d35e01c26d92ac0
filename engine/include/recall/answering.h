// Answering a card: the one owner of the answer use case. `recall answer`,
// the drill (DrillSession) and the MCP server (grade_card, record_answer,
// undo_last) all come here; none of them assembles an answer itself.
//
// An answer is decided inside its own write transaction (Store::save_answer):
// whether it is a review or re-drill practice (a second answer on the same
// day), the scheduler's new state, and the interview-date pull-in, from what
// the database holds at that moment. The store saves what this decides.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "recall/day.h"
#include "recall/interview.h"
#include "recall/model.h"
#include "recall/scheduler.h"
#include "recall/settings.h"
#include "recall/store.h"

namespace recall {

class Store;

// Who gave the answer, which decides how it is logged.
enum class AnswerSource {
  kLearner,       // `recall answer`, the drill's main phase: kReview, or kRedrill
                  // when the card was already answered that day
  kTutor,         // heard by the tutor in conversation: kTutor, or kRedrill likewise
  kRedrillRound,  // the drill's re-drill round: always kRedrill
};

struct Answer {
  long long card_id = 0;
  int grade = 0;  // 0..5
  Day day = 0;
  std::string answered_at;          // local time, ISO 8601
  std::optional<std::string> note;  // what went wrong, in the learner's words
  AnswerSource source = AnswerSource::kLearner;
};

// The scheduler in force: the settings scheduler (sm2), desired-retention
// (0.9) and, under fsrs or with `predictions` (the interview rule predicts
// recall), fsrs-parameters (FSRS-6's defaults); otherwise `parameters` holds
// the defaults unread. Throws Error(kData) naming
// the setting when a stored value is not valid.
SchedulerConfig scheduler_config(Store& store, bool predictions = false);
// The same from settings already read; `path` names the database in errors.
SchedulerConfig scheduler_config(const StoredSettings& settings, const std::string& path,
                                 bool predictions = false);

// Gather, then decide (as Anki's answering does with its state context):
// everything an answer is decided from, read once inside its transaction,
// and a pure decision from it.
struct AnswerInputs {
  Store::AnswerContext card;  // its state, retired, latest answer day, kept memory
  SchedulerConfig config;     // parameters read when FSRS schedules or predicts
  fsrs::Parameters memory_parameters = fsrs::kDefaultParameters;  // kept_memory_parameters
  std::optional<Day> interview;                             // the date in force (or the one given)
  double interview_retention = kDefaultInterviewRetention;  // with an interview
  FinalWeekLoad final_week;                                 // with an interview
};
// Reads the settings (one query) and, with an interview date, the final
// week's load. `interview_given` replaces the date in force (an engaged
// nullopt: no interview rule). Throws Error(kData) for a stored setting that
// is not valid. A re-drill (`kind`) moves no schedule: only the kept
// memory's parameters are read, and no scheduling setting can refuse it.
AnswerInputs gather_answer(Store& reads, const Store::AnswerContext& card, long long card_id,
                           ReviewKind kind,
                           const std::optional<std::optional<Day>>& interview_given = std::nullopt);
// The decision for an answer of `kind` and `grade` on `day`: the card's kept
// memory after it (every kind), and unless it is a re-drill the state the
// scheduler in force sets, pulled into the final week before an interview
// when FSRS-6 predicts recall on the day below the target (interview.h),
// with its queue risk. Throws Error(kData) for a due day past kLastDay. Pure.
Store::AnswerDecision decide_answer(const AnswerInputs& in, long long card_id, int grade, Day day,
                                    ReviewKind kind);

// What each grade 0..5 would save for `card` answered on `day`, as the
// scheduler in force sets it (the drill's "3 -> 6d" line, the JSON
// "preview"): a due day of day + N days is "N d". The interview pull-in is
// left out: it depends on the final week's load when the answer comes.
std::array<Sm2State, 6> answer_outcomes(Store& store, const Card& card, Day day);

// answer_outcomes for the learner's next answer to `card` on `day`, or
// nullopt when that answer moves no schedule: the card was already answered
// that day, so the answer is re-drill practice (answer_kind_for) and an
// interval shown for it would be one it never applies.
std::optional<std::array<Sm2State, 6>> schedule_preview(Store& store, const Card& card, Day day);

// What went wrong last time, for the drill to show when a failed card comes
// back (the re-drill round, or due again after the failure): the note of the
// card's latest failed answer, when its last answer that moved the schedule
// was a failure and a failure since then carries a note; nullopt otherwise
// (a card passed since is not shown an old mistake).
std::optional<std::string> last_mistake_note(Store& store, long long card_id);

// The logged kind of an answer from `source`, given whether its card already
// has an answer on the answer's day. Pure.
ReviewKind answer_kind_for(AnswerSource source, bool answered_that_day);

// Records `answer` in one transaction and returns its log row. The schedule
// moves unless the answer is re-drill practice; with an interview date in
// force (effective_interview_date) the new due day is pulled into the final
// week (interview.h). Throws Error(kData) for a card that does not exist
// or is retired, for an answer dated before the card's latest answer (the
// message gives that day: a card's log never goes back in time, so every
// replay of it holds), and for one whose due day would fall after kLastDay;
// Error(kUsage) for a note that breaks the note rules (text.h); nothing is
// written then.
ReviewLog answer_card(Store& store, const Answer& answer);

// An answer whose kind the caller has decided, with the interview date given
// (nullopt: no interview rule): for tools and tests that replay a log as it
// was made. Otherwise as answer_card above.
ReviewLog answer_card(Store& store, long long card_id, int grade, ReviewKind kind, Day day,
                      const std::string& answered_at, const std::optional<std::string>& note,
                      std::optional<Day> interview_date = std::nullopt);

// The tutor's record of an answer heard in conversation (AnswerSource::kTutor).
ReviewLog record_observed_answer(Store& store, long long card_id, int grade, Day day,
                                 const std::string& answered_at,
                                 const std::optional<std::string>& note);

// The one undo rule of a session (the terminal drill, MCP undo_last): its
// own latest answer still standing, `own.back()` (answers in the order it
// gave them), whatever other recalls answered since on other cards. Undone,
// it leaves `own` and is returned. Throws Error(kData) when it cannot be:
// its card was answered again since (it stays in `own`, still the next to
// undo), or another recall already undid it (`recall undo`: it leaves `own`,
// and nothing else is undone). REQUIRES: !own.empty().
ReviewLog undo_own_answer(Store& store, std::vector<ReviewLog>& own);

// A card's log in replay order with answers joining it at
// their real day (the phone's, Store::import_source): the rows from
// `from` on get their kind and states again, as if answered in this order
// under `config`. A row's kind: the first answer of its day moves the
// schedule ("tutor" for the tutor's, else "review"), every later one that
// day is "redrill" practice. Each row's before-state and risk are the
// previous row's after (a new card's for the first); a moving row's after is
// next_states(config, before, the answers before it, day)[grade] and its
// risk queue_risk of it. The interview pull-in is not applied (it rests on
// the final week's load at the moment of answering): a replayed row is due
// at the scheduler's day, which `recall check` accepts. Pure.
void replay_log(const SchedulerConfig& config, std::vector<ReviewLog>& log, std::size_t from);

// Undoes answer `review_id` (a session's own answer): Store::undo_review.
std::optional<ReviewLog> undo_answer(Store& store, long long review_id);
// Undoes the newest answer in the database, or only when it is `only_id`:
// Store::undo_last.
std::optional<ReviewLog> undo_last_answer(Store& store,
                                          std::optional<long long> only_id = std::nullopt);

}  // namespace recall
