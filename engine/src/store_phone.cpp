// Store::merge_answers: answers given outside recall (an import source's,
// store.h import_source) join the review log at their real day and time,
// inside the import's transaction.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "recall/error.h"
#include "recall/store.h"
#include "store_impl.h"

namespace recall {

using namespace store_detail;

namespace {

// Whether phone answer `phone` was given before logged answer `logged`: by
// day, then time of day; a logged answer of the same second comes first.
bool before(const ReviewLog& phone, const ReviewLog& logged) {
  return std::tie(phone.day, phone.answered_at) < std::tie(logged.day, logged.answered_at);
}

}  // namespace

bool Store::merge_answers(const AnswerWalk& walk, const LogReplayer& replay,
                          AnswerImportCounts& counts) {
  bool renumbered = false;
  walk([&](const std::vector<ImportedAnswer>& answers) {
    if (answers.empty()) return;
    long long card_id = answers.front().card_id;
    if (!card_id) {  // a source that knows the card by its identity only
      auto& by_identity = impl_->statement("SELECT id FROM cards WHERE identity = ?");
      by_identity.bind(1, answers.front().card_identity);
      if (!by_identity.executeStep())
        throw Error::data("no card with identity " + answers.front().card_identity);
      card_id = by_identity.getColumn(0).getInt64();
      by_identity.reset();
    } else {
      auto& exists = impl_->statement("SELECT 1 FROM cards WHERE id = ?");
      exists.bind(1, static_cast<int64_t>(card_id));
      if (!exists.executeStep()) throw Error::data("no card with id " + std::to_string(card_id));
      exists.reset();
    }
    // The card's log in replay order (day, then id), as every replay reads it.
    std::vector<ReviewLog> logged = reviews_for_card(card_id);
    // Answers already logged (an earlier import of this export) or twice
    // in this one are duplicates.
    std::set<long long> seen;
    for (const ReviewLog& row : logged)
      if (row.phone_id) seen.insert(row.phone_id);
    std::vector<ReviewLog> fresh;
    for (const ImportedAnswer& answer : answers) {
      if (answer.card_id != answers.front().card_id ||
          answer.card_identity != answers.front().card_identity)
        throw Error::data("answers of two cards in one batch");  // a source's mistake
      if (!seen.insert(answer.source_id).second) {
        ++counts.duplicates;
        continue;
      }
      ReviewLog log;
      log.card_id = card_id;
      log.day = answer.day;
      log.answered_at = answer.answered_at;
      log.grade = answer.grade;
      log.button = answer.button;
      log.phone_id = answer.source_id;
      log.source = ReviewSource::kPhone;
      fresh.push_back(std::move(log));
    }
    if (fresh.empty()) return;
    std::stable_sort(fresh.begin(), fresh.end(), [](const ReviewLog& a, const ReviewLog& b) {
      return std::tie(a.day, a.answered_at, a.phone_id) <
             std::tie(b.day, b.answered_at, b.phone_id);
    });
    // The merge keeps the logged answers' order and puts each phone
    // answer at its day and time among them.
    std::vector<ReviewLog> log;
    log.reserve(logged.size() + fresh.size());
    std::size_t from = std::string::npos;  // the first phone answer's place
    for (std::size_t i = 0, j = 0; i < logged.size() || j < fresh.size();) {
      if (j < fresh.size() && (i == logged.size() || before(fresh[j], logged[i]))) {
        if (from == std::string::npos) from = log.size();
        log.push_back(std::move(fresh[j++]));
      } else {
        log.push_back(std::move(logged[i++]));
      }
    }
    replay(*this, log, from);
    // One order everywhere: a card's log is read by id. Every row from the
    // first phone answer on is written again under a new id (ids only grow,
    // none is reused), so id order is the merged order; the rows before it
    // keep theirs.
    for (std::size_t i = from; i < log.size(); ++i)
      if (log[i].id) {
        impl_->delete_review(log[i].id);
        ++counts.rows_replayed;
        renumbered = true;
      }
    for (std::size_t i = from; i < log.size(); ++i) {
      log[i].id = 0;
      impl_->insert_review(log[i]);
    }
    impl_->write_card_state(card_id, log.back().after, log.back().after_risk);
    impl_->refresh_memory(card_id);
    counts.added += static_cast<int>(fresh.size());
    ++counts.cards;
  });
  return renumbered;
}

}  // namespace recall
