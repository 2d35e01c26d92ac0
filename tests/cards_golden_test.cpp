// Card generation, gap linking and matching pinned byte for byte. The import
// speed work of issue 7 rewrites their insides (interned terms, fewer
// copies); a card's identity, text, tags, order or gap links must not move.
// The digests were taken from the implementation before that work. On a
// mismatch the dump is written to the temp folder (see the failure
// message): compare it with the dump of an older build. A change of output
// that is meant goes with new digests and a bump of kCardRulesVersion.

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "recall/cards.h"
#include "recall/tracker.h"
#include "support.h"

namespace {

std::uint64_t Fnv1a64(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string Hex(std::uint64_t value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) hex[i] = kHex[value & 0xF];
  return hex;
}

// Every field of every draft, then the gap links, then match ids.
std::string Dump(const std::vector<recall::CardDraft>& cards,
                 const std::vector<std::vector<std::size_t>>& links,
                 const std::vector<long long>& matches) {
  std::string out;
  for (const recall::CardDraft& c : cards) {
    out += c.identity + "\t" + std::string(recall::to_string(c.kind)) + "\t" + c.topic_key + "\t" +
           c.topic_label + "\t" + c.topic_title + "\t" + c.domain_letter + "\t" +
           std::to_string(c.order) + "\t" + c.drills_topic_key + "\n";
    out += "front:" + c.front + "\nback:" + c.back + "\nanswer:" + c.answer +
           "\nsource:" + c.source + "\nquality:" + c.quality + "|" + c.quality_reason + "\ntags:";
    for (const std::string& tag : c.tags) out += tag + ",";
    out += "\n";
  }
  for (const auto& gap : links) {
    out += "gap:";
    for (std::size_t i : gap) out += std::to_string(i) + ",";
    out += "\n";
  }
  out += "matches:";
  for (long long id : matches) out += std::to_string(id) + ",";
  return out + "\n";
}

recall::Tracker Read(const std::string& relative) {
  const std::string path = recall::test::source_path(relative);
  return recall::read_tracker(recall::prepare_text(recall::test::read_bytes(path)), path);
}

// The tracker edited the way a tutor edits between sessions: a clause added
// to every third point, every seventh topic retitled, every fifth point gone.
recall::Tracker Edited(recall::Tracker t) {
  int n = 0;
  for (std::size_t i = 0; i < t.topics.size(); ++i) {
    recall::Topic& topic = t.topics[i];
    if (i % 7 == 3) topic.title += " (revised)";
    std::vector<std::string> points;
    for (const std::string& point : topic.key_points) {
      ++n;
      if (n % 5 == 0) continue;
      points.push_back(n % 3 == 0 ? point + " in practice" : point);
    }
    topic.key_points = points;
  }
  return t;
}

// One block per card, for a reviewer to read: rule (kind/shape), quality, front, back.
std::string Readable(const std::vector<recall::CardDraft>& cards) {
  std::string out;
  for (const recall::CardDraft& c : cards) {
    out += "=== " + c.rule + " · " + c.quality;
    if (!c.quality_reason.empty()) out += " (" + c.quality_reason + ")";
    out += "\nQ: " + c.front + "\nA: " + c.back + "\n\n";
  }
  return out;
}

}  // namespace

// The readable golden: tests/data/cards-golden.txt holds every card of the
// fixture and of three trackers the rules were not written from
// (tests/data/other-tracker.md, llm-study-tracker.md, classical-ml-tracker.md, recsys-nlp-tracker.md).
// A rule change shows up as a diff of that file. To accept a change on purpose, run
//   RECALL_UPDATE_GOLDEN=1 ./build/recall_tests "[golden]"
// review `git diff tests/data/cards-golden.txt`, and bump kCardRulesVersion.
TEST_CASE("the cards of the fixture and of other trackers read as the golden text",
          "[cards][golden]") {
  std::string dump;
  for (const char* file : {"tests/data/ml-study-tracker.md", "tests/data/other-tracker.md",
                           "tests/data/llm-study-tracker.md", "tests/data/classical-ml-tracker.md",
                           "tests/data/recsys-nlp-tracker.md"}) {
    dump += "##### " + std::string(file) + "\n\n" + Readable(recall::make_cards(Read(file)));
  }
  const std::string golden = recall::test::source_path("tests/data/cards-golden.txt");
  if (std::getenv("RECALL_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << dump;
  }
  const std::string expected = recall::test::read_bytes(golden);
  if (dump != expected) {
    const std::filesystem::path out = std::filesystem::temp_directory_path() / "cards-golden.txt";
    std::ofstream(out, std::ios::binary) << dump;
    FAIL_CHECK("cards differ from tests/data/cards-golden.txt; diff it with " << out.string());
  }
}

// Every field, gap links and matches, pinned by digest (the readable golden
// above covers what a reviewer reads; this one covers identities and order).
TEST_CASE("card drafts, gap links and matches are byte-identical to the pinned digests",
          "[cards][golden]") {
  const auto [file, expected_cards, expected_digest] =
      GENERATE(table<std::string, std::size_t, std::string>({
          {"tests/data/ml-study-tracker.md", 131, "143b9ccf45de7680"},
          {"tests/data/generated-120-topics.md", 722, "771ab48fbd9a75a6"},
      }));
  CAPTURE(file);
  const recall::Tracker tracker = Read(file);
  std::vector<std::vector<std::size_t>> links;
  const std::vector<recall::CardDraft> cards = recall::make_cards(tracker, &links);
  const std::vector<recall::CardDraft> edited = recall::make_cards(Edited(tracker));
  std::string dump =
      Dump(cards, links, recall::match_cards(recall::test::as_existing(cards), edited));
  // Resolved gaps too, which make_cards leaves unlinked.
  for (const auto& gap : recall::cards_for_gaps(tracker.gaps, cards)) {
    dump += "all:";
    for (std::size_t i : gap) dump += std::to_string(i) + ",";
    dump += "\n";
  }
  const std::string digest = Hex(Fnv1a64(dump));
  if (digest != expected_digest) {
    const std::filesystem::path out =
        std::filesystem::temp_directory_path() /
        (std::filesystem::path(file).filename().string() + ".cards.dump");
    std::ofstream(out, std::ios::binary) << dump;
    FAIL_CHECK("digest " << digest << " differs; dump written to " << out.string());
  }
  CHECK(cards.size() == expected_cards);
}
