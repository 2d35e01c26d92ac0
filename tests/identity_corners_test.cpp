// Identity corners: one topic title in two domains, a tracker re-saved in
// Unicode NFD, tab-padded Confidence cells written back.
#include <catch2/catch.hpp>

#include <algorithm>

#include "recall/cards.h"
#include "recall/feedback.h"
#include "recall/tracker.h"
#include "support.h"

using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::write_bytes;

namespace {

// "Transformers" is a topic of domain A and of domain C; both have the same
// first point.
const std::string kTwoDomains =
    "# Tracker\n\n"
    "## Quick Stats\n\n"
    "| Domain | Topics Covered | Total Topics | Status |\n"
    "|---|---|---|---|\n"
    "| A. ML Fundamentals (50%) | 1 | 1 | x |\n"
    "| C. Deep Learning (50%) | 1 | 1 | x |\n\n"
    "## Topics Mastered\n\n"
    "### A. ML Fundamentals\n"
    "| Topic | Date Mastered | Confidence | Key Points |\n"
    "|---|---|---|---|\n"
    "| **A.1 Transformers** | 2026-01-01 | Medium | • Attention: weighs every token against every "
    "other<br>"
    "• Positional encoding adds word order |\n\n"
    "### C. Deep Learning\n"
    "| Topic | Date Mastered | Confidence | Key Points |\n"
    "|---|---|---|---|\n"
    "| **C.1 Transformers** | 2026-01-02 | Medium | • Attention: weighs every token against every "
    "other<br>"
    "• Multi-head attention: several subspaces at once |\n";

recall::Tracker parse(const std::string& text) {
  return recall::read_tracker(recall::prepare_text(text), "t.md");
}

// The objects of a JSON array printed by `recall cards --json` whose text
// contains `needle`.
std::vector<std::string> objects_with(const std::string& json, const std::string& needle) {
  std::vector<std::string> found;
  std::size_t at = json.find("{\"id\":");
  while (at != std::string::npos) {
    const std::size_t next = json.find("{\"id\":", at + 1);
    const std::string object =
        json.substr(at, next == std::string::npos ? std::string::npos : next - at);
    if (object.find(needle) != std::string::npos) found.push_back(object);
    at = next;
  }
  return found;
}

std::string id_of(const std::string& object) {
  const std::size_t at = std::string("{\"id\":").size();
  return object.substr(at, object.find(',') - at);
}

// The fixture as an editor that saves NFD writes it: its two decomposable
// characters, "ŷ" (U+0177) and "≠" (U+2260), decomposed.
std::string as_nfd(std::string text) {
  const std::pair<std::string, std::string> decompositions[] = {
      {"\xC5\xB7", "y\xCC\x82"},      // ŷ -> y + U+0302
      {"\xE2\x89\xA0", "=\xCC\xB8"},  // ≠ -> = + U+0338
  };
  for (const auto& [composed, decomposed] : decompositions)
    for (std::size_t at = text.find(composed); at != std::string::npos;
         at = text.find(composed, at))
      text.replace(at, composed.size(), decomposed);
  return text;
}

}  // namespace

TEST_CASE("one topic title in two domains makes two topics, each with its cards", "[identity]") {
  const recall::Tracker tracker = parse(kTwoDomains);
  const std::vector<std::string> keys = recall::topic_keys(tracker.topics);
  REQUIRE(keys.size() == 2);
  CHECK(keys[0] == "transformers");
  CHECK(keys[1] == "transformers @C");
  const auto cards = recall::make_cards(tracker);
  for (const auto& card : cards) {
    CHECK(card.identity.find('#') == std::string::npos);  // no repeat: two topics
    if (card.topic_label == "C.1") CHECK(card.topic_key == "transformers @C");
  }

  TempDir dir;
  const std::string db = dir.file("r.db"), path = dir.file("t.md");
  write_bytes(path, kTwoDomains);
  const auto imported = run_recall(db, {"--today", "2026-11-01", "import", path, "--json"});
  REQUIRE(imported.exit_code == 0);
  CHECK_THAT(imported.out, Catch::Contains("\"topics\":2"));
  const std::string topics = run_recall(db, {"topics", "--json"}).out;
  CHECK_THAT(topics,
             Catch::Contains("\"label\":\"A.1\",\"title\":\"Transformers\",\"domain\":\"A\""));
  CHECK_THAT(topics,
             Catch::Contains("\"label\":\"C.1\",\"title\":\"Transformers\",\"domain\":\"C\""));
  const std::string cards_json = run_recall(db, {"cards", "--json"}).out;
  CHECK(objects_with(cards_json, "\"label\":\"A.1\"").size() == 2);  // its points' cards
  CHECK(objects_with(cards_json, "\"label\":\"C.1\"").size() == 2);
}

TEST_CASE("sync judges each of two same-titled topics by its own reviews", "[identity][sync]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), path = dir.file("t.md");
  write_bytes(path, kTwoDomains);
  REQUIRE(run_recall(db, {"--today", "2026-11-01", "import", path}).exit_code == 0);
  const auto c1 = objects_with(run_recall(db, {"cards", "--json"}).out, "\"label\":\"C.1\"");
  REQUIRE(c1.size() == 2);
  // C.1's two cards recalled perfectly on three days (the evidence needs
  // five graded answers); A.1 never reviewed.
  for (const std::string day : {"2026-11-01", "2026-11-02", "2026-11-03"})
    for (const auto& card : c1)
      REQUIRE(run_recall(db, {"--today", day, "answer", id_of(card), "5"}).exit_code == 0);
  REQUIRE(run_recall(db, {"--today", "2026-11-03", "sync", path}).exit_code == 0);
  const std::string synced = read_bytes(path);
  CHECK_THAT(synced, Catch::Contains("| **A.1 Transformers** | 2026-01-01 | Medium |"));
  CHECK_THAT(synced, Catch::Contains("| **C.1 Transformers** | 2026-01-02 | Medium-High |"));
}

TEST_CASE("topic keys without a cross-domain repeat are the plain title keys", "[identity]") {
  // The fixture has no title in two domains: every key stays topic_key(title),
  // so every card of an existing database keeps its identity.
  const recall::Tracker tracker = parse(read_bytes(recall::test::fixture_path()));
  const std::vector<std::string> keys = recall::topic_keys(tracker.topics);
  REQUIRE(keys.size() == tracker.topics.size());
  for (std::size_t i = 0; i < keys.size(); ++i)
    CHECK(keys[i] == recall::topic_key(tracker.topics[i].title));
  // The same title twice in one domain stays one topic.
  std::vector<recall::Topic> twice(2);
  twice[0].title = twice[1].title = "Transformers";
  twice[0].domain_letter = twice[1].domain_letter = 'C';
  CHECK(recall::topic_keys(twice) == std::vector<std::string>{"transformers", "transformers"});
}

TEST_CASE("a tracker re-saved in NFD reads as the same text, NFC stays byte for byte",
          "[identity][nfc]") {
  const std::string nfc = read_bytes(recall::test::fixture_path());
  const std::string nfd = as_nfd(nfc);
  REQUIRE(nfd != nfc);
  CHECK(recall::prepare_text(nfc).text == nfc);  // already NFC: untouched
  CHECK(recall::prepare_text(nfd).text == nfc);
  const auto from_nfc = recall::make_cards(parse(nfc));
  const auto from_nfd = recall::make_cards(parse(nfd));
  REQUIRE(from_nfc.size() == from_nfd.size());
  for (std::size_t i = 0; i < from_nfc.size(); ++i) {
    CHECK(from_nfc[i].identity == from_nfd[i].identity);
    CHECK(from_nfc[i].front == from_nfd[i].front);
  }
}

TEST_CASE("a card keeps its id and history when the tracker is re-saved in NFD",
          "[identity][nfc]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), path = dir.file("t.md");
  const std::string nfc = read_bytes(recall::test::fixture_path());
  write_bytes(path, nfc);
  REQUIRE(run_recall(db, {"--today", "2026-11-01", "import", path}).exit_code == 0);
  // The point with "≠" (i≠j) and "ŷ": decomposed, its "=" would read as a formula.
  const auto cards = objects_with(run_recall(db, {"cards", "--json"}).out,
                                  "\"source\":\"∂ŷᵢ/∂zᵢ = ŷᵢ(1-ŷᵢ), ∂ŷᵢ/∂zⱼ = -ŷᵢ·ŷⱼ (i≠j)\"");
  REQUIRE(cards.size() == 1);
  const std::string id = id_of(cards[0]);
  REQUIRE(run_recall(db, {"--today", "2026-11-01", "answer", id, "2", "--note", "mixed up i and j"})
              .exit_code == 0);
  const std::string before = run_recall(db, {"card", id, "--json"}).out;

  write_bytes(path, as_nfd(nfc));
  const auto again = run_recall(db, {"--today", "2026-11-02", "import", path, "--json"});
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("\"added\":0,\"updated\":0,\"retired\":0"));
  CHECK(run_recall(db, {"card", id, "--json"}).out == before);
  CHECK_THAT(before, Catch::Contains("mixed up i and j"));
}

TEST_CASE("write-back keeps a Confidence cell's tab padding", "[identity][writeback]") {
  const std::string text =
      "## Topics Mastered\n\n"
      "### A. ML Fundamentals\n"
      "| Topic | Date Mastered | Confidence | Key Points |\n"
      "|---|---|---|---|\n"
      "| **A.1 Bias** |\t2026-01-01\t|\tMedium\t| • Bias: error from wrong assumptions |\n"
      "| **A.2 Variance** | 2026-01-01 |\t \tLow \t| • Variance: error from sensitivity |\n";
  const recall::TrackerText prepared = recall::prepare_text(text);
  const recall::Tracker tracker = recall::read_tracker(prepared, "t.md");
  REQUIRE(tracker.topics.size() == 2);
  CHECK(tracker.topics[0].confidence == "Medium");
  recall::TrackerUpdate update;
  update.confidences = {{tracker.topics[0].line, "Medium-High"},
                        {tracker.topics[1].line, "Medium"}};
  const std::string written = recall::rewrite_tracker(prepared, tracker, update, recall::Day{});
  CHECK_THAT(written, Catch::Contains("| **A.1 Bias** |\t2026-01-01\t|\tMedium-High\t| • Bias"));
  CHECK_THAT(written,
             Catch::Contains("| **A.2 Variance** | 2026-01-01 |\t \tMedium \t| • Variance"));
}
