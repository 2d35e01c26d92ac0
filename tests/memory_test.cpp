// The memory model in the product (issue 18, items 3-5): `recall card`'s
// memory, predicted recall in `recall stats`, `stats --calibration` and
// `recall optimize`, through the real binary on temp databases, each figure
// checked against the pure model (recall/fsrs.h, recall/calibration.h).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "fsrs_sim.h"
#include "recall/answering.h"
#include "recall/check.h"
#include "recall/memory.h"
#include "recall/settings.h"
#include "recall/store.h"
#include "recall/text.h"
#include "recall/tracker.h"
#include "support.h"

using namespace recall;
using nlohmann::json;
using recall::test::run_recall;
using recall::test::TempDir;

namespace {

const Day kStart = *parse_day("2026-01-05");

// Answers through the binary: (day offset, card, grade).
void answer_all(const std::string& db, std::initializer_list<std::tuple<int, int, int>> answers) {
  for (auto [day, card, grade] : answers)
    REQUIRE(run_recall(db, {"--today", format_day(kStart + day), "answer", std::to_string(card),
                            std::to_string(grade)})
                .exit_code == 0);
}

void add_cards(const std::string& db, int count) {
  for (int i = 0; i < count; ++i)
    REQUIRE(run_recall(db, {"--today", format_day(kStart), "add", "--front",
                            "f" + std::to_string(i), "--back", "b"})
                .exit_code == 0);
}

json run_json(const std::string& db, std::vector<std::string> args) {
  const auto result = run_recall(db, args);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return json::parse(result.out);
}

// A simulated learner's logs written to a store: cards added by hand, the
// first answer of a day as a review, later ones that day as re-drills.
std::vector<fsrs::ReviewLog> write_simulated_log(const std::string& db, std::size_t reviews,
                                                 std::uint64_t seed) {
  const auto logs = fsrs::sim::simulate(fsrs::sim::kTruth, reviews, seed);
  Store store(db);
  for (const auto& log : logs) {
    const long long id = store.add_card("q", "a", std::nullopt, kStart);
    Day last = -1;
    for (const auto& review : log) {
      const ReviewKind kind = review.day == last ? ReviewKind::kRedrill : ReviewKind::kReview;
      recall::answer_card(store, id, review.grade, kind, kStart + review.day, "t", std::nullopt);
      last = review.day;
    }
  }
  return logs;
}

}  // namespace

TEST_CASE("card --json: memory is the FSRS-6 replay of the card's log, null when new",
          "[memory][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  add_cards(db, 2);
  answer_all(db, {{0, 1, 5}, {1, 1, 4}, {7, 1, 3}, {7, 1, 1}, {20, 1, 4}});
  const Day today = kStart + 30;
  const json card = run_json(db, {"--today", format_day(today), "card", "1", "--json"});
  const fsrs::ReviewLog log = {{0, 5}, {1, 4}, {7, 3}, {7, 1}, {20, 4}};
  const auto state = fsrs::replay(log);
  REQUIRE(state);
  const double r = fsrs::retrievability(10, state->stability);
  CHECK(card["memory"]["stability"].get<double>() == Approx(state->stability).epsilon(1e-3));
  CHECK(card["memory"]["difficulty"].get<double>() == Approx(state->difficulty).epsilon(1e-3));
  CHECK(card["memory"]["retrievability"].get<double>() == Approx(r).epsilon(1e-3));
  CHECK(run_json(db, {"card", "2", "--json"})["memory"].is_null());
  const auto text = run_recall(db, {"--today", format_day(today), "card", "1"});
  CHECK_THAT(text.out,
             Catch::Contains("recall chance today " + std::to_string(std::lround(r * 100)) + "%"));
}

TEST_CASE("stats --json: predicted recall per domain over studied cards, with coverage",
          "[memory][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  add_cards(db, 4);
  answer_all(db, {{0, 1, 5}, {3, 1, 4}, {0, 2, 2}, {1, 2, 4}, {2, 3, 3}});
  const Day today = kStart + 12, interview = kStart + 40;
  REQUIRE(run_recall(db, {"config", "set", "interview-date", format_day(interview)}).exit_code ==
          0);
  const json stats = run_json(db, {"--today", format_day(today), "stats", "--json"});

  double sum_today = 0, sum_interview = 0;
  for (const fsrs::ReviewLog& log : {fsrs::ReviewLog{{0, 5}, {3, 4}},
                                     fsrs::ReviewLog{{0, 2}, {1, 4}}, fsrs::ReviewLog{{2, 3}}}) {
    const double s = fsrs::replay(log)->stability;
    sum_today += fsrs::retrievability(12 - log.back().day, s);
    sum_interview += fsrs::retrievability(40 - log.back().day, s);
  }
  const auto rounded = [](double x) { return std::round(x * 1000) / 1000; };
  CHECK(stats["studied"] == 3);
  CHECK(stats["coverage"].get<double>() == Approx(0.75));
  CHECK(stats["predicted_recall"].get<double>() == Approx(rounded(sum_today / 3)));
  CHECK(stats["predicted_recall_on_interview"].get<double>() == Approx(rounded(sum_interview / 3)));
  CHECK(stats["predicted_recall_on_interview"].get<double>() <
        stats["predicted_recall"].get<double>());
  const json& domain = stats["domains"][0];
  CHECK(domain["studied"] == 3);
  CHECK(domain["predicted_recall"] == stats["predicted_recall"]);

  // Without an interview date the interview figure is null; a store with no
  // answer has no predicted recall at all.
  REQUIRE(run_recall(db, {"config", "unset", "interview-date"}).exit_code == 0);
  CHECK(run_json(db,
                 {"--today", format_day(today), "stats", "--json"})["predicted_recall_on_interview"]
            .is_null());
  TempDir empty;
  add_cards(empty.file("e.db"), 1);
  const json none = run_json(empty.file("e.db"), {"stats", "--json"});
  CHECK(none["predicted_recall"].is_null());
  CHECK(none["coverage"].get<double>() == 0.0);
}

TEST_CASE("stats --calibration scores the three models on the learner's log", "[memory][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const auto logs = write_simulated_log(db, 1500, 7);
  const json before = run_json(db, {"stats", "--calibration", "--json"});
  REQUIRE(before["models"].size() == 3);
  const json& fsrs_default = before["models"][0];
  CHECK(fsrs_default["model"] == "fsrs6-default");
  const auto expected = calibration::calibrate(logs, calibration::fsrs_predictor());
  REQUIRE(expected);
  CHECK(fsrs_default["reviews"] == expected->reviews);
  CHECK(fsrs_default["log_loss"].get<double>() == Approx(expected->log_loss).epsilon(1e-3));
  CHECK(fsrs_default["rmse_bins"].get<double>() == Approx(expected->rmse_bins).epsilon(1e-3));
  CHECK(before["models"][1]["model"] == "fsrs6-fitted");
  CHECK(before["models"][1]["log_loss"].is_null());  // nothing fitted yet
  const json& sm2 = before["models"][2];
  CHECK(sm2["model"] == "sm2");
  CHECK(sm2["reviews"] == expected->reviews);  // the same reviews scored
  CHECK(sm2["log_loss"].get<double>() > 0);

  // After a stored fit the fitted row is filled, and on a log whose truth is
  // far from the defaults it beats them.
  const json fit = run_json(db, {"optimize", "--json"});
  REQUIRE(fit["stored"] == true);
  const json after = run_json(db, {"stats", "--calibration", "--json"});
  CHECK(after["models"][1]["reviews"] == expected->reviews);
  CHECK(after["models"][1]["log_loss"].get<double>() < fsrs_default["log_loss"].get<double>());
}

TEST_CASE("optimize: a held-out improvement, stored only when better and not on a dry run",
          "[memory][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const auto logs = write_simulated_log(db, 1500, 11);
  const auto expected = fsrs::fit(logs);

  const json dry = run_json(db, {"optimize", "--dry-run", "--json"});
  CHECK(dry["fitted"] == true);
  CHECK(dry["stored"] == false);
  CHECK(dry["test_reviews"] == expected.test_reviews);
  CHECK(dry["log_loss_after"].get<double>() < dry["log_loss_before"].get<double>());
  CHECK(run_recall(db, {"config", "get", "fsrs-parameters"}).out.find(',') == std::string::npos);

  const auto stored = run_recall(db, {"optimize"});
  CHECK(stored.exit_code == 0);
  CHECK_THAT(stored.out, Catch::Contains("stored the fitted parameters"));
  Store store(db);
  CHECK(fsrs_parameters(store) == expected.parameters);  // deterministic, and stored exactly
  // The memory shown from now on uses the fitted parameters.
  const auto memory = load_card_memory(store, 1, kStart + 4000);
  CHECK(memory->stability == Approx(fsrs::replay(logs[0], expected.parameters)->stability));
  // Every card's kept memory was recomputed under them with the fit.
  for (std::size_t i = 0; i < logs.size(); i += 37) {
    const auto kept = store.card(static_cast<long long>(i) + 1)->memory;
    REQUIRE(kept);
    CHECK(kept->state == *fsrs::replay(logs[i], expected.parameters));
    CHECK(kept->day == kStart + logs[i].back().day);
  }
  CHECK(store.check().ok());
}

TEST_CASE("optimize: below the minimum data it keeps the defaults and says so", "[memory][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  add_cards(db, 1);
  answer_all(db, {{0, 1, 4}, {1, 1, 4}, {7, 1, 4}});
  const auto result = run_recall(db, {"optimize"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("at least 8 are needed"));
  CHECK_THAT(result.out, Catch::Contains("kept FSRS-6's default parameters"));
  Store store(db);
  CHECK_FALSE(store.setting("fsrs-parameters"));
}

TEST_CASE("memory settings: validated with a one-line error", "[memory][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const auto params = run_recall(db, {"config", "set", "fsrs-parameters", "1,2,3"});
  CHECK(params.exit_code == 2);
  CHECK_THAT(params.err, Catch::Contains("fsrs-parameters: expected 21 comma-separated numbers"));
  CHECK(run_recall(
            db, {"config", "set", "fsrs-parameters", format_parameters(fsrs::kDefaultParameters)})
            .exit_code == 0);
  Store store(db);
  CHECK(fsrs_parameters(store) == fsrs::kDefaultParameters);
}

TEST_CASE("sync writes readiness from the memory model's expected recall", "[memory][sync][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("tracker.md");
  const std::string fixture = recall::test::read_bytes(recall::test::fixture_path());
  recall::test::write_bytes(tracker, fixture);
  REQUIRE(run_recall(db, {"--today", "2026-11-19", "import", tracker}).exit_code == 0);
  const json cards = run_json(db, {"cards", "--topic", "A.8", "--json"});
  REQUIRE(cards.size() >= 2);
  // Every card of A.8 answered Easy once on 2026-11-20; the rest stay new.
  for (const auto& card : cards)
    REQUIRE(run_recall(db, {"--today", "2026-11-20", "answer",
                            std::to_string(card["id"].get<long long>()), "5"})
                .exit_code == 0);
  const json result = run_json(db, {"--today", "2026-11-24", "sync", "--dry-run", "--json"});

  const Tracker parsed = read_tracker(prepare_text(fixture), "fixture");
  const auto domain = std::find_if(parsed.domains.begin(), parsed.domains.end(),
                                   [](const Domain& d) { return d.letter == 'A'; });
  REQUIRE(domain != parsed.domains.end());
  // Each A.8 card: S = w3 after an Easy first answer, 4 days elapsed. A.8's
  // share is that R (all its cards studied); every other topic counts 0.
  const double r = fsrs::retrievability(4, fsrs::replay(fsrs::ReviewLog{{0, 5}})->stability);
  const int expected =
      static_cast<int>(domain->weight_percent * std::min(1.0, r / domain->total_topics) + 0.5);
  CHECK(result["readiness_after"] == expected);
  // Before: recall's own line, which the fixture does not have yet (the
  // tutor's 54% is not recall's to report or write).
  CHECK(result["readiness_before"] == nullptr);
  CHECK_THAT(result["diff"].get<std::string>(),
             Catch::Contains("+**Recall Readiness**: " + std::to_string(expected) + "% — "));
  CHECK_THAT(result["diff"].get<std::string>(), !Catch::Contains("-**Overall Interview"));
}

TEST_CASE("report: a predicted-recall chart per domain, inline SVG", "[memory][report][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(
      run_recall(db, {"--today", "2026-11-01", "import", recall::test::fixture_path()}).exit_code ==
      0);
  REQUIRE(run_recall(db, {"config", "set", "interview-date", "2026-12-01"}).exit_code == 0);
  for (const char* card : {"1", "2"})
    REQUIRE(run_recall(db, {"--today", "2026-11-01", "answer", card, "4"}).exit_code == 0);
  const std::string file = dir.file("report.html");
  REQUIRE(run_recall(db, {"--today", "2026-11-02", "report", "-o", file}).exit_code == 0);
  const std::string html = recall::test::read_bytes(file);
  const auto at = html.find("aria-label=\"predicted recall by domain\"");
  REQUIRE(at != std::string::npos);
  const std::string chart = html.substr(at, html.find("</svg>", at) - at);
  CHECK_THAT(html,
             Catch::Contains(
                 "Predicted recall of studied cards by domain (FSRS-6): today / on 2026-12-01"));
  // Both cards are in one domain: its row shows today / interview and 2 studied.
  const json stats = run_json(db, {"--today", "2026-11-02", "stats", "--json"});
  int rows = 0;
  for (const auto& d : stats["domains"]) {
    if (d["studied"] != 2) continue;
    ++rows;
    const auto pct = [](double x) { return std::to_string(std::lround(x * 100)) + "%"; };
    CHECK_THAT(chart, Catch::Contains(pct(d["predicted_recall"]) + " / " +
                                      pct(d["predicted_recall_on_interview"]) + " (2/" +
                                      std::to_string(d["cards"].get<int>()) + " studied)"));
  }
  CHECK(rows == 1);
  CHECK(html.find("<script") == std::string::npos);
}
