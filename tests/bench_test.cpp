// The performance fix of issue 7: gap links computed with one index for all
// gaps must be exactly the per-gap links.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "recall/cards.h"
#include "recall/tracker.h"
#include "support.h"

TEST_CASE("cards_for_gaps equals cards_for_gap for every gap of the fixture", "[bench][gaps]") {
  std::ifstream in(recall::test::fixture_path(), std::ios::binary);
  REQUIRE(in.good());
  std::stringstream bytes;
  bytes << in.rdbuf();
  const recall::Tracker tracker =
      recall::read_tracker(recall::prepare_text(bytes.str()), "ml-study-tracker.md");
  const std::vector<recall::CardDraft> cards = recall::make_cards(tracker);
  REQUIRE(tracker.gaps.size() >= 5);
  const auto links = recall::cards_for_gaps(tracker.gaps, cards);
  REQUIRE(links.size() == tracker.gaps.size());
  std::size_t linked = 0;
  for (std::size_t i = 0; i < tracker.gaps.size(); ++i) {
    CHECK(links[i] == recall::cards_for_gap(tracker.gaps[i], cards));
    linked += links[i].empty() ? 0 : 1;
  }
  CHECK(linked > 0);  // the comparison is not between empty lists only
  CHECK(recall::cards_for_gaps({}, cards).empty());
}
