// recall mcp, the review pass (review.h) and skip_card: the tools a tutor
// uses to review the cards in batches (a pass rewrites most of them: one
// call per card would be a hundred calls). Each batch is one transaction; a
// batch with one bad item changes nothing and names the item. None of them
// shows the back (or key point) of the card next_card presented before
// reveal_card.
#include <algorithm>
#include <functional>

#include "recall/error.h"
#include "recall/json_shapes.h"
#include "recall/review.h"
#include "recall/text.h"
#include "tools.h"

namespace recall::mcp {

namespace {

JsonValue text_property(const char* what, int max = 4000) {
  return {{"type", "string"}, {"minLength", 1}, {"maxLength", max}, {"description", what}};
}

JsonValue batch_of(JsonValue item, const char* what) {
  return {{"type", "array"},
          {"minItems", 1},
          {"maxItems", 1000},
          {"items", std::move(item)},
          {"description", what}};
}

JsonValue ids_property(const char* what) {
  return batch_of({{"type", "integer"}, {"minimum", 1}}, what);
}

JsonValue cards_result() {
  return schema::shape({{"cards", schema::array_of(schema::card(false))}});
}

// edit_cards and add_cards: each card with the ids of the gaps it drills,
// so that a reply shows the link a `gap` made.
JsonValue linked_cards_result() {
  JsonValue card = schema::card(false);
  card["properties"]["gaps"] = schema::array_of(schema::typed("integer"));
  card["required"].push_back("gaps");
  return schema::shape({{"cards", schema::array_of(std::move(card))}});
}

std::vector<long long> ids_of(const JsonValue& a) {
  std::vector<long long> ids;
  const JsonValue& list = a.at("ids");
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_number_integer() || list[i].get<long long>() < 1)
      throw Error::usage("ids[" + std::to_string(i) +
                         "]: must be a card id (a whole number from 1)");
    ids.push_back(list[i].get<long long>());
  }
  return ids;
}

// The items of the array `list`, each checked against its object schema
// (schema_problem checks the array's own type only), naming the item.
const JsonValue& items_of(const JsonValue& a, const char* list, const JsonValue& item_schema) {
  const JsonValue& items = a.at(list);
  if (items.empty()) throw Error::usage(std::string(list) + ": the batch is empty");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = std::string(list) + "[" + std::to_string(i) + "]";
    if (auto problem = schema_problem(item_schema, items[i], where))
      throw Error::usage(problem->rfind(where, 0) == 0 ? *problem : where + ": " + *problem);
  }
  return items;
}

// A knowledge gap's id from `gaps` or `brief`, the card linked to it.
JsonValue gap_id_property(const char* description) {
  return {{"type", "integer"}, {"minimum", 1}, {"description", description}};
}

JsonValue edit_item_schema() {
  return schema::object(
      {{"card_id", schema::card_id()},
       {"front", text_property("the new question")},
       {"back", text_property("the new answer")},
       {"topic", text_property("the label of the topic to file the card under (A.8), as `topics` "
                               "lists it, with its title when several topics share the label: "
                               "its context line becomes that topic's, and imports keep the "
                               "card there (back under the tracker's topic for it if that "
                               "topic leaves the tracker)",
                               200)},
       {"gap", gap_id_property(
                   "a knowledge gap the card drills, an id from `gaps` or `brief`: linked as the "
                   "tutor's, kept through every import (alone, it changes no text)")},
       {"unlink_gap",
        gap_id_property("a knowledge gap the card does not drill, an id from `gaps` or `brief`: "
                        "its link goes, the gap's words no longer name it, no import links it "
                        "again and its answers are not the gap's evidence (until `gap` links "
                        "it again; alone, it changes no text)")}},
      {"card_id"});
}

JsonValue retirement_schema() {
  return schema::object({{"card_id", schema::card_id()},
                         {"reason", text_property("why, kept with the card", kMaxNoteLength)}},
                        {"card_id", "reason"});
}

JsonValue new_card_schema() {
  return schema::object(
      {{"topic", text_property("the topic's label (A.8), as `topics` lists it, with its title "
                               "when several topics share the label",
                               200)},
       {"front", text_property("the question; the topic's context line is added")},
       {"back", text_property("the answer")},
       {"source", text_property("the key point or confusion it drills (default: the back)")},
       {"gap", gap_id_property(
                   "the knowledge gap it drills, an id from `gaps` or `brief`: the card counts "
                   "as that gap's card in the drill's gap-first order and its evidence, through "
                   "every import")}},
      {"topic", "front", "back"});
}

}  // namespace

std::vector<RecallTools::Tool> RecallTools::review_tools() {
  using T = RecallTools;
  using schema::array_of, schema::object, schema::shape, schema::typed;
  // The back and key point are absent for the card presented and not revealed.
  JsonValue review_card = schema::card(false);
  review_card["properties"]["back"] = typed("string");
  review_card["properties"]["source"] = typed("string");
  review_card["properties"]["topic_points"] = array_of(typed("string"));
  review_card["properties"]["gaps"] = array_of(typed("string"));
  review_card["required"].push_back("topic_points");
  review_card["required"].push_back("gaps");
  return {
      {"cards_to_review", "Cards to review",
       "The review pass: the cards no one has reviewed yet, flagged ones (quality \"review\", "
       "with quality_reason) first, then in the order the drill introduces them. Each with its "
       "key point (source), its topic's other key points (topic_points) and the texts of the "
       "knowledge gaps linked to it (gaps). Decide each in batches: approve_cards, edit_cards, "
       "retire_cards; add_cards for what is missing. Flagged new cards wait for this before the "
       "drill introduces them.",
       object({{"limit",
                {{"type", "integer"},
                 {"minimum", 1},
                 {"maximum", 1000},
                 {"description", "at most this many cards (default 50)"}}},
               {"by_topic",
                {{"type", "boolean"},
                 {"description",
                  "whole topics, as many as fit in limit, in the order the drill reaches "
                  "them; each topic's key points on its first card only (the others' "
                  "topic_points empty)"}}}}),
       shape({{"unreviewed", typed("integer")},
              {"drafts_waiting", typed("integer")},
              {"drafts", typed("string")},
              {"cards", array_of(review_card)}}),
       true, &T::cards_to_review},
      {"approve_cards", "Approve cards as they are",
       "Marks cards reviewed by the tutor as they are: quality ok, so a flagged card may be "
       "drilled; imports keep the approved text while its key point is unchanged. A card retired "
       "by review comes back. One transaction: one bad id changes nothing and is named.",
       object({{"ids", ids_property("the cards' ids")}}, {"ids"}), cards_result(), false,
       &T::approve_cards},
      {"edit_cards", "Rewrite cards",
       "Rewrites cards (front, back or both each) and marks them reviewed by the tutor, quality "
       "ok; each keeps its schedule and history, and imports keep the text. Text without the "
       "context line keeps the card's. gap links the card to a knowledge gap it drills; "
       "unlink_gap takes it away from one it does not drill (a link the rules got wrong); topic "
       "files it under another topic. One transaction: one bad edit changes nothing and is "
       "named.",
       object({{"edits", batch_of(edit_item_schema(),
                                  "{card_id, front?, back?, topic?, gap?, unlink_gap?} each")}},
              {"edits"}),
       linked_cards_result(), false, &T::edit_cards},
      {"retire_cards", "Retire cards",
       "Retires cards not worth drilling (not knowledge, a duplicate, a wrong fact): out of the "
       "drill, kept with their history and the reason; no import brings them back "
       "(approve_cards does). Either ids with one reason for all, or retire with a reason for "
       "each card. One transaction: one bad item changes nothing and is named.",
       object({{"ids", ids_property("the cards' ids (with reason)")},
               {"reason", text_property("why, kept with the cards", kMaxNoteLength)},
               {"retire", batch_of(retirement_schema(), "{card_id, reason} each")}}),
       cards_result(), false, &T::retire_cards},
      {"add_cards", "Add the tutor's own cards",
       "Adds cards the tutor wrote (a discrimination card for a recurring confusion, a second "
       "card for a dense point), reviewed by the tutor; no import changes or retires them. One "
       "transaction: one bad card changes nothing and is named.",
       object({{"cards", batch_of(new_card_schema(), "{topic, front, back, source?, gap?} each")}},
              {"cards"}),
       linked_cards_result(), false, &T::add_cards},
      {"find_cards", "Find cards",
       "Cards whose front, back or key point holds the query (any case), of a topic or a domain: "
       "the ids for record_answer, card, edit_cards. At least one of query, topic, domain. The "
       "card presented in the drill is found by its front only, and shown without its back.",
       object({{"query", text_property("text to look for", 200)},
               {"topic", text_property("a topic's label (A.8)", 64)},
               {"domain",
                {{"type", "string"}, {"minLength", 1}, {"maxLength", 1}, {"description", "A..F"}}},
               {"include_retired", {{"type", "boolean"}}},
               {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}}}}),
       shape({{"cards", array_of(schema::card(false))}}), true, &T::find_cards},
      {"skip_card", "Skip the presented card",
       "Leaves the card next_card presented for later: this session's next_card passes over it "
       "(another session or the terminal still offers it). Nothing is recorded.",
       object({{"card_id", schema::card_id()}}, {"card_id"}),
       shape({{"skipped", typed("integer")}, {"remaining", schema::counts()}}), false,
       &T::skip_card},
  };
}

JsonValue RecallTools::visible_card(const Card& card) const {
  return presented_ == card.id && !revealed_ ? card_front_json(card) : card_json(card);
}

JsonValue RecallTools::cards_to_review(const JsonValue& a) {
  const bool by_topic = a.value("by_topic", false);
  const ReviewPass pass = recall::cards_to_review(store_, a.value("limit", 50), by_topic);
  std::optional<JsonValue> carried;  // topic points moved off the hidden card
  JsonValue out = review_pass_json(pass.items, pass.counts);
  // The presented card's key point is often its answer: not before the reveal.
  const bool hidden = presented_ && !revealed_;
  std::optional<std::string> secret;
  if (hidden)
    if (auto card = store_.card(*presented_)) secret = card->source;
  for (std::size_t i = 0; i < pass.items.size(); ++i) {
    JsonValue& item = out["cards"][i];
    if (secret) {
      JsonValue points = JsonValue::array();
      for (const auto& point : item["topic_points"])
        if (point.get<std::string>() != *secret) points.push_back(point);
      item["topic_points"] = std::move(points);
    }
    if (hidden && pass.items[i].card.id == *presented_) {
      JsonValue front = card_front_json(pass.items[i].card);
      front["topic_points"] = JsonValue::array();
      front["gaps"] = item["gaps"];
      // By topic, the hidden card's topic points go to its topic's next card
      // (the others of the batch carry none).
      if (by_topic && i + 1 < pass.items.size() &&
          pass.items[i + 1].card.topic_id == pass.items[i].card.topic_id &&
          !item["topic_points"].empty())
        carried = std::move(item["topic_points"]);
      item = std::move(front);
    } else if (carried) {
      item["topic_points"] = std::move(*carried);
      carried.reset();
    }
  }
  return out;
}

namespace {

JsonValue cards_out(const std::vector<Card>& cards,
                    const std::function<JsonValue(const Card&)>& show) {
  JsonValue out = JsonValue::array();
  for (const Card& card : cards) out.push_back(show(card));
  return {{"cards", std::move(out)}};
}

}  // namespace

JsonValue RecallTools::approve_cards(const JsonValue& a) {
  const auto cards = recall::approve_cards(store_, ids_of(a), Reviewer::kTutor, today_());
  return cards_out(cards, [this](const Card& c) { return visible_card(c); });
}

JsonValue RecallTools::edit_cards(const JsonValue& a) {
  std::vector<Store::CardEdit> edits;
  for (const auto& item : items_of(a, "edits", edit_item_schema())) {
    Store::CardEdit edit;
    edit.card_id = item.at("card_id").get<long long>();
    if (item.contains("front")) edit.front = item["front"].get<std::string>();
    if (item.contains("back")) edit.back = item["back"].get<std::string>();
    if (item.contains("gap")) edit.gap_id = item["gap"].get<long long>();
    if (item.contains("unlink_gap")) edit.unlink_gap_id = item["unlink_gap"].get<long long>();
    if (item.contains("topic")) edit.topic_label = item["topic"].get<std::string>();
    edits.push_back(std::move(edit));
  }
  const auto cards = recall::edit_cards(store_, edits, Reviewer::kTutor, today_());
  return cards_out(cards, [this](const Card& c) {
    JsonValue card = visible_card(c);
    card["gaps"] = store_.gaps_of_card(c.id);
    return card;
  });
}

JsonValue RecallTools::retire_cards(const JsonValue& a) {
  const bool listed = a.contains("ids") || a.contains("reason");
  if (listed == a.contains("retire"))
    throw Error::usage(
        "retire_cards: give either ids with one reason, or retire: [{card_id, reason}]");
  std::vector<Card> cards;
  if (listed) {
    if (!a.contains("ids") || !a.contains("reason"))
      throw Error::usage(std::string(a.contains("ids") ? "reason" : "ids") +
                         ": ids and reason go together (or use retire: [{card_id, reason}])");
    cards = recall::retire_cards(store_, ids_of(a), a.at("reason").get<std::string>(),
                                 Reviewer::kTutor, today_());
  } else {
    std::vector<Store::Retirement> items;
    for (const auto& item : items_of(a, "retire", retirement_schema()))
      items.push_back({item.at("card_id").get<long long>(), item.at("reason").get<std::string>()});
    cards = recall::retire_cards(store_, items, Reviewer::kTutor, today_());
  }
  // The reply first: a presented card not yet revealed is shown without its
  // back, even as it leaves the drill.
  JsonValue out = cards_out(cards, [this](const Card& c) { return visible_card(c); });
  // A retired card leaves the drill: the presented one is no longer in hand.
  for (const Card& card : cards)
    if (presented_ == card.id) presented_.reset();
  return out;
}

JsonValue RecallTools::add_cards(const JsonValue& a) {
  std::vector<Store::NewCard> cards;
  for (const auto& item : items_of(a, "cards", new_card_schema())) {
    Store::NewCard card;
    card.topic_label = item.at("topic").get<std::string>();
    card.front = item.at("front").get<std::string>();
    card.back = item.at("back").get<std::string>();
    if (item.contains("source")) card.source = item["source"].get<std::string>();
    if (item.contains("gap")) card.gap_id = item["gap"].get<long long>();
    cards.push_back(std::move(card));
  }
  const auto added = recall::add_cards(store_, cards, Reviewer::kTutor, today_());
  return cards_out(added, [this](const Card& c) {
    JsonValue card = card_json(c);
    card["gaps"] = store_.gaps_of_card(c.id);
    return card;
  });
}

JsonValue RecallTools::find_cards(const JsonValue& a) {
  CardQuery query;
  if (a.contains("query")) query.text = a["query"].get<std::string>();
  if (a.contains("topic")) query.topic = a["topic"].get<std::string>();
  query.domain = domain_of(a);
  query.include_retired = a.value("include_retired", false);
  query.limit = a.value("limit", 50);
  const auto found = recall::find_cards(store_, query);
  JsonValue out = JsonValue::array();
  for (const Card& card : found) {
    // Found by its back or key point would tell what the back holds.
    if (presented_ == card.id && !revealed_ && query.text &&
        !contains_no_case(card.front, *query.text))
      continue;
    out.push_back(visible_card(card));
  }
  return {{"cards", std::move(out)}};
}

JsonValue RecallTools::skip_card(const JsonValue& a) {
  const long long id = a.at("card_id").get<long long>();
  if (presented_ != id)
    throw Error::usage(
        "card " + std::to_string(id) + " is not the card next_card presented" +
        (presented_ ? " (card " + std::to_string(*presented_) + ")" : " (none yet)"));
  skipped_.insert(id);
  presented_.reset();
  revealed_ = false;
  return {{"skipped", id}, {"remaining", queue_counts(store_, today_(), filter_)}};
}

}  // namespace recall::mcp
