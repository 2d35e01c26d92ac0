#include "recall/answering.h"
#include "recall/study.h"

#include "recall/error.h"
#include "recall/interview.h"
#include "recall/memory.h"
#include "recall/scheduler.h"
#include "recall/settings.h"
#include "recall/sm2.h"
#include "recall/store.h"

namespace recall {
namespace {

// The interview-retention setting (interview.h InterviewRecall::target).
double interview_retention(Store& reads) {
  const auto value = reads.setting("interview-retention");
  return value ? stored_fraction_setting("interview-retention", *value)
               : kDefaultInterviewRetention;
}

// The state after `grade` on `day` as the scheduler in force sets it, with
// the due day pulled into the final week before `interview` when FSRS-6
// predicts recall on the day below the target (interview.h), and its risk.
Store::AnswerDecision scheduled(Store& reads, long long card_id, const Sm2State& before, int grade,
                                Day day, std::optional<Day> interview) {
  SchedulerConfig config = scheduler_config(reads, interview.has_value());
  const bool needs_log = config.kind == SchedulerKind::kFsrs || interview.has_value();
  const fsrs::ReviewLog log = needs_log ? reads.memory_log(card_id) : fsrs::ReviewLog{};
  // FSRS-6 reads a log whose days never go back; an answer dated before the
  // card's last one (a --today in the past) has no memory state to build
  // on. SM-2 schedules it, and the interview rule pulls it in as the old
  // rule would (no prediction: recall 0).
  const bool backdated = !log.empty() && day < log.back().day;
  if (backdated) config.kind = SchedulerKind::kSm2;
  std::optional<fsrs::MemoryState> memory;
  if (needs_log && !backdated) memory = next_memory_states(log, day, config.parameters)[grade];
  Store::AnswerDecision decision;
  decision.scheduler = config.kind;
  decision.after = next_states(config, before, log, day)[grade];
  if (interview) {
    const double predicted =
        memory ? recall_on_interview(*memory, day, *interview, config.parameters) : 0.0;
    decision.after = apply_interview_rule(decision.after, day, *interview,
                                          reads.final_week_load(*interview, card_id),
                                          {predicted, interview_retention(reads)});
  }
  decision.risk = queue_risk(config.kind, decision.after, memory);
  return decision;
}

}  // namespace

SchedulerConfig scheduler_config(Store& store, bool predictions) {
  SchedulerConfig config;
  if (const auto kind = store.setting("scheduler")) {
    const auto parsed = parse_scheduler(*kind);
    if (!parsed)
      throw Error::data(
          "setting scheduler: stored value '" + *kind +
          "' is not sm2 or fsrs (set it again with `recall config set scheduler sm2`)");
    config.kind = *parsed;
  }
  if (const auto value = store.setting("desired-retention"))
    config.desired_retention = stored_fraction_setting("desired-retention", *value);
  // SM-2 reads no FSRS parameters unless a prediction needs them.
  if (config.kind == SchedulerKind::kFsrs || predictions)
    config.parameters = fsrs_parameters(store);
  return config;
}

std::array<Sm2State, 6> answer_outcomes(Store& store, const Card& card, Day day) {
  const SchedulerConfig config = scheduler_config(store);
  if (config.kind == SchedulerKind::kSm2) return next_states(config, card.state, {}, day);
  return next_states(config, card.state, store.memory_log(card.id), day);
}

ReviewKind answer_kind_for(AnswerSource source, bool answered_that_day) {
  if (source == AnswerSource::kRedrillRound || answered_that_day) return ReviewKind::kRedrill;
  return source == AnswerSource::kTutor ? ReviewKind::kTutor : ReviewKind::kReview;
}

ReviewLog answer_card(Store& store, const Answer& answer) {
  return store.save_answer(
      answer.card_id, answer.grade, answer.day, answer.answered_at, answer.note,
      [&](Store& reads, const Sm2State& before) {
        // A card's log is in day order (answers from the phone join it at
        // their day, `recall import anki`); an answer given here dated before
        // the card's last one (a --today in the past) would have no place in
        // it: refused.
        const fsrs::ReviewLog log = reads.memory_log(answer.card_id);
        if (!log.empty() && answer.day < log.back().day)
          throw Error::data("card " + std::to_string(answer.card_id) + " was last answered on " +
                            format_day(log.back().day) + "; an answer dated " +
                            format_day(answer.day) + ", before it, is refused");
        // The re-drill round's kind needs no look at the day.
        const bool answered_today = answer.source != AnswerSource::kRedrillRound &&
                                    reads.answered_on(answer.card_id, answer.day);
        const ReviewKind kind = answer_kind_for(answer.source, answered_today);
        const ReviewSource source =
            answer.source == AnswerSource::kTutor ? ReviewSource::kTutor : ReviewSource::kDrill;
        if (kind == ReviewKind::kRedrill) {
          Store::AnswerDecision decision{kind, before};
          decision.source = source;
          return decision;
        }
        Store::AnswerDecision decision = scheduled(reads, answer.card_id, before, answer.grade,
                                                   answer.day, effective_interview_date(reads));
        decision.kind = kind;
        decision.source = source;
        return decision;
      });
}

ReviewLog answer_card(Store& store, long long card_id, int grade, ReviewKind kind, Day day,
                      const std::string& answered_at, const std::optional<std::string>& note,
                      std::optional<Day> interview_date) {
  return store.save_answer(card_id, grade, day, answered_at, note,
                           [&](Store& reads, const Sm2State& before) {
                             if (kind == ReviewKind::kRedrill)
                               return Store::AnswerDecision{kind, before};
                             Store::AnswerDecision decision =
                                 scheduled(reads, card_id, before, grade, day, interview_date);
                             decision.kind = kind;
                             if (kind == ReviewKind::kTutor) decision.source = ReviewSource::kTutor;
                             return decision;
                           });
}

ReviewLog record_observed_answer(Store& store, long long card_id, int grade, Day day,
                                 const std::string& answered_at,
                                 const std::optional<std::string>& note) {
  return answer_card(store, {card_id, grade, day, answered_at, note, AnswerSource::kTutor});
}

void replay_log(const SchedulerConfig& config, std::vector<ReviewLog>& log, std::size_t from) {
  Sm2State state;  // a new card
  int risk = kInitialRisk;
  fsrs::ReviewLog answers;
  answers.reserve(log.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    ReviewLog& row = log[i];
    if (i >= from) {
      const bool first_of_day = i == 0 || log[i - 1].day != row.day;
      row.kind = !first_of_day                        ? ReviewKind::kRedrill
                 : row.source == ReviewSource::kTutor ? ReviewKind::kTutor
                                                      : ReviewKind::kReview;
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
