// The feedback rules as pure functions: confidence, note patterns, gap
// outcomes, readiness, and the line-level write-back and diff.
#include <catch2/catch.hpp>

#include "recall/feedback.h"

using namespace recall;

namespace {

Day day(const char* text) { return *parse_day(text); }

ReviewOutcome answer(long long id, long long card, const char* on, int grade,
                     std::optional<std::string> note = std::nullopt) {
  ReviewOutcome log;
  log.id = id;
  log.card_id = card;
  log.day = day(on);
  log.grade = grade;
  log.note = std::move(note);
  return log;
}

Card card(long long id, long long topic, const std::string& source) {
  Card c;
  c.id = id;
  c.topic_id = topic;
  c.topic_label = "A.8";
  c.source = source;
  return c;
}

GapRow open_gap(long long id, const std::string& text, std::vector<long long> cards,
                const std::string& tier = "medium") {
  GapRow gap;
  gap.id = id;
  gap.text = text;
  gap.tier = recall::gap_tier_from_string(tier);
  gap.recurring = text.find("recurring") != std::string::npos;
  gap.card_ids = std::move(cards);
  return gap;
}

ConfidenceEvidence evidence(int graded, int passed, int days, double ef = 2.5,
                            double interval = 10) {
  ConfidenceEvidence e;
  e.graded = graded;
  e.passed = passed;
  e.lapses = graded - passed;
  e.days = days;
  e.mean_easiness = ef;
  e.mean_interval = interval;
  return e;
}

}  // namespace

TEST_CASE("mistake notes normalise case, punctuation and stop words away", "[feedback]") {
  CHECK(normalise_note("Swapped the axes!") == "swapped axes");
  CHECK(normalise_note("swapped  axes again") == "swapped axes");
  CHECK(normalise_note("  , . ") == "");
  CHECK(normalise_note("x=FPR, y=TPR") == "x fpr y tpr");
}

TEST_CASE("confidence moves one step toward the evidence, only with enough of it", "[feedback]") {
  // Not enough: 4 answers, or one day.
  CHECK(next_confidence("Medium-High", evidence(4, 0, 3)) == "Medium-High");
  CHECK(next_confidence("Medium-High", evidence(9, 0, 1)) == "Medium-High");
  // Failing everything points to Low; one step per sync.
  CHECK(next_confidence("Medium-High", evidence(6, 0, 2)) == "Medium");
  CHECK(next_confidence("Medium", evidence(6, 0, 2)) == "Low");
  CHECK(next_confidence("Low", evidence(6, 0, 2)) == "Low");
  // Recalling everything with grown intervals points to High.
  CHECK(next_confidence("Medium", evidence(10, 10, 3)) == "Medium-High");
  CHECK(next_confidence("Medium-High", evidence(10, 10, 3)) == "High");
  // ... but short intervals cap it at Medium-High.
  CHECK(next_confidence("Medium-High", evidence(10, 10, 3, 2.5, 2)) == "Medium-High");
  // Values off the scale are the tutor's and stay.
  CHECK(next_confidence("Shaky", evidence(10, 0, 3)) == "Shaky");
  CHECK(next_confidence("medium-high", evidence(6, 0, 2)) == "Medium");
  CHECK(evidence_level(evidence(10, 6, 2)) == Confidence::kMedium);
  CHECK(evidence_level(evidence(10, 8, 2)) == Confidence::kMediumHigh);
}

TEST_CASE("engine evidence on gap text is recognised and replaced, the tutor's words stay",
          "[feedback]") {
  const std::string tutor =
      "ROC axes confusion (recurring — swapped axes again in Session 5, need drilling)";
  CHECK(strip_gap_evidence(tutor) == tutor);
  CHECK(strip_gap_evidence(tutor + " (recurring — missed 3× since 2026-11-20)") == tutor);
  CHECK(strip_gap_evidence(
            tutor + " (recurring — missed 3× since 2026-11-20, \"swapped the axes\")") == tutor);
  CHECK(strip_gap_evidence("ROC axes: x=FPR, y=TPR — missed 2× (2026-11-20, 2026-11-24)") ==
        "ROC axes: x=FPR, y=TPR");
  CHECK(strip_gap_evidence("ROC axes — swapped the axes, 3× since 2026-11-20") ==
        "ROC axes — swapped the axes");
  CHECK(strip_gap_evidence("Dropout — missed the point (see notes)") ==
        "Dropout — missed the point (see notes)");
}

TEST_CASE("a failed card with no gap on its topic adds a Medium gap in the tracker's words",
          "[feedback]") {
  const std::vector<Card> cards = {card(1, 10, "ROC axes: x=FPR, y=TPR"),
                                   card(2, 10, "AUC=0.5 (random)")};
  const std::vector<ReviewOutcome> log = {
      answer(1, 1, "2026-11-20", 1), answer(2, 1, "2026-11-24", 2), answer(3, 2, "2026-11-24", 5)};
  // Failed on two days 4 days apart: recurring too, so High.
  Feedback f = derive_feedback({}, cards, log, day("2026-11-24"));
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].change == GapChange::kAdded);
  CHECK(f.gaps[0].new_tier == "high");
  CHECK(f.gaps[0].new_text == "ROC axes: x=FPR, y=TPR (recurring — missed 2× since 2026-11-20)");
  // Outside the 30-day window the old failure no longer makes it recurring.
  const std::vector<ReviewOutcome> spread = {answer(1, 1, "2026-10-01", 1),
                                             answer(2, 1, "2026-11-24", 2)};
  f = derive_feedback({}, cards, spread, day("2026-11-24"));
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].new_tier == "medium");
  CHECK(f.gaps[0].new_text == "ROC axes: x=FPR, y=TPR — missed 2× (2026-10-01, 2026-11-24)");
  CHECK(f.recurring_cards.empty());
}

TEST_CASE("the same mistake note on two days is recurring across different cards", "[feedback]") {
  const std::vector<Card> cards = {card(1, 10, "ROC axes: x=FPR, y=TPR"),
                                   card(2, 11, "PR axes: x=recall, y=precision")};
  const std::vector<ReviewOutcome> log = {answer(1, 1, "2026-11-20", 1, "swapped the axes"),
                                          answer(2, 2, "2026-11-22", 2, "Swapped axes!"),
                                          answer(3, 1, "2026-11-23", 1, "Swapped the axes.")};
  const Feedback f = derive_feedback({}, cards, log, day("2026-11-23"));
  REQUIRE(f.patterns.size() == 1);
  CHECK(f.patterns[0].recurring);
  CHECK(f.patterns[0].failures == 3);
  CHECK(f.patterns[0].card_ids == std::vector<long long>{1, 2});
  // Card 2 failed once only: recurring through the note pattern.
  CHECK(f.pattern_card_ids == std::vector<long long>{2});
  REQUIRE(f.recurring_cards.size() == 2);
  REQUIRE(f.gaps.size() == 2);
  CHECK(f.gaps[0].new_text == "ROC axes — Swapped the axes., 3× since 2026-11-20");
  CHECK(f.gaps[0].new_tier == "high");
  CHECK(f.gaps[1].new_text == "PR axes — Swapped the axes., 3× since 2026-11-20");
}

TEST_CASE("tutor gaps keep their words: evidence appended, raised, then resolved", "[feedback]") {
  const std::string tutor =
      "ROC axes confusion (recurring — swapped axes again in Session 5, need drilling)";
  const std::vector<Card> cards = {card(1, 10, "ROC axes: x=FPR, y=TPR"),
                                   card(2, 10, "AUC=0.5 (random)")};
  const std::vector<GapRow> gaps = {open_gap(7, "Softmax details", {}), open_gap(8, tutor, {1})};
  std::vector<ReviewOutcome> log = {answer(1, 1, "2026-11-20", 1, "swapped the axes")};
  Feedback f = derive_feedback(gaps, cards, log, day("2026-11-20"));
  REQUIRE(f.gaps.size() == 2);
  CHECK(f.gaps[0].change == GapChange::kNone);
  // The tracker already calls it recurring and it failed again: High.
  CHECK(f.gaps[1].change == GapChange::kRaised);
  CHECK(f.gaps[1].new_text == tutor + " (recurring — missed 1× since 2026-11-20)");
  // A failure on another card of the same topic adds no gap: the topic has one.
  log.push_back(answer(2, 2, "2026-11-20", 0));
  f = derive_feedback(gaps, cards, log, day("2026-11-20"));
  CHECK(f.gaps.size() == 2);

  // Three passes in a row over 8 days resolve it.
  log = {answer(1, 1, "2026-11-20", 1), answer(2, 1, "2026-11-22", 4),
         answer(3, 1, "2026-11-26", 5), answer(4, 1, "2026-11-30", 4)};
  f = derive_feedback(gaps, cards, log, day("2026-11-30"));
  CHECK(f.gaps[1].change == GapChange::kResolved);
  CHECK(f.gaps[1].new_text == tutor);
  CHECK(f.gaps[1].resolution_note == "Recalled 3× over 8 days in review");
  // Three passes within 6 days do not.
  log.back().day = day("2026-11-27");
  f = derive_feedback(gaps, cards, log, day("2026-11-27"));
  CHECK(f.gaps[1].change != GapChange::kResolved);
}

TEST_CASE("readiness weighs each domain's topic readiness by its share", "[feedback]") {
  CHECK(topic_readiness("High", true) == 1.0);
  CHECK(topic_readiness("Medium-High", true) == 0.75);
  CHECK(topic_readiness("High", false) == 0.0);
  CHECK(topic_readiness("", true) == 0.0);
  // A: 2 of 4 topics fully ready at 20% -> 10; B: nothing at 80% -> 0.
  CHECK(readiness_percent({{'A', 20, 4, 2.0}, {'B', 80, 5, 0}}) == 10);
  CHECK(readiness_percent({{'A', 50, 2, 2.0}, {'B', 50, 2, 1.5}}) == 88);
  CHECK(readiness_percent({{'A', 100, 0, 3.0}}) == 0);
}

TEST_CASE("write-back changes only the named lines and keeps CRLF and BOM", "[feedback]") {
  const std::string lf =
      "# T\n\n**Last Updated**: 2026-02-17\n\n**Overall Interview Readiness**: 54%\n\n## Topics "
      "Mastered\n\n"
      "### A. ML Fundamentals\n| Topic | Date Mastered | Confidence | Key Points "
      "|\n|---|---|---|---|\n"
      "| **A.8 AUC** | 2026-02-02 | Medium-High | • ROC axes: x=FPR, y=TPR |\n\n## Knowledge "
      "Gaps\n\n"
      "### 🔴 High Priority\n- None identified yet\n\n### 🟡 Medium Priority\n- ROC axes "
      "confusion\n\n"
      "### 🟢 Recently Resolved\n| Gap | Resolution Date | Notes |\n|-----|-----|-----|\n| Old | "
      "2026-02-03 | done |\n\n"
      "## Study Plan\n- keep 🙂\n";
  for (const bool crlf : {false, true}) {
    std::string bytes = lf;
    if (crlf) {
      bytes.clear();
      for (char c : lf) bytes += c == '\n' ? std::string("\r\n") : std::string(1, c);
      bytes = "\xEF\xBB\xBF" + bytes;
    }
    const TrackerText text = prepare_text(bytes);
    const Tracker tracker = read_tracker(text, "t.md");
    REQUIRE(tracker.gaps.size() == 2);
    TrackerUpdate update;
    update.confidences = {{tracker.topics.at(0).line, "Medium"}};
    update.readiness_percent = 40;
    update.last_updated = day("2026-11-21");
    GapOutcome raised;
    raised.gap_id = 1;
    raised.text = "ROC axes confusion";
    raised.tier = "medium";
    raised.new_tier = "high";
    raised.new_text = "ROC axes confusion (recurring — missed 2× since 2026-11-20)";
    raised.change = GapChange::kRaised;
    update.gaps = {raised};
    const std::string out = rewrite_tracker(text, tracker, update, day("2026-11-21"));
    std::string expected =
        "# T\n\n**Last Updated**: 2026-11-21\n\n**Overall Interview Readiness**: 40%\n\n## Topics "
        "Mastered\n\n"
        "### A. ML Fundamentals\n| Topic | Date Mastered | Confidence | Key Points "
        "|\n|---|---|---|---|\n"
        "| **A.8 AUC** | 2026-02-02 | Medium | • ROC axes: x=FPR, y=TPR |\n\n## Knowledge Gaps\n\n"
        "### 🔴 High Priority\n- ROC axes confusion (recurring — missed 2× since 2026-11-20)\n\n"
        "### 🟡 Medium Priority\n- None identified yet\n\n"
        "### 🟢 Recently Resolved\n| Gap | Resolution Date | Notes |\n|-----|-----|-----|\n| Old "
        "| 2026-02-03 | done |\n\n"
        "## Study Plan\n- keep 🙂\n";
    if (crlf) {
      std::string converted = "\xEF\xBB\xBF";
      for (char c : expected) converted += c == '\n' ? std::string("\r\n") : std::string(1, c);
      expected = converted;
    }
    CHECK(out == expected);
    // An empty update changes nothing at all.
    CHECK(rewrite_tracker(text, tracker, TrackerUpdate{}, day("2026-11-21")) == bytes);
  }
}

TEST_CASE("unified diff shows hunks with three lines of context", "[feedback]") {
  const std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
  const std::string b = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n";
  CHECK(unified_diff(a, a, "x", "x") == "");
  CHECK(unified_diff(a, b, "t.md", "t.md") ==
        "--- t.md\n+++ t.md\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n"
        "@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+13\n");
}
