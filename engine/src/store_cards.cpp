// Store methods for cards, topics, domains and gaps as a person sees them:
// adding and editing a card by hand, reading cards and the lists `recall
// topics` and `recall gaps` print.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <string>
#include "recall/text.h"

#include "recall/error.h"
#include "recall/store.h"
#include "store_impl.h"

namespace recall {

using namespace store_detail;

namespace store_detail {

// Why `text` cannot be a card's front or back, or nullopt. Line breaks and
// tabs are layout a card may hold; other control characters are refused, as
// they would reach a terminal.
std::optional<std::string> card_text_problem(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return "it is empty";
  std::size_t characters = 0;
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Step step = utf8_step(text, at);
    if (!step.valid) return "it is not valid UTF-8";
    if (is_control(step.code_point) && step.code_point != '\n' && step.code_point != '\t')
      return "it holds a control character";
    ++characters;
    at += step.length;
  }
  if (characters > Store::kMaxCardText)
    return "it has " + std::to_string(characters) + " characters, more than " +
           std::to_string(Store::kMaxCardText);
  return std::nullopt;
}

void require_card_text(const std::string& text, const char* argument) {
  if (auto problem = card_text_problem(text))
    throw Error::usage(std::string(argument) + ": not a card text (" + *problem + ")");
}

// `text` with the context line of `stored` ("[A.8 Title · A. Domain]\n")
// when it starts without one of its own.
std::string with_context_line(const std::string& text, const std::string& stored) {
  const std::size_t context = context_line_size(stored);
  if (text.rfind('[', 0) == 0 || context == 0) return text;
  return stored.substr(0, context) + text;
}

}  // namespace store_detail

long long Store::add_card(const std::string& front, const std::string& back,
                          const std::optional<std::string>& topic_label, Day today) {
  // The text rule of edit_card: one rule for every way a card's text gets in.
  require_card_text(front, "--front");
  require_card_text(back, "--back");
  return store_detail::guarded(*impl_, path_, [&] {
    auto& db = impl_->db;
    store_detail::WriteTransaction transaction(*impl_);
    std::optional<long long> topic_id;
    // Named as add_cards and edit_cards name it: a label several topics
    // share names none (the error lists them), the label and title one.
    if (topic_label) topic_id = find_topic(*impl_, *topic_label).id;
    auto& insert = impl_->statement(
        "INSERT INTO cards(identity, topic_id, kind, front, back, source, tags, position, "
        "created_day, reviewed_by, reviewed_as, reviewed_day) VALUES ('manual|' || "
        "lower(hex(randomblob(8))), ?, 'complete', ?, ?, ?, 'manual', (SELECT "
        "COALESCE(MAX(position), 0) + 1 FROM cards), ?5, 'learner', 'added', ?5)");
    store_detail::bind_optional_id(insert, 1, topic_id);
    insert.bind(2, front);
    insert.bind(3, back);
    insert.bind(4, back);
    insert.bind(5, today);
    insert.exec();
    const long long id = db.getLastInsertRowid();
    impl_->recount_tallies();
    // A card the next import must see: it may match or shadow a tracker card.
    impl_->erase_setting(kImportRecordSetting);
    transaction.commit();
    return id;
  });
}

Card Store::edit_card(long long id, const std::optional<std::string>& front,
                      const std::optional<std::string>& back, const std::string& by,
                      std::optional<Day> day) {
  // Named as both ways in know them (recall edit --front, MCP edit_card front).
  if (!front && !back) throw Error::usage("edit: give a new front, a new back or both");
  if (front) require_card_text(*front, "front");
  if (back) require_card_text(*back, "back");
  return store_detail::guarded(*impl_, path_, [&] {
    store_detail::WriteTransaction transaction(*impl_);
    auto& read = impl_->statement("SELECT front, back FROM cards WHERE id = ?");
    read.bind(1, static_cast<int64_t>(id));
    if (!read.executeStep()) {
      read.reset();
      throw Error::data("no card with id " + std::to_string(id));
    }
    const std::string old_front = read.getColumn(0).getString(),
                      old_back = read.getColumn(1).getString();
    read.reset();
    auto& s = impl_->statement(
        std::string("UPDATE cards SET front = ?1, back = ?2, edited = ") + kEditTimeSql +
        ", quality = 'ok', quality_reason = '', reviewed_by = ?4, reviewed_as = 'edited', "
        "reviewed_day = ?5 WHERE id = ?3");
    s.bind(1, front ? with_context_line(*front, old_front) : old_front);
    s.bind(2, back ? with_context_line(*back, old_back) : old_back);
    s.bind(3, static_cast<int64_t>(id));
    s.bind(4, by);
    bind_optional_day(s, 5, day);
    s.exec();
    // The next import must compare its drafts with this text.
    impl_->erase_setting(kImportRecordSetting);
    transaction.commit();
    return *card(id);
  });
}

std::optional<Card> Store::card(long long id) {
  return store_detail::guarded(*impl_, path_, [&]() -> std::optional<Card> {
    auto& s =
        impl_->statement(std::string("SELECT ") + kCardColumns + kCardJoins + "WHERE c.id = ?");
    s.bind(1, static_cast<int64_t>(id));
    if (!s.executeStep()) return std::nullopt;
    return read_card(s);
  });
}

namespace {

// `by_id` in (position, id) order. Read in id order (the table's own order)
// and ordered here by (position, index): SQLite sorted the whole rows, ~65 ms
// of 215 for 100k cards.
std::vector<Card> in_position_order(std::vector<Card> by_id) {
  std::vector<std::pair<int, std::size_t>> order;
  order.reserve(by_id.size());
  for (std::size_t i = 0; i < by_id.size(); ++i) order.emplace_back(by_id[i].position, i);
  std::sort(order.begin(), order.end());
  std::vector<Card> result;
  result.reserve(by_id.size());
  for (const auto& [position, i] : order) result.push_back(std::move(by_id[i]));
  return result;
}

}  // namespace

std::vector<Card> Store::cards(const std::optional<std::string>& topic_label, bool include_retired,
                               bool review_only) {
  return store_detail::guarded(*impl_, path_, [&] {
    auto& s = impl_->statement(std::string("SELECT ") + kCardColumns + kCardJoins +
                               "WHERE (:topic IS NULL OR t.label = :topic) "
                               "AND (:retired = 1 OR c.retired = 0) "
                               "AND (:review = 0 OR c.quality = 'review') ORDER BY c.id");
    s.bind(":review", review_only ? 1 : 0);
    if (topic_label)
      s.bind(":topic", *topic_label);
    else
      s.bind(":topic");
    s.bind(":retired", include_retired ? 1 : 0);
    std::vector<Card> by_id;
    if (!topic_label) by_id.reserve(impl_->row_count("cards"));
    for_each_row(s, [&](const Row& row) { by_id.push_back(read_card(row)); });
    return in_position_order(std::move(by_id));
  });
}

std::vector<Card> Store::card_outlines() {
  return store_detail::guarded(*impl_, path_, [&] {
    auto& s = impl_->statement(std::string("SELECT ") + store_detail::kOutlineColumns +
                               kCardJoins + "ORDER BY c.id");
    std::vector<Card> by_id;
    by_id.reserve(impl_->row_count("cards"));
    for_each_row(s, [&](const Row& row) { by_id.push_back(read_card(row)); });
    return in_position_order(std::move(by_id));
  });
}

std::vector<TopicSummary> Store::topics(Day day) {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<TopicSummary> result;
    auto& s = impl_->statement(
        "SELECT t.id, t.label, t.title, t.topic_key, d.letter, d.name, t.confidence, "
        "t.in_progress, t.retired, "
        "(SELECT COUNT(*) FROM cards c WHERE c.topic_id = t.id AND c.retired = 0), "
        "(SELECT COUNT(*) FROM cards c WHERE c.topic_id = t.id AND c.retired = 0 "
        "   AND c.due_day IS NULL), "
        "(SELECT COUNT(*) FROM cards c WHERE c.topic_id = t.id AND c.retired = 0 "
        "   AND c.suspended = 0 AND c.due_day <= ?) "
        "FROM topics t LEFT JOIN domains d ON d.id = t.domain_id "
        "ORDER BY t.retired, t.position, t.id");
    s.bind(1, day);
    while (s.executeStep()) {
      TopicSummary topic;
      topic.id = s.getColumn(0).getInt64();
      topic.label = s.getColumn(1).getString();
      topic.title = s.getColumn(2).getString();
      topic.topic_key = s.getColumn(3).getString();
      topic.domain_letter = letter_of(s.getColumn(4));
      topic.domain_name = s.getColumn(5).getString();
      topic.confidence = s.getColumn(6).getString();
      topic.in_progress = s.getColumn(7).getInt() != 0;
      topic.retired = s.getColumn(8).getInt() != 0;
      topic.cards = s.getColumn(9).getInt();
      topic.new_cards = s.getColumn(10).getInt();
      topic.due_cards = s.getColumn(11).getInt();
      result.push_back(std::move(topic));
    }
    return result;
  });
}

std::vector<DomainRow> Store::domains() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<DomainRow> result;
    auto& s =
        impl_->statement("SELECT letter, name, weight, total_topics FROM domains ORDER BY letter");
    while (s.executeStep()) {
      const char letter = letter_of(s.getColumn(0));
      result.push_back({letter ? letter : '?', s.getColumn(1).getString(), s.getColumn(2).getInt(),
                        s.getColumn(3).getInt()});
    }
    return result;
  });
}

std::vector<GapRow> Store::gaps() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<GapRow> result;
    std::map<long long, std::size_t> index;
    auto& s = impl_->statement(
        "SELECT id, gap_key, text, tier, recurring, origin, opened_day, resolved_day, note, "
        "in_tracker FROM gaps ORDER BY id");
    while (s.executeStep()) {
      GapRow gap;
      gap.id = s.getColumn(0).getInt64();
      gap.gap_key = s.getColumn(1).getString();
      gap.text = s.getColumn(2).getString();
      gap.tier = gap_tier_from_string(s.getColumn(3).getText());
      gap.recurring = s.getColumn(4).getInt() != 0;
      gap.origin = s.getColumn(5).getString();
      gap.opened_day = optional_day(s.getColumn(6));
      gap.resolved_day = optional_day(s.getColumn(7));
      gap.note = s.getColumn(8).getString();
      gap.in_tracker = s.getColumn(9).getInt() != 0;
      index[gap.id] = result.size();
      result.push_back(std::move(gap));
    }
    // A retired card is out of the collection: it drills no gap, and its
    // answers are no evidence on one (a tutor retires a card linked wrongly).
    auto& links = impl_->statement(
        "SELECT gc.gap_id, gc.card_id FROM gap_cards gc JOIN cards c ON c.id = gc.card_id "
        "WHERE c.retired = 0 ORDER BY gc.gap_id, gc.card_id");
    while (links.executeStep()) {
      const auto found = index.find(links.getColumn(0).getInt64());
      if (found != index.end())
        result[found->second].card_ids.push_back(links.getColumn(1).getInt64());
    }
    auto& unlinks =
        impl_->statement("SELECT gap_id, card_id FROM gap_unlinks ORDER BY gap_id, card_id");
    while (unlinks.executeStep()) {
      const auto found = index.find(unlinks.getColumn(0).getInt64());
      if (found != index.end())
        result[found->second].unlinked_ids.push_back(unlinks.getColumn(1).getInt64());
    }
    return result;
  });
}

}  // namespace recall
