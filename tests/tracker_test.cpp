#include "recall/tracker.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <tuple>

#include "mojibake.h"
#include "recall/error.h"

namespace {

using recall::GapTier;

std::string data_path(const std::string& name) {
  return std::string(RECALL_SOURCE_DIR) + "/tests/data/" + name;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string fixture_bytes() { return read_bytes(data_path("ml-study-tracker.md")); }

recall::Tracker read(const std::string& bytes, const std::string& name = "t.md") {
  return recall::read_tracker(recall::prepare_text(bytes), name);
}

const recall::Tracker& fixture() {
  static const recall::Tracker tracker = read(fixture_bytes(), "ml-study-tracker.md");
  return tracker;
}

// The whole model as text: comparing two dumps compares every field, and a
// mismatch shows up as a readable diff in Catch's output.
std::string dump(const recall::Tracker& t) {
  std::ostringstream out;
  const auto day = [](const std::optional<recall::Day>& d) {
    return d ? recall::format_day(*d) : std::string("none");
  };
  out << "updated " << day(t.last_updated) << " @" << t.last_updated_line << "\n"
      << "interview " << day(t.interview_date) << " @" << t.interview_date_line << "\n"
      << "readiness " << (t.readiness_percent ? std::to_string(*t.readiness_percent) : "none")
      << " @" << t.readiness_line << "\n";
  for (const auto& s : t.sections)
    out << "section " << s.title << " [" << s.heading_line << "," << s.end_line << ")\n";
  for (const auto& d : t.domains)
    out << "domain " << d.letter << "|" << d.name << "|" << d.weight_percent << "|"
        << d.topics_covered << "+" << d.topics_in_progress << "/" << d.total_topics << "|"
        << d.status << " @" << d.stats_line << "\n";
  for (const auto& p : t.topics) {
    out << "topic " << p.label << "|" << p.title << "|" << p.in_progress << "|" << p.date_mastered
        << "|" << p.confidence << "|" << p.domain_letter << "|" << p.domain_name << " @" << p.line
        << "\n";
    for (const auto& k : p.key_points) out << "  * " << k << "\n";
  }
  for (const auto& g : t.gaps)
    out << "gap " << int(g.tier) << "|" << g.text << "|" << g.recurring << "|" << g.resolution_date
        << "|" << g.notes << " @" << g.line << "\n";
  for (const auto& c : t.checklist)
    out << "check " << c.group << "|" << c.text << "|" << c.checked << " @" << c.line << "\n";
  for (const auto& p : t.plan)
    out << "plan " << p.group << "|" << p.text << "|" << p.checked << " @" << p.line << "\n";
  for (const auto& s : t.sessions) {
    out << "session " << s.date << "|" << s.topics << " @" << s.line << "\n";
    for (const auto& w : s.wins) out << "  + " << w << "\n";
    for (const auto& g : s.gaps_found) out << "  - " << g << "\n";
  }
  return out.str();
}

const recall::Topic* find_topic(const recall::Tracker& t, std::string_view title_part) {
  for (const auto& topic : t.topics)
    if (topic.title.find(title_part) != std::string::npos) return &topic;
  return nullptr;
}

std::string to_crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

// Replaces 1-based line `number` of `text`.
std::string replace_line(const std::string& text, int number, const std::string& replacement) {
  std::size_t start = 0;
  for (int i = 1; i < number; ++i) start = text.find('\n', start) + 1;
  const std::size_t end = text.find('\n', start);
  return text.substr(0, start) + replacement + text.substr(end);
}

// Runs `bytes` through the reader and returns the data error it raises.
std::string data_error(const std::string& bytes, const std::string& name) {
  try {
    read(bytes, name);
  } catch (const recall::Error& e) {
    CHECK(e.kind() == recall::ErrorKind::kData);
    return e.what();
  }
  FAIL("no error for " << name);
  return {};
}

}  // namespace

TEST_CASE("tracker: header fields", "[tracker]") {
  const auto& t = fixture();
  REQUIRE(t.last_updated);
  CHECK(*t.last_updated == *recall::parse_day("2026-02-17"));
  CHECK(t.last_updated_line == 3);
  CHECK_FALSE(t.interview_date);  // "[Your interview date]"
  CHECK(t.interview_date_line == 5);
  REQUIRE(t.readiness_percent);
  CHECK(*t.readiness_percent == 54);
  CHECK(t.readiness_line == 7);
}

TEST_CASE("read_tracker_header: the header fields and sections as read_tracker, no rows",
          "[tracker]") {
  // The readiness lines moved below a section, as a tutor may leave them,
  // and recall's own line above the tutor's.
  std::string text = fixture_bytes();
  text = replace_line(text, 7, "");
  text += "\n**Recall Readiness**: 61% (recall)\n**Overall Interview Readiness**: 57%\n";
  const recall::Tracker whole = recall::read_tracker(recall::prepare_text(text), "t.md");
  const recall::Tracker header = recall::read_tracker_header(recall::prepare_text(text), "t.md");
  REQUIRE(whole.readiness_percent);
  CHECK(*whole.readiness_percent == 57);
  CHECK(header.readiness_percent == whole.readiness_percent);
  CHECK(header.readiness_line == whole.readiness_line);
  REQUIRE(whole.recall_readiness_percent);
  CHECK(header.recall_readiness_percent == whole.recall_readiness_percent);
  CHECK(header.last_updated == whole.last_updated);
  CHECK(header.interview_date_line == whole.interview_date_line);
  REQUIRE(header.sections.size() == whole.sections.size());
  for (std::size_t i = 0; i < whole.sections.size(); ++i) {
    CHECK(header.sections[i].title == whole.sections[i].title);
    CHECK(header.sections[i].end_line == whole.sections[i].end_line);
  }
  CHECK(header.topics.empty());
  CHECK(header.gaps.empty());
  CHECK_FALSE(whole.topics.empty());
  // A malformed row does not stop the header read; binary data does.
  const std::string bad_row =
      replace_line(fixture_bytes(), 43, "| **A.3 Gradient Descent** | 2026-02-02 | High |");
  CHECK(recall::read_tracker_header(recall::prepare_text(bad_row), "t.md").readiness_percent ==
        54);
  CHECK_THROWS_AS(recall::read_tracker_header(
                      recall::prepare_text(std::string("## Quick Stats\n\nab\0cd\n", 21)), "n.md"),
                  recall::Error);
  CHECK_THROWS_AS(recall::read_tracker_header(recall::prepare_text("# Shopping\n- milk\n"), "s.md"),
                  recall::Error);
}

TEST_CASE("tracker: sections and their line ranges", "[tracker]") {
  const auto& t = fixture();
  auto [title, heading, end] = GENERATE(table<std::string, int, int>({
      {"Quick Stats", 11, 26},
      {"Study Priority (Based on Weights)", 26, 37},
      {"Topics Mastered", 37, 87},
      {"Knowledge Gaps", 87, 110},
      {"Interview Readiness Checklist", 110, 162},
      {"Study Plan", 162, 190},
      {"Session History Summary", 190, 210},
  }));
  CAPTURE(title);
  CHECK(t.sections.size() == 7);
  const recall::Section* section = t.find_section(title);
  REQUIRE(section);
  CHECK(section->title == title);
  CHECK(section->heading_line == heading);
  CHECK(section->end_line == end);
}

TEST_CASE("tracker: find_section matches words, find_domain letters", "[tracker]") {
  const auto& t = fixture();
  CHECK(t.find_section("knowledge gaps") == t.find_section("Knowledge Gaps"));
  CHECK(t.find_section("Session History")->heading_line == 190);
  CHECK(t.find_section("Glossary") == nullptr);
  CHECK(t.find_domain('C')->name == "Deep Learning & RL");
  CHECK(t.find_domain('Z') == nullptr);
}

TEST_CASE("tracker: Quick Stats domains", "[tracker]") {
  const auto& t = fixture();
  REQUIRE(t.domains.size() == 6);
  int weights = 0;
  for (const auto& d : t.domains) weights += d.weight_percent;
  CHECK(weights == 100);

  auto [index, letter, name, weight, covered, in_progress, total, line] =
      GENERATE(table<int, char, std::string, int, int, int, int, int>({
          {0, 'A', "ML Fundamentals", 20, 3, 0, 8, 15},
          {1, 'B', "Classical ML", 15, 0, 0, 7, 16},
          {2, 'C', "Deep Learning & RL", 25, 6, 2, 11, 17},
          {3, 'D', "NLP & Multi-Modal", 12, 1, 0, 10, 18},
          {4, 'E', "ML System Design", 18, 8, 0, 8, 19},
          {5, 'F', "Practical ML", 10, 3, 0, 6, 20},
      }));
  const recall::Domain& d = t.domains[index];
  CAPTURE(letter);
  CHECK(d.letter == letter);
  CHECK(d.name == name);
  CHECK(d.weight_percent == weight);
  CHECK(d.topics_covered == covered);
  CHECK(d.topics_in_progress == in_progress);
  CHECK(d.total_topics == total);
  CHECK(d.stats_line == line);
}

TEST_CASE("tracker: domain status keeps its emoji", "[tracker]") {
  CHECK(fixture().domains[1].status == "🔴 Not Started");
  CHECK(fixture().domains[4].status == "🟢 Interview Ready");
}

TEST_CASE("tracker: topics and key points", "[tracker]") {
  const auto& t = fixture();
  REQUIRE(t.topics.size() == 21);
  std::size_t key_points = 0;
  for (const auto& topic : t.topics) key_points += topic.key_points.size();
  CHECK(key_points == 125);
  // Domain B has only a placeholder row.
  CHECK(std::none_of(t.topics.begin(), t.topics.end(),
                     [](const auto& topic) { return topic.domain_letter == 'B'; }));
  for (const auto& topic : t.topics) {
    CAPTURE(topic.title);
    CHECK(topic.label.substr(0, 1) == std::string(1, topic.domain_letter));
    CHECK(t.find_domain(topic.domain_letter) != nullptr);
  }
}

TEST_CASE("tracker: topic labels repeat", "[tracker]") {
  auto [label, count] = GENERATE(table<std::string, int>({
      {"A.3", 2},
      {"C.21", 2},
      {"C.23", 2},
      {"E.34", 3},
      {"A.8", 1},
      {"C.18", 1},
  }));
  const auto& topics = fixture().topics;
  CAPTURE(label);
  CHECK(std::count_if(topics.begin(), topics.end(),
                      [&](const auto& topic) { return topic.label == label; }) == count);
}

TEST_CASE("tracker: the A.8 topic row", "[tracker]") {
  const recall::Topic& a8 = fixture().topics.front();
  CHECK(a8.label == "A.8");
  CHECK(a8.title == "Evaluation Metrics - AUC-ROC");
  CHECK_FALSE(a8.in_progress);
  CHECK(a8.date_mastered == "2026-02-02");
  CHECK(a8.confidence == "Medium-High");
  CHECK(a8.domain_letter == 'A');
  CHECK(a8.domain_name == "ML Fundamentals");
  CHECK(a8.line == 42);
  REQUIRE(a8.key_points.size() == 6);
  CHECK(a8.key_points.front() == "Measures ranking ability across all thresholds");
  CHECK(a8.key_points.back() == "ROC axes: x=FPR, y=TPR");
}

TEST_CASE("tracker: in-progress topics", "[tracker]") {
  const auto& t = fixture();
  std::vector<std::string> in_progress;
  for (const auto& topic : t.topics)
    if (topic.in_progress) in_progress.push_back(topic.label + " " + topic.title);
  CHECK(in_progress == std::vector<std::string>{"C.18 BatchNorm vs LayerNorm",
                                                "C.23 Knowledge Distillation (Math)"});
  const recall::Topic* distillation = find_topic(t, "Knowledge Distillation");
  REQUIRE(distillation);
  CHECK(distillation->line == 60);
  CHECK(distillation->confidence == "Medium");
}

TEST_CASE("tracker: an escaped pipe in a key point is unescaped", "[tracker]") {
  const recall::Topic* sft = find_topic(fixture(), "Unified SFT/Distillation/RL Framework");
  REQUIRE(sft);
  CHECK(sft->label == "C.23");
  REQUIRE(sft->key_points.size() == 8);
  CHECK(sft->key_points[1] == "All four share gradient: weight × ∇log π_θ(y|x)");
}

TEST_CASE("tracker: knowledge gaps", "[tracker]") {
  const auto& t = fixture();
  std::map<GapTier, int> per_tier;
  for (const auto& gap : t.gaps) ++per_tier[gap.tier];
  CHECK(per_tier[GapTier::kHigh] == 0);  // "- None identified yet"
  CHECK(per_tier[GapTier::kMedium] == 7);
  CHECK(per_tier[GapTier::kResolved] == 3);

  std::vector<const recall::Gap*> recurring;
  for (const auto& gap : t.gaps)
    if (gap.recurring) recurring.push_back(&gap);
  REQUIRE(recurring.size() == 1);
  CHECK(recurring[0]->tier == GapTier::kMedium);
  CHECK(recurring[0]->line == 98);
  CHECK(recurring[0]->text.rfind("ROC axes confusion (recurring", 0) == 0);

  const recall::Gap& resolved = t.gaps[7];
  CHECK(resolved.tier == GapTier::kResolved);
  CHECK(resolved.text == "Chain rule application in multi-layer networks");
  CHECK(resolved.resolution_date == "2026-02-03");
  CHECK(resolved.notes == "Covered in backprop derivation");
  CHECK(resolved.line == 104);
  CHECK(t.gaps[0].line == 93);
}

TEST_CASE("tracker: readiness checklist", "[tracker]") {
  const auto& t = fixture();
  CHECK(t.checklist.size() == 36);
  CHECK(std::count_if(t.checklist.begin(), t.checklist.end(),
                      [](const auto& item) { return item.checked; }) == 21);

  auto [group, items, checked] = GENERATE(table<std::string, int, int>({
      {"Fundamentals", 6, 4},
      {"Classical ML", 4, 1},
      {"Deep Learning & RL", 11, 7},
      {"NLP & Multi-Modal", 8, 2},
      {"System Design", 7, 7},
  }));
  CAPTURE(group);
  CHECK(std::count_if(t.checklist.begin(), t.checklist.end(),
                      [&](const auto& item) { return item.group == group; }) == items);
  CHECK(std::count_if(t.checklist.begin(), t.checklist.end(), [&](const auto& item) {
          return item.group == group && item.checked;
        }) == checked);
}

TEST_CASE("tracker: a checklist item", "[tracker]") {
  const recall::ChecklistItem& item = fixture().checklist[1];
  CHECK(item.group == "Fundamentals");
  CHECK(item.text == "Explain bias-variance tradeoff with examples");
  CHECK_FALSE(item.checked);
  CHECK(item.line == 116);
}

TEST_CASE("tracker: study plan", "[tracker]") {
  const auto& t = fixture();
  CHECK(t.plan.size() == 18);
  CHECK(std::count_if(t.plan.begin(), t.plan.end(),
                      [](const auto& item) { return item.checked; }) == 9);
  auto [group, items] = GENERATE(table<std::string, int>(
      {{"This Week's Focus", 7}, {"Upcoming Topics", 7}, {"Review Scheduled", 4}}));
  CAPTURE(group);
  CHECK(std::count_if(t.plan.begin(), t.plan.end(),
                      [&](const auto& item) { return item.group == group; }) == items);
  CHECK(t.plan.front().text == "A.8 AUC-ROC and evaluation metrics (COMPLETED)");
  CHECK(t.plan.front().line == 165);
  CHECK(t.plan.back().text == "SHAP practice (explain Shapley values fluently)");
  CHECK_FALSE(t.plan.back().checked);
}

TEST_CASE("tracker: session history", "[tracker]") {
  const auto& t = fixture();
  REQUIRE(t.sessions.size() == 12);
  const recall::SessionRow& first = t.sessions.front();
  CHECK(first.date == "2026-02-02 (Session 1)");
  CHECK(first.topics == "A.8 AUC-ROC evaluation metric");
  CHECK(first.wins.size() == 4);
  CHECK(first.wins.front() == "Understood ROC curve (corrected axis confusion)");
  CHECK(first.gaps_found ==
        std::vector<std::string>{"Initially confused ROC axes (resolved)",
                                 "Needed clarification on metric selection (resolved)"});
  CHECK(first.line == 194);
  const recall::SessionRow& last = t.sessions.back();
  CHECK(last.date == "2026-02-17 (Session 12)");
  CHECK(last.wins.size() == 8);
  CHECK(last.wins.back() == "**ML System Design domain complete (8/8)!**");
  CHECK(last.gaps_found.size() == 4);
  CHECK(last.line == 205);
}

TEST_CASE("prepare_text: the clean fixture is left alone", "[tracker][mojibake]") {
  const std::string bytes = fixture_bytes();
  const recall::TrackerText text = recall::prepare_text(bytes);
  CHECK(text.text == bytes);
  CHECK_FALSE(text.repaired_mojibake);
  CHECK_FALSE(text.had_bom);
  CHECK_FALSE(text.crlf);
  CHECK(text.lines.size() == 209);
  CHECK(text.lines[2] == "**Last Updated**: 2026-02-17");
}

TEST_CASE("prepare_text: the mojibake fixture is repaired byte for byte", "[tracker][mojibake]") {
  const std::string clean = fixture_bytes();
  const std::string damaged = read_bytes(data_path("ml-study-tracker.mojibake.md"));
  REQUIRE(damaged != clean);
  const recall::TrackerText text = recall::prepare_text(damaged);
  CHECK(text.repaired_mojibake);
  CHECK(text.text == clean);
  CHECK(text.lines == recall::prepare_text(clean).lines);
  CHECK(dump(recall::read_tracker(text, "m.md")) == dump(fixture()));
}

TEST_CASE("prepare_text: BOM and CRLF variants read the same", "[tracker]") {
  const std::string clean = fixture_bytes();
  const std::string damaged = read_bytes(data_path("ml-study-tracker.mojibake.md"));
  auto [bom, crlf, mojibake] = GENERATE(table<bool, bool, bool>({
      {true, false, false},
      {false, true, false},
      {true, true, false},
      {true, true, true},
  }));
  CAPTURE(bom, crlf, mojibake);
  std::string bytes = mojibake ? damaged : clean;
  if (crlf) bytes = to_crlf(bytes);
  // A BOM saved before the damage went through the round trip as well.
  if (bom) bytes = (mojibake ? "\xC3\x94\xC2\xAA\xC3\xB8" : "\xEF\xBB\xBF") + bytes;
  const recall::TrackerText text = recall::prepare_text(bytes);
  CHECK(text.had_bom == bom);
  CHECK(text.crlf == crlf);
  CHECK(text.repaired_mojibake == mojibake);
  CHECK(text.lines.size() == 209);
  CHECK(text.lines[2] == "**Last Updated**: 2026-02-17");
  CHECK(dump(recall::read_tracker(text, "v.md")) == dump(fixture()));
}

TEST_CASE("mojibake: what is and is not repaired", "[mojibake]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      // Damaged text comes back.
      {"\xE2\x80\x9A\xC3\x84\xC2\xA2 point", "\xE2\x80\xA2 point"},  // "‚Ä¢" -> "•"
      {"y\xE2\x89\x88\xE2\x88\x91", "y\xC5\xB7"},                    // "≈∑" -> "ŷ"
      {"\xEF\xA3\xBF\xC3\xBC\xC3\xBC\xC2\xB0", "\xF0\x9F\x9F\xA1"},  // "\uF8FFüü°" -> "🟡"
      // Plain ASCII has nothing to repair.
      {"## Quick Stats", ""},
      // Genuine UTF-8 stays: "•" alone, "ŷ", an emoji, accented words.
      {"\xE2\x80\xA2 point", ""},
      {"\xC3\xBC\xC3\xBC\xC2\xB0", ""},  // "üü°" without its lead byte
      {"\xC5\xB7 - y", ""},
      {"\xF0\x9F\x9F\xA1 In Progress", ""},
      {"caf\xC3\xA9 na\xC3\xAFve", ""},
      // Damage mixed with characters Mac Roman cannot produce is not touched.
      {"\xE2\x80\x9A\xC3\x84\xC2\xA2 \xF0\x9F\x9F\xA1", ""},
      // Invalid UTF-8 input is not a round trip.
      {"\xE2\x80\x9A\xC3\x84\xC2\xA2 \xFF", ""},
  }));
  CAPTURE(input);
  const std::optional<std::string> repaired = recall::repair_mac_roman_mojibake(input);
  if (expected.empty()) {
    CHECK_FALSE(repaired);
  } else {
    REQUIRE(repaired);
    CHECK(*repaired == expected);
  }
}

TEST_CASE("mojibake: every UTF-8 lead and continuation byte comes back", "[mojibake]") {
  // all-lead-bytes.md holds every two-byte sequence and one sequence for
  // each longer lead byte; its damaged twin was made with Python's mac_roman
  // codec, an independent source for the 128-entry table.
  const std::string clean = read_bytes(data_path("tracker/all-lead-bytes.md"));
  const std::string damaged = read_bytes(data_path("tracker/all-lead-bytes.mojibake.md"));
  const recall::TrackerText text = recall::prepare_text(damaged);
  CHECK(text.repaired_mojibake);
  CHECK(recall::repair_mac_roman_mojibake(damaged) == clean);
  // prepare_text then brings it to NFC (the file lists combining marks in
  // code point order, not canonical order), as it does the clean file.
  CHECK(text.text == recall::prepare_text(clean).text);
  CHECK_FALSE(recall::prepare_text(clean).repaired_mojibake);
}

TEST_CASE("mojibake: the fixtures", "[mojibake]") {
  CHECK(recall::has_mac_roman_mojibake(read_bytes(data_path("ml-study-tracker.mojibake.md"))));
  CHECK_FALSE(recall::has_mac_roman_mojibake(fixture_bytes()));
  CHECK_FALSE(recall::has_mac_roman_mojibake("plain ASCII"));
}

TEST_CASE("find_invalid_utf8", "[mojibake]") {
  auto [input, offset] = GENERATE(table<std::string, std::size_t>({
      {"plain", std::string_view::npos},
      {"\xE2\x80\xA2 \xF0\x9F\x9F\xA1", std::string_view::npos},
      {"ab\xFF", 2},
      {"a\xC0\xAF", 1},          // overlong "/"
      {"a\xED\xA0\x80", 1},      // surrogate
      {"a\xF4\x90\x80\x80", 1},  // above U+10FFFF
      {"abc\xE2\x80", 3},        // truncated
      {"\x80", 0},               // lone continuation byte
  }));
  CAPTURE(input);
  CHECK(recall::find_invalid_utf8(input) == offset);
}

TEST_CASE("split_table_row", "[tracker]") {
  using Cells = std::vector<std::string>;
  auto [line, cells] = GENERATE(table<std::string, Cells>({
      {"| a | b \\| c |", Cells{"a", "b | c"}},
      {"|a|b|", Cells{"a", "b"}},
      {"  | a | b   ", Cells{"a", "b"}},
      {"| a |  | c |", Cells{"a", "", "c"}},
      {"|---|---|", Cells{"---", "---"}},
      {"|", Cells{}},
      {"| x \\ y |", Cells{"x \\ y"}},
  }));
  CAPTURE(line);
  const auto split = recall::split_table_row(line);
  REQUIRE(split);
  CHECK(*split == cells);
}

TEST_CASE("split_table_row: not a table row", "[tracker]") {
  const std::string line = GENERATE(as<std::string>{}, "", "a | b", "- | item", "   ");
  CAPTURE(line);
  CHECK_FALSE(recall::split_table_row(line));
}

TEST_CASE("read_tracker: bad inputs name the file and line", "[tracker]") {
  const std::string fixture_text = fixture_bytes();
  auto [name, bytes, message] = GENERATE_COPY(table<std::string, std::string, std::string>({
      {"notes.md", "# Shopping\n\n- milk\n- eggs\n", "notes.md:1: expected a study tracker"},
      {"empty.md", "", "empty.md:1: expected a study tracker"},
      {"nul.md", std::string("## Quick Stats\n\nab\0cd\n", 21),
       "nul.md:3: expected text, found a NUL byte"},
      {"latin1.md", "## Quick Stats\ncaf\xE9\n",
       "latin1.md:2: expected UTF-8 text, found byte 0xE9"},
      {"t.md", replace_line(fixture_text, 43, "| **A.3 Gradient Descent** | 2026-02-02 | High |"),
       "t.md:43: expected 4 columns (Topic | Date Mastered | Confidence | Key Points), found 3"},
      {"t.md", replace_line(fixture_text, 54, "| a | b | c | d | e |"),
       "t.md:54: expected 4 columns (Topic | Date Mastered | Confidence | Key Points), found 5"},
  }));
  CAPTURE(name);
  const std::string what = data_error(bytes, name);
  CHECK_THAT(what, Catch::Matchers::StartsWith(message));
}

TEST_CASE("read_tracker: tolerant of layout changes", "[tracker]") {
  // Reordered sections, emoji and extra words in headings, trailing spaces,
  // blank lines inside a table block, no Quick Stats, an unknown section.
  const std::string text =
      "\xEF\xBB\xBF# Tracker   \r\n"
      "**Last Updated:** 2026-03-01 (Sunday)  \r\n"
      "**Target Interview Date**: 2026-04-15\r\n"
      "**Overall Interview Readiness**: 61%\r\n"
      "## \xF0\x9F\xA7\xA0 Knowledge Gaps (live)\r\n"
      "### High Priority!\r\n"
      "- Recurring: mixing up FPR and TPR   \r\n"
      "\r\n"
      "- Bellman equations\r\n"
      "  - a nested detail is not a gap\r\n"
      "## Glossary\r\n"
      "| Topic | stuff |\r\n"
      "## Topics Mastered  \r\n"
      "\r\n"
      "### G. Graph ML (5%)\r\n"
      "\r\n"
      "| Topic | Date Mastered | Confidence | Key Points |\r\n"
      "|:--|:--:|--|--|\r\n"
      "| G.1 Message Passing *(in progress)* | 2026-03-01 | Low | one<br/>\xE2\x80\xA2 two<BR>\r\n"
      "```\r\n"
      "## Not a section\r\n"
      "| not | a | row |\r\n"
      "```\r\n";
  const recall::TrackerText prepared = recall::prepare_text(text);
  CHECK(prepared.had_bom);
  CHECK(prepared.crlf);
  const recall::Tracker t = recall::read_tracker(prepared, "x.md");
  CHECK(t.last_updated == recall::parse_day("2026-03-01"));
  CHECK(t.interview_date == recall::parse_day("2026-04-15"));
  CHECK(t.readiness_percent == 61);
  REQUIRE(t.sections.size() == 3);
  CHECK(t.sections[0].title == "\xF0\x9F\xA7\xA0 Knowledge Gaps (live)");
  CHECK(t.find_section("Knowledge Gaps") == &t.sections[0]);
  CHECK(t.sections[2].end_line == 24);
  REQUIRE(t.gaps.size() == 2);
  CHECK(t.gaps[0].tier == GapTier::kHigh);
  CHECK(t.gaps[0].recurring);
  CHECK(t.gaps[0].text == "Recurring: mixing up FPR and TPR");
  CHECK(t.gaps[1].line == 9);
  REQUIRE(t.domains.size() == 1);  // from the heading alone
  CHECK(t.domains[0].letter == 'G');
  CHECK(t.domains[0].name == "Graph ML");
  CHECK(t.domains[0].weight_percent == 5);
  CHECK(t.domains[0].stats_line == 0);
  REQUIRE(t.topics.size() == 1);
  CHECK(t.topics[0].label == "G.1");
  CHECK(t.topics[0].title == "Message Passing");
  CHECK(t.topics[0].in_progress);
  CHECK(t.topics[0].key_points == std::vector<std::string>{"one", "two"});
  CHECK(t.topics[0].line == 19);
}

// Another tutor's layout (issue 24, round 19): topics as headings with
// bullets, the confidence on a line of its own, the domains in a table under
// another name, tiers named in other words, a plan and a log under short
// names. The text is written for this test.
const std::string kHeadingTracker =
    "# Study notes: R.\n"
    "\n"
    "## 1. Overview\n"
    "\n"
    "| Area (weight) | Units done | Units planned | Status |\n"
    "|---|---|---|---|\n"
    "| K. Kernels and Gaussian processes (40%) | 3 | 4 | ok |\n"
    "| Q. Queueing for ML serving (60%) | 1 | 3 | new |\n"
    "| Not a domain | 1 | 2 | x |\n"
    "\n"
    "## 2. Topic Notes\n"
    "\n"
    "### K1. GP Regression\n"
    "\n"
    "Taught S1, S2 \xC2\xB7 **Confidence: Medium** \xC2\xB7 solid on the algebra\n"
    "\n"
    "*Posterior*\n"
    "- Posterior mean = k*\xE1\xB5\x80(K + \xCF\x83\xC2\xB2I)\xE2\x81\xBB\xC2\xB9y\n"
    "  - The noise term keeps the solve well conditioned\n"
    "- Exact inference costs O(n\xC2\xB3) time\n"
    "- Sparse variants:\n"
    "  - FITC: O(nm\xC2\xB2) with m inducing points\n"
    "  - SVGP: minibatches the ELBO\n"
    "- Lengthscale priors:\n"
    "\xE2\x9C\x8E Low confidence: she rushed the marginal likelihood\n"
    "| a | stray | table |\n"
    "\n"
    "### Q2: Little's Law *(in progress)*\n"
    "\n"
    "- **Confidence:** 2 / 5\n"
    "* L = \xCE\xBBW holds for any stable queue\n"
    "\n"
    "#### Q3. Tail latency\n"
    "+ p99 grows sharply as utilisation nears 1\n"
    "\n"
    "## 3. Knowledge Gaps\n"
    "\n"
    "### \xF0\x9F\x94\xB4 High: before the onsite\n"
    "- Confuses the marginal likelihood with the posterior\n"
    "\n"
    "### Highlights of the week\n"
    "- not a gap\n"
    "\n"
    "### \xF0\x9F\x9F\xA1 Medium: drill\n"
    "- Little's law units\n"
    "\n"
    "### \xF0\x9F\x9F\xA2 Cleared recently\n"
    "| Gap | Cleared | How |\n"
    "|---|---|---|\n"
    "| Kernel must be PSD | 2026-03-02 | proof by example |\n"
    "\n"
    "## 4. Plan\n"
    "1. [ ] **S3**: derive the GP posterior\n"
    "- [x] Little's law on a toy queue\n"
    "\n"
    "## 5. Upcoming topics\n"
    "### Z9. Not taught yet\n"
    "- a point not taught\n";

TEST_CASE("read_tracker: topics as headings with bullets, other names for the sections",
          "[tracker]") {
  const recall::Tracker t = read(kHeadingTracker);
  REQUIRE(t.domains.size() == 2);
  CHECK(t.domains[0].letter == 'K');
  CHECK(t.domains[0].name == "Kernels and Gaussian processes");
  CHECK(t.domains[0].weight_percent == 40);
  CHECK(t.domains[1].weight_percent == 60);
  // Read for the weights; the tutor's counts are never written.
  CHECK(t.domains[0].stats_line == 0);
  REQUIRE(t.topics.size() == 3);
  const recall::Topic& gp = t.topics[0];
  CHECK(gp.label == "K1");
  CHECK(gp.title == "GP Regression");
  CHECK(gp.domain_letter == 'K');
  CHECK(gp.domain_name == "Kernels and Gaussian processes");
  CHECK_FALSE(gp.in_progress);
  CHECK(gp.line == 13);
  CHECK(gp.confidence == "Medium");
  CHECK(gp.confidence_line == 15);
  CHECK(gp.confidence_at == std::string("Taught S1, S2 \xC2\xB7 **Confidence: ").size());
  // Bullets at any depth; not the group label, the note, the stray table.
  CHECK(gp.key_points ==
        std::vector<std::string>{"Posterior mean = k*\xE1\xB5\x80(K + \xCF\x83\xC2\xB2I)\xE2\x81\xBB\xC2\xB9y",
                                 "The noise term keeps the solve well conditioned",
                                 "Exact inference costs O(n\xC2\xB3) time",
                                 "Sparse variants: FITC: O(nm\xC2\xB2) with m inducing points",
                                 "Sparse variants: SVGP: minibatches the ELBO",
                                 "Lengthscale priors:"});
  const recall::Topic& little = t.topics[1];
  CHECK(little.label == "Q2");
  CHECK(little.title == "Little's Law");
  CHECK(little.in_progress);
  CHECK(little.domain_letter == 'Q');
  CHECK(little.confidence == "2 / 5");  // a bullet that says so is no key point
  CHECK(little.key_points == std::vector<std::string>{"L = \xCE\xBBW holds for any stable queue"});
  CHECK(t.topics[2].label == "Q3");  // a level-4 heading
  CHECK(t.topics[2].confidence.empty());
  CHECK(t.topics[2].confidence_line == 0);
  CHECK(t.topics[2].key_points.size() == 1);
  // "High" as a word, not "Highlights"; "Cleared" is resolved.
  REQUIRE(t.gaps.size() == 3);
  CHECK(t.gaps[0].tier == GapTier::kHigh);
  CHECK(t.gaps[0].text == "Confuses the marginal likelihood with the posterior");
  CHECK(t.gaps[1].tier == GapTier::kMedium);
  CHECK(t.gaps[2].tier == GapTier::kResolved);
  CHECK(t.gaps[2].text == "Kernel must be PSD");
  CHECK(t.gaps[2].resolution_date == "2026-03-02");
  REQUIRE(t.plan.size() == 2);
  CHECK(t.plan[1].checked);
}

TEST_CASE("read_tracker: a heading topic whose letter names no domain has none", "[tracker]") {
  const recall::Tracker t = read(
      "## Topics\n### X1. Orphan\n- Confidence: High\n- one point\n"
      "## Topics Mastered\n### A. Basics\n"
      "| Topic | Date Mastered | Confidence | Key Points |\n|---|---|---|---|\n"
      "| A.1 Row | 2026-01-01 | Low | \xE2\x80\xA2 p |\n");
  REQUIRE(t.topics.size() == 2);
  CHECK(t.topics[0].domain_letter == '?');
  CHECK(t.topics[0].domain_name.empty());
  CHECK(t.topics[0].confidence == "High");
  CHECK(t.topics[1].domain_letter == 'A');
  CHECK(t.topics[1].confidence_line == 0);
  // Under "Topics Mastered" a table still has the fixture's 4 columns.
  CHECK_THROWS_WITH(read("## Topics Mastered\n| a | b | c |\n", "m.md"),
                    Catch::Matchers::StartsWith("m.md:2: expected 4 columns"));
}

// A red-team pass over the second layout (each case once read wrongly).
TEST_CASE("read_tracker: the second layout leaves the fixture's alone", "[tracker]") {
  const std::string fixture_text = fixture_bytes();
  const recall::Tracker before = read(fixture_text);
  // A 4-column table in a section about topics to revisit, a coverage grid
  // by topic, a labelled #### heading inside Topics Mastered: no topics.
  const std::string more =
      fixture_text +
      "\n## Topics to Revisit\n| Topic | Last seen | Confidence | Why |\n|---|---|---|---|\n"
      "| A.1 Bias-Variance | 2026-11-20 | Low | cross term |\n"
      "\n## Topic Coverage by Domain\n| Topic | Domain | Confidence | Notes |\n|---|---|---|---|\n"
      "| A.2 Loss | A | Low | ok |\n";
  const recall::Tracker after = read(more);
  CHECK(after.topics.size() == before.topics.size());
  const std::size_t row = fixture_text.find("| **A.3 Gradient");
  REQUIRE(row != std::string::npos);
  const recall::Tracker notes = read(fixture_text.substr(0, row) +
                                     "#### A.1 Derivation notes\n- three terms\n" +
                                     fixture_text.substr(row));
  CHECK(notes.topics.size() == before.topics.size());
  for (std::size_t i = 0; i < notes.topics.size() && i < before.topics.size(); ++i)
    CHECK(notes.topics[i].title == before.topics[i].title);
  // A weighted table before Quick Stats: Quick Stats' weights stand.
  const std::size_t stats = fixture_text.find("## Quick Stats");
  REQUIRE(stats != std::string::npos);
  const recall::Tracker blueprint = read(
      fixture_text.substr(0, stats) +
      "## Interview Blueprint\n| Round | Format |\n|---|---|\n| A. ML Fundamentals (50%) | 2 |\n\n" +
      fixture_text.substr(stats));
  REQUIRE(blueprint.domains.size() == before.domains.size());
  CHECK(blueprint.domains[0].weight_percent == before.domains[0].weight_percent);
  CHECK(blueprint.domains[0].stats_line != 0);
  // Notes with a plan and a session log are no tracker.
  CHECK_THAT(data_error("# Notes\n## Plan\n- [ ] read\n## Session notes\n- fine\n", "n.md"),
             Catch::Matchers::StartsWith("n.md:1: expected a study tracker"));
}

TEST_CASE("read_tracker: an interview date in another tutor's header", "[tracker]") {
  const recall::Tracker t = read(
      "# Notes\n\nLast edit: 2026-03-20, after S10\nInterview prep since: 2026-01-02\n"
      "Onsite loop: 2026-04-14 (two rounds)\n\n## Topic Notes\n### K1. GP\n- a point\n"
      "Interview: 2026-06-01\n");
  CHECK(t.interview_date == recall::parse_day("2026-04-14"));  // the first, before any section
  CHECK(t.interview_date_line == 5);
  CHECK_FALSE(t.last_updated.has_value());  // read from the bold field only
  // A label that only mentions an interview, with no date first, is no date.
  const recall::Tracker none =
      read("Interview loop: two rounds on 2026-04-14\n## Topic Notes\n### K1. GP\n- p\n");
  CHECK_FALSE(none.interview_date.has_value());
}

// Round 22's tutor wrote "**Interview:** Thursday **12 March 2026**, full
// onsite loop"; recall read no date ("brief" said "not set").
TEST_CASE("read_tracker: an interview date written in words", "[tracker]") {
  const auto date_of = [](const std::string& header) {
    return read(header + "\n## Topic Notes\n### K1. GP\n- a point\n").interview_date;
  };
  const auto day = recall::parse_day("2026-03-12");
  CHECK(date_of("**Interview:** Thursday **12 March 2026**, full onsite loop") == day);
  CHECK(date_of("**Interview:** Thu 2026-03-12") == day);
  CHECK(date_of("**Onsite:** March 12, 2026 (three rounds)") == day);
  CHECK(date_of("Interview: 12 Mar 2026") == day);
  CHECK(date_of("**Interview date:** 12 March 2026") == day);
  // No date, no year, no such day, or a label about the past: none.
  CHECK_FALSE(date_of("**Interview:** the onsite loop, date to be set").has_value());
  CHECK_FALSE(date_of("**Interview:** 12 March").has_value());
  CHECK_FALSE(date_of("**Interview:** 31 February 2026").has_value());
  CHECK_FALSE(date_of("**Interview prep since:** 2 January 2026").has_value());
  CHECK_FALSE(date_of("**Phone-screen interview:** Mon 2 February 2026 (passed)").has_value());
  CHECK(date_of("**Interview:** Thursday 12th March 2026") == day);
  // Only in the header: a mock interview in the session log is no date.
  CHECK_FALSE(read("## Topic Notes\n### K1. GP\n- p\n## Session log\n"
                   "**Mock interview:** Friday 27 February 2026\n")
                  .interview_date.has_value());
  // A readiness figure is still the readiness.
  const recall::Tracker t = read(
      "**Interview:** 12 March 2026\n**Interview Readiness:** 61%\n## Topic Notes\n### K1. GP\n- p\n");
  CHECK(t.interview_date == day);
  REQUIRE(t.readiness_percent);
  CHECK(*t.readiness_percent == 61);
}

TEST_CASE("read_tracker: gap tiers by the word a heading opens with", "[tracker]") {
  auto [heading, tier] = GENERATE(table<std::string, int>({
      {"\xF0\x9F\x94\xB4 High Priority (Must fix before interview)", 0},
      {"\xF0\x9F\x94\xB4 High: before the onsite", 0},
      {"\xF0\x9F\x9F\xA1 Medium Priority (should review; high value)", 1},
      {"Medium", 1},
      {"\xE2\x9C\x85 Resolved (was high)", 2},
      {"\xF0\x9F\x9F\xA2 Recently Resolved", 2},
      {"\xF0\x9F\x9F\xA2 Cleared recently", 2},
      {"\xF0\x9F\x9F\xA5 Fix before the interview", 0},
      {"\xF0\x9F\x9F\xA8 Polish if time allows", 1},
      {"\xF0\x9F\x9F\xA9 Closed (kept so I don't re-teach them)", 2},
      {"Recently fixed", 2},
      {"\xF0\x9F\x94\xB5 Low Priority (nice to have, medium effort)", -1},
      {"Still open, not yet fixed", -1},
      {"Highlights of the week", -1},
  }));
  CAPTURE(heading);
  const recall::Tracker t = read("## Knowledge Gaps\n### " + heading + "\n- a gap\n");
  if (tier < 0) {
    CHECK(t.gaps.empty());
  } else {
    REQUIRE(t.gaps.size() == 1);
    CHECK(static_cast<int>(t.gaps[0].tier) == tier);
  }
}

TEST_CASE("read_tracker: a heading topic's lines", "[tracker]") {
  const std::string lead(150, 'x');
  const recall::Tracker t = read(
      "## Topic Notes\n### K1. Intervals\n"
      "Taught S1 \xC2\xB7 **Confidence: Low** \xC2\xB7 shaky\n"
      "Retaught S4 \xC2\xB7 **Confidence: Medium-High** \xC2\xB7 solid now\n"
      "- Confidence intervals: a 95% CI covers the parameter in 95% of repeats\n"
      "- A credible interval is a posterior probability statement about the\n"
      "parameter, not about the procedure\n"
      "\xE2\x9C\x8E Next time: ask for both in one breath\n"
      "1. Bootstrap: resample with replacement\n"
      "- Coverage checks:\n"
      "  - simulate 1000 datasets\n"
      "\n"
      "  Count how often the interval holds the truth.\n"
      "- " + lead + ":\n"
      "  - child\n"
      "### K2. Other\n"
      "- Note (after S2, confidence: Low)\n");
  REQUIRE(t.topics.size() == 2);
  const recall::Topic& k1 = t.topics[0];
  // Two lines say the confidence: the last is read, neither is written.
  CHECK(k1.confidence == "Medium-High");
  CHECK(k1.confidence_line == 0);
  CHECK(k1.heading);
  CHECK(k1.key_points == std::vector<std::string>{
                             "Confidence intervals: a 95% CI covers the parameter in 95% of repeats",
                             "A credible interval is a posterior probability statement about the "
                             "parameter, not about the procedure",
                             "Bootstrap: resample with replacement",
                             "Coverage checks: simulate 1000 datasets",
                             "Coverage checks: Count how often the interval holds the truth.",
                             lead + ":", "child"});
  // A lead-in whose first item is a paragraph: the lead-in alone is no point.
  const recall::Tracker paragraph = read(
      "## Topic Notes\n### K3. Sets\n- Deep Sets:\n\n  Sum pooling is permutation invariant.\n"
      "  - \xCF\x81(\xCE\xA3 \xCF\x86(x)) is universal\n");
  CHECK(paragraph.topics.at(0).key_points ==
        std::vector<std::string>{"Deep Sets: Sum pooling is permutation invariant.",
                                 "Deep Sets: \xCF\x81(\xCE\xA3 \xCF\x86(x)) is universal"});
  // A confidence in a note is not the topic's.
  CHECK(t.topics[1].confidence.empty());
  CHECK(t.topics[1].key_points.size() == 1);
}

// A third tutor's layout: numbered headings, bold lead-ins, labels over
// lists, a status line, coloured tiers with numbered gaps.
TEST_CASE("read_tracker: numbered topic headings and labelled lists", "[tracker]") {
  const recall::Tracker t = read(
      "## 2. Topic notebook\n"
      "### 2026 goals\n- not a topic\n"
      "### 2.1 Optimizers\n"
      "**Status:** done \xC2\xB7 **Confidence:** 4/5 \xC2\xB7 **Taught:** S1\n"
      "She picked this up fast.\n"
      "Key points:\n"
      "- **Adam:**\n"
      "  - m \xE2\x86\x90 \xCE\xB2\xE2\x82\x81m + (1\xE2\x88\x92\xCE\xB2\xE2\x82\x81)g\n"
      "  - Defaults: \xCE\xB2\xE2\x82\x81 = 0.9\n"
      "- **Warmup:** ramp the rate up from zero\n"
      "About the learner:\n"
      "- She asked whether warmup is needed for SGD.\n"
      "  - A follow-up she asked\n"
      "### 2.5 Anomaly detection \xE2\x80\x94 \xF0\x9F\x9A\xA7 IN PROGRESS (about half taught)\n"
      "Covered so far:\n"
      "- Isolation forest isolates anomalies in fewer splits\n"
      "Not yet taught (planned for S7):\n"
      "- One-class SVM: a boundary around normal data\n"
      "### 2.6 Multi-task learning\n"
      "**Status:** in progress \xC2\xB7 **Confidence:** 2/5\n"
      "- Hard sharing: one trunk, task heads\n"
      "## 3. Knowledge gaps\n"
      "### \xF0\x9F\x9F\xA5 Fix before the interview\n"
      "1. **fp16 vs bf16 bit layout (recurring).** Swaps the exponent widths.\n"
      "   Still shaky.\n"
      "### \xF0\x9F\x9F\xA8 Polish if time allows\n"
      "2. Adam bias correction\n"
      "### \xF0\x9F\x9F\xA9 Closed\n"
      "- ~~AdamW = Adam + L2~~ \xE2\x80\x94 closed S2\n");
  REQUIRE(t.topics.size() == 3);
  const recall::Topic& opt = t.topics[0];
  CHECK(opt.label == "2.1");
  CHECK(opt.title == "Optimizers");
  CHECK(opt.domain_letter == '?');
  CHECK(opt.confidence == "4/5");
  CHECK_FALSE(opt.in_progress);
  // The bold lead-in is no point of its own; the list about the learner is
  // no key point.
  CHECK(opt.key_points ==
        std::vector<std::string>{
            "Adam: m \xE2\x86\x90 \xCE\xB2\xE2\x82\x81m + (1\xE2\x88\x92\xCE\xB2\xE2\x82\x81)g",
            "Adam: Defaults: \xCE\xB2\xE2\x82\x81 = 0.9", "**Warmup:** ramp the rate up from zero"});
  const recall::Topic& anomaly = t.topics[1];
  CHECK(anomaly.title == "Anomaly detection");
  CHECK(anomaly.in_progress);
  // What is not taught yet is no key point.
  CHECK(anomaly.key_points ==
        std::vector<std::string>{"Isolation forest isolates anomalies in fewer splits"});
  CHECK(t.topics[2].in_progress);
  CHECK(t.topics[2].confidence == "2/5");
  REQUIRE(t.gaps.size() == 3);
  CHECK(t.gaps[0].tier == GapTier::kHigh);
  CHECK(t.gaps[0].text == "**fp16 vs bf16 bit layout (recurring).** Swaps the exponent widths.");
  CHECK(t.gaps[0].recurring);
  CHECK(t.gaps[1].tier == GapTier::kMedium);
  CHECK(t.gaps[1].text == "Adam bias correction");
  CHECK(t.gaps[2].tier == GapTier::kResolved);
  // A numbered line deeper than the top level is no gap.
  CHECK(read("## Knowledge Gaps\n### High Priority\n- a gap\n   1. a detail\n").gaps.size() == 1);
}

// A fourth tutor's layout: each topic a numbered section of its own.
TEST_CASE("read_tracker: numbered sections as topics", "[tracker]") {
  const recall::Tracker t = read(
      "# Notebook\n"
      "## 0 \xC2\xB7 Dashboard\n| # | Domain | Weight |\n|---|---|---|\n| 1 | SSL | 15 % |\n"
      "## 1 \xC2\xB7 Semi-supervised learning  \xE2\x80\x94 70 %\n"
      "*Taught: S1.*\n"
      "Cheat sheet\n"
      "- FixMatch keeps a pseudo-label only above \xCF\x84 = 0.95\n"
      "### At a glance\n"
      "- MixMatch sharpens with T = 0.5\n"
      "About Dana\n"
      "- \xE2\x9C\x97 S2: swapped the two\n"
      "## 5 \xC2\xB7 Positional encodings \xE2\x80\x94 45 % \xF0\x9F\x9A\xA7 IN PROGRESS\n"
      "- RoPE rotates queries and keys\n"
      "Still to teach (S8 plan)\n"
      "- [ ] ALiBi slopes\n"
      "## \xF0\x9F\x94\x81 Confusion Watch\n- FixMatch vs MixMatch\n"
      "## Go / No-Go Checklist\n- [x] State the SSL assumptions\n");
  REQUIRE(t.topics.size() == 2);
  CHECK(t.topics[0].label == "1");
  CHECK(t.topics[0].title == "Semi-supervised learning");
  CHECK(t.topics[0].confidence == "70 %");
  // A heading inside the topic is a part of it; the list about the
  // learner and what is still to teach are no key points.
  CHECK(t.topics[0].key_points ==
        std::vector<std::string>{"FixMatch keeps a pseudo-label only above \xCF\x84 = 0.95",
                                 "MixMatch sharpens with T = 0.5"});
  CHECK(t.topics[1].title == "Positional encodings");
  CHECK(t.topics[1].confidence == "45 %");
  CHECK(t.topics[1].in_progress);
  CHECK(t.topics[1].key_points == std::vector<std::string>{"RoPE rotates queries and keys"});
  REQUIRE(t.checklist.size() == 1);
  // With its topics in a topics section, a tracker's numbered sections are
  // its other parts ("## 4. Say-it-out-loud readiness list").
  const recall::Tracker other = read(
      "## 2. Topic notebook\n### 2.1 Optimizers\n- Adam keeps two moments\n"
      "## 4. Resources\n- The Adam paper, section 2\n");
  REQUIRE(other.topics.size() == 1);
  CHECK(other.topics[0].title == "Optimizers");
}

// Round 21's tutor set things side by side in a table under a topic.
TEST_CASE("read_tracker: a comparison table under a topic gives a point per row", "[tracker]") {
  const recall::Tracker t = read(
      "## Topic Notes\n### T1. Semi-supervised learning\n"
      "- FixMatch keeps a pseudo-label only above a threshold\n"
      "| | FixMatch | **MixMatch** |\n|---|---|---|\n"
      "| **Target type** | hard label | soft, sharpened |\n"
      "| Mixing | \xE2\x80\x94 | MixUp |\n"  // a value left out: no point
      "| Loss | cross-entropy; masked | L2 |\n"  // a value that runs on: none either
      "| Extra | a | b | c |\n"                   // not a row of it
      "| Augmentation | weak, strong | K weak views |\n"
      "\n"
      "| Method | Year | Idea |\n|---|---|---|\n| MixMatch | 2019 | sharpen |\n"
      "About the learner:\n| | S2 | S5 |\n|---|---|---|\n| Swapped | yes | no |\n");
  REQUIRE(t.topics.size() == 1);
  CHECK(t.topics[0].key_points ==
        std::vector<std::string>{
            "FixMatch keeps a pseudo-label only above a threshold",
            "Target type \xE2\x80\x94 FixMatch: hard label; MixMatch: soft, sharpened",
            "Augmentation \xE2\x80\x94 FixMatch: weak, strong; MixMatch: K weak views"});
  // A table of items with their properties ("| Method | Year |") and one
  // under a label that sets it aside give no point. In a numbered section
  // that is a topic, the table is read as in a heading topic.
  const recall::Tracker numbered = read(
      "## 4 \xC2\xB7 Dimensionality reduction \xE2\x80\x94 80 %\n"
      "- PCA keeps the directions of largest variance\n"
      "| Aspect | PCA | t-SNE | UMAP |\n|---|---|---|---|\n| Linear? | yes | no | no |\n"
      "## Knowledge Gaps\n### High\n- UMAP distances\n");
  REQUIRE(numbered.topics.size() == 1);
  CHECK(numbered.topics[0].key_points ==
        std::vector<std::string>{
            "PCA keeps the directions of largest variance",
            "Linear? \xE2\x80\x94 PCA: yes; t-SNE: no; UMAP: no"});
}

// Round 21's tutor kept each topic's formulas in a code block.
TEST_CASE("read_tracker: a formula block under a topic gives a point per formula", "[tracker]") {
  const recall::Tracker t = read(
      "## 0 \xC2\xB7 Dashboard\n```\nreadiness = .5\xC2\xB7""70 + .5\xC2\xB7""60 = 65\n```\n"
      "## 2 \xC2\xB7 Dimensionality reduction \xE2\x80\x94 80 %\n"
      "- PCA keeps the directions of largest variance\n"
      "```\n"
      "PCA:         C = (1/(n\xE2\x88\x92""1)) X\xE1\xB5\x80X ,   ratio_k = \xCE\xBB_k / \xCE\xA3 \xCE\xBB_j\n"
      "             scores = X V\n"
      "t-SNE:       q_ij \xE2\x88\x9D (1 + d\xC2\xB2)\xE2\x81\xBB\xC2\xB9\n"
      "\n"
      "RoPE (one pair):\n"
      "  [x1]   [cos  \xE2\x88\x92sin] [x1]\n"
      "  [x2] = [sin   cos] [x2]\n"
      "  a note with no formula\n"
      "Total:  L = L_s + \xCE\xBB L_u\n"
      "```\n"
      "About the learner:\n```\nscore = 3/5\n```\n"
      "## Knowledge Gaps\n### High\n- t-SNE distances\n"
      "```\nnot = a point\n```\n");
  // The dashboard's readiness sum makes no topic of its section.
  REQUIRE(t.topics.size() == 1);
  CHECK(t.topics[0].title == "Dimensionality reduction");
  CHECK(t.topics[0].key_points ==
        std::vector<std::string>{
            "PCA keeps the directions of largest variance",
            "PCA: C = (1/(n\xE2\x88\x92""1)) X\xE1\xB5\x80X , ratio_k = \xCE\xBB_k / \xCE\xA3 \xCE\xBB_j",
            "PCA: scores = X V", "t-SNE: q_ij \xE2\x88\x9D (1 + d\xC2\xB2)\xE2\x81\xBB\xC2\xB9",
            "Total: L = L_s + \xCE\xBB L_u"});
  CHECK(t.gaps.size() == 1);
  // A block naming a language is code, not formulas; a block left open to
  // the end of the file gives nothing (the lines after it are not a topic's).
  const recall::Tracker code = read(
      "## Topic Notes\n### T1. Loops\n- a point\n```python\nx = 1\n```\n```\ny = 2\n"
      "## Knowledge Gaps\n### High\n- z = 3\n");
  REQUIRE(code.topics.size() == 1);
  CHECK(code.topics[0].key_points == std::vector<std::string>{"a point"});
}

// Round 22's tutor: "### Topic 1: … . Level 3" headings, numbered items
// "1.1 **Error rates.** …", tiers "Tier A: must be closed before 12 March".
// recall first read its level scale as the one topic and every gap as closed.
TEST_CASE("read_tracker: a fifth tutor's layout", "[tracker]") {
  const recall::Tracker t = read(
      "## 0. Snapshot\nLevel scale I use:\n- **1**: recognises the terms\n- **2**: explains\n"
      "## 2. Topic notes: what Dana must be able to say\n"
      "### Topic 1: Experiment statistics (A/B testing). Level 3\n"
      "1.1 **Error rates.** Type I is a false positive.\n\n"
      "1.6 **Multiple testing.**\n"
      "  - **Bonferroni** tests each hypothesis at \xCE\xB1/m.\n"
      "  - **BH** controls the false discovery rate.\n"
      "1.7 **Lloyd's k-means** alternates two steps.\n"
      "- Neither step can increase the inertia.\n"
      "- \xE2\x9A\xA0\xEF\xB8\x8F **Review needed:** she said it always converges globally.\n"
      "*Taught S6.*\n"
      "- a bullet after a paragraph is a point of its own\n"
      "### Topic 4: Recurrent networks (RNN / LSTM). Level 2, *in progress*\n"
      "4.1 An LSTM has four gates' worth of weights.\n"
      "## 3. Gaps, by priority\n"
      "### Tier A: must be closed before 12 March\n- Bonferroni \xE2\x86\x94 BH swap\n"
      "### Tier B: should be fixed\n- Receptive field with strides\n"
      "### Tier C: polish only if time allows\n- DBSCAN \xCE\xB5 selection\n"
      "### Tier D\n- not a tier recall knows\n"
      "### Recently closed\n- p-value definition\n");
  // The numbered section's level scale is no topic: the tracker has topics.
  REQUIRE(t.topics.size() == 2);
  CHECK(t.topics[0].label == "1");
  CHECK(t.topics[0].title == "Experiment statistics (A/B testing)");
  CHECK(t.topics[0].confidence == "Level 3");
  CHECK_FALSE(t.topics[0].in_progress);
  // A bold head run into its text is the point's term; alone, a lead-in.
  // Bullets right under a numbered item with a bold head are about it (a
  // remark stays a remark) until a paragraph of its own.
  CHECK(t.topics[0].key_points ==
        std::vector<std::string>{
            "Error rates: Type I is a false positive.",
            "Multiple testing: **Bonferroni** tests each hypothesis at \xCE\xB1/m.",
            "Multiple testing: **BH** controls the false discovery rate.",
            "**Lloyd's k-means** alternates two steps.",
            "Lloyd's k-means: Neither step can increase the inertia.",
            "\xE2\x9A\xA0\xEF\xB8\x8F **Review needed:** she said it always converges globally.",
            "a bullet after a paragraph is a point of its own"});
  CHECK(t.topics[1].title == "Recurrent networks (RNN / LSTM)");
  CHECK(t.topics[1].confidence == "Level 2");
  CHECK(t.topics[1].in_progress);
  REQUIRE(t.gaps.size() == 4);
  CHECK(t.gaps[0].tier == GapTier::kHigh);
  CHECK(t.gaps[1].tier == GapTier::kMedium);
  CHECK(t.gaps[2].tier == GapTier::kMedium);
  CHECK(t.gaps[3].tier == GapTier::kResolved);
  CHECK(t.gaps[3].text == "p-value definition");
  // A tier is closed by the word right after its name, not by one further on.
  const recall::Tracker closed = read(
      "## Knowledge Gaps\n**Tier 1 \xE2\x80\x94 must be closed first**\n- a\n"
      "**Tier 3 \xE2\x80\x94 closed**\n- b\n");
  REQUIRE(closed.gaps.size() == 2);
  CHECK(closed.gaps[0].tier == GapTier::kHigh);
  CHECK(closed.gaps[1].tier == GapTier::kResolved);
  // A decimal opens no numbered item: a wrapped line stays its bullet's.
  const recall::Tracker decimal = read(
      "## Topic notes\n### T1: Tests\n- the interval is \xC2\xB1\n  1.96 standard errors wide\n"
      "0.05 is the default \xCE\xB1\n## Knowledge Gaps\n");
  REQUIRE(decimal.topics.size() == 1);
  CHECK(decimal.topics[0].key_points ==
        std::vector<std::string>{"the interval is \xC2\xB1 1.96 standard errors wide"});
  // A heading in the topic ends the bullets of a numbered item.
  const recall::Tracker heading = read(
      "## Topic notes\n### Topic 1: Tests\n1.1 **Ratio metrics.** Use the delta method.\n"
      "#### Follow-ups\n- Why not bootstrap rows?\n## Knowledge Gaps\n");
  REQUIRE(heading.topics.size() == 1);
  CHECK(heading.topics[0].key_points ==
        std::vector<std::string>{"Ratio metrics: Use the delta method.", "Why not bootstrap rows?"});
  // A deadline or a compound word after the tier's name closes nothing.
  const recall::Tracker deadline = read(
      "## Knowledge Gaps\n### Tier A \xE2\x80\x94 done by S10\n- a\n"
      "### Tier B (closed-book recall)\n- b\n### Tier C: fixed before the onsite\n- c\n");
  REQUIRE(deadline.gaps.size() == 3);
  CHECK(deadline.gaps[0].tier == GapTier::kHigh);
  CHECK(deadline.gaps[1].tier == GapTier::kMedium);
  CHECK(deadline.gaps[2].tier == GapTier::kMedium);
  // A level only at the title's end.
  const recall::Tracker words = read(
      "## Topic notes\n### Topic 2: Multi-level models, level 2 pooling\n- a point\n"
      "### 4.2 Caching \xE2\x80\x94 Level 1 vs Level 2 caches\n- b\n## Knowledge Gaps\n");
  REQUIRE(words.topics.size() == 2);
  CHECK(words.topics[0].title == "Multi-level models, level 2 pooling");
  CHECK(words.topics[0].confidence.empty());
  CHECK(words.topics[1].title == "Caching \xE2\x80\x94 Level 1 vs Level 2 caches");
  // "Level" inside a title is no level: "Low-level features. Level 2".
  const recall::Tracker level = read(
      "## Topic notes\n### T1: Level sets and low-level features. Level 2/5\n- a point\n"
      "## Knowledge Gaps\n");
  REQUIRE(level.topics.size() == 1);
  CHECK(level.topics[0].title == "Level sets and low-level features");
  CHECK(level.topics[0].confidence == "Level 2/5");
}

TEST_CASE("read_tracker: a sixth tutor's layout, labelled topics under a section of notes",
          "[tracker]") {
  const recall::Tracker t = read(
      "## A. Snapshot\n| # | Module | Level |\n|---|---|---|\n| M1 | MCMC | L4 |\n"
      "## B. Module notes\n"
      "### M1 \xC2\xB7 MCMC sampling \xE2\x80\x94 L4\n"
      "*Covered:* MH and Gibbs.\n"
      "1. Detailed balance is sufficient for stationarity.\n"
      "2. Gibbs is MH with acceptance 1.\n"
      "### M6 \xC2\xB7 Topic models (LDA) \xE2\x80\x94 L2 \xC2\xB7 *in progress, partly taught*\n"
      "1. Bag of words.\n"
      "### C3 \xE2\x80\x94 Regularisation \xE2\x80\x94 L1 vs L2\n"
      "- L1 gives sparse weights.\n"
      "### C4 \xC2\xB7 Caching \xE2\x80\x94 L1/L2\n"
      "- a cache line is 64 bytes.\n"
      "### C5 \xC2\xB7 Kernels \xE2\x80\x94 L3 (solid)\n"
      "- the RBF kernel is exp(\xE2\x88\x92\xCE\xB3\xE2\x80\x96x \xE2\x88\x92 y\xE2\x80\x96\xC2\xB2).\n"
      "## Modules to cover later\n### M7 \xC2\xB7 Kernels\n- not taught yet\n"
      "## C. Open threads (knowledge gaps)\n### Tier 1 \xE2\x80\x94 must be fixed\n- **G-01** Q vs R\n");
  // The headings are topics though the section is not named for topics;
  // not those of a section of modules still to come, nor a heading with no
  // level ("L1 vs L2" and "L1/L2" run on: titles), which ends the topic.
  REQUIRE(t.topics.size() == 3);
  CHECK(t.topics[0].label == "M1");
  CHECK(t.topics[0].title == "MCMC sampling");
  CHECK(t.topics[0].confidence == "L4");
  CHECK(t.topics[0].key_points == std::vector<std::string>{
                                      "Detailed balance is sufficient for stationarity.",
                                      "Gibbs is MH with acceptance 1."});
  CHECK(t.topics[1].label == "M6");
  CHECK(t.topics[1].title == "Topic models (LDA)");
  CHECK(t.topics[1].confidence == "L2");
  CHECK(t.topics[1].in_progress);
  CHECK(t.topics[2].label == "C5");
  CHECK(t.topics[2].title == "Kernels");
  CHECK(t.topics[2].confidence == "L3");
  CHECK(t.topics[2].key_points.size() == 1);
  REQUIRE(t.gaps.size() == 1);
  CHECK(t.gaps[0].tier == GapTier::kHigh);

  // A tracker with topics of its own: a log or a list of resources with
  // such headings is no topic (the fixture, a mock-interview log after it).
  const std::string logged =
      fixture_bytes() +
      "\n## Mock Interview Log\n\n### M1 \xC2\xB7 2026-02-12 Google phone screen \xE2\x80\x94 L3\n"
      "- Asked to explain AUC; swapped the ROC axes again\n\n## Resources\n\n### 1. Books "
      "\xE2\x80\x94 L2\n- Bishop: Pattern Recognition and Machine Learning\n";
  const recall::Tracker with_log = read(logged);
  CHECK(with_log.topics.size() == fixture().topics.size());
  for (const recall::Topic& topic : with_log.topics) CHECK(topic.label != "M1");
  // Numbered sections that are topics: the same.
  const recall::Tracker numbered = read(
      "## 1 \xC2\xB7 Semi-supervised learning \xE2\x80\x94 70 %\n- FixMatch uses a threshold.\n"
      "## Appendix\n### A.1 \xC2\xB7 Glossary \xE2\x80\x94 L2\n- SSL: semi-supervised.\n"
      "## Knowledge Gaps\n");
  REQUIRE(numbered.topics.size() == 1);
  CHECK(numbered.topics[0].title == "Semi-supervised learning");
  // Notes that are no tracker at all stay refused.
  CHECK_THROWS_WITH(read("## Action items\n### 1. Budget\n- approve the quote\n"),
                    Catch::Contains("expected a study tracker"));
}

TEST_CASE("read_tracker: a missing section leaves its part empty", "[tracker]") {
  const std::string text = fixture_bytes();
  const std::size_t start = text.find("## Knowledge Gaps");
  const std::size_t end = text.find("## Interview Readiness Checklist");
  const recall::Tracker t = read(text.substr(0, start) + text.substr(end));
  CHECK(t.gaps.empty());
  CHECK(t.topics.size() == 21);
  CHECK(t.checklist.size() == 36);
  CHECK(t.find_section("Knowledge Gaps") == nullptr);
}

TEST_CASE("read_tracker: hostile inputs end cleanly", "[tracker][robustness]") {
  SECTION("a very long single line") {
    CHECK_THAT(data_error(std::string(8'000'000, 'x'), "long.md"),
               Catch::Matchers::StartsWith("long.md:1: expected a study tracker"));
  }
  SECTION("a huge heading and a huge table row in Session History") {
    std::string row = "|";
    for (int i = 0; i < 100'000; ++i) row += " c |";
    const recall::Tracker t =
        read("## Session History " + std::string(1'000'000, '#') + "\n" + row + "\n");
    REQUIRE(t.sessions.size() == 1);
    CHECK(t.sessions[0].date == "c");
  }
  SECTION("100,000 columns in a topic row") {
    std::string row = "|";
    for (int i = 0; i < 100'000; ++i) row += "a|";
    CHECK_THAT(data_error("## Topics Mastered\n" + row + "\n", "wide.md"),
               Catch::Matchers::StartsWith("wide.md:2: expected 4 columns") &&
                   Catch::Matchers::EndsWith("found 100000"));
  }
  SECTION("millions of empty cells") {
    CHECK_THAT(data_error("## Topics Mastered\n" + std::string(5'000'000, '|') + "\n", "pipes.md"),
               Catch::Matchers::EndsWith("found 4999999"));
  }
  SECTION("deep nesting") {
    std::string text = "## Interview Readiness Checklist\n";
    for (int i = 0; i < 2'000; ++i) text += std::string(i, ' ') + "- " + std::string(i, '>') + "\n";
    text += std::string(100'000, '>') + " - [x] quoted\n";
    text += std::string(100'000, '*') + "\n";
    CHECK(read(text).checklist.empty());
  }
  SECTION("unterminated markup") {
    const recall::Tracker t = read(
        "## Topics Mastered\n### \n### A.\n| **A.1 x | d | c | <br <br/ <br> \xE2\x80\xA2 |\n"
        "**Last Updated**:\n**:\n## Quick Stats\n| A. (%) | (+ | x |\n| Z. (99999999999%) |\n");
    REQUIRE(t.topics.size() == 1);
    CHECK(t.topics[0].key_points == std::vector<std::string>{"<br <br/"});
    CHECK(t.last_updated_line == 5);
    CHECK_FALSE(t.last_updated);
    CHECK(t.find_domain('Z')->weight_percent > 0);
  }
}

TEST_CASE("read_tracker: a 10,000-topic tracker reads whole", "[tracker]") {
  std::string text = "## Topics Mastered\n";
  for (int domain = 0; domain < 10; ++domain) {
    text += "### " + std::string(1, static_cast<char>('A' + domain)) + ". Domain\n";
    text += "| Topic | Date Mastered | Confidence | Key Points |\n|---|---|---|---|\n";
    for (int i = 0; i < 1'000; ++i) {
      text += "| **" + std::string(1, static_cast<char>('A' + domain)) + "." + std::to_string(i) +
              " Topic \\| name** | 2026-01-01 | High | ";
      for (int k = 0; k < 6; ++k)
        text += (k ? "<br>" : "") + std::string("\xE2\x80\xA2 point ") + std::to_string(k);
      text += " |\n";
    }
  }
  const recall::Tracker t = read(text);
  CHECK(t.topics.size() == 10'000);
  std::size_t points = 0;
  for (const auto& topic : t.topics) points += topic.key_points.size();
  CHECK(points == 60'000);
  CHECK(t.topics.back().title == "Topic | name");
  CHECK(t.domains.size() == 10);
}
