// Store methods for the review log: recording an answer, undoing one, and
// what the daily limits read of a day's answers.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdlib>
#include <optional>
#include "recall/text.h"

#include "recall/error.h"
#include "recall/store.h"
#include "store_impl.h"

namespace recall {

using namespace store_detail;

std::vector<ReviewLog> Store::reviews_for_card(long long card_id) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<ReviewLog> logs;
    auto& s = impl_->statement(std::string("SELECT ") + kReviewColumns +
                               " FROM reviews WHERE card_id = ? ORDER BY id");
    s.bind(1, static_cast<int64_t>(card_id));
    for_each_row(s, [&](const Row& row) { logs.push_back(read_review(row)); });
    apply_order(logs, replay_order(logs.size(), [&](std::size_t i) { return logs[i].day; }));
    return logs;
  });
}

void Store::walk_answers_back(long long card_id,
                              const std::function<bool(const AnswerNote&)>& visit) {
  store_detail::guarded(*impl_, path_, [&] {
    auto& s = impl_->statement(
        "SELECT grade, kind, note FROM reviews INDEXED BY reviews_card WHERE card_id = ? "
        "ORDER BY id DESC");
    s.bind(1, static_cast<int64_t>(card_id));
    while (s.executeStep()) {
      AnswerNote answer;
      answer.grade = s.getColumn(0).getInt();
      answer.kind = review_kind(s.getColumn(1).getText());
      if (!s.getColumn(2).isNull()) answer.note = s.getColumn(2).getString();
      if (!visit(answer)) break;
    }
  });
}

ReviewLog Store::save_answer(long long card_id, int grade, Day day, const std::string& answered_at,
                             const std::optional<std::string>& note, const AnswerDecider& decide) {
  if (note) require_valid_note(*note, "note");  // every way in (answer, drill, MCP) passes here
  return store_detail::guarded(*impl_, path_, [&] {
    auto& db = impl_->db;
    store_detail::WriteTransaction transaction(*impl_);
    auto& find = impl_->statement(
        "SELECT repetitions, easiness, interval_days, due_day, lapses, risk, retired, "
        "(SELECT MAX(day) FROM reviews WHERE card_id = cards.id), stability, difficulty, "
        "memory_day FROM cards WHERE id = ?");
    find.bind(1, static_cast<int64_t>(card_id));
    if (!find.executeStep()) throw Error::data("no card with id " + std::to_string(card_id));
    ReviewLog log;
    log.card_id = card_id;
    log.day = day;
    log.answered_at = answered_at;
    log.grade = grade;
    log.note = note;
    log.before = {find.getColumn(0).getInt(), find.getColumn(1).getInt(),
                  find.getColumn(2).getInt(), optional_day(find.getColumn(3)),
                  find.getColumn(4).getInt()};
    log.before_risk = find.getColumn(5).getInt();
    const AnswerContext context{log.before, find.getColumn(6).getInt() != 0,
                                optional_day(find.getColumn(7)), read_kept_memory(Row(find), 8)};
    find.reset();
    // The decision reads (settings, this card's log, the final week's load)
    // inside this transaction, so no other writer moves what it rests on.
    const AnswerDecision decision = decide(*this, context);
    log.kind = decision.kind;
    const bool moves = decision.kind != ReviewKind::kRedrill;
    log.after = moves ? decision.after : log.before;
    log.after_risk = moves ? decision.risk : log.before_risk;
    log.scheduler = decision.scheduler;
    log.source = decision.source;

    log.id = impl_->insert_review(log);
    if (log.kind != ReviewKind::kRedrill)
      impl_->write_card_state(card_id, log.after, log.after_risk, decision.memory);
    else
      impl_->write_memory(card_id, decision.memory);
    transaction.commit();
    return log;
  });
}

std::optional<ReviewLog> Store::undo_last(std::optional<long long> only_id) {
  return store_detail::guarded(*impl_, path_, [&]() -> std::optional<ReviewLog> {
    store_detail::WriteTransaction transaction(*impl_);
    // The newest answer given here (ids only grow); answers imported from
    // the phone are not undone (the phone keeps them), nor answers a phone
    // import wrote again under new ids (kUndoFloorSetting).
    auto& last = impl_->statement(std::string("SELECT ") + kReviewColumns +
                                  " FROM reviews WHERE source <> 'phone' ORDER BY id DESC LIMIT 1");
    if (!last.executeStep()) return std::nullopt;
    const ReviewLog log = read_review(last);
    last.reset();
    if (only_id && log.id != *only_id) return std::nullopt;
    const auto floor = setting(kUndoFloorSetting);
    const long long merged = floor ? std::atoll(floor->c_str()) : 0;
    if (log.id <= merged)
      throw Error::data("the last answer given here (card " + std::to_string(log.card_id) +
                        ") was merged with answers from the phone by `recall import anki`; "
                        "only answers given since can be undone");
    impl_->refuse_undo_before_later(log);
    impl_->remove_review(log);
    transaction.commit();
    return log;
  });
}

std::optional<ReviewLog> Store::undo_review(long long review_id) {
  return store_detail::guarded(*impl_, path_, [&]() -> std::optional<ReviewLog> {
    store_detail::WriteTransaction transaction(*impl_);
    auto& find =
        impl_->statement(std::string("SELECT ") + kReviewColumns + " FROM reviews WHERE id = ?");
    find.bind(1, static_cast<int64_t>(review_id));
    if (!find.executeStep()) return std::nullopt;
    const ReviewLog log = read_review(find);
    find.reset();
    impl_->refuse_undo_before_later(log);
    impl_->remove_review(log);
    transaction.commit();
    return log;
  });
}

DayCounts Store::day_counts(Day day) {
  return store_detail::guarded(*impl_, path_, [&] {
    auto& s = impl_->statement(
        "SELECT COALESCE(SUM(kind <> 'redrill' AND before_due IS NOT NULL), 0), "
        "COALESCE(SUM(kind <> 'redrill' AND before_due IS NULL), 0), "
        "COALESCE(SUM(kind = 'redrill'), 0) FROM reviews WHERE day = ?");
    s.bind(1, day);
    s.executeStep();
    return DayCounts{s.getColumn(0).getInt(), s.getColumn(1).getInt(), s.getColumn(2).getInt()};
  });
}

bool Store::answered_on(long long card_id, Day day) {
  return store_detail::guarded(*impl_, path_, [&] {
    // One seek in reviews_day (day, card_id, ...), whatever the size of the
    // day or of the card's history.
    auto& s =
        impl_->statement("SELECT EXISTS (SELECT 1 FROM reviews WHERE card_id = ? AND day = ?)");
    s.bind(1, static_cast<int64_t>(card_id));
    s.bind(2, day);
    s.executeStep();
    const bool answered = s.getColumn(0).getInt() != 0;
    s.reset();
    return answered;
  });
}

}  // namespace recall
