// Shell completion's words (completion.h): the database is
// opened read-only, without the schema upgrade, the WAL switch or a busy
// wait, so pressing Tab never creates, changes or waits on a database.
#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "recall/completion.h"
#include "recall/store.h"

namespace recall {

CompletionWords read_completion_words(const std::string& path) {
  CompletionWords words;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return words;
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement version(db, "PRAGMA user_version");
    // A database from another program, or from a newer recall: no words.
    if (!version.executeStep() || version.getColumn(0).getInt() < 1 ||
        version.getColumn(0).getInt() > Store::kSchemaVersion)
      return words;
    SQLite::Statement cards(db, "SELECT id FROM cards WHERE retired = 0 ORDER BY id");
    while (cards.executeStep()) words.card_ids.push_back(cards.getColumn(0).getInt64());
    SQLite::Statement topics(db, "SELECT label FROM topics WHERE retired = 0 ORDER BY position");
    while (topics.executeStep()) words.topic_labels.push_back(topics.getColumn(0).getString());
    SQLite::Statement domains(db, "SELECT letter FROM domains ORDER BY letter");
    while (domains.executeStep()) words.domain_letters.push_back(domains.getColumn(0).getString());
  } catch (const std::exception&) {
    return {};  // locked, damaged or not a recall database: nothing to offer
  }
  return words;
}

}  // namespace recall
