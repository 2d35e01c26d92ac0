// The cards a gap's words name, two ways (feedback.h): over every card
// (CardGapLinker, the rules' own) and through the store's indexes
// (StoreGapLinker, what feedback_for uses so that `gaps`, `brief` and
// `sync` do not read every card). They must name the same cards for any
// words, on trackers of every shape, with retired cards, cards added by
// hand (no source) and labels two topics share.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "recall/feedback.h"
#include "recall/study.h"
#include "recall/store.h"
#include "support.h"

namespace {

using recall::Day;

// Words to link: every gap's and card's words, their heads before each
// colon followed by a dash (a subject's term), topic names and labels inside
// longer words, and words no card has.
std::vector<std::string> words_to_try(recall::Store& store) {
  const std::string dash = " \xE2\x80\x94 ";
  std::set<std::string> words = {"", dash + "x", " : y" + dash + "z", "nothing at all",
                                 "\xFF\xFF", "Z.99 not a topic", "A.1", "see A.1 and B.2"};
  for (const auto& gap : store.gaps()) words.insert(gap.text);
  for (const auto& card : store.cards(std::nullopt, true)) {
    // A card without a source is about its question's first line.
    std::string subject = card.source;
    if (subject.empty()) {
      subject = card.front;
      if (const auto nl = subject.find('\n'); nl != std::string::npos && subject[0] == '[')
        subject = subject.substr(nl + 1);
      subject = subject.substr(0, subject.find('\n'));
    }
    words.insert(subject);
    const auto colon = subject.find(':');
    if (colon != std::string::npos) {
      words.insert(subject.substr(0, colon) + dash + "still unsure");
      words.insert(subject.substr(0, colon) + " " + dash + "x" + dash + "y");
    }
    words.insert(card.topic_label + " " + card.topic_title + ": swapped the axes");
    words.insert("still " + card.topic_label + ": unsure");
  }
  return {words.begin(), words.end()};
}

void same_names(recall::Store& store) {
  const std::vector<recall::Card> cards = store.cards(std::nullopt, true);
  const recall::CardGapLinker over_cards(cards);
  const recall::StoreGapLinker over_store(store);
  int named = 0;
  for (const std::string& words : words_to_try(store)) {
    INFO("words: " << words);
    const auto expected = over_cards.link(words, {});
    CHECK(over_store.link(words, {}) == expected);
    // The given ids are kept, each once, and sorted in.
    CHECK(over_store.link(words, {999999, 1}) == over_cards.link(words, {999999, 1}));
    named += expected.empty() ? 0 : 1;
  }
  CHECK(named > 20);  // the words do name cards: a linker naming none would pass
}

}  // namespace

TEST_CASE("the store's gap linker names the same cards as the one over every card",
          "[feedback][scale]") {
  const Day day = *recall::parse_day("2026-03-01");
  for (const char* tracker :
       {"tests/data/ml-study-tracker.md", "tests/data/gnn-diffusion-distributed-tracker.md",
        "tests/data/compilers-tracker.md", "tests/data/generated-120-topics.md"}) {
    INFO(tracker);
    recall::test::TempDir dir;
    recall::Store store(dir.file("r.db"));
    recall::import_file(store, recall::test::source_path(tracker), day);
    std::vector<long long> retire;
    const auto cards = store.cards(std::nullopt, false);
    REQUIRE(cards.size() > 20);
    for (std::size_t i = 0; i < cards.size(); i += 7) retire.push_back(cards[i].id);
    store.retire_cards(retire, "not knowledge", "tutor", day);
    // Cards added by hand have no source: named by their question's first line.
    const std::string label = cards.front().topic_label;
    const long long roc = store.add_card("ROC axes: which is which?", "x = FPR, y = TPR", label, day);
    const long long plain = store.add_card("A question with no topic", "its answer", std::nullopt, day);
    {
      // Cards of older versions with no source at all.
      SQLite::Database raw(dir.file("r.db"), SQLite::OPEN_READWRITE);
      raw.exec("UPDATE cards SET source = '' WHERE id IN (" + std::to_string(roc) + ", " +
               std::to_string(plain) + ")");
    }
    same_names(store);
    // A label two topics share names neither alone; one of them left with
    // retired cards only, the label is the other's again.
    {
      SQLite::Database raw(dir.file("r.db"), SQLite::OPEN_READWRITE);
      const long long other = raw.execAndGet(
          "SELECT topic_id FROM cards WHERE topic_id IS NOT NULL AND retired = 0 "
          "ORDER BY id DESC LIMIT 1").getInt64();
      raw.exec("UPDATE topics SET label = '" + label + "' WHERE id = " + std::to_string(other));
    }
    same_names(store);
    {
      SQLite::Database raw(dir.file("r.db"), SQLite::OPEN_READWRITE);
      raw.exec("UPDATE cards SET retired = 1 WHERE topic_id = (SELECT id FROM topics WHERE "
               "label = '" + label + "' ORDER BY id DESC LIMIT 1)");
    }
    same_names(store);
  }
}

TEST_CASE("schema 12 adds the index of live cards by source to an older database",
          "[feedback][upgrade]") {
  recall::test::TempDir dir;
  {
    recall::Store store(dir.file("r.db"));
    recall::import_file(store, recall::test::fixture_path(), *recall::parse_day("2026-03-01"));
  }
  {
    SQLite::Database raw(dir.file("r.db"), SQLite::OPEN_READWRITE);
    raw.exec("DROP INDEX cards_source; ALTER TABLE gap_cards DROP COLUMN tutor;"
             "PRAGMA user_version = 11;");
  }
  recall::Store store(dir.file("r.db"));
  CHECK(store.schema_version() == recall::Store::kSchemaVersion);
  SQLite::Database raw(dir.file("r.db"), SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name = 'cards_source'").getInt() ==
        1);
  same_names(store);
}

// Random sources, fronts, topics and labels of odd bytes on 20 stores, and
// random words: the byte range of cards_source (a prefix ending in 0xFF, an
// empty term) and every other step must name what the linker over every
// card names.
namespace {

const std::vector<std::string> kPieces = {
    " ", ":", "a", "b", "\xFF", "\xFE", " \xE2\x80\x94 ", "A.1", "B.2", "\n", "[", "]",
    std::string(1, '\0'), "\x7F", "\xC3\xA9", "  ", "ab", "A.1 T", "\xFF\xFF", "\x01"};

std::string random_text(std::mt19937& random, int max_pieces) {
  std::string out;
  const int n = std::uniform_int_distribution<int>(0, max_pieces)(random);
  for (int i = 0; i < n; ++i) out += kPieces[random() % kPieces.size()];
  return out;
}

}  // namespace

TEST_CASE("the two gap linkers agree on odd bytes: 0xFF, NUL, colons, dashes, shared labels",
          "[feedback][scale]") {
  const recall::Day day = *recall::parse_day("2026-03-01");
  for (unsigned seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed);
    recall::test::TempDir dir;
    {
      recall::Store store(dir.file("r.db"));
      recall::import_file(store, recall::test::fixture_path(), day);
    }
    std::mt19937 random(seed);
    {
      SQLite::Database raw(dir.file("r.db"), SQLite::OPEN_READWRITE);
      std::vector<long long> ids;
      SQLite::Statement q(raw, "SELECT id FROM cards ORDER BY id");
      while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
      std::vector<long long> topics;
      SQLite::Statement t(raw, "SELECT id FROM topics ORDER BY id");
      while (t.executeStep()) topics.push_back(t.getColumn(0).getInt64());
      SQLite::Statement up(raw,
                           "UPDATE cards SET source = ?1, front = ?2, retired = ?3, topic_id = ?4 "
                           "WHERE id = ?5");
      for (std::size_t i = 0; i < ids.size() && i < 120; ++i) {
        up.reset();
        const bool sourceless = random() % 4 == 0;
        up.bind(1, sourceless ? std::string() : random_text(random, 4));
        up.bind(2, random_text(random, 4));
        up.bind(3, random() % 6 == 0 ? 1 : 0);
        if (random() % 5 == 0)
          up.bind(4);
        else
          up.bind(4, static_cast<int64_t>(topics[random() % 6]));
        up.bind(5, static_cast<int64_t>(ids[i]));
        up.exec();
      }
      SQLite::Statement lab(raw, "UPDATE topics SET label = ?1, title = ?2 WHERE id = ?3");
      const std::vector<std::string> labels = {"A.1", "B.2", "A.1", "", "C", "A.1 T"};
      for (std::size_t i = 0; i < 6; ++i) {
        lab.reset();
        lab.bind(1, labels[i]);
        lab.bind(2, random() % 2 ? std::string("T") : random_text(random, 2));
        lab.bind(3, static_cast<int64_t>(topics[i]));
        lab.exec();
      }
    }
    recall::Store store(dir.file("r.db"));
    const auto cards = store.cards(std::nullopt, true);
    const recall::CardGapLinker over_cards(cards);
    const recall::StoreGapLinker over_store(store);
    std::set<std::string> words;
    for (int i = 0; i < 400; ++i) words.insert(random_text(random, 5));
    for (const auto& card : cards) {
      words.insert(card.source);
      words.insert(card.source + " \xE2\x80\x94 x");
      const auto colon = card.source.find(':');
      if (colon != std::string::npos)
        words.insert(card.source.substr(0, colon) + " \xE2\x80\x94 y");
      words.insert(card.front.substr(0, card.front.find('\n')));
    }
    int named = 0;
    for (const auto& w : words) {
      INFO("words (" << w.size() << " bytes)");
      const auto expected = over_cards.link(w, {});
      named += expected.empty() ? 0 : 1;
      CHECK(over_store.link(w, {}) == expected);
    }
    CHECK(named > 10);
  }
}
