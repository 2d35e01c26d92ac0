// The feedback rules as pure functions: confidence, note patterns, gap
// outcomes, readiness, and the line-level write-back and diff.
#include <catch2/catch.hpp>

#include "recall/feedback.h"
#include "recall/identity.h"

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

// The ROC card's line as recall names it ("A.8 <title>: ROC axes"), open in
// the tracker in `tier`, linked to card 1.
std::vector<GapRow> roc_line(const std::string& tier) {
  const std::string words = "A.8 Evaluation Metrics - AUC-ROC: ROC axes";
  std::vector<GapRow> gaps = {open_gap(1, words, {1}, tier)};
  gaps[0].gap_key = topic_key(words);
  gaps[0].in_tracker = true;
  return gaps;
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

// A gap line of recall's moved from Medium to High, missed twice since 2026-11-20.
GapOutcome raised_to_high(long long gap_id, const std::string& words) {
  GapOutcome raised;
  raised.gap_id = gap_id;
  raised.text = raised.base = words;
  raised.tier = "medium";
  raised.new_tier = "high";
  raised.new_text = words + " — missed 2× since 2026-11-20";
  raised.change = GapChange::kRaised;
  return raised;
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

TEST_CASE("recall's evidence on gap text is recognised and split off, the tutor's words stay",
          "[feedback]") {
  const std::string tutor =
      "ROC axes confusion (recurring — swapped axes again in Session 5, need drilling)";
  CHECK(strip_gap_evidence(tutor) == tutor);
  // Today's suffix, with and without the note; and the resolved one.
  CHECK(strip_gap_evidence(tutor + " — missed 3× since 2026-11-20") == tutor);
  CHECK(strip_gap_evidence(tutor + " — missed 3× since 2026-11-20, \"swapped the axes\"") == tutor);
  CHECK(strip_gap_evidence(tutor + " — recalled 3× over 9 days in review") == tutor);
  // The shapes earlier versions appended, repeated as they were at each sync.
  CHECK(strip_gap_evidence(tutor + " (recurring — missed 3× since 2026-11-20)") == tutor);
  CHECK(strip_gap_evidence(tutor + " (recurring — missed 3× since 2026-11-20, \"swapped\")" +
                           " (recurring — missed 4× since 2026-11-20, \"swapped\")" +
                           " — missed 5× since 2026-11-20") == tutor);
  CHECK(strip_gap_evidence("ROC axes: x=FPR, y=TPR — missed 2× (2026-11-20, 2026-11-24)") ==
        "ROC axes: x=FPR, y=TPR");
  CHECK(strip_gap_evidence("ROC axes — swapped the axes, 3× since 2026-11-20") ==
        "ROC axes — swapped the axes");
  // The tutor's own dashes and parentheses are words.
  CHECK(strip_gap_evidence("Dropout — missed the point (see notes)") ==
        "Dropout — missed the point (see notes)");
  const std::string line = tutor + " — missed 3× since 2026-11-20";
  const GapWords split = split_gap_evidence(line);
  CHECK(split.words == tutor);
  CHECK(split.evidence == " — missed 3× since 2026-11-20");
}

TEST_CASE("the tutor's words that say a gap recurs, in any wording", "[feedback]") {
  for (const char* recurring :
       {"ROC axes confusion (recurring — swapped axes again in Session 5)",
        "Liveness direction (keeps mixing up backward and forward)",
        "Function variance (said covariant arguments twice in mock interviews)",
        "Mixed up compute-bound and memory-bound again", "Persistent sign error in SGD",
        "Forgets the T² factor every time", "Wrong three times in a row", "Repeatedly swaps them",
        "Entropic OT limits: swaps ε → 0 with ε → ∞. S4, S8. ↻"})
    CHECK(says_recurring(recurring));
  for (const char* once :
       {"BatchNorm placement details (before vs after activation — original paper says before)",
        "System design: always mention label sources early in summary",
        "Full end-to-end system design practice (three practices done — delivery improving)",
        "Explain it one time more", "Keep answers short", "Recurrence relations for RNNs",
        // The words' technical senses, with no mistake beside them.
        "ZeRO-3 communication: explain where the extra 0.5× comes from (param all-gather "
        "repeated in backward)",
        "Repeated k-fold cross-validation: variance of the estimate",
        "Recurrent dropout: same mask at every step", "Persistent kernels for small batches",
        "Why master weights are kept in fp32", "KV cache takes twice the memory of the weights",
        "Flash attention: 3 times faster on long sequences"})
    CHECK_FALSE(says_recurring(once));
}

TEST_CASE("a single lapse is not a gap, two days are: one line per topic naming the points",
          "[feedback]") {
  std::vector<Card> cards = {card(1, 10, "ROC axes: x=FPR, y=TPR"), card(2, 10, "AUC=0.5 (random)"),
                             card(3, 10, "Threshold-independent")};
  for (auto& c : cards) c.topic_title = "Evaluation Metrics - AUC-ROC";
  // One failure per card, several cards, on one day: nothing to add.
  std::vector<ReviewOutcome> log = {answer(1, 1, "2026-11-20", 1), answer(2, 2, "2026-11-20", 2),
                                    answer(3, 3, "2026-11-21", 1, "forgot it")};
  Feedback f = derive_feedback({}, cards, log, day("2026-11-21"));
  CHECK(f.gaps.empty());
  // Card 1 fails again on another day, and card 2: one line for the topic.
  log.push_back(answer(4, 1, "2026-11-24", 1, "swapped the axes"));
  log.push_back(answer(5, 2, "2026-11-24", 1));
  f = derive_feedback({}, cards, log, day("2026-11-24"));
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].change == GapChange::kAdded);
  CHECK(f.gaps[0].new_tier == "medium");
  CHECK(f.gaps[0].by_recall);
  CHECK(f.gaps[0].recurring);
  // Named by topic and the points in the tracker's words, with the evidence
  // and the note. The evidence is the topic's, as the line names the topic
  // (card 3's lapse too): what the next sync counts for the line.
  CHECK(f.gaps[0].new_text ==
        "A.8 Evaluation Metrics - AUC-ROC: ROC axes: x=FPR, y=TPR; AUC=0.5 (random) — missed 5× "
        "since 2026-11-20, \"swapped the axes\"");
  CHECK(f.gaps[0].card_ids == std::vector<long long>{1, 2});
  // A third day makes it High.
  log.push_back(answer(6, 1, "2026-11-26", 0));
  f = derive_feedback({}, cards, log, day("2026-11-26"));
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].new_tier == "high");
  // Outside the 30-day window the old failure no longer counts.
  log = {answer(1, 1, "2026-10-01", 1), answer(2, 1, "2026-11-24", 2)};
  CHECK(derive_feedback({}, cards, log, day("2026-11-24")).gaps.empty());
}

TEST_CASE("a topic's outline card names no point: the gap line says the title once", "[feedback]") {
  // The outline card's source is the topic itself; a point worded as the
  // title adds nothing either.
  Card outline = card(1, 10, "Evaluation Metrics - AUC-ROC");
  outline.kind = CardKind::kTopic;
  Card point = card(2, 10, "ROC axes: x=FPR, y=TPR");
  Card titled = card(3, 10, "evaluation metrics - auc-roc");
  std::vector<Card> cards = {outline, point, titled};
  for (auto& c : cards) c.topic_title = "Evaluation Metrics - AUC-ROC";
  std::vector<ReviewOutcome> log = {answer(1, 1, "2026-11-20", 1), answer(2, 1, "2026-11-24", 1),
                                    answer(3, 3, "2026-11-20", 1), answer(4, 3, "2026-11-24", 1)};
  Feedback f = derive_feedback({}, cards, log, day("2026-11-24"));
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].new_text == "A.8 Evaluation Metrics - AUC-ROC — missed 4× since 2026-11-20");
  // With a real point failing too, the line names that point alone.
  log.push_back(answer(5, 2, "2026-11-20", 1));
  log.push_back(answer(6, 2, "2026-11-24", 2));
  f = derive_feedback({}, cards, log, day("2026-11-24"));
  REQUIRE(f.gaps.size() == 1);
  CHECK_THAT(f.gaps[0].new_text,
             Catch::StartsWith("A.8 Evaluation Metrics - AUC-ROC: ROC axes: x=FPR, y=TPR —"));
}

TEST_CASE("a sync adds a handful of lines, and recall keeps only so many open", "[feedback]") {
  std::vector<Card> cards;
  std::vector<ReviewOutcome> log;
  for (long long t = 1; t <= 12; ++t) {
    Card c = card(t, t, "Point " + std::to_string(t) + ": answer");
    c.topic_label = "T." + std::to_string(t);
    c.topic_title = "Topic " + std::to_string(t);
    cards.push_back(c);
    log.push_back(answer(2 * t, t, "2026-11-20", 1));
    log.push_back(answer(2 * t + 1, t, "2026-11-21", 1));
  }
  Rules rules;
  Feedback f = derive_feedback({}, cards, log, day("2026-11-21"), rules);
  int added = 0;
  for (const auto& gap : f.gaps) added += gap.change == GapChange::kAdded;
  CHECK(added == rules.gap_lines_per_sync);
  // With recall's lines at the cap, nothing more is added.
  std::vector<GapRow> gaps;
  RecallLines mine;
  for (int i = 0; i < rules.recall_gaps_open_max; ++i) {
    GapRow g = open_gap(100 + i, "Other " + std::to_string(i), {});
    g.gap_key = "other " + std::to_string(i);
    mine.keys.insert(g.gap_key);
    gaps.push_back(g);
  }
  f = derive_feedback(gaps, cards, log, day("2026-11-21"), rules, mine);
  for (const auto& gap : f.gaps) CHECK(gap.change != GapChange::kAdded);
}

TEST_CASE("the tutor's line gets the evidence and keeps its tier, recall's own line moves",
          "[feedback]") {
  const std::string tutor =
      "ROC axes confusion (recurring — swapped axes again in Session 5, need drilling)";
  const std::vector<Card> cards = {card(1, 10, "ROC axes: x=FPR, y=TPR"),
                                   card(2, 10, "AUC=0.5 (random)")};
  std::vector<GapRow> gaps = {open_gap(7, "Softmax details", {}), open_gap(8, tutor, {1})};
  gaps[1].gap_key = "roc";
  std::vector<ReviewOutcome> log = {answer(1, 1, "2026-11-20", 1, "swapped the axes")};
  Feedback f = derive_feedback(gaps, cards, log, day("2026-11-20"));
  REQUIRE(f.gaps.size() == 2);
  CHECK(f.gaps[0].change == GapChange::kNone);
  // The tracker calls it recurring (and it failed again): recurring, the
  // evidence appended, the tier the tutor's.
  CHECK(f.gaps[1].recurring);
  CHECK(f.gaps[1].change == GapChange::kEvidence);
  CHECK(f.gaps[1].new_tier == "medium");
  CHECK(f.gaps[1].new_text == tutor + " — missed 1× since 2026-11-20, \"swapped the axes\"");
  // The same evidence as written: nothing to change, whatever the text before.
  gaps[1].note = " — missed 1× since 2026-11-20, \"swapped the axes\"";
  f = derive_feedback(gaps, cards, log, day("2026-11-20"));
  CHECK(f.gaps[1].change == GapChange::kNone);
  // Before any failure the tracker's word alone makes it recurring.
  CHECK(derive_feedback(gaps, cards, {}, day("2026-11-20")).gaps[1].recurring);

  // Three passes in a row over 8 days: the tutor's line says so, and stays.
  log = {answer(1, 1, "2026-11-20", 1), answer(2, 1, "2026-11-22", 4),
         answer(3, 1, "2026-11-26", 5), answer(4, 1, "2026-11-30", 4)};
  f = derive_feedback(gaps, cards, log, day("2026-11-30"));
  CHECK(f.gaps[1].change == GapChange::kEvidence);
  CHECK(f.gaps[1].new_tier == "medium");
  CHECK(f.gaps[1].new_text == tutor + " — recalled 3× over 8 days in review");
  // The same line recall added: resolved, once.
  f = derive_feedback(gaps, cards, log, day("2026-11-30"), {}, RecallLines{.keys = {"roc"}});
  CHECK(f.gaps[1].change == GapChange::kResolved);
  CHECK(f.gaps[1].new_text == tutor);
  CHECK(f.gaps[1].resolution_note == "Recalled 3× over 8 days in review");
  // Three passes within 6 days do not.
  log.back().day = day("2026-11-27");
  f = derive_feedback(gaps, cards, log, day("2026-11-27"), {}, RecallLines{.keys = {"roc"}});
  CHECK(f.gaps[1].change != GapChange::kResolved);
}

TEST_CASE("recall's own High line follows its window: lowered to Medium when the days age out",
          "[feedback]") {
  const std::vector<Card> cards = {card(1, 10, "ROC axes: x=FPR, y=TPR")};
  const std::vector<GapRow> gaps = roc_line("high");
  const RecallLines mine{.keys = {gaps[0].gap_key}};
  const std::vector<ReviewOutcome> log = {
      answer(1, 1, "2026-11-01", 1), answer(2, 1, "2026-11-02", 1), answer(3, 1, "2026-11-20", 1)};
  // Three failure days in the window: High stands.
  Feedback f = derive_feedback(gaps, cards, log, day("2026-11-21"), {}, mine);
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].new_tier == "high");
  CHECK(f.gaps[0].change != GapChange::kLowered);
  // A month on, two of them left the window: the line says "missed 1×" and
  // moves to Medium with it.
  f = derive_feedback(gaps, cards, log, day("2026-12-02"), {}, mine);
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].change == GapChange::kLowered);
  CHECK(f.gaps[0].new_tier == "medium");
  CHECK_THAT(f.gaps[0].new_text, Catch::Contains("missed 1×"));
  // The tutor's own High line is the tutor's: never lowered.
  f = derive_feedback(gaps, cards, log, day("2026-12-02"));
  CHECK(f.gaps[0].change != GapChange::kLowered);
  CHECK(f.gaps[0].new_tier == "high");
}

TEST_CASE("the same mistake note on two days is recurring across different cards", "[feedback]") {
  std::vector<Card> cards = {card(1, 10, "ROC axes: x=FPR, y=TPR"),
                             card(2, 11, "PR axes: x=recall, y=precision")};
  cards[1].topic_label = "A.9";
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
  // Two topics, a line each (card 2's one failure counts: the note recurs).
  REQUIRE(f.gaps.size() == 2);
  CHECK(f.gaps[0].new_text ==
        "A.8: ROC axes: x=FPR, y=TPR — missed 2× since 2026-11-20, \"Swapped the axes.\"");
  CHECK(f.gaps[1].new_text ==
        "A.9: PR axes: x=recall, y=precision — missed 1× since 2026-11-22, \"Swapped axes!\"");
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

TEST_CASE("write-back moves a lowered line of recall's from High to Medium", "[feedback]") {
  const std::string bytes =
      "# T\n\n## Knowledge Gaps\n\n### 🔴 High Priority\n- A.8 AUC: ROC axes — missed 3× since "
      "2026-11-01\n- The tutor's own\n\n### 🟡 Medium Priority\n- Another\n\n## Study Plan\n";
  const TrackerText text = prepare_text(bytes);
  const Tracker tracker = read_tracker(text, "t.md");
  REQUIRE(tracker.gaps.size() == 3);
  GapOutcome lowered;
  lowered.gap_id = 1;
  lowered.base = "A.8 AUC: ROC axes";
  lowered.evidence = " — missed 3× since 2026-11-01";
  lowered.text = lowered.base + lowered.evidence;
  lowered.tier = "high";
  lowered.new_tier = "medium";
  lowered.new_evidence = " — missed 1× since 2026-11-20";
  lowered.new_text = lowered.base + lowered.new_evidence;
  lowered.change = GapChange::kLowered;
  TrackerUpdate update;
  update.gaps = {lowered};
  const std::string out = rewrite_tracker(text, tracker, update, day("2026-12-02"));
  CHECK(out.find("### 🔴 High Priority\n- The tutor's own\n") != std::string::npos);
  CHECK(out.find("- Another\n- A.8 AUC: ROC axes — missed 1× since 2026-11-20\n") !=
        std::string::npos);
  CHECK(out.find("missed 3×") == std::string::npos);
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
    update.recall_readiness = "40% — 3 of 9 cards studied, predicted recall 90%";
    update.last_updated = day("2026-11-21");
    update.gaps = {raised_to_high(1, "ROC axes confusion")};  // a line of recall's, raised
    const std::string out = rewrite_tracker(text, tracker, update, day("2026-11-21"));
    std::string expected =
        "# T\n\n**Last Updated**: 2026-11-21\n\n**Overall Interview Readiness**: 54%\n\n"
        "**Recall Readiness**: 40% — 3 of 9 cards studied, predicted recall 90%\n\n## Topics "
        "Mastered\n\n"
        "### A. ML Fundamentals\n| Topic | Date Mastered | Confidence | Key Points "
        "|\n|---|---|---|---|\n"
        "| **A.8 AUC** | 2026-02-02 | Medium | • ROC axes: x=FPR, y=TPR |\n\n## Knowledge Gaps\n\n"
        "### 🔴 High Priority\n- ROC axes confusion — missed 2× since 2026-11-20\n\n"
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
    // recall's line, once there, is replaced in place; the tutor's stays.
    const TrackerText again_text = prepare_text(out);
    const Tracker again = read_tracker(again_text, "t.md");
    CHECK(again.readiness_percent == 54);
    CHECK(again.recall_readiness_percent == 40);
    TrackerUpdate next;
    next.recall_readiness = "41% — 4 of 9 cards studied, predicted recall 91%";
    const std::string twice = rewrite_tracker(again_text, again, next, day("2026-11-22"));
    CHECK(twice.find("**Recall Readiness**: 41% — 4 of 9 cards studied, predicted recall 91%") !=
          std::string::npos);
    CHECK(twice.find("**Recall Readiness**: 40%") == std::string::npos);
    CHECK(twice.size() == out.size());
  }
}

TEST_CASE("write-back replaces recall's suffix after the tutor's words, nothing else",
          "[feedback]") {
  const std::string bytes =
      "# T\n\n## Knowledge Gaps\n\n### 🟡 Medium Priority\n"
      "- ROC axes confusion (recurring — swapped again) — missed 2× since 2026-11-20, \"swapped\"\n"
      "- Softmax details\n";
  const TrackerText text = prepare_text(bytes);
  const Tracker tracker = read_tracker(text, "t.md");
  REQUIRE(tracker.gaps.size() == 2);
  CHECK(tracker.gaps[0].text == "ROC axes confusion (recurring — swapped again)");
  CHECK(tracker.gaps[0].notes == " — missed 2× since 2026-11-20, \"swapped\"");
  CHECK(tracker.gaps[0].recurring);
  GapOutcome evidence;
  evidence.gap_id = 1;
  evidence.base = tracker.gaps[0].text;
  evidence.evidence = tracker.gaps[0].notes;
  evidence.text = evidence.base + evidence.evidence;
  evidence.tier = evidence.new_tier = "medium";
  evidence.new_evidence = " — missed 3× since 2026-11-20, \"swapped\"";
  evidence.new_text = evidence.base + evidence.new_evidence;
  evidence.change = GapChange::kEvidence;
  TrackerUpdate update;
  update.gaps = {evidence};
  CHECK(rewrite_tracker(text, tracker, update, day("2026-11-22")) ==
        "# T\n\n## Knowledge Gaps\n\n### 🟡 Medium Priority\n"
        "- ROC axes confusion (recurring — swapped again) — missed 3× since 2026-11-20, "
        "\"swapped\"\n- Softmax details\n");
}

TEST_CASE("write-back in another tutor's layout: the confidence where it is written, the tiers "
          "by their words",
          "[feedback]") {
  const std::string bytes =
      "# T\n\n## Topic Notes\n\n### K1. GP Regression\n\n"
      "Taught S1 · **Confidence: Medium** · solid on the algebra\n\n"
      "- Exact inference costs O(n³)\n\n"
      "### K2. Sparse GPs\n\n- **Confidence:** 3 / 5\n- Inducing points cut the cost\n\n"
      "## Knowledge Gaps\n\n### 🔴 High: before the onsite\n- Marginal likelihood\n\n"
      "### 🟡 Medium: drill\n- Kernel units\n";
  const TrackerText text = prepare_text(bytes);
  const Tracker tracker = read_tracker(text, "t.md");
  REQUIRE(tracker.topics.size() == 2);
  REQUIRE(tracker.gaps.size() == 2);
  TrackerUpdate update;
  update.confidences = {{tracker.topics[0].line, "Medium-High"}};
  update.gaps = {raised_to_high(2, "Kernel units")};
  const std::string out = rewrite_tracker(text, tracker, update, day("2026-11-21"));
  CHECK(out ==
        "# T\n\n## Topic Notes\n\n### K1. GP Regression\n\n"
        "Taught S1 · **Confidence: Medium-High** · solid on the algebra\n\n"
        "- Exact inference costs O(n³)\n\n"
        "### K2. Sparse GPs\n\n- **Confidence:** 3 / 5\n- Inducing points cut the cost\n\n"
        "## Knowledge Gaps\n\n### 🔴 High: before the onsite\n- Marginal likelihood\n"
        "- Kernel units — missed 2× since 2026-11-20\n\n"
        "### 🟡 Medium: drill\n- None identified yet\n");
  // Read again, the value is where it was written.
  const Tracker again = read_tracker(prepare_text(out), "t.md");
  CHECK(again.topics[0].confidence == "Medium-High");
  CHECK(again.topics[0].key_points == tracker.topics[0].key_points);
  // A line that no longer holds the value as read is left alone.
  Tracker stale = tracker;
  stale.topics[0].confidence = "High";
  TrackerUpdate only_confidence;
  only_confidence.confidences = update.confidences;
  CHECK(rewrite_tracker(text, stale, only_confidence, day("2026-11-21")) == bytes);
}

TEST_CASE("gaps kept as tables under bold tier lines, in a section of another name, are "
          "written as rows",
          "[feedback]") {
  const std::string bytes =
      "# T\n\n## 1 \xC2\xB7 Segmentation \xE2\x80\x94 65 %\n\n- Dice = 2IoU / (1 + IoU)\n\n"
      "## Gap Register\n\n**Tier 1 \xE2\x80\x94 must close**\n\n"
      "| Gap | Topic | Evidence |\n|---|---|---|\n| ASPP rates | 4 | blurred |\n\n"
      "**Tier 2 \xE2\x80\x94 should tighten**\n\n"
      "| Gap | Topic | Evidence |\n|---|---|---|\n| Dice vs IoU | 4 | slow |\n\n"
      "**Tier 3 \xE2\x80\x94 closed**\n\n| Gap | Closed | How |\n|---|---|---|\n"
      "| t-SNE distances | S3 | corrected |\n";
  const TrackerText text = prepare_text(bytes);
  const Tracker tracker = read_tracker(text, "t.md");
  REQUIRE(tracker.topics.size() == 1);
  CHECK(tracker.topics[0].confidence == "65 %");
  CHECK(tracker.topics[0].confidence_line == 0);  // the tutor's scale: never written
  REQUIRE(tracker.gaps.size() == 3);
  CHECK(tracker.gaps[0].tier == GapTier::kHigh);
  CHECK(tracker.gaps[0].resolution_date.empty());
  CHECK(tracker.gaps[1].tier == GapTier::kMedium);
  CHECK(tracker.gaps[2].tier == GapTier::kResolved);
  CHECK(tracker.gaps[2].resolution_date == "S3");
  TrackerUpdate update;
  update.gaps = {raised_to_high(2, "Dice vs IoU")};
  const std::string out = rewrite_tracker(text, tracker, update, day("2026-11-21"));
  // The raised gap is a row of the high tier's table, with as many cells;
  // the medium tier's emptied table says so under it.
  CHECK(out.find("| ASPP rates | 4 | blurred |\n| Dice vs IoU \xE2\x80\x94 missed 2\xC3\x97 since "
                 "2026-11-20 | | |\n") != std::string::npos);
  CHECK(out.find("| Dice vs IoU | 4 | slow |") == std::string::npos);
  // No tier of recall's own is added: the tracker's tiers were found.
  CHECK(out.find("High Priority") == std::string::npos);
  const Tracker again = read_tracker(prepare_text(out), "t.md");
  REQUIRE(again.gaps.size() == 3);
  CHECK(again.gaps[1].tier == GapTier::kHigh);
  CHECK(again.gaps[1].text == "Dice vs IoU");
}

TEST_CASE("unified diff shows hunks with three lines of context", "[feedback]") {
  const std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
  const std::string b = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n";
  CHECK(unified_diff(a, a, "x", "x") == "");
  CHECK(unified_diff(a, b, "t.md", "t.md") ==
        "--- t.md\n+++ t.md\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n"
        "@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+13\n");
}

TEST_CASE("re-drills are practice, not evidence: misses count graded failures only",
          "[feedback][loop]") {
  const std::vector<Card> cards = {card(1, 10, "ROC axes: x=FPR, y=TPR")};
  const std::vector<GapRow> gaps = roc_line("medium");
  // Failed on two days, each followed by failed and passed re-drills.
  std::vector<ReviewOutcome> log = {answer(1, 1, "2026-11-20", 1), answer(2, 1, "2026-11-20", 1),
                                    answer(3, 1, "2026-11-20", 4), answer(4, 1, "2026-11-22", 2),
                                    answer(5, 1, "2026-11-22", 1), answer(6, 1, "2026-11-22", 5)};
  for (std::size_t i : {1U, 2U, 4U, 5U}) log[i].kind = ReviewKind::kRedrill;
  Feedback f = derive_feedback(gaps, cards, log, day("2026-11-23"));
  REQUIRE(f.gaps.size() == 1);
  CHECK_THAT(f.gaps[0].new_text, Catch::Contains("missed 2× since 2026-11-20"));
  CHECK(f.gaps[0].misses == 2);
  // A passed re-drill is no run of recall: three of them do not clear it.
  log.push_back(answer(7, 1, "2026-11-22", 5));
  log.back().kind = ReviewKind::kRedrill;
  f = derive_feedback(gaps, cards, log, day("2026-11-30"));
  CHECK_THAT(f.gaps[0].new_text, Catch::Contains("missed 2×"));
  REQUIRE(f.recurring_cards.size() == 1);
  CHECK(f.recurring_cards[0].failures == 2);
}

TEST_CASE("a line of recall's that the tutor moved keeps the tutor's tier", "[feedback][loop]") {
  const std::vector<Card> cards = {card(1, 10, "ROC axes: x=FPR, y=TPR")};
  const std::vector<GapRow> gaps = roc_line("medium");
  const RecallLines mine{.keys = {gaps[0].gap_key}};
  const std::vector<ReviewOutcome> log = {
      answer(1, 1, "2026-11-18", 1), answer(2, 1, "2026-11-20", 1), answer(3, 1, "2026-11-22", 1)};
  // Three failure days: recall raises its own Medium line...
  Feedback f = derive_feedback(gaps, cards, log, day("2026-11-23"), {}, mine);
  CHECK(f.gaps[0].change == GapChange::kRaised);
  // ...unless the tutor moved it there: then only its evidence changes.
  f = derive_feedback(gaps, cards, log, day("2026-11-23"), {},
                      RecallLines{.keys = mine.keys, .placed = mine.keys});
  CHECK(f.gaps[0].change == GapChange::kEvidence);
  CHECK(f.gaps[0].new_tier == "medium");
  CHECK_THAT(f.gaps[0].new_text, Catch::Contains("missed 3×"));
}

TEST_CASE("a line of recall's that the tutor deleted comes back only with failures after it",
          "[feedback][loop]") {
  const std::vector<Card> cards = {card(1, 10, "ROC axes: x=FPR, y=TPR")};
  const std::vector<ReviewOutcome> log = {answer(1, 1, "2026-11-20", 1),
                                          answer(2, 1, "2026-11-22", 1)};
  Feedback f = derive_feedback({}, cards, log, day("2026-11-23"));
  REQUIRE(f.gaps.size() == 1);
  REQUIRE(f.gaps[0].change == GapChange::kAdded);
  const std::string key = f.gaps[0].gap_key;
  // Deleted by the tutor on the 22nd, after the last failure: not added again.
  f = derive_feedback({}, cards, log, day("2026-11-23"), {},
                      RecallLines{.dismissed = {{key, day("2026-11-22")}}});
  CHECK(f.gaps.empty());
  // One failure after the deletion is a single lapse: the tutor's deletion
  // judged the ones before it.
  f = derive_feedback({}, cards, log, day("2026-11-23"), {},
                      RecallLines{.dismissed = {{key, day("2026-11-21")}}});
  CHECK(f.gaps.empty());
  // A second day after it is new evidence: the line comes back, counting
  // from after the deletion.
  std::vector<ReviewOutcome> more = log;
  more.push_back(answer(3, 1, "2026-11-23", 1));
  f = derive_feedback({}, cards, more, day("2026-11-23"), {},
                      RecallLines{.dismissed = {{key, day("2026-11-21")}}});
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].change == GapChange::kAdded);
  CHECK_THAT(f.gaps[0].new_text, Catch::EndsWith("missed 2× since 2026-11-22"));
}

TEST_CASE("a card the tutor took away from a gap is not its card, however the gap names it",
          "[feedback]") {
  // The gap's words are card 1's subject (GapLinker), and card 2 is linked.
  const std::vector<Card> cards = {card(1, 10, "ROC axes"), card(2, 10, "AUC=0.5 (random)")};
  std::vector<GapRow> gaps = {open_gap(8, "ROC axes", {2})};
  gaps[0].gap_key = "roc";
  const std::vector<ReviewOutcome> log = {answer(1, 1, "2026-11-20", 1, "swapped the axes"),
                                          answer(2, 2, "2026-11-20", 2)};
  Feedback f = derive_feedback(gaps, cards, log, day("2026-11-20"));
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].card_ids == std::vector<long long>{1, 2});
  CHECK(f.gaps[0].misses == 2);
  // Both taken away: neither is the gap's card, and neither failure is its
  // evidence.
  gaps[0].unlinked_ids = {1, 2};
  f = derive_feedback(gaps, cards, log, day("2026-11-20"));
  CHECK(f.gaps[0].card_ids.empty());
  CHECK(f.gaps[0].misses == 0);
  CHECK(f.gaps[0].change == GapChange::kNone);
  // One taken away: the other still is.
  gaps[0].unlinked_ids = {1};
  f = derive_feedback(gaps, cards, log, day("2026-11-20"));
  CHECK(f.gaps[0].card_ids == std::vector<long long>{2});
  CHECK(f.gaps[0].misses == 1);
}
