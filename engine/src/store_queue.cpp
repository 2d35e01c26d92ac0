// Store methods that gather the queue: due cards by risk tier, new cards for
// the round robin, the re-drill round, and the counts `recall due` prints.
// The queue's order is in the SQL, so a day with 100k due cards reads only
// what the drill shows.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <set>
#include <string>

#include "recall/error.h"
#include "recall/rules.h"
#include "recall/store.h"
#include "store_impl.h"

namespace recall {

using namespace store_detail;

namespace {

// Ids as a JSON array, for `IN (SELECT value FROM json_each(?))`.
template <typename Ids>
std::string json_ids(const Ids& ids) {
  std::string json = "[";
  for (long long id : ids) {
    if (json.size() > 1) json += ',';
    json += std::to_string(id);
  }
  return json + "]";
}

// Recurring on :day (rules.h: failed on :fail_days days within
// [:since, :day]), read off the kept failure days (schema.sql) when they can
// answer (failure_days_current). The kept columns hold a card's last two
// failure days, so they answer for a rule of two days.
static_assert(kRules.recurring_fail_days == 2, "cards.fail_last/fail_prev keep two failure days");
constexpr const char* kRecurringSql = "c.fail_prev >= :since ";
constexpr const char* kNotRecurringSql = "(c.fail_prev IS NULL OR c.fail_prev < :since) ";
// The same rule off the log itself, for a :day before logged answers.
constexpr const char* kRecurringByLogSql =
    "c.id IN (SELECT card_id FROM reviews WHERE grade < :passing AND day BETWEEN :since AND :day "
    "GROUP BY card_id HAVING COUNT(DISTINCT day) >= :fail_days) ";

}  // namespace

std::string Store::Impl::due_walk_sql(const CardFilter& filter, Day day,
                                      const std::string& conditions) {
  // SQLite walks the due index and sorts one due day at a time in drill
  // order within a risk tier (due day, heavier domain, higher scheduler risk (SM-2: lower EF), more
  // lapses, id), so it stops after :limit instead of handing over every due
  // card.
  return std::string("SELECT ") + kEntryColumns + kCardJoins +
         "WHERE c.due_day IS NOT NULL AND c.due_day <= :day AND c.suspended = 0 AND c.retired = "
         "0 " +
         conditions + filter_sql(filter, day) +
         "ORDER BY c.due_day, COALESCE(d.weight, 0) DESC, c.risk DESC, c.lapses DESC, c.id LIMIT "
         ":limit";
}

std::vector<QueueEntry> Store::due_entries(Day day, const CardFilter& filter, int limit,
                                           const std::set<long long>& except) {
  return store_detail::guarded(*impl_, path_, [&] {
    return impl_->due_tier(day, filter, limit, Impl::DueTier::kAll, except);
  });
}

std::vector<QueueEntry> Store::due_entries_among(Day day, const CardFilter& filter,
                                                 const std::set<long long>& card_ids,
                                                 std::optional<int> limit) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<QueueEntry> entries;
    if (card_ids.empty()) return entries;
    auto& s = impl_->statement(
        impl_->due_walk_sql(filter, day, "AND c.id IN (SELECT value FROM json_each(:ids)) "));
    impl_->bind_filter(s, filter, day);
    s.bind(":ids", json_ids(card_ids));
    s.bind(":limit", limit.value_or(-1));
    for_each_row(s, [&](const Row& row) { entries.push_back(read_entry(row)); });
    return entries;
  });
}

std::vector<QueueEntry> Store::new_entries(Day day, const CardFilter& filter, int take,
                                           const std::set<long long>& started) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<QueueEntry> entries;
    if (take <= 0) return entries;
    // Cards of open gaps come first, from gap_new_entries.
    // While drafts wait, none to introduce (the tallies say so) is known
    // without a walk; otherwise the walks go through the indexes of the
    // cards not flagged (schema.sql cards_ready), not over every draft. The
    // setting is read once: the forced index and the condition go together.
    const bool drafts_wait = impl_->drafts_wait();
    const std::string introducible = Impl::introducible_sql(drafts_wait);
    if (drafts_wait && filter.is_empty() && impl_->introducible_count(true) <= 0) return entries;
    const auto cards_by = [&](const char* index) {
      return std::string(" FROM cards c") + (drafts_wait ? std::string(" INDEXED BY ") + index : "");
    };
    const auto new_cards_sql = [&](const char* index) {
      return std::string("SELECT ") + kEntryColumns + cards_by(index) + kTopicJoins + "WHERE " +
             introducible + " AND NOT " + kOpenGapCardSql + impl_->filter_sql(filter, day);
    };
    const std::string new_card_sql = new_cards_sql("cards_ready");
    // A large room (limits raised for a marathon) needs most new cards
    // anyway: one walk over them beats a query per topic.
    constexpr int kBulkTake = 512;
    if (take >= kBulkTake) {
      auto& all = impl_->statement(new_card_sql + "ORDER BY c.position, c.id");
      impl_->bind_filter(all, filter, day);
      for_each_row(all, [&](const Row& row) { entries.push_back(read_entry(row)); });
      return entries;
    }
    // The first `take` cards of drill.cpp's round robin come from the first
    // `take` topics in its order that were not started today (round one
    // alone fills `take` places) and from the started ones, and at most
    // `take` cards of each. Topics are ordered by domain weight, then
    // tracker position: domains of one weight are walked together through
    // topics_domain_order, each stopping after `take` topics with new cards.
    struct Group {
      int weight = 0;
      std::vector<std::optional<long long>> domains;  // nullopt: topics without domain
    };
    std::vector<Group> groups;
    // Topics without a domain weigh 0, like the LEFT JOIN's COALESCE.
    auto& domains = impl_->statement(
        "SELECT id, weight FROM domains UNION ALL SELECT NULL, 0 ORDER BY 2 DESC, 1");
    while (domains.executeStep()) {
      const int weight = domains.getColumn(1).getInt();
      if (groups.empty() || groups.back().weight != weight) groups.push_back({weight, {}});
      groups.back().domains.push_back(
          domains.getColumn(0).isNull()
              ? std::nullopt
              : std::optional<long long>(domains.getColumn(0).getInt64()));
    }
    domains.reset();
    const std::string topics_sql =
        std::string(
            "SELECT t.position, t.id FROM topics t LEFT JOIN domains d ON d.id = t.domain_id "
            "WHERE t.domain_id IS :domain_id AND EXISTS (SELECT 1") +
        cards_by("cards_topic_ready") + " WHERE c.topic_id = t.id AND NOT " +
        kOpenGapCardSql + " AND " + introducible + impl_->filter_sql(filter, day) +
        ") AND t.id NOT IN (SELECT value FROM json_each(:started)) "
        "ORDER BY t.position, t.id LIMIT :take";
    const std::string topic_cards_sql = new_cards_sql("cards_topic_ready") +
                                        " AND c.topic_id IS :topic_id ORDER BY c.position, c.id "
                                        "LIMIT :take";
    std::vector<long long> topic_ids;
    for (const Group& group : groups) {
      const int room = take - static_cast<int>(topic_ids.size());
      if (room <= 0) break;
      std::vector<std::pair<int, long long>> found;  // (position, id)
      for (const auto& domain : group.domains) {
        auto& topics = impl_->statement(topics_sql);
        impl_->bind_filter(topics, filter, day);
        if (domain)
          topics.bind(":domain_id", static_cast<int64_t>(*domain));
        else
          topics.bind(":domain_id");
        topics.bind(":take", room);
        topics.bind(":started", json_ids(started));
        while (topics.executeStep())
          found.emplace_back(topics.getColumn(0).getInt(), topics.getColumn(1).getInt64());
        topics.reset();
      }
      std::sort(found.begin(), found.end());
      if (static_cast<int>(found.size()) > room) found.resize(room);
      for (const auto& [position, id] : found) topic_ids.push_back(id);
    }
    for (long long topic_id : started)
      if (topic_id) topic_ids.push_back(topic_id);
    topic_ids.push_back(0);  // cards without topic form one more group
    for (long long topic_id : topic_ids) {
      auto& s = impl_->statement(topic_cards_sql);
      impl_->bind_filter(s, filter, day);
      if (topic_id)
        s.bind(":topic_id", static_cast<int64_t>(topic_id));
      else
        s.bind(":topic_id");
      s.bind(":take", take);
      for_each_row(s, [&](const Row& row) { entries.push_back(read_entry(row)); });
    }
    std::sort(entries.begin(), entries.end(), [](const QueueEntry& a, const QueueEntry& b) {
      return a.position != b.position ? a.position < b.position : a.id < b.id;
    });
    return entries;
  });
}

std::vector<QueueEntry> Store::gap_new_entries(Day day, const CardFilter& filter, int take) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<QueueEntry> entries;
    if (take <= 0) return entries;
    // The candidates are the open gaps' cards (gap_cards_sql), not a walk
    // of every new card.
    auto& s = impl_->statement(
        std::string("WITH open AS (SELECT id, text FROM gaps WHERE tier IN ('high', 'medium')) "
                    "SELECT ") +
        kEntryColumns + ", " + kGapRankSql + " AS gap_rank" + kCardJoins + "WHERE c.id IN (" +
        gap_cards_sql("open") + ") AND " + impl_->introducible_sql() + " AND " + kOpenGapCardSql +
        impl_->filter_sql(filter, day) + "ORDER BY gap_rank, c.position, c.id LIMIT :take");
    impl_->bind_filter(s, filter, day);
    s.bind(":take", take);
    for_each_row(s, [&](const Row& row) {
      QueueEntry entry = read_entry(row);
      entry.gap_rank = row.null(8) ? QueueEntry::kNoGapRank : static_cast<int>(row.integer(8));
      entries.push_back(entry);
    });
    return entries;
  });
}

namespace {

// Cards re-drilled today: the latest answer today below 4, with the id of
// that answer (the round's order: a card failed again goes to the end). Read off reviews_day alone
// (the latest answer's grade is the one of MAX(id * 8 + grade), grades
// being 0..5); retired cards are left out through cards_retired, so an
// unfiltered round is counted and cut before any card row is read.
constexpr const char* kFailingTodaySql =
    "SELECT card_id, last_id FROM (SELECT card_id, MAX(id) AS last_id FROM reviews "
    "  WHERE day = :day GROUP BY card_id HAVING MAX(id * 8 + grade) % 8 < 4) "
    " WHERE card_id NOT IN (SELECT id FROM cards INDEXED BY cards_retired WHERE retired = 1) ";

}  // namespace

std::vector<QueueEntry> Store::redrill_entries(Day day, const CardFilter& filter,
                                               std::optional<int> limit) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<QueueEntry> entries;
    // A filter needs the card rows to choose, so it cuts after the join.
    const bool cut_early = filter.is_empty();
    auto& s = impl_->statement(std::string("WITH failing AS MATERIALIZED (") + kFailingTodaySql +
                               (cut_early ? "ORDER BY last_id LIMIT :limit" : "") + ") SELECT " +
                               kEntryColumns +
                               " FROM failing CROSS JOIN cards c ON c.id = failing.card_id" +
                               kTopicJoins + "WHERE 1" + impl_->filter_sql(filter, day) +
                               "ORDER BY failing.last_id" + (cut_early ? "" : " LIMIT :limit"));
    impl_->bind_filter(s, filter, day);
    s.bind(":limit", limit.value_or(-1));
    for_each_row(s, [&](const Row& row) { entries.push_back(read_entry(row)); });
    return entries;
  });
}

std::map<long long, int> Store::new_cards_introduced(Day day) {
  return store_detail::guarded(*impl_, path_, [&] {
    // A first answer has no due day before it (day_counts counts it new).
    std::map<long long, int> introduced;
    auto& s = impl_->statement(
        "SELECT COALESCE(c.topic_id, 0), COUNT(*) FROM reviews r JOIN cards c ON c.id = r.card_id "
        "WHERE r.day = ? AND r.kind <> 'redrill' AND r.before_due IS NULL AND NOT " +
        std::string(kOpenGapCardSql) + " GROUP BY 1");
    s.bind(1, day);
    while (s.executeStep()) introduced[s.getColumn(0).getInt64()] = s.getColumn(1).getInt();
    s.reset();
    return introduced;
  });
}

int Store::count_redrill(Day day, const CardFilter& filter) {
  return store_detail::guarded(*impl_, path_, [&] {
    // Unfiltered, off the day index alone; a filter reads the card rows.
    auto& s =
        impl_->statement(std::string("SELECT COUNT(*) FROM (") + kFailingTodaySql + ") failing" +
                         (filter.is_empty() ? ""
                                            : " CROSS JOIN cards c ON c.id = failing.card_id" +
                                                  std::string(kTopicJoins) + "WHERE 1" +
                                                  impl_->filter_sql(filter, day)));
    impl_->bind_filter(s, filter, day);
    s.executeStep();
    const int count = s.getColumn(0).getInt();
    s.reset();
    return count;
  });
}

int Store::count_due(Day day, const CardFilter& filter) {
  return store_detail::guarded(*impl_, path_, [&] {
    // Unfiltered, the count is read off the partial index alone.
    auto& s = filter.is_empty()
                  ? impl_->statement(
                        "SELECT COUNT(*) FROM cards c WHERE c.due_day IS NOT NULL AND "
                        "c.due_day <= :day AND c.suspended = 0 AND c.retired = 0")
                  : impl_->statement(std::string("SELECT COUNT(*)") + kCardJoins +
                                     "WHERE c.due_day IS NOT NULL AND c.due_day <= :day "
                                     "AND c.suspended = 0 AND c.retired = 0" +
                                     impl_->filter_sql(filter, day));
    if (filter.is_empty())
      s.bind(":day", day);
    else
      impl_->bind_filter(s, filter, day);
    s.executeStep();
    const int count = s.getColumn(0).getInt();
    s.reset();  // a statement left on its row would pin this read snapshot
    return count;
  });
}

int Store::count_new(Day day, const CardFilter& filter) {
  return store_detail::guarded(*impl_, path_, [&] {
    if (filter.is_empty()) return impl_->introducible_count(impl_->drafts_wait());
    auto& s = impl_->statement(std::string("SELECT COUNT(*)") + kCardJoins + "WHERE " +
                               impl_->introducible_sql() + impl_->filter_sql(filter, day));
    impl_->bind_filter(s, filter, day);
    s.executeStep();
    const int count = s.getColumn(0).getInt();
    s.reset();
    return count;
  });
}

std::string Store::Impl::filter_sql(const CardFilter& filter, Day day) {
  std::string sql = " ";
  // A topic by its id, so SQLite can walk the topic's few cards
  // (cards_topic_new, cards_topic) instead of joining every candidate to its
  // topic. A domain holds a large share of the cards: the index walks stay.
  if (filter.topic_label) sql += "AND c.topic_id IN (SELECT id FROM topics WHERE label = :topic) ";
  if (filter.domain_letter) sql += "AND d.letter = :domain ";
  if (filter.gaps_only) {
    // Linked to an open gap or recurring: off the indexes' gap_open and
    // fail_prev, or (a day before logged answers) from the links and the log.
    if (failure_days_current(day))
      sql += std::string("AND (c.gap_open = 1 OR ") + kRecurringSql + ") ";
    else
      sql += std::string("AND (") + kOpenGapLinkSql + " OR " + kRecurringByLogSql + ") ";
  }
  return sql;
}

bool Store::Impl::failure_days_current(Day day) {
  // cards.fail_last / fail_prev are the last two failure days of the whole
  // log; they answer "failed on 2+ days within [day-29, day]" when no
  // failure is logged after `day`, which holds when nothing is (a --today
  // in the past is the exception).
  auto& s = statement("SELECT MAX(day) FROM reviews");
  s.executeStep();
  const bool current = s.getColumn(0).isNull() || s.getColumn(0).getInt() <= day;
  s.reset();
  return current;
}

std::vector<QueueEntry> Store::Impl::due_tier(Day day, const CardFilter& filter, int limit,
                                              DueTier tier, const std::set<long long>& except) {
  std::vector<QueueEntry> entries;
  // The recurring split reads the kept failure days on the index, or (a
  // day before logged answers) the log.
  const bool current = tier == Impl::DueTier::kAll || failure_days_current(day);
  const std::string recurring = current ? kRecurringSql : kRecurringByLogSql;
  const std::string not_recurring =
      current ? std::string(kNotRecurringSql) : std::string("NOT ") + kRecurringByLogSql;
  std::string conditions;
  switch (tier) {
    case Impl::DueTier::kAll:
      break;
    case Impl::DueTier::kRecurring:
      conditions = "AND " + recurring;
      break;
    case Impl::DueTier::kGapLinked:
      conditions = "AND c.gap_open = 1 AND " + not_recurring;
      break;
    case Impl::DueTier::kOther:
      conditions = "AND c.gap_open = 0 AND " + not_recurring;
      break;
  }
  if (!except.empty()) conditions += "AND c.id NOT IN (SELECT value FROM json_each(:except)) ";
  auto& s = statement(due_walk_sql(filter, day, conditions));
  bind_filter(s, filter, day);
  if (!except.empty()) s.bind(":except", json_ids(except));
  s.bind(":limit", limit);
  for_each_row(s, [&](const Row& row) { entries.push_back(read_entry(row)); });
  return entries;
}

std::vector<long long> Store::recurring_card_ids(Day day) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<long long> ids;
    // Sorted here: ORDER BY c.id would walk the whole table in id order
    // instead of the few entries of cards_failed.
    auto& s =
        impl_->statement(std::string("SELECT c.id FROM cards c WHERE ") +
                         (impl_->failure_days_current(day) ? kRecurringSql : kRecurringByLogSql));
    impl_->bind_filter(s, {}, day);
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    std::sort(ids.begin(), ids.end());
    return ids;
  });
}

std::vector<QueueEntry> Store::recurring_due_entries(Day day, const CardFilter& filter, int limit) {
  return store_detail::guarded(*impl_, path_, [&] {
    return impl_->due_tier(day, filter, limit, Impl::DueTier::kRecurring, {});
  });
}

std::vector<QueueEntry> Store::gap_due_entries(Day day, const CardFilter& filter, int limit,
                                               const std::set<long long>& except) {
  return store_detail::guarded(*impl_, path_, [&] {
    return impl_->due_tier(day, filter, limit, Impl::DueTier::kGapLinked, except);
  });
}

std::vector<QueueEntry> Store::other_due_entries(Day day, const CardFilter& filter, int limit,
                                                 const std::set<long long>& except) {
  return store_detail::guarded(*impl_, path_, [&] {
    return impl_->due_tier(day, filter, limit, Impl::DueTier::kOther, except);
  });
}

std::vector<long long> Store::gap_card_ids() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<long long> ids;
    auto& s = impl_->statement(
        "SELECT DISTINCT gc.card_id FROM gap_cards gc JOIN gaps g ON g.id = gc.gap_id "
        "WHERE g.tier IN ('high', 'medium') ORDER BY gc.card_id");
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    return ids;
  });
}

}  // namespace recall
