// Hand-edited decks: every edit that would shift one card's text into
// another (a line deleted, an id copied, changed or deleted, a heading lost,
// text outside a card) is refused with FILE:LINE, exit 1, and the database
// stays exactly as it was.
#include <catch2/catch.hpp>

#include <algorithm>

#include "recall/deck.h"
#include "recall/error.h"
#include "support.h"

using recall::test::lines_of;
using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::write_bytes;

namespace {

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// Index of the first line at or after `from` equal to `line`.
std::size_t index_of(const std::vector<std::string>& lines, const std::string& line,
                     std::size_t from = 0) {
  for (std::size_t i = from; i < lines.size(); ++i)
    if (lines[i] == line) return i;
  FAIL("no line '" << line << "'");
  return 0;
}

// Index of the "#### card" heading above line `i`.
std::size_t heading_above(const std::vector<std::string>& lines, std::size_t i) {
  while (lines[i].rfind("#### card ", 0) != 0) --i;
  return i;
}

std::string id_at(const std::vector<std::string>& lines, std::size_t heading) {
  return lines[heading].substr(std::string("#### card ").size());
}

// A database with the fixture imported, and the fixture's generated deck.
struct Setup {
  TempDir dir;
  std::string db = dir.file("r.db"), deck = dir.file("deck.md");
  std::vector<std::string> lines;
  std::string cards_before, topics_before;
  std::size_t roc = 0;   // index of the ROC card's heading
  std::size_t next = 0;  // index of the heading of the card after it

  Setup() {
    REQUIRE(
        run_recall(db, {"deck", "generate", recall::test::fixture_path(), "-o", deck}).exit_code ==
        0);
    REQUIRE(run_recall(db, {"--today", "2026-11-01", "import", recall::test::fixture_path()})
                .exit_code == 0);
    lines = lines_of(read_bytes(deck));
    roc = heading_above(lines, index_of(lines, "source: ROC axes: x=FPR, y=TPR"));
    next = roc + 1;
    while (lines[next].rfind("#### card ", 0) != 0) ++next;
    cards_before = run_recall(db, {"cards", "--retired", "--json"}).out;
    topics_before = run_recall(db, {"topics", "--json"}).out;
  }

  // Imports the edited deck: exit 1, the error starts with "deck.md:LINE: ",
  // and nothing in the database changed.
  void refused(const std::vector<std::string>& edited, std::size_t line, const std::string& what) {
    write_bytes(deck, joined(edited));
    const auto result = run_recall(db, {"--today", "2026-11-02", "import", deck});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err,
               Catch::StartsWith("recall: " + deck + ":" + std::to_string(line) + ": " + what));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    CHECK(run_recall(db, {"cards", "--retired", "--json"}).out == cards_before);
    CHECK(run_recall(db, {"topics", "--json"}).out == topics_before);
  }
};

}  // namespace

TEST_CASE("a deck card without its A: line is refused, not merged into the next card",
          "[deck][strict]") {
  Setup s;
  std::vector<std::string> edited = s.lines;
  edited.erase(edited.begin() + static_cast<std::ptrdiff_t>(index_of(edited, "A:", s.roc)));
  s.refused(edited, s.roc + 1, "card " + id_at(s.lines, s.roc) + " has no 'A:' line");
}

TEST_CASE("a deck card id given twice is refused at the second, naming the first",
          "[deck][strict]") {
  Setup s;
  std::vector<std::string> edited = s.lines;
  edited[s.next] = edited[s.roc];
  s.refused(edited, s.next + 1,
            "card " + id_at(s.lines, s.roc) + " appears twice (first at line " +
                std::to_string(s.roc + 1) + ")");
}

TEST_CASE("a deck card heading whose id was deleted is refused", "[deck][strict]") {
  Setup s;
  std::vector<std::string> edited = s.lines;
  edited[s.roc] = "#### card";
  s.refused(edited, s.roc + 1, "expected a card id after '#### card'");
  edited[s.roc] = "#### card ";
  s.refused(edited, s.roc + 1, "expected a card id after '#### card'");
}

TEST_CASE("a deck card heading deleted whole is refused where its lines start", "[deck][strict]") {
  Setup s;
  // The ROC card (not its topic's first): its lines would join the answer
  // of the card above it.
  const std::size_t above = heading_above(s.lines, s.roc - 1);
  std::vector<std::string> edited = s.lines;
  edited.erase(edited.begin() + static_cast<std::ptrdiff_t>(s.roc));
  const std::size_t q = index_of(edited, "Q:", s.roc);  // its Q:, now inside that answer
  s.refused(edited, q + 1, "unexpected 'Q:' in card " + id_at(s.lines, above));
  // The first card of a topic: its lines would be dropped as prose.
  const std::size_t topic = index_of(s.lines, "### A.8 Evaluation Metrics - AUC-ROC");
  std::size_t first = topic;
  while (s.lines[first].rfind("#### card ", 0) != 0) ++first;
  edited = s.lines;
  edited.erase(edited.begin() + static_cast<std::ptrdiff_t>(first));
  s.refused(edited, first + 1, "text outside a card");
}

TEST_CASE("a deck card id edited by hand is refused instead of starting a new card",
          "[deck][strict]") {
  Setup s;
  std::vector<std::string> edited = s.lines;
  std::string& heading = edited[s.roc];
  heading.back() = heading.back() == '0' ? '1' : '0';
  s.refused(edited, s.roc + 1,
            "card " + id_at(edited, s.roc) + " is not the id of its kind, topic and source");
}

TEST_CASE("a deck card moved under another topic is refused", "[deck][strict]") {
  Setup s;
  std::vector<std::string> edited = s.lines;
  // The ROC card's block cut out and put at the end of the next topic.
  std::size_t end = s.roc + 1;
  while (end < edited.size() && edited[end].rfind("#", 0) != 0) ++end;
  std::vector<std::string> block(edited.begin() + static_cast<std::ptrdiff_t>(s.roc),
                                 edited.begin() + static_cast<std::ptrdiff_t>(end));
  edited.erase(edited.begin() + static_cast<std::ptrdiff_t>(s.roc),
               edited.begin() + static_cast<std::ptrdiff_t>(end));
  std::size_t next_topic = s.roc;
  while (edited[next_topic].rfind("### ", 0) != 0) ++next_topic;
  std::size_t after = next_topic + 1;
  while (edited[after].rfind("### ", 0) != 0 && edited[after].rfind("## ", 0) != 0) ++after;
  edited.insert(edited.begin() + static_cast<std::ptrdiff_t>(after), block.begin(), block.end());
  s.refused(edited, after + 1,
            "card " + id_at(s.lines, s.roc) + " is not the id of its kind, topic and source");
}

TEST_CASE("text outside any card in a deck is refused, the preamble is free", "[deck][strict]") {
  Setup s;
  std::vector<std::string> edited = s.lines;
  const std::size_t topic = index_of(s.lines, "### A.8 Evaluation Metrics - AUC-ROC");
  edited.insert(edited.begin() + static_cast<std::ptrdiff_t>(topic), "a note of mine");
  s.refused(edited, topic + 1, "text outside a card");

  // Prose before the first heading is the reader's, as the generated note is.
  edited = s.lines;
  edited.insert(edited.begin() + 2, "my own notes about this deck");
  write_bytes(s.deck, joined(edited));
  const auto result = run_recall(s.db, {"--today", "2026-11-02", "import", s.deck, "--json"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("\"added\":0,\"updated\":0"));
}

TEST_CASE("a deck card's metadata lines are each required once", "[deck][strict]") {
  Setup s;
  std::vector<std::string> edited = s.lines;
  std::size_t order = s.roc;
  while (edited[order].rfind("order: ", 0) != 0) ++order;
  edited.erase(edited.begin() + static_cast<std::ptrdiff_t>(order));
  s.refused(edited, s.roc + 1, "card " + id_at(s.lines, s.roc) + " has no 'order:' line");
  edited = s.lines;
  edited.insert(edited.begin() + static_cast<std::ptrdiff_t>(order), "kind: chain");
  s.refused(edited, order + 1, "card " + id_at(s.lines, s.roc) + " has a second 'kind:' line");
}

TEST_CASE("a generated deck reads back with every card's id, topic and text", "[deck][strict]") {
  const recall::TrackerText text = recall::prepare_text(read_bytes(recall::test::fixture_path()));
  const recall::Tracker tracker = recall::read_tracker(text, "t.md");
  const std::vector<recall::CardDraft> cards = recall::make_cards(tracker);
  const recall::Deck deck =
      recall::read_deck(recall::prepare_text(recall::write_deck("t", tracker, cards)), "d.md");
  REQUIRE(deck.cards.size() == cards.size());
  for (const auto& card : deck.cards) {
    const auto found = std::find_if(cards.begin(), cards.end(), [&](const recall::CardDraft& c) {
      return c.identity == card.identity;
    });
    REQUIRE(found != cards.end());
    CHECK(card.topic_key == found->topic_key);
    CHECK(card.front == found->front);
    CHECK(card.back == found->back);
  }
}
