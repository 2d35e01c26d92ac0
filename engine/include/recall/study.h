// The small use cases every command shares, so that cli/ and the MCP server
// only parse, make one engine call and print: which study day it is, the
// interview date in force, the tracker a sync writes, and importing a file
// of either kind. Each reads what it needs from the store.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "recall/day.h"
#include "recall/importer.h"

namespace recall {

class Store;  // store.h

// The study day at `now`: local time, a new day starting at the
// "rollover-hour" setting (4 by default: an answer at 1 a.m. counts for the
// day before). Throws Error(kData) for a stored hour that is not valid.
Day study_day(Store& store, std::chrono::system_clock::time_point now);

// The interview date in force: the "interview-date" setting, else the date
// remembered from the last imported tracker, else nullopt.
std::optional<Day> effective_interview_date(Store& store);

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
FileImport import_file(Store& store, const std::string& path, Day today,
                       const std::function<void()>& on_repaired = {});

}  // namespace recall
