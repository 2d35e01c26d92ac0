// Issue 22 (findings 3 and 4, and the low ones of the answer, deck, MCP
// drill and terminal paths) and issue 24 section 3: each test failed before
// its fix.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "mcp/tools.h"
#include "recall/answering.h"
#include "recall/error.h"
#include "recall/store.h"
#include "recall/text.h"
#include "support.h"

using namespace recall;
using recall::mcp::JsonValue;
using recall::mcp::RecallTools;
using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::write_bytes;

namespace {

constexpr const char* kToday = "2026-11-25";
const Day kDay = *parse_day(kToday);

std::string imported(const TempDir& dir) {
  const std::string db = dir.file("r.db");
  REQUIRE(run_recall(db, {"--today", kToday, "import", test::fixture_path()}).exit_code == 0);
  return db;
}

// The deck card ("#### card ID" heading) whose Q line follows the context
// line, and its front's last line.
struct DeckCard {
  std::string identity;
  std::string question;  // the line after the context line
};
DeckCard first_deck_card(const std::string& deck) {
  const auto heading = deck.find("#### card ");
  REQUIRE(heading != std::string::npos);
  DeckCard card;
  card.identity = deck.substr(heading + 10, deck.find('\n', heading) - heading - 10);
  const auto q = deck.find("Q:\n", heading);
  const auto context_end = deck.find('\n', q + 3);
  card.question = deck.substr(context_end + 1, deck.find('\n', context_end + 1) - context_end - 1);
  return card;
}

struct Tools {
  Store store;
  Day today = kDay;
  RecallTools tools{store, [this] { return today; }, [] { return std::string("t"); }};
  explicit Tools(const std::string& db) : store(db) {}
  JsonValue ok(const std::string& name, const JsonValue& args = JsonValue::object()) {
    const auto result = tools.call(name, args);
    REQUIRE(result);
    INFO(result->dump());
    REQUIRE_FALSE(result->value("isError", false));
    return (*result)["structuredContent"];
  }
  std::string fails(const std::string& name, const JsonValue& args = JsonValue::object()) {
    const auto result = tools.call(name, args);
    REQUIRE(result);
    INFO(result->dump());
    REQUIRE(result->value("isError", false));
    return (*result)["content"][0]["text"].get<std::string>();
  }
};

}  // namespace

TEST_CASE("deck generate on stdout carries recall edit's text, as -o does", "[round3][deck][cli]") {
  TempDir dir;
  const std::string db = imported(dir);
  const std::string fixture = test::fixture_path();
  const auto plain = run_recall(db, {"deck", "generate", fixture});
  REQUIRE(plain.exit_code == 0);
  const DeckCard card = first_deck_card(plain.out);
  long long id = 0;
  {
    Store store(db);
    for (const Card& c : store.cards(std::nullopt, false))
      if (c.identity == card.identity) id = c.id;
  }
  REQUIRE(id != 0);
  REQUIRE(run_recall(db, {"edit", std::to_string(id), "--front", "What do ROC's axes plot?"})
              .exit_code == 0);
  const auto to_stdout = run_recall(db, {"deck", "generate", fixture});
  REQUIRE(to_stdout.exit_code == 0);
  CHECK(to_stdout.out.find("What do ROC's axes plot?") != std::string::npos);
  const std::string file = dir.file("deck.md");
  REQUIRE(run_recall(db, {"deck", "generate", fixture, "-o", file}).exit_code == 0);
  CHECK(read_bytes(file) == to_stdout.out);  // one code path
  // Importing the stdout deck keeps the edit.
  write_bytes(dir.file("piped.md"), to_stdout.out);
  REQUIRE(run_recall(db, {"--today", kToday, "import", dir.file("piped.md")}).exit_code == 0);
  Store store(db);
  CHECK(store.card(id)->front.find("What do ROC's axes plot?") != std::string::npos);
}

TEST_CASE("regenerating over a hand-edited deck: the newer edit wins, the other is named and kept",
          "[round3][deck][cli]") {
  namespace fs = std::filesystem;
  TempDir dir;
  const std::string db = imported(dir);
  const std::string fixture = test::fixture_path();
  const std::string deck = dir.file("deck.md");
  REQUIRE(run_recall(db, {"deck", "generate", fixture, "-o", deck}).exit_code == 0);
  const std::string generated = read_bytes(deck);
  const DeckCard card = first_deck_card(generated);
  long long id = 0;
  {
    Store store(db);
    for (const Card& c : store.cards(std::nullopt, false))
      if (c.identity == card.identity) id = c.id;
  }
  REQUIRE(id != 0);
  // The card's question line, replaced where it stands (after its Q:).
  const auto heading = generated.find("#### card " + card.identity);
  const auto at = generated.find(card.question, generated.find("Q:\n", heading));
  std::string hand_edited = generated;
  hand_edited.replace(at, card.question.size(), "HAND EDIT in the deck");

  for (const bool deck_newer : {false, true}) {
    INFO("deck newer: " << deck_newer);
    for (const auto& entry : fs::directory_iterator(dir.path()))
      if (entry.path().filename().string().rfind("deck.md.bak", 0) == 0) fs::remove(entry.path());
    write_bytes(deck, hand_edited);
    REQUIRE(run_recall(db, {"edit", std::to_string(id), "--front", "DATABASE EDIT"}).exit_code ==
            0);
    // The deck's time, an hour after or before the database's edit.
    const auto shift = deck_newer ? std::chrono::hours(1) : -std::chrono::hours(1);
    fs::last_write_time(deck, fs::file_time_type::clock::now() + shift);
    const auto regenerated = run_recall(db, {"deck", "generate", fixture, "-o", deck});
    INFO(regenerated.out << regenerated.err);
    REQUIRE(regenerated.exit_code == 0);
    const std::string now = read_bytes(deck);
    // The card is named on stderr, with which text won.
    CHECK(regenerated.err.find("card " + card.identity) != std::string::npos);
    if (deck_newer) {
      CHECK(now.find("HAND EDIT in the deck") != std::string::npos);
      CHECK(now.find("DATABASE EDIT") == std::string::npos);
      CHECK(regenerated.err.find("the deck's text stays") != std::string::npos);
    } else {
      CHECK(now.find("DATABASE EDIT") != std::string::npos);
      CHECK(now.find("HAND EDIT in the deck") == std::string::npos);
      CHECK(regenerated.err.find("the database's edit replaced the deck's text") !=
            std::string::npos);
    }
    if (deck_newer) {
      CHECK(now == hand_edited);  // nothing replaced: no backup needed
      CHECK_FALSE(fs::exists(deck + ".bak"));
    } else {
      // Never lost: the deck before is beside it.
      REQUIRE(fs::exists(deck + ".bak"));
      CHECK(read_bytes(deck + ".bak") == hand_edited);
      CHECK(regenerated.out.find("the deck before is in " + deck + ".bak") != std::string::npos);
    }
  }
  // A later backup never replaces an earlier one, and never goes through a link.
  write_bytes(deck, hand_edited);
  fs::last_write_time(deck, fs::file_time_type::clock::now() - std::chrono::hours(1));
  write_bytes(deck + ".bak", "an earlier backup");
  const std::string victim = dir.file("victim.txt");
  write_bytes(victim, "mine");
  fs::create_symlink(victim, deck + ".bak.1");
  REQUIRE(run_recall(db, {"deck", "generate", fixture, "-o", deck}).exit_code == 0);
  CHECK(read_bytes(victim) == "mine");
  CHECK(read_bytes(deck + ".bak") == "an earlier backup");
  CHECK(read_bytes(deck + ".bak.2") == hand_edited);
}

