// What shell completion offers from a database (`recall completion --list`).
// Not a Store: it opens the file read-only, without the schema upgrade, the
// WAL switch or a busy wait, so pressing Tab never creates, changes or waits
// on a database. Its SQL is in engine/src/store_completion.cpp.
#pragma once

#include <string>
#include <vector>

namespace recall {

struct CompletionWords {
  std::vector<long long> card_ids;          // cards not retired, by id
  std::vector<std::string> topic_labels;    // topics not retired, in tracker order
  std::vector<std::string> domain_letters;  // A, B, ...
};

// Empty when `path` is missing, busy, damaged, not a recall database or one
// made by a newer recall.
CompletionWords read_completion_words(const std::string& path);

}  // namespace recall
