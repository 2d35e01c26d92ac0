// Store methods used by the feedback rules and `recall sync`.
#include "store_impl.h"

#include <algorithm>
#include <unordered_map>

namespace recall {

using store_detail::for_each_row;
using store_detail::kCardJoins;
using store_detail::kOutcomeColumns;
using store_detail::kReviewColumns;
using store_detail::read_outcome;
using store_detail::read_review;
using store_detail::Row;

std::vector<ReviewLog> Store::all_reviews() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<ReviewLog> result;
    result.reserve(impl_->row_count("reviews"));
    auto& s =
        impl_->statement(std::string("SELECT ") + kReviewColumns + " FROM reviews ORDER BY id");
    for_each_row(s, [&](const Row& row) { result.push_back(read_review(row)); });
    return result;
  });
}

std::vector<ReviewOutcome> Store::review_outcomes() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<ReviewOutcome> result;
    result.reserve(impl_->row_count("reviews"));
    auto& s =
        impl_->statement(std::string("SELECT ") + kOutcomeColumns + " FROM reviews ORDER BY id");
    for_each_row(s, [&](const Row& row) { result.push_back(read_outcome(row)); });
    return result;
  });
}

std::vector<TopicAnswers> Store::topic_answers() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<TopicAnswers> result;
    auto& s = impl_->statement(
        "SELECT a.topic_id, a.graded, a.passed, a.days, COALESCE(m.studied, 0), "
        "COALESCE(m.easiness, 0), COALESCE(m.interval_days, 0) FROM topic_answers a "
        "LEFT JOIN (SELECT topic_id, COUNT(*) AS studied, SUM(easiness) AS easiness, "
        "SUM(interval_days) AS interval_days FROM cards WHERE topic_id IS NOT NULL "
        "AND retired = 0 AND due_day IS NOT NULL GROUP BY topic_id) m ON m.topic_id = a.topic_id "
        "ORDER BY a.topic_id");
    while (s.executeStep()) {
      TopicAnswers row;
      row.topic_id = s.getColumn(0).getInt64();
      row.graded = s.getColumn(1).getInt();
      row.passed = s.getColumn(2).getInt();
      row.days = s.getColumn(3).getInt();
      row.studied = s.getColumn(4).getInt();
      row.easiness_milli = s.getColumn(5).getInt64();
      row.interval_days = s.getColumn(6).getInt64();
      result.push_back(row);
    }
    return result;
  });
}

LogMark Store::log_mark() {
  return store_detail::guarded(*impl_, path_, [&] {
    // The count kept by the reviews_tally triggers; the last id off the key.
    auto& s = impl_->statement(std::string("SELECT ") + store_detail::kReviewTallySql +
                               ", (SELECT COALESCE(MAX(id), 0) FROM reviews)");
    s.executeStep();
    const LogMark mark{s.getColumn(0).getInt64(), s.getColumn(1).getInt64()};
    s.reset();
    return mark;
  });
}

std::vector<long long> Store::cards_failed_twice_since(Day since) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<long long> ids;
    auto& s = impl_->statement(
        "SELECT id FROM cards INDEXED BY cards_failed WHERE fail_prev >= :since ORDER BY id");
    s.bind(":since", since);
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    return ids;
  });
}

std::vector<ReviewOutcome> Store::noted_failure_outcomes() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<ReviewOutcome> result;
    auto& s = impl_->statement(std::string("SELECT ") + kOutcomeColumns +
                               " FROM reviews INDEXED BY reviews_noted "
                               "WHERE grade < 3 AND note IS NOT NULL ORDER BY id");
    for_each_row(s, [&](const Row& row) { result.push_back(read_outcome(row)); });
    return result;
  });
}

std::vector<ReviewOutcome> Store::review_grades_of(const std::vector<long long>& card_ids) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<ReviewOutcome> result;
    // Room for a few dozen answers a card, grown once if that is short.
    result.reserve(card_ids.size() * 32);
    // The covering index alone: no row of the table is read.
    auto& s = impl_->statement(
        "SELECT id, card_id, day, grade, kind, NULL FROM reviews INDEXED BY reviews_card "
        "WHERE card_id = :card ORDER BY id");
    for (long long id : card_ids) {
      s.reset();
      s.bind(":card", static_cast<int64_t>(id));
      for_each_row(s, [&](const Row& row) { result.push_back(read_outcome(row)); });
    }
    std::sort(result.begin(), result.end(),
              [](const ReviewOutcome& a, const ReviewOutcome& b) { return a.id < b.id; });
    return result;
  });
}

std::vector<ReviewOutcome> Store::review_outcomes_between(Day first, Day last) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<ReviewOutcome> result;
    auto& s = impl_->statement(std::string("SELECT ") + kOutcomeColumns +
                               " FROM reviews INDEXED BY reviews_day "
                               "WHERE day BETWEEN :first AND :last ORDER BY id");
    s.bind(":first", first);
    s.bind(":last", last);
    for_each_row(s, [&](const Row& row) { result.push_back(read_outcome(row)); });
    return result;
  });
}

long long Store::reviews_after(long long id) {
  return store_detail::guarded(*impl_, path_, [&] {
    // Every row (before any sync): the kept tally; a range of ids walks the
    // table's rows after the last one a sync saw.
    auto& s = id > 0 ? impl_->statement("SELECT COUNT(*) FROM reviews WHERE id > :id")
                     : impl_->statement(std::string("SELECT ") + store_detail::kReviewTallySql);
    if (id > 0) s.bind(":id", static_cast<int64_t>(id));
    s.executeStep();
    const long long count = s.getColumn(0).getInt64();
    s.reset();
    return count;
  });
}

void Store::set_settings(const std::vector<std::pair<std::string, std::string>>& values,
                         const std::vector<std::string>& unset) {
  store_detail::guarded(*impl_, path_, [&] {
    store_detail::WriteTransaction transaction(*impl_);
    for (const auto& [key, value] : values) impl_->write_setting(key, value);
    for (const auto& key : unset) impl_->erase_setting(key);
    transaction.commit();
  });
}

std::vector<Store::NotedFailure> Store::noted_failures(Day day) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<NotedFailure> failures;
    auto& s = impl_->statement(
        "SELECT card_id, day, note FROM reviews WHERE day BETWEEN :since AND :day "
        "AND grade < :passing AND note IS NOT NULL ORDER BY id");
    s.bind(":day", day);
    Impl::bind_rules(s, day);
    while (s.executeStep())
      failures.push_back(
          {s.getColumn(0).getInt64(), s.getColumn(1).getInt(), s.getColumn(2).getString()});
    return failures;
  });
}

std::vector<long long> Store::recurring_gap_card_ids(Day day) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<long long> ids;
    // A gap's cards as the new-card queue ranks them (gap_cards_sql), then
    // each card's own answers (reviews_card): a window of a large log holds
    // thousands of failures, each of which the gaps would otherwise be
    // scanned for, after every answer of a drill.
    auto& s = impl_->statement(
        "WITH open AS (SELECT id, text FROM gaps WHERE in_tracker = 1 AND recurring = 1 "
        "AND tier IN ('high', 'medium')) SELECT c.id FROM cards c WHERE c.id IN (" +
        store_detail::gap_cards_sql("open") +
        ") AND EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = c.id AND r.day BETWEEN :since "
        "AND :day AND r.grade < :passing) ORDER BY c.id");
    s.bind(":day", day);
    Impl::bind_rules(s, day);
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    return ids;
  });
}

std::vector<Card> Store::card_outlines_of(const std::vector<long long>& ids) {
  return store_detail::guarded(*impl_, path_, [&] {
    // card_outlines()' columns, one card at a time by its key.
    auto& s = impl_->statement(std::string("SELECT ") + store_detail::kOutlineColumns +
                               kCardJoins + "WHERE c.id = :id");
    std::vector<long long> sorted(ids);
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::vector<Card> result;
    result.reserve(sorted.size());
    for (long long id : sorted) {
      s.reset();
      s.bind(":id", static_cast<int64_t>(id));
      for_each_row(s, [&](const Row& row) { result.push_back(store_detail::read_card(row)); });
    }
    return result;
  });
}

// A source starting with `prefix`: the range [prefix, the next string of
// its length) in byte order (SQLite's BINARY collation compares bytes), so
// the partial index cards_source answers it.
std::vector<Store::NamedCard> Store::live_cards_with_source_prefix(std::string_view prefix) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<NamedCard> result;
    std::string high(prefix);
    while (!high.empty() && static_cast<unsigned char>(high.back()) == 0xFF) high.pop_back();
    const bool bounded = !high.empty();
    if (bounded) high.back() = static_cast<char>(static_cast<unsigned char>(high.back()) + 1);
    auto& s = impl_->statement(
        bounded ? "SELECT id, source FROM cards INDEXED BY cards_source WHERE retired = 0 "
                  "AND source >= :low AND source < :high ORDER BY id"
                : "SELECT id, source FROM cards INDEXED BY cards_source WHERE retired = 0 "
                  "AND source >= :low ORDER BY id");
    s.bind(":low", std::string(prefix));
    if (bounded) s.bind(":high", high);
    while (s.executeStep())
      result.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString()});
    s.reset();
    return result;
  });
}

std::vector<Store::NamedCard> Store::live_cards_without_source() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<NamedCard> result;
    auto& s = impl_->statement(
        "SELECT id, front FROM cards INDEXED BY cards_source WHERE retired = 0 AND source = '' "
        "ORDER BY id");
    while (s.executeStep())
      result.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString()});
    s.reset();
    return result;
  });
}

std::vector<long long> Store::live_card_ids_of_topic(long long topic_id) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<long long> ids;
    auto& s = impl_->statement(
        "SELECT id FROM cards INDEXED BY cards_topic_counts WHERE topic_id = :topic "
        "AND retired = 0 "
        "ORDER BY id");
    s.bind(":topic", static_cast<int64_t>(topic_id));
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    s.reset();
    return ids;
  });
}

std::vector<Store::TopicName> Store::labelled_topics() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<TopicName> result;
    auto& s = impl_->statement("SELECT id, label, title FROM topics WHERE label <> '' ORDER BY id");
    while (s.executeStep())
      result.push_back(
          {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getString()});
    s.reset();
    return result;
  });
}

long long Store::live_card_count() {
  return store_detail::guarded(*impl_, path_, [&] {
    auto& s = impl_->statement(
        "SELECT (SELECT COUNT(*) FROM cards) - "
        "(SELECT COUNT(*) FROM cards INDEXED BY cards_retired WHERE retired = 1)");
    s.executeStep();
    const long long count = s.getColumn(0).getInt64();
    s.reset();
    return count;
  });
}

std::vector<std::pair<long long, ReviewOutcome>> Store::topic_outcomes_between(Day first,
                                                                               Day last) {
  return store_detail::guarded(*impl_, path_, [&] {
    // The window's answers off the covering index reviews_day (the note
    // left out: it is not in the index), then the topics of their cards off
    // the covering index cards_topic_counts: joining each answer to its card
    // would read a card row per answer.
    std::vector<ReviewOutcome> answers;
    auto& s = impl_->statement(
        "SELECT id, card_id, day, grade, kind, NULL FROM reviews INDEXED BY reviews_day "
        "WHERE day BETWEEN :first AND :last");
    s.bind(":first", first);
    s.bind(":last", last);
    for_each_row(s, [&](const Row& row) { answers.push_back(read_outcome(row)); });
    std::vector<std::pair<long long, ReviewOutcome>> result;
    if (answers.empty()) return result;
    std::unordered_map<long long, long long> topic_of;  // card -> topic (0: none or retired)
    topic_of.reserve(answers.size());
    for (const ReviewOutcome& answer : answers) topic_of.emplace(answer.card_id, 0);
    auto& topics = impl_->statement(
        "SELECT id, topic_id FROM cards INDEXED BY cards_topic_counts "
        "WHERE topic_id IS NOT NULL AND retired = 0");
    for_each_row(topics, [&](const Row& row) {
      if (const auto found = topic_of.find(row.int64(0)); found != topic_of.end())
        found->second = row.int64(1);
    });
    std::sort(answers.begin(), answers.end(),
              [](const ReviewOutcome& a, const ReviewOutcome& b) { return a.id < b.id; });
    result.reserve(answers.size());
    for (ReviewOutcome& answer : answers)
      if (const long long topic = topic_of[answer.card_id]; topic != 0)
        result.emplace_back(topic, std::move(answer));
    return result;
  });
}

std::vector<Store::TopicHead> Store::topic_heads(const std::vector<long long>& ids) {
  return store_detail::guarded(*impl_, path_, [&] {
    auto& s = impl_->statement(
        "SELECT t.label, t.title, d.letter, t.confidence FROM topics t "
        "LEFT JOIN domains d ON d.id = t.domain_id WHERE t.id = :id");
    std::vector<TopicHead> result;
    result.reserve(ids.size());
    for (long long id : ids) {
      s.reset();
      s.bind(":id", static_cast<int64_t>(id));
      for_each_row(s, [&](const Row& row) {
        result.push_back({id, row.text(0), row.text(1), row.letter(2), row.text(3)});
      });
    }
    return result;
  });
}

TopicAnswers Store::studied_sums(long long topic_id) {
  return store_detail::guarded(*impl_, path_, [&] {
    TopicAnswers sums;
    sums.topic_id = topic_id;
    auto& s = impl_->statement(
        "SELECT COUNT(*), COALESCE(SUM(easiness), 0), COALESCE(SUM(interval_days), 0) "
        "FROM cards INDEXED BY cards_topic_counts WHERE topic_id = :topic AND retired = 0 "
        "AND due_day IS NOT NULL");
    s.bind(":topic", static_cast<int64_t>(topic_id));
    s.executeStep();
    sums.studied = s.getColumn(0).getInt();
    sums.easiness_milli = s.getColumn(1).getInt64();
    sums.interval_days = s.getColumn(2).getInt64();
    s.reset();
    return sums;
  });
}

}  // namespace recall
