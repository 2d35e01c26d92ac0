// Importing the tracker through the real binary: exact expectations on the
// fixture, mojibake, identity across tracker versions, decks, bad input.
#include <catch2/catch.hpp>

#include <algorithm>

#include <map>
#include <sstream>

#include "recall/deck.h"
#include "recall/store.h"
#include "recall/tracker.h"
#include "loop_support.h"
#include "support.h"

using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::write_bytes;

namespace {

// `text` written over the imported `tracker`, then imported and synced on
// 2026-11-02: both refused (exit 1, one line holding `says`), the cards
// (`before`, as listed) and the file unchanged.
void check_refused(const std::string& db, const std::string& tracker, const std::string& text,
                   const std::string& before, const std::string& says) {
  write_bytes(tracker, text);
  for (const std::vector<std::string> command :
       {std::vector<std::string>{"import", tracker}, std::vector<std::string>{"sync"}}) {
    std::vector<std::string> args = {"--today", "2026-11-02"};
    args.insert(args.end(), command.begin(), command.end());
    const auto result = run_recall(db, args);
    INFO(command.front() << ": " << result.err);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Catch::StartsWith("recall: " + tracker + ": " + says) &&
                               Catch::Contains("nothing was changed"));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    CHECK(run_recall(db, {"cards", "--retired", "--json"}).out == before);
    CHECK(read_bytes(tracker) == text);
  }
}

struct Listed {
  long long id = 0;
  std::string kind, label, source, state, front;
  bool retired = false;
};

// Reads one JSON string starting at the opening quote `at`.
std::string json_string(const std::string& text, std::size_t at) {
  std::string out;
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '"') break;
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char e = text[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::string field(const std::string& object, const std::string& key) {
  const std::size_t at = object.find("\"" + key + "\":");
  if (at == std::string::npos) return "";
  const std::size_t value = at + key.size() + 3;
  if (object[value] == '"') return json_string(object, value);
  if (object[value] == '{') return object.substr(value, object.find('}', value) - value + 1);
  return object.substr(value, object.find_first_of(",}", value) - value);
}

// `recall cards --retired --json`, keyed by the card's source text and kind.
std::vector<Listed> list_cards(const std::string& db) {
  const std::string out = run_recall(db, {"cards", "--retired", "--json"}).out;
  std::vector<Listed> cards;
  std::size_t at = out.find("{\"id\":");
  while (at != std::string::npos) {
    const std::size_t next = out.find("{\"id\":", at + 1);
    const std::string object =
        out.substr(at, next == std::string::npos ? std::string::npos : next - at);
    Listed card;
    card.id = std::stoll(field(object, "id"));
    card.kind = field(object, "kind");
    card.label = field(object, "label");
    card.source = field(object, "source");
    card.front = field(object, "front");
    card.state = field(object, "state");
    card.retired = field(object, "retired") == "true";
    cards.push_back(card);
    at = next;
  }
  return cards;
}

const Listed* find_source(const std::vector<Listed>& cards, const std::string& source) {
  for (const auto& card : cards)
    if (card.source == source && card.kind != "topic") return &card;
  return nullptr;
}

}  // namespace

TEST_CASE("importing the fixture gives one card per key point plus checklist and gap cards",
          "[import]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  auto result =
      run_recall(db, {"--today", "2026-11-20", "import", recall::test::fixture_path(), "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("\"kind\":\"tracker\"") &&
                             Catch::Contains("\"domains\":6") && Catch::Contains("\"topics\":21") &&
                             Catch::Contains("\"key_points\":125") &&
                             Catch::Contains("\"gaps\":10"));
  const auto cards = list_cards(db);
  std::map<std::string, int> kinds;
  for (const auto& card : cards) kinds[card.kind] += 1;
  CHECK(kinds["topic"] == 0);  // outlines are no longer made (docs/cards.md)
  CHECK(kinds["checklist"] == 3);  // the derivations (rules v7)
  int point_cards = 0;
  for (const char* kind : {"definition", "cloze", "comparison", "enumeration", "reason",
                           "mechanism", "procedure", "caveat", "complete"})
    point_cards += kinds[kind];
  // 125 points: 5 statements about the learner make no card, one "Review
  // needed" remark makes a gap card (docs/cards.md).
  CHECK(point_cards == 119);

  const Listed* roc = find_source(cards, "ROC axes: x=FPR, y=TPR");
  REQUIRE(roc);
  CHECK(roc->label == "A.8");
  CHECK(roc->kind == "cloze");
  CHECK_THAT(roc->front, !Catch::Contains("FPR") && !Catch::Contains("TPR"));
  // The recurring ROC gap is linked to that card: it is in the gap-only drill.
  std::string skips;
  for (int i = 0; i < 40; ++i) skips += "s\n";
  recall::test::drill_drafts(db);
  auto drill = run_recall(db, {"--today", "2026-11-20", "review", "--gaps"}, skips);
  CHECK_THAT(drill.out, Catch::Contains("ROC axes: x = ____, y = ____"));
  CHECK_THAT(drill.out, !Catch::Contains("] F.42"));

  auto again =
      run_recall(db, {"--today", "2026-11-21", "import", recall::test::fixture_path(), "--json"});
  CHECK_THAT(
      again.out,
      Catch::Contains(
          "\"added\":0,\"updated\":0,\"retired\":0,\"restored\":0,\"reordered\":0,\"unchanged\":" +
          std::to_string(cards.size())));
  CHECK(list_cards(db).size() == cards.size());
}

TEST_CASE("the mojibake tracker gives exactly the same cards, and says it repaired", "[import]") {
  TempDir dir;
  const std::string clean = dir.file("clean.db"), damaged = dir.file("damaged.db");
  run_recall(clean, {"--today", "2026-11-20", "import", recall::test::fixture_path()});
  auto result =
      run_recall(damaged, {"--today", "2026-11-20", "import",
                           recall::test::source_path("tests/data/ml-study-tracker.mojibake.md")});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("repaired mojibake"));
  CHECK(run_recall(damaged, {"cards", "--retired", "--json"}).out ==
        run_recall(clean, {"cards", "--retired", "--json"}).out);
}

TEST_CASE("schedules survive renumbering, renaming, reordering, small edits, removed points retire",
          "[import]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("tracker.md");
  const std::string original = read_bytes(recall::test::fixture_path());
  write_bytes(tracker, original);
  REQUIRE(run_recall(db, {"--today", "2026-11-01", "import", tracker}).exit_code == 0);

  const char* kept_sources[] = {
      "ROC axes: x=FPR, y=TPR",                          // renumbered topic A.8 -> A.9
      "Measures ranking ability across all thresholds",  // small edit
      "O(n²) complexity trade-off for long sequences",   // renamed domain C
      "Error signal (δ) computed once per layer, reused for all gradients",  // reordered
  };
  const char* removed_source = "AUC=0.5 (random), AUC=1.0 (perfect)";
  std::map<std::string, Listed> before;
  auto cards = list_cards(db);
  for (const char* source : kept_sources) {
    const Listed* card = find_source(cards, source);
    REQUIRE(card);
    before[source] = *card;
  }
  const Listed removed = *find_source(cards, removed_source);
  // A few days of answers on those cards.
  const char* days[] = {"2026-11-01", "2026-11-02", "2026-11-08"};
  for (const char* day : days) {
    for (const auto& [source, card] : before)
      REQUIRE(run_recall(db, {"--today", day, "answer", std::to_string(card.id), "4"}).exit_code ==
              0);
    run_recall(db, {"--today", day, "answer", std::to_string(removed.id), "5"});
  }
  for (auto& [source, card] : before) card.state = find_source(list_cards(db), source)->state;
  const std::string removed_history =
      run_recall(db, {"card", std::to_string(removed.id), "--json"}).out;

  std::string edited = original;
  edited = recall::test::replace_once(edited, "**A.8 Evaluation Metrics - AUC-ROC**",
                                      "**A.9 Evaluation Metrics - AUC-ROC**");
  edited = recall::test::replace_once(edited, "• Measures ranking ability across all thresholds",
                                      "• Measures the ranking ability across all thresholds");
  edited = recall::test::replace_once(edited, "<br>• AUC=0.5 (random), AUC=1.0 (perfect)", "");
  edited =
      recall::test::replace_once(edited, "<br>• ROC axes: x=FPR, y=TPR",
                                 "<br>• ROC axes: x=FPR, y=TPR<br>• PR curve: precision vs recall");
  edited = recall::test::replace_once(edited, "| C. Deep Learning & RL (25%) |",
                                      "| C. Deep Learning (25%) |");
  edited = recall::test::replace_once(edited, "### C. Deep Learning & RL", "### C. Deep Learning");
  edited = recall::test::replace_once(
      edited, "• Error signal (δ) computed once per layer, reused for all gradients<br>", "");
  edited = recall::test::replace_once(
      edited, "• Solutions: ReLU, residual connections, gradient clipping",
      "• Solutions: ReLU, residual connections, gradient clipping<br>• Error "
      "signal (δ) computed once per layer, reused for all gradients");
  write_bytes(tracker, edited);
  auto report = run_recall(db, {"--today", "2026-11-09", "import", tracker, "--json"});
  REQUIRE(report.exit_code == 0);
  CHECK_THAT(report.out, Catch::Contains("\"added\":1,") && Catch::Contains("\"retired\":1,"));

  cards = list_cards(db);
  for (const auto& [source, card] : before) {
    INFO(source);
    const Listed* now = nullptr;
    for (const auto& c : cards)
      if (c.id == card.id) now = &c;
    REQUIRE(now);
    CHECK_FALSE(now->retired);
    CHECK(now->state == card.state);
    CHECK(run_recall(db, {"card", std::to_string(card.id), "--json"})
              .out.find("\"history\":[{\"day\":\"2026-11-01\"") != std::string::npos);
  }
  const Listed* roc = find_source(cards, "ROC axes: x=FPR, y=TPR");
  CHECK(roc->label == "A.9");
  CHECK(find_source(cards, "Measures the ranking ability across all thresholds")->id ==
        before["Measures ranking ability across all thresholds"].id);
  const Listed* gone = nullptr;
  for (const auto& c : cards)
    if (c.id == removed.id) gone = &c;
  REQUIRE(gone);
  CHECK(gone->retired);
  REQUIRE(find_source(cards, "PR curve: precision vs recall"));

  // The point comes back: so does its card, with its history.
  write_bytes(tracker, original);
  auto restored = run_recall(db, {"--today", "2026-11-10", "import", tracker, "--json"});
  CHECK_THAT(restored.out, Catch::Contains("\"restored\":1"));
  CHECK(run_recall(db, {"card", std::to_string(removed.id), "--json"}).out == removed_history);
}

TEST_CASE("bad trackers are rejected with file and line, the database unchanged", "[import]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(
      run_recall(db, {"--today", "2026-11-01", "import", recall::test::fixture_path()}).exit_code ==
      0);
  const std::string before = run_recall(db, {"cards", "--retired", "--json"}).out;
  const std::string fixture = read_bytes(recall::test::fixture_path());
  struct Case {
    std::string name, bytes, message;
  };
  const std::vector<Case> cases = {
      {"plain.md", "just some notes\nnothing else\n", "plain.md:1:"},
      {"binary.md", std::string("## Quick Stats\n\0\x01\x02", 17), "binary.md:2:"},
      {"columns.md",
       recall::test::replace_once(fixture, "| 2026-02-02 | Medium-High | • Measures",
                                  "| 2026-02-02 | • Measures"),
       "columns.md:42: expected 4 columns"},
      {"utf8.md", "## Topics Mastered\n\xff\xfe bad\n", "utf8.md:2:"},
  };
  for (const auto& c : cases) {
    write_bytes(dir.file(c.name), c.bytes);
    auto result = run_recall(db, {"--today", "2026-11-02", "import", dir.file(c.name)});
    INFO(c.name << ": " << result.err);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Catch::Contains(c.message));
  }
  auto missing = run_recall(db, {"import", dir.file("nope.md")});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("nope.md"));
  auto folder = run_recall(db, {"import", dir.path().string()});
  CHECK(folder.exit_code == 1);
  CHECK_THAT(folder.err, Catch::Contains("is a directory"));
  CHECK(run_recall(db, {"cards", "--retired", "--json"}).out == before);
}

TEST_CASE("a tracker that reads no key points does not retire the cards of the last import",
          "[import]") {
  // The tutor rewrote the file in a layout recall does not read (here: the
  // topic rows became prose). Importing it would retire every card at once.
  TempDir dir;
  const std::string db = dir.file("r.db");
  const std::string tracker = dir.file("tracker.md");
  const std::string fixture = read_bytes(recall::test::fixture_path());
  write_bytes(tracker, fixture);
  REQUIRE(run_recall(db, {"--today", "2026-11-01", "import", tracker}).exit_code == 0);
  const std::string before = run_recall(db, {"cards", "--retired", "--json"}).out;
  std::string prose;
  std::istringstream lines(fixture);
  bool topics = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("## ", 0) == 0) topics = line.find("Topics Mastered") != std::string::npos;
    prose += topics && line.rfind("|", 0) == 0 ? "Notes on a topic, in prose.\n" : line + "\n";
  }
  check_refused(db, tracker, prose, before, "no topic with key points was read");
  // A first import of such a file makes what it can, and says what it read
  // no key point from.
  const auto fresh = run_recall(dir.file("fresh.db"), {"--today", "2026-11-02", "import", tracker});
  CHECK(fresh.exit_code == 0);
  CHECK_THAT(fresh.out, Catch::Contains("0 topics, 0 key points"));
  CHECK_THAT(fresh.err, Catch::Contains("tracker.md: no topic with key points was read"));
  // The file in a layout recall reads again: the cards are all there.
  write_bytes(tracker, fixture);
  const auto back = run_recall(db, {"--today", "2026-11-03", "import", tracker});
  CHECK(back.exit_code == 0);
  CHECK_THAT(back.out, Catch::Contains("0 retired"));
}

TEST_CASE("an import that would retire most cards made from key points is refused unless allowed",
          "[import]") {
  // A layout read only in part: a few rows still read, the rest of the
  // topics lost. Retiring most cards at once needs --allow-mass-retire
  // (import and sync alike); dropping a few topics needs nothing.
  const recall::test::ImportedTracker copy(recall::test::fixture_path(), "2026-11-01");
  const std::string &db = copy.db, &tracker = copy.tracker, &fixture = copy.original;
  const std::string before = run_recall(db, {"cards", "--retired", "--json"}).out;
  // Keep the first `keep` topic rows of the tables of topics.
  const auto keeping = [&](int keep) {
    std::string text;
    std::istringstream lines(fixture);
    int rows = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("| **", 0) == 0 && line.find("<br>") != std::string::npos && ++rows > keep)
        continue;
      text += line + "\n";
    }
    return text;
  };
  const std::string few = keeping(3);
  check_refused(db, tracker, few, before, "importing it would retire ");
  CHECK_THAT(run_recall(db, {"--today", "2026-11-02", "import", tracker}).err,
             Catch::Contains("run again with --allow-mass-retire"));
  // A few topics dropped: retired without being asked.
  const std::string most = keeping(17);
  write_bytes(tracker, most);
  const auto some = run_recall(db, {"--today", "2026-11-02", "import", tracker});
  CHECK(some.exit_code == 0);
  CHECK_THAT(some.out, !Catch::Contains(" 0 retired"));
  // Asked: the tracker really dropped them.
  write_bytes(tracker, few);
  const auto allowed =
      run_recall(db, {"--today", "2026-11-03", "import", tracker, "--allow-mass-retire"});
  CHECK(allowed.exit_code == 0);
  CHECK_THAT(allowed.out, !Catch::Contains(" 0 retired"));
  write_bytes(tracker, fixture);
  REQUIRE(run_recall(db, {"--today", "2026-11-04", "import", tracker}).exit_code == 0);
  write_bytes(tracker, few);
  CHECK(run_recall(db, {"--today", "2026-11-05", "sync", "--allow-mass-retire"}).exit_code == 0);
  CHECK(run_recall(db, {"--today", "2026-11-05", "import", tracker}).exit_code == 0);  // a no-op now
}

TEST_CASE("a generated deck round-trips, and hand edits survive re-import and regeneration",
          "[import][deck]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), deck = dir.file("deck.md");
  auto generated = run_recall(db, {"deck", "generate", recall::test::fixture_path(), "-o", deck});
  REQUIRE(generated.exit_code == 0);
  const std::string text = read_bytes(deck);
  CHECK_THAT(text, Catch::StartsWith(std::string(recall::kDeckMarker)));
  CHECK_THAT(text, Catch::Contains("### A.8 Evaluation Metrics - AUC-ROC"));

  REQUIRE(
      run_recall(db, {"--today", "2026-11-01", "import", recall::test::fixture_path()}).exit_code ==
      0);
  const auto cards = list_cards(db);
  auto same = run_recall(db, {"--today", "2026-11-01", "import", deck, "--json"});
  CHECK_THAT(same.out,
             Catch::Contains("\"kind\":\"deck\"") && Catch::Contains("\"added\":0,\"updated\":0"));

  // Edit the ROC card's question in the deck and import it.
  const Listed* roc = find_source(cards, "ROC axes: x=FPR, y=TPR");
  REQUIRE(roc);
  const std::string old_question = roc->front.substr(roc->front.find('\n') + 1);
  write_bytes(deck,
              recall::test::replace_once(text, old_question,
                                         "Which rate goes on each ROC axis? x = ____, y = ____"));
  auto edited = run_recall(db, {"--today", "2026-11-02", "import", deck, "--json"});
  CHECK_THAT(edited.out, Catch::Contains("\"updated\":1"));
  auto card = run_recall(db, {"card", std::to_string(roc->id), "--json"});
  CHECK_THAT(card.out, Catch::Contains("Which rate goes on each ROC axis?"));
  // Re-importing the tracker keeps the hand-edited text.
  run_recall(db, {"--today", "2026-11-03", "import", recall::test::fixture_path()});
  CHECK_THAT(run_recall(db, {"card", std::to_string(roc->id), "--json"}).out,
             Catch::Contains("Which rate goes on each ROC axis?"));
  // Regenerating the deck keeps it too.
  auto again = run_recall(db, {"deck", "generate", recall::test::fixture_path(), "-o", deck});
  CHECK_THAT(again.out, Catch::Contains("1 kept their edited text"));
  CHECK_THAT(read_bytes(deck), Catch::Contains("Which rate goes on each ROC axis?"));
}

TEST_CASE("deck reader errors name the file and line", "[deck]") {
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"# no marker\n", "d.md:1: expected the deck marker"},
      {std::string(recall::kDeckMarker) + "\n#### card x\nQ:\nq\nA:\na\n",
       "d.md:2: card x has no 'kind:' line"},
      {std::string(recall::kDeckMarker) + "\n#### card x\nkind: wizard\nQ:\nq\n",
       "d.md:3: unknown card kind 'wizard'"},
      {std::string(recall::kDeckMarker) + "\n#### card x\nkind: cloze\nQ:\nq\n",
       "d.md:2: card x has no 'A:' line"},
      {std::string(recall::kDeckMarker) + "\n#### card x\nkind: cloze\nbogus\n",
       "d.md:4: expected 'kind:'"},
  };
  for (const auto& c : cases) {
    const auto text = recall::prepare_text(c.text);
    CHECK_THROWS_WITH(recall::read_deck(text, "d.md"), Catch::StartsWith(c.message));
  }
}

TEST_CASE("the tracker's interview date is remembered by import, the setting wins",
          "[import][interview]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("t.md");
  write_bytes(tracker,
              recall::test::replace_once(read_bytes(recall::test::fixture_path()),
                                         "**Target Interview Date**: [Your interview date]",
                                         "**Target Interview Date**: 2026-12-15"));
  REQUIRE(run_recall(db, {"--today", "2026-11-20", "import", tracker}).exit_code == 0);
  CHECK_THAT(run_recall(db, {"--today", "2026-11-20", "plan", "--json"}).out,
             Catch::Contains("\"interview\":\"2026-12-15\""));
  run_recall(db, {"config", "set", "interview-date", "2026-12-20"});
  CHECK_THAT(run_recall(db, {"--today", "2026-11-20", "plan", "--json"}).out,
             Catch::Contains("\"interview\":\"2026-12-20\""));
  run_recall(db, {"config", "unset", "interview-date"});
  REQUIRE(
      run_recall(db, {"--today", "2026-11-21", "import", recall::test::fixture_path()}).exit_code ==
      0);
  CHECK(run_recall(db, {"--today", "2026-11-21", "plan", "--json"}).exit_code == 2);
}

TEST_CASE(
    "a repeated no-op import is answered from its record, and any other write ends the record",
    "[import]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("t.md");
  write_bytes(tracker, read_bytes(recall::test::fixture_path()));
  auto fingerprint = [&] {
    return recall::Store(db).setting(recall::kImportRecordSetting).has_value();
  };
  auto import_json = [&](const std::string& day) {
    auto result = run_recall(db, {"--today", day, "import", tracker, "--json"});
    REQUIRE(result.exit_code == 0);
    return result.out.substr(result.out.find("\"added\""));
  };
  const std::string first = import_json("2026-11-20");
  CHECK_THAT(first, !Catch::Contains("\"added\":0,"));
  CHECK_FALSE(fingerprint());  // that import changed things: no record
  const std::string full = import_json("2026-11-21");
  CHECK_THAT(full, Catch::StartsWith("\"added\":0,\"updated\":0,\"retired\":0,\"restored\":0,"));
  CHECK(fingerprint());                      // a full comparison found nothing to change
  CHECK(import_json("2026-11-22") == full);  // answered from the record: the same report
  CHECK(import_json("2026-11-23") == full);

  // A card added by hand ends the record; the next import compares again.
  REQUIRE(run_recall(db, {"add", "--front", "mine", "--back", "answer"}).exit_code == 0);
  CHECK_FALSE(fingerprint());
  CHECK(import_json("2026-11-24") == full);
  CHECK(fingerprint());

  // An edited tracker has another fingerprint: the import sees the edit.
  write_bytes(tracker, recall::test::replace_once(read_bytes(tracker), "ROC axes: x=FPR, y=TPR",
                                                  "ROC axes: x=FPR, y=TPR (both rates)"));
  const std::string edited = import_json("2026-11-25");
  // The point's card and the ROC gap's cards that answer from it (gap,
  // discrimination).
  CHECK_THAT(edited, Catch::StartsWith("\"added\":0,\"updated\":3,"));
  CHECK_FALSE(fingerprint());

  // A deck import ends the record too.
  import_json("2026-11-26");
  REQUIRE(fingerprint());
  const std::string deck = dir.file("deck.md");
  REQUIRE(run_recall(db, {"deck", "generate", tracker, "-o", deck}).exit_code == 0);
  REQUIRE(run_recall(db, {"import", deck}).exit_code == 0);
  CHECK_FALSE(fingerprint());

  // The same text read from another path is compared again (the path is remembered for sync).
  import_json("2026-11-27");
  REQUIRE(fingerprint());
  const std::string moved = dir.file("moved.md");
  write_bytes(moved, read_bytes(tracker));
  auto other = run_recall(db, {"--today", "2026-11-28", "import", moved, "--json"});
  CHECK_THAT(other.out, Catch::Contains("\"added\":0,\"updated\":0,\"retired\":0,\"restored\":0,"));
  CHECK(recall::Store(db).setting("tracker-path").value_or("").ends_with("moved.md"));
}
