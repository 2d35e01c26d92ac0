#include "recall/answering.h"

#include "recall/interview.h"
#include "recall/sm2.h"
#include "recall/store.h"

namespace recall {
namespace {

// The scheduled state after `grade` on `day`: SM-2, with the due day pulled
// into the final week before `interview` (interview.h).
Sm2State scheduled_state(Store& reads, long long card_id, const Sm2State& before, int grade, Day day,
                         std::optional<Day> interview) {
  const Sm2State after = next_state(before, grade, day);
  if (!interview) return after;
  return apply_interview_rule(after, day, *interview, reads.final_week_load(*interview, card_id));
}

}  // namespace

ReviewKind answer_kind_for(AnswerSource source, bool answered_that_day) {
  if (source == AnswerSource::kRedrillRound || answered_that_day) return ReviewKind::kRedrill;
  return source == AnswerSource::kTutor ? ReviewKind::kTutor : ReviewKind::kReview;
}

ReviewLog answer_card(Store& store, const Answer& answer) {
  return store.save_answer(
      answer.card_id, answer.grade, answer.day, answer.answered_at, answer.note,
      [&](Store& reads, const Sm2State& before) {
        Store::AnswerDecision decision;
        decision.kind =
            answer_kind_for(answer.source, reads.answered_on(answer.card_id, answer.day));
        if (decision.kind != ReviewKind::kRedrill)
          decision.after = scheduled_state(reads, answer.card_id, before, answer.grade, answer.day,
                                           effective_interview_date(reads));
        return decision;
      });
}

ReviewLog answer_card(Store& store, long long card_id, int grade, ReviewKind kind, Day day,
                      const std::string& answered_at, const std::optional<std::string>& note,
                      std::optional<Day> interview_date) {
  return store.save_answer(card_id, grade, day, answered_at, note,
                           [&](Store& reads, const Sm2State& before) {
                             Store::AnswerDecision decision;
                             decision.kind = kind;
                             if (kind != ReviewKind::kRedrill)
                               decision.after = scheduled_state(reads, card_id, before, grade, day,
                                                                interview_date);
                             return decision;
                           });
}

ReviewLog record_observed_answer(Store& store, long long card_id, int grade, Day day,
                                 const std::string& answered_at,
                                 const std::optional<std::string>& note) {
  return answer_card(store, {card_id, grade, day, answered_at, note, AnswerSource::kTutor});
}

std::optional<ReviewLog> undo_answer(Store& store, long long review_id) {
  return store.undo_review(review_id);
}

std::optional<ReviewLog> undo_last_answer(Store& store, std::optional<long long> only_id) {
  return store.undo_last(only_id);
}

}  // namespace recall
