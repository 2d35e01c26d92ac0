#include "recall/answering.h"
#include "recall/study.h"

#include "recall/error.h"
#include "recall/fsrs.h"
#include "recall/interview.h"
#include "recall/memory.h"
#include "recall/scheduler.h"
#include "recall/settings.h"
#include "recall/sm2.h"
#include "recall/store.h"

namespace recall {
namespace {

// A due day past the last day recall can write or read back (day.h).
void refuse_past_last_day(long long card_id, Day day, const Sm2State& after) {
  if (after.due_day && *after.due_day > kLastDay)
    throw Error::data("card " + std::to_string(card_id) + ": an answer on " + format_day(day) +
                      " would fall due after " + format_day(kLastDay) +
                      ", the last day recall supports; nothing was saved");
}

// The rules every answer meets, whoever gives it (answer, the drill, MCP):
// a retired card is not answered; and an answer is never dated before the
// card's latest answer, so each card's log
// runs forward in time and every replay of it is the order it was made in.
// A study day that went back (a --today in the past, a clock or time zone
// set back) is refused with what to do, never logged out of order.
void refuse_unanswerable(long long card_id, Day day, const Store::AnswerContext& card) {
  if (card.retired)
    throw Error::data("card " + std::to_string(card_id) +
                      " is retired (its key point left the tracker); it is no longer drilled");
  if (card.last_day && day < *card.last_day)
    throw Error::data("card " + std::to_string(card_id) + " was last answered on " +
                      format_day(*card.last_day) + "; an answer dated " + format_day(day) +
                      " would come before it: answer it on " + format_day(*card.last_day) +
                      " or later (check --today, the clock and rollover-hour)");
}

}  // namespace

SchedulerConfig scheduler_config(const StoredSettings& settings, const std::string& path,
                                 bool predictions) {
  SchedulerConfig config;
  if (const auto kind = stored_value(settings, "scheduler")) {
    const auto parsed = parse_scheduler(*kind);
    if (!parsed)
      throw Error::data(
          "setting scheduler: stored value '" + *kind +
          "' is not sm2 or fsrs (set it again with `recall config set scheduler sm2`)");
    config.kind = *parsed;
  }
  if (const auto value = stored_value(settings, "desired-retention"))
    config.desired_retention = stored_fraction_setting("desired-retention", *value);
  // SM-2 reads no FSRS parameters unless a prediction needs them.
  if (config.kind == SchedulerKind::kFsrs || predictions)
    config.parameters = fsrs_parameters(settings, path);
  return config;
}

SchedulerConfig scheduler_config(Store& store, bool predictions) {
  return scheduler_config(stored_settings(store), store.path(), predictions);
}

AnswerInputs gather_answer(Store& reads, const Store::AnswerContext& card, long long card_id,
                           ReviewKind kind,
                           const std::optional<std::optional<Day>>& interview_given) {
  const StoredSettings settings = stored_settings(reads);
  AnswerInputs in;
  in.card = card;
  // The memory kept with the card, whichever scheduler is in force (when
  // FSRS-6 schedules or predicts, scheduler_config below refuses parameters
  // that are not valid; otherwise they are the same).
  in.memory_parameters = kept_memory_parameters(stored_value(settings, kFsrsParametersSetting));
  // Practice moves no schedule: no scheduling setting is read or can refuse it.
  if (kind == ReviewKind::kRedrill) return in;
  in.interview = interview_given ? *interview_given : effective_interview_date(settings);
  in.config = scheduler_config(settings, reads.path(), in.interview.has_value());
  if (in.interview) {
    const auto retention = stored_value(settings, "interview-retention");
    in.interview_retention = retention ? stored_fraction_setting("interview-retention", *retention)
                                       : kDefaultInterviewRetention;
    in.final_week = reads.final_week_load(*in.interview, card_id);
  }
  return in;
}

Store::AnswerDecision decide_answer(const AnswerInputs& in, long long card_id, int grade, Day day,
                                    ReviewKind kind) {
  Store::AnswerDecision decision;
  decision.kind = kind;
  decision.memory = next_kept_memory(in.card.memory, grade, day, in.memory_parameters);
  if (kind == ReviewKind::kRedrill) {
    decision.after = in.card.before;
    return decision;
  }
  decision.scheduler = in.config.kind;
  decision.after = next_states(in.config, in.card.before, in.card.memory, day)[grade];
  // FSRS-6's state after this answer, for the interview prediction and the
  // FSRS queue risk (the same state the card keeps: the parameters agree
  // whenever either needs it).
  const fsrs::MemoryState& memory = decision.memory.state;
  if (in.interview)
    decision.after =
        apply_interview_rule(decision.after, day, *in.interview, in.final_week,
                             {recall_on_interview(memory, day, *in.interview, in.config.parameters),
                              in.interview_retention});
  decision.risk =
      queue_risk(in.config.kind, decision.after,
                 in.config.kind == SchedulerKind::kFsrs ? std::optional<fsrs::MemoryState>(memory)
                                                        : std::nullopt);
  refuse_past_last_day(card_id, day, decision.after);
  return decision;
}

std::array<Sm2State, 6> answer_outcomes(Store& store, const Card& card, Day day) {
  return next_states(scheduler_config(store), card.state, card.memory, day);
}

std::optional<std::array<Sm2State, 6>> schedule_preview(Store& store, const Card& card, Day day) {
  if (store.answered_on(card.id, day)) return std::nullopt;
  return answer_outcomes(store, card, day);
}

std::optional<std::string> last_mistake_note(Store& store, long long card_id) {
  std::optional<std::string> note;  // the latest failure's, walking back
  std::optional<std::string> result;
  store.walk_answers_back(card_id, [&](const Store::AnswerNote& answer) {
    if (!note && answer.grade < kPassingGrade && answer.note && !answer.note->empty())
      note = answer.note;
    if (answer.kind == ReviewKind::kRedrill) return true;
    if (answer.grade < kPassingGrade) result = note;
    return false;
  });
  return result;
}

ReviewKind answer_kind_for(AnswerSource source, bool answered_that_day) {
  if (source == AnswerSource::kRedrillRound || answered_that_day) return ReviewKind::kRedrill;
  return source == AnswerSource::kTutor ? ReviewKind::kTutor : ReviewKind::kReview;
}

ReviewLog answer_card(Store& store, const Answer& answer) {
  const ReviewSource source =
      answer.source == AnswerSource::kTutor ? ReviewSource::kTutor : ReviewSource::kDrill;
  return store.save_answer(answer.card_id, answer.grade, answer.day, answer.answered_at,
                           answer.note, [&](Store& reads, const Store::AnswerContext& card) {
                             refuse_unanswerable(answer.card_id, answer.day, card);
                             // No answer is dated before the card's latest, so one on its day is
                             // a second answer that day.
                             const bool answered_today = card.last_day == answer.day;
                             const ReviewKind kind = answer_kind_for(answer.source, answered_today);
                             Store::AnswerDecision decision =
                                 decide_answer(gather_answer(reads, card, answer.card_id, kind),
                                               answer.card_id, answer.grade, answer.day, kind);
                             decision.source = source;
                             return decision;
                           });
}

ReviewLog answer_card(Store& store, long long card_id, int grade, ReviewKind kind, Day day,
                      const std::string& answered_at, const std::optional<std::string>& note,
                      std::optional<Day> interview_date) {
  return store.save_answer(
      card_id, grade, day, answered_at, note, [&](Store& reads, const Store::AnswerContext& card) {
        refuse_unanswerable(card_id, day, card);
        Store::AnswerDecision decision = decide_answer(
            gather_answer(reads, card, card_id, kind, interview_date), card_id, grade, day, kind);
        if (kind == ReviewKind::kTutor) decision.source = ReviewSource::kTutor;
        return decision;
      });
}

ReviewLog record_observed_answer(Store& store, long long card_id, int grade, Day day,
                                 const std::string& answered_at,
                                 const std::optional<std::string>& note) {
  return answer_card(store, {card_id, grade, day, answered_at, note, AnswerSource::kTutor});
}

ReviewLog undo_own_answer(Store& store, std::vector<ReviewLog>& own) {
  const ReviewLog last = own.back();
  // By its id: the store refuses (and it stays) when its card was answered again.
  auto undone = store.undo_review(last.id);
  own.pop_back();
  if (!undone)
    throw Error::data("the answer to card " + std::to_string(last.card_id) +
                      " was already undone by another recall; nothing else was undone");
  return *undone;
}

void replay_log(const SchedulerConfig& config, std::vector<ReviewLog>& log, std::size_t from) {
  Sm2State state;  // a new card
  int risk = kInitialRisk;
  fsrs::ReviewLog answers;
  answers.reserve(log.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    ReviewLog& row = log[i];
    if (i >= from) {
      const bool answered_that_day = i > 0 && log[i - 1].day == row.day;
      row.kind = answer_kind_for(
          row.source == ReviewSource::kTutor ? AnswerSource::kTutor : AnswerSource::kLearner,
          answered_that_day);
      row.before = state;
      row.before_risk = risk;
      row.scheduler = config.kind;
      if (row.kind == ReviewKind::kRedrill) {
        row.after = state;
        row.after_risk = risk;
      } else {
        row.after = next_states(config, state, answers, row.day)[row.grade];
        std::optional<fsrs::MemoryState> memory;
        if (config.kind == SchedulerKind::kFsrs)
          memory = next_memory_states(answers, row.day, config.parameters)[row.grade];
        row.after_risk = queue_risk(config.kind, row.after, memory);
      }
    }
    state = row.after;
    risk = row.after_risk;
    answers.push_back({row.day, row.grade});
  }
}

std::optional<ReviewLog> undo_answer(Store& store, long long review_id) {
  return store.undo_review(review_id);
}

std::optional<ReviewLog> undo_last_answer(Store& store, std::optional<long long> only_id) {
  return store.undo_last(only_id);
}

}  // namespace recall
