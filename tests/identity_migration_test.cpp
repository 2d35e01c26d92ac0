// Issue 16, identity and storage: nothing studied is lost when the question
// rules change (the kind is not in the identity; a database of the release
// before keeps every review and card id), checklist items and points reworded
// by adding words keep their card, the quality flag is stored and shown, and
// `recall edit` keeps its text through imports and deck regeneration.

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "recall/answering.h"
#include "recall/cards.h"
#include "recall/deck.h"
#include "recall/importer.h"
#include "recall/store.h"
#include "recall/tracker.h"
#include "support.h"

using recall::CardDraft;
using recall::CardKind;
using recall::ExistingCard;
using recall::Store;
using recall::test::replace_once;
using recall::test::run_recall;
using recall::test::schema_of;
using recall::test::TempDir;
using Json = nlohmann::json;

namespace {

// tests/data/release-db.sql (a release database, schema 3) loaded
// into `path`.
void load_release_database(const std::string& path) {
  SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  raw.exec(recall::test::read_bytes(recall::test::source_path("tests/data/release-db.sql")));
}

// Review rows in full, by id: what the log held.
std::map<long long, std::string> review_rows(const std::string& path) {
  SQLite::Database raw(path);
  std::map<long long, std::string> rows;
  SQLite::Statement s(raw,
                      "SELECT id, card_id || '|' || day || '|' || answered_at || '|' || grade || "
                      "'|' || kind || '|' || COALESCE(note, '-') FROM reviews");
  while (s.executeStep()) rows[s.getColumn(0).getInt64()] = s.getColumn(1).getString();
  return rows;
}

struct StudiedCard {
  std::string topic_key, source, kind;
  bool retired = false;
};

// Each card with a review: its topic, source, kind and whether retired.
std::map<long long, StudiedCard> studied_cards(const std::string& path) {
  SQLite::Database raw(path);
  std::map<long long, StudiedCard> cards;
  SQLite::Statement s(raw,
                      "SELECT c.id, COALESCE(t.topic_key, ''), c.source, c.kind, c.retired "
                      "FROM cards c LEFT JOIN topics t ON t.id = c.topic_id "
                      "WHERE c.id IN (SELECT card_id FROM reviews)");
  while (s.executeStep())
    cards[s.getColumn(0).getInt64()] = {s.getColumn(1).getString(), s.getColumn(2).getString(),
                                        s.getColumn(3).getString(), s.getColumn(4).getInt() != 0};
  return cards;
}

recall::Tracker read_fixture(const std::string& text) {
  return recall::read_tracker(recall::prepare_text(std::string(text)), "tracker.md");
}

long long card_with_source(Store& store, const std::string& source) {
  for (const auto& card : store.cards(std::nullopt, true))
    if (card.source == source && !card.retired) return card.id;
  return 0;
}

}  // namespace

TEST_CASE("the identity of a point leaves its kind out: a change of rule keeps the card",
          "[identity][issue16]") {
  const std::string key = "evaluation metrics auc roc", point = "ROC axes: x=FPR, y=TPR";
  CHECK(recall::card_identity(CardKind::kCloze, key, point) ==
        recall::card_identity(CardKind::kDefinition, key, point));
  CHECK(recall::card_identity(CardKind::kChain, key, point).rfind("point:", 0) == 0);
  // The second card of one point has its own key, the kind still out of it.
  const std::string second =
      recall::card_identity(recall::IdentityRole::kGap, "", "ROC axes", "contrast");
  CHECK(second != recall::card_identity(recall::IdentityRole::kGap, "", "ROC axes"));
  // A rule change: the point was a cloze (stored under the new key), the new
  // rules ask it as a definition. Same card.
  CardDraft draft;
  draft.kind = CardKind::kDefinition;
  draft.topic_key = key;
  draft.source = point;
  draft.identity = recall::card_identity(draft.kind, key, point);
  const std::vector<ExistingCard> stored_new = {
      {7, recall::card_identity(CardKind::kCloze, key, point), CardKind::kCloze, point, key}};
  CHECK(recall::match_cards(stored_new, {draft}) == std::vector<long long>{7});
  // The same for a card stored by the release before, under its kind-hashed key.
  const std::string legacy = recall::legacy_card_identity(CardKind::kCloze, key, point);
  CHECK(legacy.rfind("cloze:", 0) == 0);
  const std::vector<ExistingCard> stored_old = {{9, legacy, CardKind::kCloze, point, key},
                                                {10, legacy + "#2", CardKind::kCloze, point, key}};
  CardDraft repeat = draft;
  repeat.identity += "#2";
  CHECK(recall::match_cards(stored_old, {draft, repeat}) == std::vector<long long>{9, 10});
  // Topic, checklist and gap cards keep the keys they had.
  CHECK(recall::card_identity(CardKind::kTopic, key, "t") ==
        recall::legacy_card_identity(CardKind::kTopic, key, "t"));
  CHECK(recall::card_identity(CardKind::kChecklist, "", "Explain bias-variance tradeoff") ==
        recall::legacy_card_identity(CardKind::kChecklist, "", "Explain bias-variance tradeoff"));
}

TEST_CASE("an item or point reworded by adding words is the same card", "[identity][issue16]") {
  // The tutor's two real rewordings of checklist items.
  CHECK(recall::only_words_added(
      "Compare L1 vs L2 regularization",
      "Compare L1 vs L2 regularization (L2 covered in logistic regression)"));
  CHECK(recall::only_words_added("Handle data drift scenarios",
                                 "Handle data drift scenarios (covariate, label, concept drift)"));
  CHECK_FALSE(
      recall::only_words_added("Compare L1 vs L2 regularization", "Compare L1 vs L2 norms"));
  CHECK_FALSE(
      recall::only_words_added("drift scenarios", "Handle data drifts scenarios"));  // not whole
  CHECK_FALSE(
      recall::only_words_added("Ranking", "Ranking metrics: NDCG"));  // one word: too little

  // The fixture holds the reworded items; the tracker before had them short.
  const std::string text = recall::test::read_bytes(recall::test::fixture_path());
  // (Only a derivation item makes a card, rules v7.)
  const std::string older =
      replace_once(text, "Derive logistic regression gradient (with L2 regularization!)",
                   "Derive logistic regression gradient");
  const recall::Tracker before = read_fixture(older);
  // A key point too: a clause added in parentheses.
  const std::string point = "Threshold tuning as simplest first approach";
  const recall::Tracker after =
      read_fixture(replace_once(text, point, point + " (before resampling or class weights)"));

  TempDir dir;
  Store store(dir.file("r.db"));
  recall::import_tracker(store, before, 20000, std::nullopt);
  const long long item = card_with_source(store, "Derive logistic regression gradient");
  const long long tuning = card_with_source(store, point);
  REQUIRE(item != 0);
  REQUIRE(tuning != 0);
  for (long long id : {item, tuning})
    recall::answer_card(store, id, 4, recall::ReviewKind::kReview, 20000, "t", std::nullopt);

  const recall::ImportReport report = recall::import_tracker(store, after, 20001, std::nullopt);
  CHECK(report.retired == 0);
  CHECK(report.added == 0);
  for (long long id : {item, tuning}) {
    INFO("card " << id);
    const auto card = store.card(id);
    REQUIRE(card);
    CHECK_FALSE(card->retired);
    CHECK(store.reviews_for_card(id).size() == 1);
  }
  CHECK(store.card(item)->source ==
        "Derive logistic regression gradient (with L2 regularization!)");
}

TEST_CASE("a database of the release before keeps every review and studied card on re-import",
          "[identity][issue16][migration]") {
  TempDir dir;
  const std::string db = dir.file("release.db");
  load_release_database(db);
  const auto reviews_before = review_rows(db);
  const auto studied_before = studied_cards(db);
  REQUIRE(reviews_before.size() == 74);
  REQUIRE(studied_before.size() == 31);

  const auto imported =
      run_recall(db, {"--today", "2025-03-09", "import", recall::test::fixture_path(), "--json"});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  const Json report = Json::parse(imported.out);
  // The rules of this release add cards (every open gap is drilled, a
  // recurring gap gets a discrimination card), but only for points the
  // release had no card of: every card added has an id past the release's
  // and a (topic, source) no release card has.
  CHECK(report["added"].get<int>() < 20);

  CHECK(review_rows(db) == reviews_before);  // every review row, as it was
  const auto studied_after = studied_cards(db);
  REQUIRE(studied_after.size() == studied_before.size());  // every studied card keeps its id
  // A studied card is retired only when its point left: no draft of the
  // current rules has its (topic, normalised source).
  std::set<std::pair<std::string, std::string>> points;
  const recall::Tracker fixture =
      read_fixture(recall::test::read_bytes(recall::test::fixture_path()));
  for (const CardDraft& d : recall::make_cards(fixture))
    points.emplace(recall::identity_role(d.kind) == recall::IdentityRole::kPoint ? d.topic_key : "",
                   recall::normalise_source(d.source));
  for (const auto& [id, card] : studied_after) {
    INFO("card " << id << ": " << card.source);
    const bool point = recall::identity_role(recall::card_kind_from_string(card.kind)) ==
                       recall::IdentityRole::kPoint;
    const bool still_there =
        points.count({point ? card.topic_key : "", recall::normalise_source(card.source)}) > 0;
    CHECK(card.retired == !still_there);
    CHECK(card.source == studied_before.at(id).source);
  }
  {
    // Stored identities are the new keys now, and the upgraded schema is the
    // one a fresh database has.
    SQLite::Database raw(db);
    // (A retired card whose point yields no card now keeps its old key.)
    CHECK(raw.execAndGet(
                 "SELECT COUNT(*) FROM cards WHERE retired = 0 AND (identity GLOB 'cloze:*' "
                 "OR identity GLOB 'definition:*' OR identity GLOB 'chain:*' OR identity GLOB "
                 "'comparison:*' OR identity GLOB 'complete:*')")
              .getInt() == 0);
    const long long release_max = raw.execAndGet(
                                         "SELECT MAX(id) FROM cards WHERE created_day < "
                                         "(SELECT MAX(created_day) FROM cards)")
                                      .getInt64();
    SQLite::Statement added(
        raw,
        "SELECT COUNT(*) FROM cards n WHERE n.id > ? AND EXISTS (SELECT 1 "
        "FROM cards o WHERE o.id <= ? AND o.source = n.source AND "
        "o.topic_id IS n.topic_id AND n.kind NOT IN ('gap', 'discrimination', 'checklist'))");
    added.bind(1, static_cast<int64_t>(release_max));
    added.bind(2, static_cast<int64_t>(release_max));
    REQUIRE(added.executeStep());
    CHECK(added.getColumn(0).getInt() == 0);  // no added card repeats a release card's point
    CHECK(raw.execAndGet("PRAGMA user_version").getInt() == Store::kSchemaVersion);
  }
  const auto check = run_recall(db, {"--today", "2025-03-09", "check"});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  // A second import is a no-op: the identities stay put.
  const auto again =
      run_recall(db, {"--today", "2025-03-10", "import", recall::test::fixture_path(), "--json"});
  const Json second = Json::parse(again.out);
  CHECK(second["added"] == 0);
  CHECK(second["updated"] == 0);
  CHECK(second["retired"] == 0);
  CHECK(review_rows(db) == reviews_before);
}

TEST_CASE("a release (schema 3) database is upgraded to the schema a fresh one has",
          "[store][issue16][migration]") {
  TempDir dir;
  { Store fresh(dir.file("fresh.db")); }
  const std::string db = dir.file("release.db");
  load_release_database(db);
  {
    Store store(db);
    CHECK(store.schema_version() == Store::kSchemaVersion);
    const auto card = store.card(1);
    REQUIRE(card);
    CHECK(card->quality == "ok");
    CHECK(card->quality_reason.empty());
  }
  CHECK(schema_of(db) == schema_of(dir.file("fresh.db")));
}

TEST_CASE("recall edit keeps the schedule and history, and imports and decks keep the text",
          "[cli][issue16][edit]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const std::string tracker = dir.file("tracker.md");
  recall::test::write_bytes(tracker, recall::test::read_bytes(recall::test::fixture_path()));
  REQUIRE(run_recall(db, {"--today", "2025-03-01", "import", tracker}).exit_code == 0);
  recall::test::drill_drafts(db);
  const Json first = Json::parse(run_recall(db, {"--today", "2025-03-01", "next", "--json"}).out);
  const long long id = first["card"]["id"];
  const std::string card_id = std::to_string(id);
  REQUIRE(run_recall(db, {"--today", "2025-03-01", "answer", card_id, "4"}).exit_code == 0);
  const Json before = Json::parse(run_recall(db, {"card", card_id, "--json"}).out);

  // Bad text: a usage error naming the argument; nothing changes.
  const auto empty = run_recall(db, {"edit", card_id, "--front", "  "});
  CHECK(empty.exit_code == 2);
  CHECK(empty.err.find("--front") != std::string::npos);
  const auto control = run_recall(db, {"edit", card_id, "--back", "bell \a"});
  CHECK(control.exit_code == 2);
  CHECK(run_recall(db, {"edit", card_id}).exit_code == 2);
  CHECK(run_recall(db, {"edit", "99999", "--front", "x"}).exit_code == 1);
  CHECK(Json::parse(run_recall(db, {"card", card_id, "--json"}).out) == before);

  const auto edited =
      run_recall(db, {"edit", card_id, "--front", "Which axis of a ROC curve is recall?", "--back",
                      "y (TPR); x is FPR", "--json"});
  INFO(edited.err);
  REQUIRE(edited.exit_code == 0);
  const auto check_card = [&](const char* when) {
    INFO(when);
    const Json now = Json::parse(run_recall(db, {"card", card_id, "--json"}).out);
    const std::string context = before["card"]["front"].get<std::string>().substr(
        0, before["card"]["front"].get<std::string>().find('\n') + 1);
    CHECK(now["card"]["front"] == context + "Which axis of a ROC curve is recall?");
    CHECK(now["card"]["back"].get<std::string>().find("y (TPR); x is FPR") != std::string::npos);
    CHECK(now["card"]["quality"] == "ok");
    CHECK(now["card"]["quality_reason"] == "");
    CHECK(now["card"]["edited"] == true);
    CHECK(now["card"]["state"] == before["card"]["state"]);
    CHECK(now["history"] == before["history"]);
  };
  check_card("after the edit");

  // A tracker import (the tracker changed elsewhere, so it is not a no-op).
  std::string text = recall::test::read_bytes(tracker);
  recall::test::write_bytes(
      tracker, replace_once(text, "Threshold tuning as simplest first approach",
                            "Threshold tuning as simplest first approach (try first)"));
  REQUIRE(run_recall(db, {"--today", "2025-03-02", "import", tracker}).exit_code == 0);
  check_card("after a tracker import");

  // Deck regeneration, with and without an earlier deck file; then the deck
  // imported back.
  const std::string deck = dir.file("deck.md");
  for (int round = 0; round < 2; ++round) {
    const auto generated = run_recall(db, {"deck", "generate", tracker, "-o", deck});
    INFO(generated.err);
    REQUIRE(generated.exit_code == 0);
    CHECK(recall::test::read_bytes(deck).find("Which axis of a ROC curve is recall?") !=
          std::string::npos);
  }
  REQUIRE(run_recall(db, {"--today", "2025-03-02", "import", deck}).exit_code == 0);
  check_card("after the deck is imported");
}

TEST_CASE("cards --review lists exactly the flagged cards, the deck carries the flag",
          "[cli][issue16][quality]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const std::string deck = dir.file("deck.md");
  REQUIRE(
      run_recall(db, {"--today", "2025-03-01", "import", recall::test::fixture_path()}).exit_code ==
      0);
  REQUIRE(
      run_recall(db, {"deck", "generate", recall::test::fixture_path(), "-o", deck}).exit_code ==
      0);
  // The rules flag the fixture's cards themselves (no card rule is trusted:
  // all of them); the deck carries each flag and its reason.
  const std::size_t by_rules =
      Json::parse(run_recall(db, {"cards", "--review", "--json"}).out).size();
  REQUIRE(by_rules > 0);
  std::string text = recall::test::read_bytes(deck);
  CHECK(text.find("\nquality: review (unsure rule ") != std::string::npos);
  // A reason set in the deck (as the rules would) is stored on import: on
  // the first card.
  const std::size_t quality = text.find("\nquality: review (") + 1;
  const std::size_t at = text.find("\nsource: ", quality) + 9;
  REQUIRE(at > quality);
  const std::string source = text.substr(at, text.find('\n', at) - at);
  text.replace(quality, text.find('\n', quality) - quality, "quality: review (hint on the front)");
  recall::test::write_bytes(deck, text);
  const auto imported = run_recall(db, {"--today", "2025-03-01", "import", deck});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);

  const Json flagged = Json::parse(run_recall(db, {"cards", "--review", "--json"}).out);
  REQUIRE(flagged.size() == by_rules);
  Json marked;
  for (const Json& card : flagged)
    if (card["source"] == source) marked = card;
  REQUIRE(marked.is_object());
  CHECK(marked["quality"] == "review");
  CHECK(marked["quality_reason"] == "hint on the front");
  const std::string id = std::to_string(marked["id"].get<long long>());
  const Json all = Json::parse(run_recall(db, {"cards", "--json"}).out);
  int review = 0;
  for (const Json& card : all) {
    CHECK((card["quality"] == "ok" || card["quality"] == "review"));
    review += card["quality"] == "review";
  }
  CHECK(review == static_cast<int>(by_rules));
  CHECK(Json::parse(run_recall(db, {"card", id, "--json"}).out)["card"]["quality"] == "review");
  CHECK(run_recall(db, {"cards", "--review"}).out.find("[review: hint on the front]") !=
        std::string::npos);

  // A person's edit makes it ok.
  REQUIRE(run_recall(
              db, {"edit", id, "--front", "Which two RNN bottlenecks does self-attention remove?"})
              .exit_code == 0);
  CHECK(Json::parse(run_recall(db, {"cards", "--review", "--json"}).out).size() == by_rules - 1);
}

TEST_CASE("decks written before the flag and the identity rule still read", "[deck][issue16]") {
  const recall::Tracker tracker =
      read_fixture(recall::test::read_bytes(recall::test::fixture_path()));
  std::vector<CardDraft> cards = recall::make_cards(tracker);
  cards[0].quality = "review";
  cards[0].quality_reason = "fragment term";
  // The round trip of an ok card (most of the rules' cards are flagged now).
  cards[1].quality = "ok";
  cards[1].quality_reason.clear();
  std::string text = recall::write_deck("t", tracker, cards);
  CHECK(text.find("quality: review (fragment term)\n") != std::string::npos);
  const recall::Deck read = recall::read_deck(recall::prepare_text(std::string(text)), "deck.md");
  CHECK(read.cards[0].quality == "review");
  CHECK(read.cards[0].quality_reason == "fragment term");
  CHECK(read.cards[1].quality == "ok");

  // An old deck: no quality lines, the kind-hashed ids.
  std::string old;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start + 1);
    start = end + 1;
    if (line.rfind("quality:", 0) != 0) old += line;
  }
  for (const CardDraft& card : cards) {
    if (recall::identity_role(card.kind) != recall::IdentityRole::kPoint) continue;
    const std::string legacy = recall::legacy_card_identity(card.kind, card.topic_key, card.source);
    const std::string base = recall::card_identity(card.kind, card.topic_key, card.source);
    const std::string heading = "#### card " + card.identity + "\n";
    const std::size_t at = old.find(heading);
    REQUIRE(at != std::string::npos);
    old.replace(at, heading.size(),
                "#### card " + legacy + card.identity.substr(base.size()) + "\n");
  }
  const recall::Deck legacy = recall::read_deck(recall::prepare_text(std::string(old)), "old.md");
  REQUIRE(legacy.cards.size() == cards.size());
  // The deck groups cards by topic (gap cards under "Without topic"), so it
  // is compared as a set of identities.
  std::multiset<std::string> expected, got;
  for (const CardDraft& card : cards) expected.insert(card.identity);
  for (const auto& card : legacy.cards) {
    got.insert(card.identity);
    CHECK(card.quality == "ok");
  }
  CHECK(got == expected);
  // A bad flag names the file and line.
  std::string bad = text;
  bad.replace(bad.find("quality: review (fragment term)"), 31, "quality: great");
  CHECK_THROWS_WITH(recall::read_deck(recall::prepare_text(std::string(bad)), "deck.md"),
                    Catch::Contains("deck.md:") && Catch::Contains("found 'great'"));
}
