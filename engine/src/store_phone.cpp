// Store::import_phone_answers: answers given in Anki on the phone join the
// review log at their real day and time, in one transaction.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <climits>
#include <set>

#include "recall/error.h"
#include "recall/store.h"
#include "store_impl.h"

namespace recall {

using namespace store_detail;

namespace {

// Replay order: day, time, id; an answer not yet logged (id 0) after a
// logged one of the same second, and new ones by Anki's id.
struct ReplayOrder {
  const std::vector<long long>& phone_ids;
  bool operator()(const std::pair<ReviewLog, std::size_t>& a,
                  const std::pair<ReviewLog, std::size_t>& b) const {
    if (a.first.day != b.first.day) return a.first.day < b.first.day;
    if (a.first.answered_at != b.first.answered_at)
      return a.first.answered_at < b.first.answered_at;
    const long long ida = a.first.id ? a.first.id : LLONG_MAX;
    const long long idb = b.first.id ? b.first.id : LLONG_MAX;
    if (ida != idb) return ida < idb;
    return phone_ids[a.second] < phone_ids[b.second];
  }
};

}  // namespace

Store::PhoneImportCounts Store::import_phone_answers(const PhoneAnswerWalk& walk,
                                                     const LogReplayer& replay, bool dry_run) {
  return guarded(path_, [&] {
    PhoneImportCounts counts;
    auto& db = impl_->db;
    impl_->end_reads();
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    walk([&](const std::vector<PhoneAnswer>& answers) {
      if (answers.empty()) return;
      const long long card_id = answers.front().card_id;
      {
        auto& exists = impl_->statement("SELECT 1 FROM cards WHERE id = ?");
        exists.bind(1, static_cast<int64_t>(card_id));
        if (!exists.executeStep()) throw Error::data("no card with id " + std::to_string(card_id));
        exists.reset();
      }
      // Answers already logged (an earlier import of this export) or twice
      // in this one.
      std::set<long long> seen;
      {
        auto& logged = impl_->statement(
            "SELECT phone_id FROM reviews WHERE card_id = ? AND phone_id IS NOT NULL");
        logged.bind(1, static_cast<int64_t>(card_id));
        while (logged.executeStep()) seen.insert(logged.getColumn(0).getInt64());
      }
      std::vector<std::pair<ReviewLog, std::size_t>> merged;
      std::vector<long long> phone_ids;
      for (const PhoneAnswer& answer : answers) {
        if (answer.card_id != card_id)
          throw Error::data("phone answers of two cards in one batch");  // a caller's mistake
        if (!seen.insert(answer.phone_id).second) {
          ++counts.duplicates;
          continue;
        }
        ReviewLog log;
        log.card_id = card_id;
        log.day = answer.day;
        log.answered_at = answer.answered_at;
        log.grade = answer.grade;
        log.button = answer.button;
        log.source = ReviewSource::kPhone;
        merged.emplace_back(std::move(log), phone_ids.size());
        phone_ids.push_back(answer.phone_id);
      }
      if (merged.empty()) return;
      const std::size_t added = merged.size();
      {
        auto& rows = impl_->statement(std::string("SELECT ") + kReviewColumns +
                                      " FROM reviews WHERE card_id = ? ORDER BY day, "
                                      "answered_at, id");
        rows.bind(1, static_cast<int64_t>(card_id));
        for_each_row(rows, [&](const Row& row) {
          merged.emplace_back(read_review(row), phone_ids.size());
          phone_ids.push_back(0);
        });
      }
      std::stable_sort(merged.begin(), merged.end(), ReplayOrder{phone_ids});
      std::vector<ReviewLog> log;
      std::vector<long long> log_phone_ids;
      log.reserve(merged.size());
      for (auto& [row, index] : merged) {
        log.push_back(std::move(row));
        log_phone_ids.push_back(phone_ids[index]);
      }
      std::size_t from = 0;
      while (log[from].id != 0) ++from;
      replay(*this, log, from);

      auto& update = impl_->statement(
          "UPDATE reviews SET kind = :kind, before_repetitions = :br, before_easiness = :be, "
          "before_interval = :bi, before_due = :bd, before_lapses = :bl, "
          "after_repetitions = :ar, after_easiness = :ae, after_interval = :ai, "
          "after_due = :ad, after_lapses = :al, before_risk = :brisk, after_risk = :arisk, "
          "scheduler = :scheduler WHERE id = :id");
      auto& insert = impl_->statement(
          "INSERT INTO reviews(card_id, day, answered_at, grade, kind, note, before_repetitions, "
          "before_easiness, before_interval, before_due, before_lapses, after_repetitions, "
          "after_easiness, after_interval, after_due, after_lapses, before_risk, after_risk, "
          "scheduler, source, button, phone_id) "
          "VALUES (:card, :day, :at, :grade, :kind, NULL, :br, :be, :bi, :bd, :bl, :ar, :ae, "
          ":ai, :ad, :al, :brisk, :arisk, :scheduler, 'phone', :button, :phone)");
      for (std::size_t i = from; i < log.size(); ++i) {
        const ReviewLog& row = log[i];
        SQLite::Statement& s = row.id ? update : insert;
        s.reset();
        s.clearBindings();
        s.bind(":kind", std::string(to_string(row.kind)));
        s.bind(":br", row.before.repetitions);
        s.bind(":be", row.before.easiness_milli);
        s.bind(":bi", row.before.interval_days);
        bind_optional_day(s, ":bd", row.before.due_day);
        s.bind(":bl", row.before.lapses);
        s.bind(":ar", row.after.repetitions);
        s.bind(":ae", row.after.easiness_milli);
        s.bind(":ai", row.after.interval_days);
        bind_optional_day(s, ":ad", row.after.due_day);
        s.bind(":al", row.after.lapses);
        s.bind(":brisk", row.before_risk);
        s.bind(":arisk", row.after_risk);
        s.bind(":scheduler", std::string(to_string(row.scheduler)));
        if (row.id) {
          s.bind(":id", static_cast<int64_t>(row.id));
          ++counts.rows_replayed;
        } else {
          s.bind(":card", static_cast<int64_t>(card_id));
          s.bind(":day", row.day);
          s.bind(":at", row.answered_at);
          s.bind(":grade", row.grade);
          s.bind(":button", row.button);
          s.bind(":phone", static_cast<int64_t>(log_phone_ids[i]));
        }
        s.exec();
      }
      impl_->write_card_state(card_id, log.back().after, log.back().after_risk);
      counts.added += static_cast<int>(added);
      ++counts.cards;
    });
    if (!dry_run) transaction.commit();
    return counts;
  });
}

}  // namespace recall
