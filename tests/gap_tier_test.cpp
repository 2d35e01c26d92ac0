// The gap tier's one spelling (to_string / gap_tier_from_string), and the
// tiers a tracker import stores coming back as the tracker's tiers.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "recall/error.h"
#include "recall/importer.h"
#include "recall/store.h"
#include "recall/tracker.h"
#include "support.h"

using namespace recall;
using recall::test::TempDir;

TEST_CASE("gap tier: to_string and gap_tier_from_string round trip", "[gaps]") {
  CHECK(to_string(GapTier::kHigh) == "high");
  CHECK(to_string(GapTier::kMedium) == "medium");
  CHECK(to_string(GapTier::kResolved) == "resolved");
  for (GapTier tier : {GapTier::kHigh, GapTier::kMedium, GapTier::kResolved})
    CHECK(gap_tier_from_string(to_string(tier)) == tier);
  for (const char* bad : {"", "High", "low", "high ", "medium priority"})
    CHECK_THROWS_AS(gap_tier_from_string(bad), Error);
}

TEST_CASE("gap tier: the store gives back the tiers the tracker import wrote", "[gaps]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  const TrackerText text = prepare_text(recall::test::read_bytes(recall::test::fixture_path()));
  const Tracker tracker = read_tracker(text, "ml-study-tracker.md");
  import_tracker(store, tracker, *parse_day("2026-11-20"), std::nullopt);
  std::map<std::string, GapTier> written;
  for (const Gap& gap : tracker.gaps) written[gap.text] = gap.tier;
  const std::vector<GapRow> rows = store.gaps();
  REQUIRE(rows.size() == written.size());
  std::map<GapTier, int> per_tier;
  for (const GapRow& row : rows) {
    REQUIRE(written.count(row.text) == 1);
    CHECK(row.tier == written[row.text]);
    ++per_tier[row.tier];
  }
  CHECK(per_tier[GapTier::kMedium] > 0);
  CHECK(per_tier[GapTier::kResolved] > 0);
}
