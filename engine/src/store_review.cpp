// Store methods for the review pass (review.h): approving, editing,
// retiring and adding cards in batches, each batch one write transaction;
// the cards a review pass has still to cover, with their context; the counts
// `due`, `brief` and the drill show; finding cards by their text.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>

#include "recall/error.h"
#include "recall/store.h"
#include "recall/text.h"
#include "store_impl.h"

namespace recall {

using namespace store_detail;

namespace {

// The error of item `where` of a batch: the same kind, the item named first.
[[noreturn]] void fail_item(const std::string& where, const Error& e) {
  throw Error(e.kind(), where + ": " + e.what());
}

std::string item_name(const char* list, std::size_t index, long long card_id) {
  return std::string(list) + "[" + std::to_string(index) + "] (card " + std::to_string(card_id) +
         ")";
}

void require_reviewer(const std::string& by) {
  if (by != "tutor" && by != "learner")
    throw Error::usage("reviewer: '" + by + "' is neither tutor nor learner");
}

// `ids` must not name a card twice: a batch says each change once.
void require_distinct(const std::vector<long long>& ids, const char* list) {
  std::map<long long, std::size_t> seen;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (!seen.emplace(ids[i], i).second)
      throw Error::usage(item_name(list, i, ids[i]) + ": the same card as " + list + "[" +
                         std::to_string(seen[ids[i]]) + "]");
}

// Calls `check(i)` for each of the `count` items of a batch; an Error it
// throws is item `name(i)`'s (fail_item).
template <class Name, class Check>
void check_items(std::size_t count, Name&& name, Check&& check) {
  for (std::size_t i = 0; i < count; ++i) {
    try {
      check(i);
    } catch (const Error& e) {
      fail_item(name(i), e);
    }
  }
}

// A review batch in one write transaction (Store::Impl `impl`): `write(i)`
// checks and writes item i and returns its card's id; an Error it throws
// names the item and writes nothing of the batch. The next import plans
// with the reviews (importer.h keeps their text). `after`, when set, runs
// after the last item, inside the transaction. The cards' ids.
template <class Impl, class Name, class Write>
std::vector<long long> write_batch(Impl& impl, std::size_t count, Name&& name, Write&& write,
                                   const std::function<void()>& after = {}) {
  store_detail::WriteTransaction transaction(impl);
  std::vector<long long> ids;
  check_items(count, name, [&](std::size_t i) { ids.push_back(write(i)); });
  if (after) after();
  impl.erase_setting(kImportRecordSetting);
  transaction.commit();
  return ids;
}

// The cards `ids` as they are now (after a batch).
std::vector<Card> cards_of(Store& store, const std::vector<long long>& ids) {
  std::vector<Card> cards;
  for (long long id : ids) cards.push_back(*store.card(id));
  return cards;
}

}  // namespace

std::vector<Card> Store::approve_cards(const std::vector<long long>& ids, const std::string& by,
                                       Day day) {
  require_reviewer(by);
  require_distinct(ids, "ids");
  return store_detail::guarded(*impl_, path_, [&] {
    const auto name = [&](std::size_t i) { return item_name("ids", i, ids[i]); };
    return cards_of(*this, write_batch(*impl_, ids.size(), name, [&](std::size_t i) {
      const auto [retired, reviewed_as] = impl_->review_state(ids[i]);
      if (retired && reviewed_as != "retired")
        throw Error::data("retired: its key point left the tracker");
      // A retired card comes back; an edited or added card stays so.
      auto& s = impl_->statement(
          "UPDATE cards SET quality = 'ok', quality_reason = '', retired = 0, reviewed_by = ?2, "
          "reviewed_as = CASE WHEN reviewed_as IN ('edited', 'added') THEN reviewed_as "
          "ELSE 'approved' END, reviewed_day = ?3, review_reason = '' WHERE id = ?1");
      s.bind(1, static_cast<int64_t>(ids[i]));
      s.bind(2, by);
      s.bind(3, day);
      s.exec();
      return ids[i];
    }));
  });
}

namespace {

// Takes card `card_id` away from gap `gap_id` (CardEdit::unlink_gap_id): its
// link goes and the pair is kept in gap_unlinks, which the import's links
// and the feedback rules' names of the gap leave out.
template <class Impl>
void unlink_gap(Impl& impl, long long gap_id, long long card_id, Day day) {
  auto& gap = impl.statement("SELECT text FROM gaps WHERE id = ? AND in_tracker = 1");
  gap.bind(1, static_cast<int64_t>(gap_id));
  if (!gap.executeStep()) {
    gap.reset();
    throw Error::data("no gap with id " + std::to_string(gap_id) + " in the tracker (see gaps)");
  }
  const std::string text = gap.getColumn(0).getString();
  gap.reset();
  // A gap or discrimination card made from the gap's own words drills it
  // by what it is; taking the link away would leave it asking about a gap
  // it is not counted for.
  auto& own = impl.statement(
      "SELECT 1 FROM cards WHERE id = ?1 AND kind IN ('gap', 'discrimination') AND source = ?2");
  own.bind(1, static_cast<int64_t>(card_id));
  own.bind(2, text);
  const bool made_from_it = own.executeStep();
  own.reset();
  if (made_from_it)
    throw Error::data("was made from the words of gap " + std::to_string(gap_id) +
                      "; retire it (retire_cards) if it does not drill that gap");
  auto& drop = impl.statement("DELETE FROM gap_cards WHERE gap_id = ?1 AND card_id = ?2");
  drop.bind(1, static_cast<int64_t>(gap_id));
  drop.bind(2, static_cast<int64_t>(card_id));
  drop.exec();
  auto& keep = impl.statement(
      "INSERT INTO gap_unlinks(gap_id, card_id, day) VALUES (?1, ?2, ?3) "
      "ON CONFLICT(gap_id, card_id) DO NOTHING");
  keep.bind(1, static_cast<int64_t>(gap_id));
  keep.bind(2, static_cast<int64_t>(card_id));
  keep.bind(3, day);
  keep.exec();
}

}  // namespace

std::vector<Card> Store::edit_cards(const std::vector<CardEdit>& edits, const std::string& by,
                                    Day day) {
  require_reviewer(by);
  const auto name = [&](std::size_t i) { return item_name("edits", i, edits[i].card_id); };
  std::vector<long long> ids;
  check_items(edits.size(), name, [&](std::size_t i) {
    const CardEdit& edit = edits[i];
    ids.push_back(edit.card_id);
    if (!edit.front && !edit.back && !edit.gap_id && !edit.unlink_gap_id && !edit.topic_label)
      throw Error::usage("give front, back, topic, gap or unlink_gap");
    if (edit.topic_label && edit.topic_label->empty())
      throw Error::usage("topic: give a topic's label (see topics)");
    if (edit.gap_id && edit.unlink_gap_id && *edit.gap_id == *edit.unlink_gap_id)
      throw Error::usage("gap and unlink_gap name the same gap");
    if (edit.front) require_card_text(*edit.front, "front");
    if (edit.back) require_card_text(*edit.back, "back");
  });
  require_distinct(ids, "edits");
  return store_detail::guarded(*impl_, path_, [&] {
    return cards_of(*this, write_batch(*impl_, edits.size(), name, [&](std::size_t i) {
      const CardEdit& edit = edits[i];
      auto& read = impl_->statement(
          "SELECT front, back, retired, topic_id, moved, tracker_topic_id FROM cards WHERE id = ?");
      read.bind(1, static_cast<int64_t>(edit.card_id));
      if (!read.executeStep()) {
        read.reset();
        throw Error::data("no card with id " + std::to_string(edit.card_id));
      }
      const std::string old_front = read.getColumn(0).getString(),
                        old_back = read.getColumn(1).getString();
      const bool retired = read.getColumn(2).getInt() != 0;
      const std::optional<long long> old_topic = optional_id(read.getColumn(3));
      bool moved = read.getColumn(4).getInt() != 0;
      std::optional<long long> tracker_topic = optional_id(read.getColumn(5));
      read.reset();
      if (retired) throw Error::data("retired (approve it first to bring it back)");
      if (edit.gap_id) {
        // Linked as the tutor's (a link the rules made becomes the tutor's).
        auto& link = impl_->statement(
            "INSERT INTO gap_cards(gap_id, card_id, tutor) SELECT id, ?2, 1 FROM gaps "
            "WHERE id = ?1 AND in_tracker = 1 "
            "ON CONFLICT(gap_id, card_id) DO UPDATE SET tutor = 1");
        link.bind(1, static_cast<int64_t>(*edit.gap_id));
        link.bind(2, static_cast<int64_t>(edit.card_id));
        link.exec();
        if (impl_->db.getChanges() == 0)
          throw Error::data("no gap with id " + std::to_string(*edit.gap_id) +
                            " in the tracker (see gaps)");
        // A link the tutor took away before is the tutor's again.
        auto& relink = impl_->statement("DELETE FROM gap_unlinks WHERE gap_id = ?1 AND card_id = ?2");
        relink.bind(1, static_cast<int64_t>(*edit.gap_id));
        relink.bind(2, static_cast<int64_t>(edit.card_id));
        relink.exec();
      }
      if (edit.unlink_gap_id) unlink_gap(*impl_, *edit.unlink_gap_id, edit.card_id, day);
      // Filed under another topic: its text opens with that topic's context
      // line, and it is the person's text from now on (imports keep it and
      // the topic, following the tracker's own in tracker_topic_id).
      // Filed back under the tracker's own topic for it, it follows the
      // tracker again (moved no more).
      std::optional<long long> topic_id = old_topic;
      std::string front = old_front, back = old_back;
      bool refiled = false;
      if (edit.topic_label) {
        const FiledTopic topic = find_topic(*impl_, *edit.topic_label);
        if (topic.id != old_topic) {
          refiled = true;
          if (!moved) tracker_topic = old_topic;
          moved = topic.id != tracker_topic;
          if (!moved) tracker_topic.reset();
          topic_id = topic.id;
          front = with_context_line_replaced(front, topic.context);
          back = with_context_line_replaced(back, topic.context);
        }
      }
      if (!edit.front && !edit.back && !refiled) return edit.card_id;
      if (edit.front) front = with_context_line(*edit.front, front);
      if (edit.back) back = with_context_line(*edit.back, back);
      auto& s = impl_->statement(
          "UPDATE cards SET front = ?1, back = ?2, edited = 1, quality = 'ok', "
          "quality_reason = '', reviewed_by = ?4, reviewed_as = CASE WHEN reviewed_as = 'added' "
          "THEN 'added' ELSE 'edited' END, reviewed_day = ?5, topic_id = ?6, moved = ?7, "
          "tracker_topic_id = ?8 WHERE id = ?3");
      s.bind(1, front);
      s.bind(2, back);
      s.bind(3, static_cast<int64_t>(edit.card_id));
      s.bind(4, by);
      s.bind(5, day);
      bind_optional_id(s, 6, topic_id);
      s.bind(7, moved ? 1 : 0);
      bind_optional_id(s, 8, tracker_topic);
      s.exec();
      return edit.card_id;
    }));
  });
}

std::vector<long long> Store::gaps_of_card(long long card_id) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<long long> ids;
    // A retired card drills no gap (Store::gaps()).
    auto& s = impl_->statement(std::string("SELECT g.id FROM cards c, gaps g WHERE c.id = ?1 "
                                           "AND c.retired = 0 AND g.id IN (") +
                               kCardGapIdsSql + ") ORDER BY g.id");
    s.bind(1, static_cast<int64_t>(card_id));
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    s.reset();
    return ids;
  });
}

namespace {

// A retirement's reason: words, within a note's limits (kept with the
// card, or with each of `several`).
void require_reason(const std::string& reason, bool several) {
  if (reason.find_first_not_of(" \t") == std::string::npos)
    throw Error::usage(several ? "reason: say why the cards are retired (it is kept with them)"
                               : "reason: say why the card is retired (it is kept with it)");
  if (auto problem = note_error(reason, "reason")) throw Error::usage(*problem);
}

}  // namespace

std::vector<Card> Store::retire_cards(const std::vector<long long>& ids, const std::string& reason,
                                      const std::string& by, Day day) {
  require_reason(reason, true);  // one reason for all: named as the argument, not an item
  std::vector<Retirement> items;
  for (long long id : ids) items.push_back({id, reason});
  return retire_cards(items, by, day, "ids");
}

std::vector<Card> Store::retire_cards(const std::vector<Retirement>& items, const std::string& by,
                                      Day day, const char* list) {
  require_reviewer(by);
  std::vector<long long> ids;
  for (const auto& item : items) ids.push_back(item.card_id);
  require_distinct(ids, list);
  const auto name = [&](std::size_t i) { return item_name(list, i, ids[i]); };
  check_items(items.size(), name, [&](std::size_t i) { require_reason(items[i].reason, false); });
  return store_detail::guarded(*impl_, path_, [&] {
    return cards_of(*this, write_batch(*impl_, ids.size(), name, [&](std::size_t i) {
      if (impl_->review_state(ids[i]).first) throw Error::data("already retired");
      auto& s = impl_->statement(
          "UPDATE cards SET retired = 1, reviewed_by = ?2, reviewed_as = 'retired', "
          "reviewed_day = ?3, review_reason = ?4 WHERE id = ?1");
      s.bind(1, static_cast<int64_t>(ids[i]));
      s.bind(2, by);
      s.bind(3, day);
      s.bind(4, items[i].reason);
      s.exec();
      return ids[i];
    }));
  });
}

std::vector<Card> Store::add_cards(const std::vector<NewCard>& cards, const std::string& by,
                                   Day day) {
  require_reviewer(by);
  const auto name = [](std::size_t i) { return "cards[" + std::to_string(i) + "]"; };
  check_items(cards.size(), name, [&](std::size_t i) {
    require_card_text(cards[i].front, "front");
    require_card_text(cards[i].back, "back");
    if (cards[i].source) require_card_text(*cards[i].source, "source");
  });
  return store_detail::guarded(*impl_, path_, [&] {
    const auto insert_card = [&](std::size_t i) {
      const NewCard& c = cards[i];
      std::optional<long long> topic_id;
      std::string context;
      if (!c.topic_label.empty()) {
        FiledTopic topic = find_topic(*impl_, c.topic_label);
        topic_id = topic.id;
        context = std::move(topic.context);
      }
      const auto with_context = [&](const std::string& text) {
        return context.empty() || text.rfind('[', 0) == 0 ? text : context + "\n" + text;
      };
      auto& insert = impl_->statement(
          "INSERT INTO cards(identity, topic_id, kind, front, back, source, tags, position, "
          "created_day, reviewed_by, reviewed_as, reviewed_day) VALUES ('manual|' || "
          "lower(hex(randomblob(8))), ?1, 'complete', ?2, ?3, ?4, ?5, (SELECT "
          "COALESCE(MAX(position), 0) + 1 FROM cards), ?6, ?7, 'added', ?6)");
      bind_optional_id(insert, 1, topic_id);
      insert.bind(2, with_context(c.front));
      insert.bind(3, with_context(c.back));
      insert.bind(4, c.source ? *c.source : c.back);
      insert.bind(5, by == "tutor" ? "tutor" : "manual");
      insert.bind(6, day);
      insert.bind(7, by);
      insert.exec();
      const auto id = static_cast<long long>(impl_->db.getLastInsertRowid());
      if (c.gap_id) {
        auto& link = impl_->statement(
            "INSERT INTO gap_cards(gap_id, card_id) SELECT id, ?2 FROM gaps "
            "WHERE id = ?1 AND in_tracker = 1");
        link.bind(1, static_cast<int64_t>(*c.gap_id));
        link.bind(2, static_cast<int64_t>(id));
        link.exec();
        if (impl_->db.getChanges() == 0)
          throw Error::data("no gap with id " + std::to_string(*c.gap_id) +
                            " in the tracker (see gaps)");
      }
      return id;
    };
    return cards_of(*this, write_batch(*impl_, cards.size(), name, insert_card,
                                       [&] { impl_->recount_tallies(); }));
  });
}

namespace {

// The review pass's order: flagged first, then the drill's round robin:
// each card's turn within its topic, then the topics by domain weight and
// tracker position. The turn counts every card of the topic, reviewed or
// not, so a review takes its card out of the list without moving the others.
constexpr const char* kReviewOrderSql =
    "c.quality = 'review' DESC, c.due_day IS NULL DESC, r.turn, COALESCE(d.weight, 0) DESC, "
    "COALESCE(t.position, 0), c.topic_id, c.id";
constexpr const char* kReviewTurnSql =
    "JOIN (SELECT id, ROW_NUMBER() OVER (PARTITION BY topic_id ORDER BY position, id) "
    "AS turn FROM cards) r ON r.id = c.id WHERE c.retired = 0 AND c.reviewed_by = '' ";

}  // namespace

std::vector<Store::ReviewItem> Store::review_queue(int limit, bool by_topic) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<ReviewItem> items;
    const auto read = [&](const Row& row) { items.push_back({read_card(row), {}, {}}); };
    if (!by_topic) {
      auto& s = impl_->statement(std::string("SELECT ") + kCardColumns + kCardJoins +
                                 kReviewTurnSql + "ORDER BY " + kReviewOrderSql + " LIMIT ?1");
      s.bind(1, limit);
      for_each_row(s, read);
    } else {
      // Whole topics, in the order the queue reaches each (its first card),
      // each topic's cards in the queue's order, as many topics as fit in
      // `limit` (the first always, cut at `limit` when it alone is larger).
      auto& topics = impl_->statement(
          std::string("SELECT topic_id FROM (SELECT c.topic_id AS topic_id, ROW_NUMBER() OVER "
                      "(ORDER BY ") +
          kReviewOrderSql + ") AS rank" + kCardJoins + kReviewTurnSql +
          ") GROUP BY topic_id ORDER BY MIN(rank) LIMIT ?1");
      topics.bind(1, limit);
      std::vector<std::optional<long long>> order;
      while (topics.executeStep())
        order.push_back(topics.getColumn(0).isNull()
                            ? std::nullopt
                            : std::optional<long long>(topics.getColumn(0).getInt64()));
      topics.reset();
      // One topic's turns only (not a window over every card per topic).
      auto& cards = impl_->statement(
          std::string("SELECT ") + kCardColumns + kCardJoins +
          "JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY position, id) AS turn FROM cards "
          "WHERE topic_id IS ?1) r ON r.id = c.id WHERE c.retired = 0 AND c.reviewed_by = '' "
          "ORDER BY " + kReviewOrderSql + " LIMIT ?2");
      for (const auto& topic : order) {
        const int room = limit - static_cast<int>(items.size());
        if (room <= 0) break;
        cards.reset();
        bind_optional_id(cards, 1, topic);
        cards.bind(2, limit);  // one more than fits says the topic does not
        const std::size_t before = items.size();
        for_each_row(cards, read);
        if (items.size() - before > static_cast<std::size_t>(room)) {
          if (before > 0) {  // not whole: left for the next batch
            items.resize(before);
            break;
          }
          items.resize(static_cast<std::size_t>(limit));
        }
      }
    }
    auto& points = impl_->statement(
        "SELECT source FROM cards WHERE topic_id = ?1 AND id <> ?2 AND retired = 0 "
        "AND kind <> 'topic' AND source <> '' AND source <> ?3 GROUP BY source "
        "ORDER BY MIN(position), MIN(id)");
    auto& gaps = impl_->statement(std::string("SELECT g.text FROM cards c, gaps g WHERE "
                                              "c.id = ?1 AND g.id IN (") +
                                  kCardGapIdsSql + ") ORDER BY g.id");
    for (std::size_t i = 0; i < items.size(); ++i) {
      ReviewItem& item = items[i];
      // By topic, a topic's key points on its first card only.
      const bool first = !by_topic || i == 0 || items[i - 1].card.topic_id != item.card.topic_id;
      if (item.card.topic_id && first) {
        points.reset();
        points.bind(1, static_cast<int64_t>(item.card.topic_id));
        points.bind(2, static_cast<int64_t>(item.card.id));
        points.bind(3, item.card.source);
        while (points.executeStep()) item.topic_points.push_back(points.getColumn(0).getString());
        points.reset();
      }
      gaps.reset();
      gaps.bind(1, static_cast<int64_t>(item.card.id));
      while (gaps.executeStep()) item.gaps.push_back(gaps.getColumn(0).getString());
      gaps.reset();
    }
    return items;
  });
}

Store::ReviewCounts Store::review_counts() {
  return store_detail::guarded(*impl_, path_, [&] {
    ReviewCounts counts;
    counts.drafts_wait = impl_->drafts_wait();
    // Kept by triggers (schema.sql); `recall check` recounts them.
    auto& s = impl_->statement(
        "SELECT (SELECT value FROM tallies WHERE name = 'drafts'), "
        "(SELECT value FROM tallies WHERE name = 'flagged'), "
        "(SELECT value FROM tallies WHERE name = 'unreviewed')");
    s.executeStep();
    counts.drafts = s.getColumn(0).getInt();
    counts.flagged = s.getColumn(1).getInt();
    counts.unreviewed = s.getColumn(2).getInt();
    s.reset();
    return counts;
  });
}

std::vector<Card> Store::find_cards(const std::optional<std::string>& query,
                                    const std::optional<std::string>& topic,
                                    const std::optional<char> domain, bool include_retired,
                                    int limit) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<Card> result;
    // instr on lower(): a plain substring, no LIKE wildcards to escape.
    auto& s = impl_->statement(
        std::string("SELECT ") + kCardColumns + kCardJoins +
        "WHERE (:query IS NULL OR instr(lower(c.front), lower(:query)) > 0 "
        "  OR instr(lower(c.back), lower(:query)) > 0 OR instr(lower(c.source), lower(:query)) > "
        "0) "
        "AND (:topic IS NULL OR t.label = :topic) AND (:domain IS NULL OR d.letter = :domain) "
        "AND (:retired = 1 OR c.retired = 0) ORDER BY c.position, c.id "
        "LIMIT CASE WHEN :query IS NULL THEN :limit ELSE -1 END");
    if (query)
      s.bind(":query", *query);
    else
      s.bind(":query");
    if (topic)
      s.bind(":topic", *topic);
    else
      s.bind(":topic");
    if (domain)
      s.bind(":domain", std::string(1, *domain));
    else
      s.bind(":domain");
    s.bind(":retired", include_retired ? 1 : 0);
    s.bind(":limit", limit);
    for_each_row(s, [&](const Row& row) { result.push_back(read_card(row)); });
    if (query) {
      // Cards holding the text as a word ("ESS") before those holding it
      // inside one ("less", "processes"), each in the drill's order.
      const std::string word = lower(*query);
      std::stable_partition(result.begin(), result.end(), [&](const Card& card) {
        return contains_term(lower(card.front), word) || contains_term(lower(card.back), word) ||
               contains_term(lower(card.source), word);
      });
      if (result.size() > static_cast<std::size_t>(std::max(limit, 0)))
        result.resize(static_cast<std::size_t>(std::max(limit, 0)));
    }
    return result;
  });
}

}  // namespace recall
