// Store methods for the interview rule and the stats: aggregate SQL only
// (one scan of cards, index range scans of reviews by day), never a query
// per card, so `recall stats` stays fast on 100k cards / 1M reviews.
#include <map>

#include "recall/stats.h"
#include "recall/store.h"
#include "store_impl.h"

namespace recall {

using namespace store_detail;

std::optional<Day> Store::tracker_interview_date() {
  const auto value = setting(kTrackerInterviewSetting);
  if (!value) return std::nullopt;
  return parse_day(*value);
}

void Store::set_tracker_interview_date(std::optional<Day> day) {
  guarded(*impl_, path_, [&] {
    store_detail::WriteTransaction transaction(*impl_);
    if (day)
      impl_->write_setting(kTrackerInterviewSetting, format_day(*day));
    else
      impl_->erase_setting(kTrackerInterviewSetting);
    // An import writes this setting: a no-op import record no longer holds.
    impl_->erase_setting(kImportRecordSetting);
    transaction.commit();
  });
}

std::optional<std::string> Store::tracker_path() { return setting(kTrackerPathSetting); }

FinalWeekLoad Store::final_week_load(Day interview, long long except_card_id) {
  return guarded(*impl_, path_, [&] {
    FinalWeekLoad load{};
    const Day first = final_week_start(interview);
    auto& s = impl_->statement(
        "SELECT due_day, COUNT(*) FROM cards WHERE due_day IS NOT NULL AND suspended = 0 "
        "AND retired = 0 AND due_day BETWEEN ?1 AND ?2 AND id != ?3 GROUP BY due_day");
    s.bind(1, first);
    s.bind(2, interview - 1);
    s.bind(3, static_cast<int64_t>(except_card_id));
    while (s.executeStep()) load[s.getColumn(0).getInt() - first] = s.getColumn(1).getInt();
    return load;
  });
}

std::pair<int, int> Store::window_answers(Day day) {
  return guarded(*impl_, path_, [&] {
    auto& s = impl_->statement(
        "SELECT COUNT(*), COALESCE(SUM(r.grade >= ?3), 0) FROM reviews r INDEXED BY reviews_day "
        "JOIN cards c ON c.id = r.card_id "
        "WHERE r.day BETWEEN ?1 - ?2 + 1 AND ?1 AND r.kind <> 'redrill' AND c.retired = 0");
    s.bind(1, day);
    s.bind(2, kRetentionWindowDays);
    s.bind(3, kPassingGrade);
    s.executeStep();
    const std::pair<int, int> counts{s.getColumn(0).getInt(), s.getColumn(1).getInt()};
    s.reset();
    return counts;
  });
}

std::vector<DomainCounts> Store::domain_counts(Day day) {
  return guarded(*impl_, path_, [&] {
    std::map<char, DomainCounts> by_letter;
    for (const DomainRow& row : domains()) {
      DomainCounts& d = by_letter[row.letter];
      d.letter = row.letter;
      d.name = row.name;
      d.weight = row.weight;
    }
    // Counted per topic (and per domain of the cards without one) off the
    // covering index cards_topic_counts in its order, then summed per domain over
    // those groups: no card row is read, and only the groups are sorted.
    auto& cards = impl_->statement(
        "SELECT d.letter, SUM(k.cards), SUM(k.fresh), SUM(k.due), SUM(k.mature), SUM(k.known), "
        "SUM(k.lapses) FROM ("
        "  SELECT topic_id, domain_id, COUNT(*) AS cards, SUM(due_day IS NULL) AS fresh, "
        "  SUM(due_day IS NOT NULL AND suspended = 0 AND due_day <= ?1) AS due, "
        "  SUM(due_day IS NOT NULL AND interval_days >= ?2) AS mature, "
        "  SUM(due_day IS NOT NULL AND repetitions > 0) AS known, SUM(lapses) AS lapses "
        "  FROM cards INDEXED BY cards_topic_counts WHERE retired = 0 GROUP BY topic_id, domain_id) k "
        "LEFT JOIN topics t ON t.id = k.topic_id "
        "LEFT JOIN domains d ON d.id = COALESCE(t.domain_id, k.domain_id) "
        "GROUP BY d.letter");
    cards.bind(1, day);
    cards.bind(2, kMatureIntervalDays);
    while (cards.executeStep()) {
      const char letter = letter_of(cards.getColumn(0));
      DomainCounts& d = by_letter[letter];
      d.letter = letter;
      d.cards = cards.getColumn(1).getInt();
      d.new_cards = cards.getColumn(2).getInt();
      d.due = cards.getColumn(3).getInt();
      d.mature = cards.getColumn(4).getInt();
      d.known = cards.getColumn(5).getInt();
      d.lapses = cards.getColumn(6).getInt();
    }
    auto& answers = impl_->statement(
        "SELECT d.letter, COUNT(*), SUM(r.grade >= ?3) FROM reviews r "
        "JOIN cards c ON c.id = r.card_id LEFT JOIN topics t ON t.id = c.topic_id "
        "LEFT JOIN domains d ON d.id = COALESCE(t.domain_id, c.domain_id) "
        "WHERE r.day BETWEEN ?1 - ?2 + 1 AND ?1 AND r.kind <> 'redrill' AND c.retired = 0 "
        "GROUP BY d.letter");
    answers.bind(1, day);
    answers.bind(2, kRetentionWindowDays);
    answers.bind(3, kPassingGrade);
    while (answers.executeStep()) {
      DomainCounts& d = by_letter[letter_of(answers.getColumn(0))];
      d.letter = letter_of(answers.getColumn(0));
      d.answers_30d = answers.getColumn(1).getInt();
      d.passed_30d = answers.getColumn(2).getInt();
    }
    auto& recurring = impl_->statement(
        "SELECT d.letter, COUNT(*) FROM (SELECT card_id FROM reviews WHERE grade < :passing "
        "AND day BETWEEN :since AND :day GROUP BY card_id HAVING COUNT(DISTINCT day) >= "
        ":fail_days) f "
        "JOIN cards c ON c.id = f.card_id LEFT JOIN topics t ON t.id = c.topic_id "
        "LEFT JOIN domains d ON d.id = COALESCE(t.domain_id, c.domain_id) WHERE c.retired = 0 "
        "GROUP BY d.letter");
    recurring.bind(":day", day);
    Impl::bind_rules(recurring, day);
    while (recurring.executeStep()) {
      DomainCounts& d = by_letter[letter_of(recurring.getColumn(0))];
      d.letter = letter_of(recurring.getColumn(0));
      d.recurring = recurring.getColumn(1).getInt();
    }
    std::vector<DomainCounts> result;
    for (auto& [letter, counts] : by_letter)
      if (letter != 0) result.push_back(std::move(counts));
    if (auto none = by_letter.find(0); none != by_letter.end()) {
      none->second.name = "(no domain)";
      result.push_back(std::move(none->second));
    }
    return result;
  });
}

std::vector<TopicCounts> Store::topic_counts(Day day) {
  return guarded(*impl_, path_, [&] {
    std::vector<TopicCounts> result;
    auto& s = impl_->statement(
        "SELECT t.id, t.label, t.title, t.confidence, d.letter, t.in_progress, "
        "COUNT(c.id), COALESCE(SUM(c.due_day IS NULL), 0), "
        "COALESCE(SUM(c.due_day IS NOT NULL AND c.repetitions > 0), 0), "
        "COALESCE(SUM(c.due_day IS NOT NULL AND c.interval_days >= ?2), 0), "
        "COALESCE(a.answers, 0), COALESCE(a.passed, 0) "
        "FROM topics t LEFT JOIN domains d ON d.id = t.domain_id "
        "LEFT JOIN cards c ON c.topic_id = t.id AND c.retired = 0 "
        "LEFT JOIN (SELECT c2.topic_id AS topic_id, COUNT(*) AS answers, "
        "  SUM(r.grade >= ?4) AS passed FROM reviews r JOIN cards c2 ON c2.id = r.card_id "
        "  WHERE r.day BETWEEN ?1 - ?3 + 1 AND ?1 AND r.kind <> 'redrill' AND c2.retired = 0 "
        "  GROUP BY c2.topic_id) a ON a.topic_id = t.id "
        "WHERE t.retired = 0 GROUP BY t.id ORDER BY t.position, t.id");
    s.bind(1, day);
    s.bind(2, kMatureIntervalDays);
    s.bind(3, kRetentionWindowDays);
    s.bind(4, kPassingGrade);
    while (s.executeStep()) {
      TopicCounts t;
      t.id = s.getColumn(0).getInt64();
      t.label = s.getColumn(1).getString();
      t.title = s.getColumn(2).getString();
      t.confidence = s.getColumn(3).getString();
      t.domain_letter = letter_of(s.getColumn(4));
      t.in_progress = s.getColumn(5).getInt() != 0;
      t.cards = s.getColumn(6).getInt();
      t.new_cards = s.getColumn(7).getInt();
      t.known = s.getColumn(8).getInt();
      t.mature = s.getColumn(9).getInt();
      t.answers_30d = s.getColumn(10).getInt();
      t.passed_30d = s.getColumn(11).getInt();
      result.push_back(std::move(t));
    }
    return result;
  });
}

std::vector<std::pair<Day, int>> Store::due_per_day(Day from, Day to) {
  return guarded(*impl_, path_, [&] {
    std::vector<std::pair<Day, int>> result;
    auto& s = impl_->statement(
        "SELECT MAX(due_day, ?1) AS d, COUNT(*) FROM cards WHERE due_day IS NOT NULL "
        "AND suspended = 0 AND retired = 0 AND due_day <= ?2 GROUP BY d ORDER BY d");
    s.bind(1, from);
    s.bind(2, to);
    while (s.executeStep()) result.emplace_back(s.getColumn(0).getInt(), s.getColumn(1).getInt());
    return result;
  });
}

std::vector<std::pair<Day, int>> Store::answers_per_day(Day from, Day to) {
  return guarded(*impl_, path_, [&] {
    std::vector<std::pair<Day, int>> result;
    auto& s = impl_->statement(
        "SELECT day, COUNT(*) FROM reviews WHERE day BETWEEN ?1 AND ?2 GROUP BY day ORDER BY day");
    s.bind(1, from);
    s.bind(2, to);
    while (s.executeStep()) result.emplace_back(s.getColumn(0).getInt(), s.getColumn(1).getInt());
    return result;
  });
}

std::vector<CardMemoryLog> Store::memory_logs() {
  return guarded(*impl_, path_, [&] {
    std::vector<CardMemoryLog> result;
    auto& s = impl_->statement(
        "SELECT r.card_id, COALESCE(c.topic_id, 0), d.letter, c.retired, r.day, r.grade, "
        "r.before_interval FROM reviews r JOIN cards c ON c.id = r.card_id "
        "LEFT JOIN topics t ON t.id = c.topic_id LEFT JOIN domains d ON d.id = "
        "COALESCE(t.domain_id, c.domain_id) "
        "ORDER BY r.card_id, r.id");
    while (s.executeStep()) {
      const long long card_id = s.getColumn(0).getInt64();
      if (result.empty() || result.back().card_id != card_id) {
        CardMemoryLog& card = result.emplace_back();
        card.card_id = card_id;
        card.topic_id = s.getColumn(1).getInt64();
        card.domain_letter = letter_of(s.getColumn(2));
        card.retired = s.getColumn(3).getInt() != 0;
      }
      result.back().log.push_back({s.getColumn(4).getInt(), s.getColumn(5).getInt()});
      result.back().intervals_before.push_back(s.getColumn(6).getInt());
    }
    for (CardMemoryLog& card : result) {
      const auto order =
          replay_order(card.log.size(), [&](std::size_t i) { return card.log[i].day; });
      apply_order(card.log, order);
      apply_order(card.intervals_before, order);
    }
    return result;
  });
}

std::vector<CardKeptMemory> Store::kept_memories() {
  return guarded(*impl_, path_, [&] {
    std::vector<CardKeptMemory> result;
    auto& s = impl_->statement(
        "SELECT c.id, COALESCE(c.topic_id, 0), d.letter, c.retired, c.stability, c.difficulty, "
        "c.memory_day FROM cards c" +
        std::string(kTopicJoins) + "WHERE c.memory_day IS NOT NULL ORDER BY c.id");
    for_each_row(s, [&](const Row& row) {
      result.push_back({row.int64(0), row.int64(1), row.letter(2), row.integer(3) != 0,
                        *read_kept_memory(row, 4)});
    });
    return result;
  });
}

fsrs::ReviewLog Store::memory_log(long long card_id) {
  return guarded(*impl_, path_, [&] { return impl_->memory_log(card_id); });
}

}  // namespace recall
