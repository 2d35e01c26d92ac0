#include "recall/study.h"

#include "recall/deck.h"
#include "recall/error.h"
#include "recall/files.h"
#include "recall/settings.h"
#include "recall/store.h"
#include "recall/tracker.h"

#include <filesystem>

namespace recall {

Day study_day(Store& store, std::chrono::system_clock::time_point now) {
  int rollover = kDefaultRolloverHour;
  if (auto value = store.setting("rollover-hour")) rollover = stored_number_setting("rollover-hour", *value);
  return local_day(now, rollover);
}

std::optional<Day> effective_interview_date(Store& store) {
  if (auto value = store.setting("interview-date"))
    if (auto day = parse_day(*value)) return day;
  return store.tracker_interview_date();
}

std::string tracker_to_sync(Store& store, const std::optional<std::string>& given) {
  if (given) return *given;
  if (auto remembered = store.tracker_path()) return *remembered;
  throw Error::usage("sync: no TRACKER given and none imported yet (run recall import TRACKER)");
}

FileImport import_file(Store& store, const std::string& path, Day today,
                       const std::function<void()>& on_repaired) {
  const TrackerText text = prepare_text(read_file(path));
  FileImport result;
  result.repaired_mojibake = text.repaired_mojibake;
  if (text.repaired_mojibake && on_repaired) on_repaired();
  if (is_deck(text.text)) {
    result.deck = true;
    result.report = import_deck(store, read_deck(text, path), today);
    return result;
  }
  // Remembered by its absolute path: `recall sync` may run from elsewhere.
  const std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
  result.report = import_tracker_text(store, text, path, today, absolute);
  return result;
}

}  // namespace recall
