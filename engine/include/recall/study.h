// The small use cases every command shares, so that cli/ and the MCP server
// only parse, make one engine call and print: which study day it is, the
// interview date in force, the tracker a sync writes, and importing a file
// of either kind. Each reads what it needs from the store.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "recall/day.h"
#include "recall/deck.h"
#include "recall/importer.h"
#include "recall/model.h"
#include "recall/settings.h"

namespace recall {

class Store;  // store.h

// The study day at `now`: local time, a new day starting at the
// "rollover-hour" setting (4 by default: an answer at 1 a.m. counts for the
// day before), never before the study day in force when that setting last
// changed (set_config remembers it): a rollover change takes effect from the
// next study day, so no setting moves the day backwards. Throws
// Error(kData) for a stored hour that is not valid.
Day study_day(Store& store, std::chrono::system_clock::time_point now);

// The interview date in force: the "interview-date" setting, else the date
// remembered from the last imported tracker, else nullopt.
std::optional<Day> effective_interview_date(Store& store);
// The same from settings already read (the tracker's date is kept as the
// setting tracker-interview-date).
std::optional<Day> effective_interview_date(const StoredSettings& settings);

// The tracker `recall sync` writes: `given`, else the one the last tracker
// import remembered. Throws Error(kUsage) when neither exists.
std::string tracker_to_sync(Store& store, const std::optional<std::string>& given);

// One file imported, whichever kind it is: a deck file (deck.h is_deck) or a
// study tracker (remembered, by its absolute path, for `recall sync`).
struct FileImport {
  bool deck = false;               // else a tracker
  bool repaired_mojibake = false;  // the text was UTF-8 once decoded as Mac OS Roman
  ImportReport report;
};
// `on_repaired` is called before the import when the text needed the
// mojibake repair (the caller says so to the learner). Throws as read_file,
// read_deck and the importers do, naming the file; nothing is written then.
// `allow_mass_retire`: a tracker may retire most cards made from key points
// (ImportSource's; refused without it).
FileImport import_file(Store& store, const std::string& path, Day today,
                       const std::function<void()>& on_repaired = {},
                       bool allow_mass_retire = false);

// `recall deck generate`: the deck of the tracker at `tracker_path`
// (deck.h), with the edits the database holds (`store`, when there is one:
// recall edit, an imported deck) on stdout and in a file alike. With
// `output`, the deck is written there atomically, keeping the text edited in
// an earlier deck at that path (a file there that is not a deck is refused,
// Error(kData) naming it, unless `force`); a card edited both there and in
// the database gets the newer edit and is named in `conflicts`
// (keep_stored_edits), and a file whose bytes change is first copied beside
// it (`backup`: FILE.bak, never over an existing file). Without `output`, the
// text is returned only. The caller refuses protected outputs first
// (paths.h).
struct GeneratedDeck {
  std::string text;
  std::size_t cards = 0;
  int kept = 0;  // cards whose text is an edit, not the rules' text
  std::vector<EditConflict> conflicts;
  std::string backup;  // where the replaced file was copied; empty: none
};
GeneratedDeck generate_deck(const std::string& tracker_path, const std::string& output, bool force,
                            Store* store, const std::function<void()>& on_repaired = {});

// `recall config`: the settings (settings.h known_settings) with their
// values, `key` alone when given (Error(kUsage) for an unknown key); `set`
// validates and stores the normalised value, which it returns; `unset`
// removes it. Changing rollover-hour also remembers the study day in force
// at `now` (study_day). Each write is one transaction.
struct SettingValue {
  std::string key;
  std::string value;  // "" when unset with no default
  bool is_default = false;
};
std::vector<SettingValue> config_values(Store& store, const std::optional<std::string>& key);
std::string set_config(Store& store, const std::string& key, const std::string& value,
                       std::chrono::system_clock::time_point now);
void unset_config(Store& store, const std::string& key, std::chrono::system_clock::time_point now);

// `recall check --repair`: when `recall check` finds answers dated before
// an earlier answer of their card (area "order"), the database is first
// copied to `backup_path` (Store::backup), then Store::repair_log mends
// every such card in one transaction. `backup` is empty and nothing is
// written when there is nothing to repair.
struct LogRepairResult {
  int cards = 0;
  int redated = 0;
  int memory_cards = 0;  // cards whose kept memory differed, all recomputed
  int links = 0;         // links to gaps the tutor had taken the card away from, removed
  std::string backup;
};
LogRepairResult repair_review_log(Store& store, const std::string& backup_path);

// `recall add` and `recall edit`: Store::add_card and Store::edit_card, the
// way every command reaches the store's writes.
long long add_card_by_hand(Store& store, const std::string& front, const std::string& back,
                           const std::optional<std::string>& topic_label, Day today);
// `by` ("learner" or "tutor") and `today` are recorded as the card's review.
Card edit_card_text(Store& store, long long id, const std::optional<std::string>& front,
                    const std::optional<std::string>& back, const std::string& by = "learner",
                    std::optional<Day> today = std::nullopt);

}  // namespace recall
