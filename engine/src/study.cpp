#include "recall/study.h"
#include "recall/feedback.h"

#include "recall/cards.h"
#include "recall/check.h"
#include "recall/deck.h"
#include "recall/error.h"
#include "recall/files.h"
#include "recall/settings.h"
#include "recall/store.h"
#include "recall/tracker.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

namespace recall {

Day study_day(Store& store, std::chrono::system_clock::time_point now) {
  int rollover = kDefaultRolloverHour;
  if (auto value = store.setting("rollover-hour"))
    rollover = stored_number_setting("rollover-hour", *value);
  const Day day = local_day(now, rollover);
  if (const auto floor = store.setting(kStudyDayFloorSetting))
    if (const auto in_force = parse_day(*floor)) return std::max(day, *in_force);
  return day;
}

namespace {

// A rollover-hour change takes effect from the next study day: the day in
// force now is remembered, and study_day never returns one before it.
std::vector<std::pair<std::string, std::string>> day_floor_if_rollover(
    Store& store, const std::string& key, std::chrono::system_clock::time_point now) {
  if (key != "rollover-hour") return {};
  try {
    return {{kStudyDayFloorSetting, format_day(study_day(store, now))}};
  } catch (const Error&) {
    return {};  // a damaged stored hour gave no study day; mending it must work
  }
}

}  // namespace

std::optional<Day> effective_interview_date(const StoredSettings& settings) {
  for (const char* key : {"interview-date", kTrackerInterviewSetting})
    if (const auto value = stored_value(settings, key))
      if (auto day = parse_day(*value)) return day;
  return std::nullopt;
}

std::optional<Day> effective_interview_date(Store& store) {
  return effective_interview_date(stored_settings(store));
}

std::string tracker_to_sync(Store& store, const std::optional<std::string>& given) {
  if (given) return *given;
  if (auto remembered = store.tracker_path()) return *remembered;
  throw Error::usage("sync: no TRACKER given and none imported yet (run recall import TRACKER)");
}

FileImport import_file(Store& store, const std::string& path, Day today,
                       const std::function<void()>& on_repaired, bool allow_mass_retire) {
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
  result.report = import_tracker_text(store, text, path, today, absolute, allow_mass_retire);
  return result;
}

namespace {

// The modification time of `path` in Unix seconds; nullopt when unreadable.
std::optional<long long> modified_seconds(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return static_cast<long long>(info.st_mtime);
}

}  // namespace

GeneratedDeck generate_deck(const std::string& tracker_path, const std::string& output, bool force,
                            Store* store, const std::function<void()>& on_repaired) {
  const TrackerText text = prepare_text(read_file(tracker_path));
  if (text.repaired_mojibake && on_repaired) on_repaired();
  const Tracker tracker = read_tracker(text, tracker_path);
  std::vector<CardDraft> cards =
      make_cards(tracker, nullptr, store ? recall_gap_keys(*store) : std::set<std::string>{});
  std::vector<CardDraft> generated = cards;
  const std::string title = std::filesystem::path(tracker_path).stem().string();
  GeneratedDeck deck;
  std::optional<std::string> replaced;  // the bytes of the file at `output`
  std::optional<long long> deck_time;
  std::error_code missing;
  if (!output.empty() && std::filesystem::exists(output, missing)) {
    replaced = read_file(output);
    const TrackerText previous = prepare_text(*replaced);
    if (is_deck(previous.text)) {
      keep_deck_text(cards, read_deck(previous, output));
      deck_time = modified_seconds(output);
    } else if (!force) {
      throw Error::data(output + ":1: exists and is not a recall deck; pass --force to replace it");
    }
  }
  // Edits held by the database (`recall edit`, an imported deck), the same
  // on stdout and in a file; over a deck's own edit of a card, the newer.
  if (store)
    deck.conflicts = keep_stored_edits(cards, generated, store->card_contents(), deck_time);
  deck.kept = count_edited(cards, generated);
  deck.cards = cards.size();  // without the cards retired in a review pass
  deck.text = write_deck(title, tracker, cards);
  if (output.empty()) return deck;
  if (replaced && *replaced != deck.text)
    deck.backup = backup_beside(output, *replaced, "the deck's backup");
  write_file_atomically(output, deck.text);
  return deck;
}

std::vector<SettingValue> config_values(Store& store, const std::optional<std::string>& key) {
  if (key) require_known_setting(*key);
  std::vector<SettingValue> values;
  for (const auto& info : known_settings()) {
    if (key && *key != info.key) continue;
    const auto stored = store.setting(info.key);
    values.push_back({info.key, stored ? *stored : info.default_value, !stored});
  }
  return values;
}

std::string set_config(Store& store, const std::string& key, const std::string& value,
                       std::chrono::system_clock::time_point now) {
  const std::string normalised = validate_setting(key, value);
  auto writes = day_floor_if_rollover(store, key, now);
  writes.emplace_back(key, normalised);
  store.set_settings(writes);
  return normalised;
}

void unset_config(Store& store, const std::string& key, std::chrono::system_clock::time_point now) {
  require_known_setting(key);
  store.set_settings(day_floor_if_rollover(store, key, now), {key});
}

LogRepairResult repair_review_log(Store& store, const std::string& backup_path) {
  LogRepairResult result;
  const CheckReport report = store.check();
  const auto count = [&](const char* area) {
    return static_cast<int>(std::count_if(report.problems.begin(), report.problems.end(),
                                          [&](const CheckProblem& p) { return p.area == area; }));
  };
  const bool out_of_order = count("order") > 0;
  result.memory_cards = count("memory");
  const bool links = count("links") > 0;
  if (!out_of_order && result.memory_cards == 0 && !links) return result;
  store.backup(backup_path);
  result.backup = backup_path;
  if (out_of_order) {
    const Store::LogRepairReport repaired = store.repair_log();
    result.cards = repaired.cards;
    result.redated = repaired.redated;
  }
  if (result.memory_cards > 0) store.recompute_memory();
  if (links) result.links = store.drop_unlinked_links();
  return result;
}

long long add_card_by_hand(Store& store, const std::string& front, const std::string& back,
                           const std::optional<std::string>& topic_label, Day today) {
  return store.add_card(front, back, topic_label, today);
}

Card edit_card_text(Store& store, long long id, const std::optional<std::string>& front,
                    const std::optional<std::string>& back, const std::string& by,
                    std::optional<Day> today) {
  return store.edit_card(id, front, back, by, today);
}

}  // namespace recall
