// Steps of the feedback loop through the real binary, shared by the loop
// and sync tests: a copy of a tracker imported on a day, a card found by its
// point, answers and syncs that must succeed.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support.h"

namespace recall::test {

// `recall --today DAY answer ID GRADE [--note NOTE]`; REQUIREs success. Its stdout.
inline std::string answer(const std::string& db, const std::string& day, long long id, int grade,
                          const std::string& note = "") {
  std::vector<std::string> args = {"--today", day, "answer", std::to_string(id),
                                   std::to_string(grade)};
  if (!note.empty()) args.insert(args.end(), {"--note", note});
  const auto result = run_recall(db, args);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

// `recall --today DAY sync [EXTRA...]`; REQUIREs success. Its stdout.
inline std::string sync(const std::string& db, const std::string& day,
                        const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"--today", day, "sync"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto result = run_recall(db, args);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

// The card of topic `label` whose point starts with `head`; FAILs without one.
inline long long card_starting(const std::string& db, const std::string& label,
                               const std::string& head) {
  for (const auto& c : topic_cards(db, label))
    if (c.source.rfind(head, 0) == 0) return c.id;
  FAIL("no card " << head << " in " << label);
  return 0;
}

// The tracker at `source` copied to DIR/tracker.md and imported into
// DIR/r.db on `day` (REQUIREd to succeed); `original` holds its bytes.
struct ImportedTracker {
  TempDir dir;
  std::string db = dir.file("r.db"), tracker = dir.file("tracker.md");
  std::string original;
  ImportedTracker(const std::string& source, const std::string& day)
      : original(read_bytes(source)) {
    write_bytes(tracker, original);
    REQUIRE(run_recall(db, {"--today", day, "import", tracker}).exit_code == 0);
  }
  long long card(const std::string& label, const std::string& head) const {
    return card_starting(db, label, head);
  }
  void answer(const std::string& day, long long id, int grade) const {
    recall::test::answer(db, day, id, grade);
  }
  void sync(const std::string& day) const { recall::test::sync(db, day); }
};

}  // namespace recall::test
