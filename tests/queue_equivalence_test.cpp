// The queue is the same wherever it is asked (issue 17, section 2): a script
// looping `recall next --json` / `recall answer`, a piped `recall review`,
// and the MCP tools next_card / reveal_card / grade_card, each on its own
// copy of one database over the same day, are given the same cards in the
// same order: reviews, new cards interleaved across topics, then the
// re-drill round with the cards failed again at its end.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "mcp/tools.h"
#include "recall/store.h"
#include "support.h"

namespace {

using recall::test::run_recall;
using recall::test::TempDir;

constexpr const char* kDay1 = "2026-03-01";
constexpr const char* kDay2 = "2026-03-02";
// Grades by step: failures (below 3) and weak passes (3) come back in the
// re-drill round, which ends once each card is answered 4 or better.
const int kGrades[] = {4, 1, 5, 4, 2, 4, 5, 3, 4, 0, 5, 4};
constexpr int kMaxSteps = 120;

int grade_at(std::size_t step) { return kGrades[step % (sizeof kGrades / sizeof kGrades[0])]; }

// The fixture, with day 1's first new cards answered so that day 2 starts
// with due reviews.
std::string prepared(const TempDir& dir, const std::string& name) {
  const std::string db = dir.file(name);
  REQUIRE(run_recall(db, {"--today", kDay1, "import", recall::test::fixture_path()}).exit_code ==
          0);
  recall::test::drill_drafts(db);  // the drill's order, not the review pass
  for (const char* id : {"1", "2", "3", "40", "90"})
    REQUIRE(run_recall(db, {"--today", kDay1, "answer", id, "4"}).exit_code == 0);
  return db;
}

long long id_after(const std::string& text, const std::string& key) {
  const std::size_t at = text.find(key);
  REQUIRE(at != std::string::npos);
  return std::stoll(text.substr(at + key.size()));
}

std::vector<long long> by_next_and_answer(const std::string& db) {
  std::vector<long long> shown;
  for (std::size_t step = 0; step < kMaxSteps; ++step) {
    const auto next = run_recall(db, {"--today", kDay2, "next", "--json"});
    REQUIRE(next.exit_code == 0);
    if (next.out == "null\n") break;
    const long long id = id_after(next.out, "\"card\":{\"id\":");
    shown.push_back(id);
    std::vector<std::string> args = {"--today", kDay2, "answer", std::to_string(id),
                                     std::to_string(grade_at(step))};
    if (grade_at(step) < 3) args.insert(args.end(), {"--note", "mixed up the two"});
    REQUIRE(run_recall(db, args).exit_code == 0);
  }
  return shown;
}

std::vector<long long> by_piped_review(const std::string& db) {
  std::string input;
  for (std::size_t step = 0; step < kMaxSteps; ++step)
    input += std::to_string(grade_at(step)) + (grade_at(step) < 3 ? " mixed up the two\n" : "\n");
  const auto review = run_recall(db, {"--today", kDay2, "review"}, input);
  INFO(review.err);
  REQUIRE(review.exit_code == 0);
  std::vector<long long> shown;
  std::istringstream lines(review.out);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("[review ", 0) == 0 || line.rfind("[new ", 0) == 0 ||
        line.rfind("[redrill ", 0) == 0)
      shown.push_back(id_after(line, " card "));
  return shown;
}

std::vector<long long> by_mcp_tools(const std::string& db) {
  recall::Store store(db);
  const recall::Day today = *recall::parse_day(kDay2);
  recall::mcp::RecallTools tools{store, [&] { return today; },
                                 [] { return std::string("2026-03-02T09:00:00"); }};
  auto call = [&](const std::string& name, const recall::mcp::JsonValue& args) {
    const auto result = tools.call(name, args);
    REQUIRE(result);
    return *result;
  };
  std::vector<long long> shown;
  for (std::size_t step = 0; step < kMaxSteps; ++step) {
    const auto next = call("next_card", recall::mcp::JsonValue::object());
    if (next.value("isError", false)) break;
    const long long id = next["structuredContent"]["card"]["id"].get<long long>();
    shown.push_back(id);
    REQUIRE_FALSE(call("reveal_card", {{"card_id", id}}).value("isError", false));
    recall::mcp::JsonValue grade = {{"card_id", id}, {"grade", grade_at(step)}};
    if (grade_at(step) < 3) grade["note"] = "mixed up the two";
    REQUIRE_FALSE(call("grade_card", grade).value("isError", false));
  }
  return shown;
}

}  // namespace

TEST_CASE("next/answer, the piped drill and the MCP tools give the same cards in the same order",
          "[drill][queue][cli]") {
  TempDir dir;
  const auto scripted = by_next_and_answer(prepared(dir, "a.db"));
  const auto piped = by_piped_review(prepared(dir, "b.db"));
  const auto tutor = by_mcp_tools(prepared(dir, "c.db"));
  CHECK(piped == scripted);
  CHECK(tutor == scripted);

  // The day is worth comparing: reviews, 20 new cards from many topics,
  // and cards answered twice or more (the re-drill round).
  REQUIRE(scripted.size() >= 30);
  recall::Store store(dir.file("a.db"));
  std::set<long long> topics, seen, repeated;
  for (long long id : scripted) {
    if (!seen.insert(id).second) repeated.insert(id);
    topics.insert(store.card(id)->topic_id);
  }
  CHECK(repeated.size() >= 4);
  CHECK(topics.size() >= 8);
  // The 20 new cards (after the 5 reviews): those of open gaps first, then
  // the round robin, whose first cards come from different topics.
  // Cards of open gaps: linked to one, or its own gap and discrimination cards.
  const std::vector<long long> linked = store.gap_card_ids();
  std::set<long long> of_gaps(linked.begin(), linked.end());
  std::set<std::string> open_texts;
  for (const recall::GapRow& gap : store.gaps())
    if (gap.tier != recall::GapTier::kResolved) open_texts.insert(gap.text);
  for (const recall::Card& card : store.cards(std::nullopt, false))
    if (open_texts.count(card.source)) of_gaps.insert(card.id);
  std::vector<long long> round_robin;
  for (std::size_t i = 5; i < 25; ++i) {
    if (of_gaps.count(scripted[i]))
      CHECK(round_robin.empty());  // no gap card after a round-robin card
    else
      round_robin.push_back(scripted[i]);
  }
  REQUIRE(round_robin.size() >= 4);
  std::set<long long> first_new_topics;
  for (std::size_t i = 0; i < 4; ++i) first_new_topics.insert(store.card(round_robin[i])->topic_id);
  CHECK(first_new_topics.size() == 4);
}
