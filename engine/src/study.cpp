#include "recall/study.h"

#include "recall/cards.h"
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
  if (auto value = store.setting("rollover-hour"))
    rollover = stored_number_setting("rollover-hour", *value);
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

GeneratedDeck generate_deck(const std::string& tracker_path, const std::string& output, bool force,
                            Store* store, const std::function<void()>& on_repaired) {
  const TrackerText text = prepare_text(read_file(tracker_path));
  if (text.repaired_mojibake && on_repaired) on_repaired();
  const Tracker tracker = read_tracker(text, tracker_path);
  std::vector<CardDraft> cards = make_cards(tracker);
  const std::string title = std::filesystem::path(tracker_path).stem().string();
  GeneratedDeck deck;
  if (output.empty()) {
    // The database's edits and reviews hold on stdout too.
    if (store) deck.kept = keep_stored_edits(cards, store->card_contents());
    deck.cards = cards.size();
    deck.text = write_deck(title, tracker, cards);
    return deck;
  }
  std::error_code missing;
  if (std::filesystem::exists(output, missing)) {
    const TrackerText previous = prepare_text(read_file(output));
    if (is_deck(previous.text))
      deck.kept = keep_deck_text(cards, read_deck(previous, output));
    else if (!force)
      throw Error::data(output + ":1: exists and is not a recall deck; pass --force to replace it");
  }
  // Edits held by the database (`recall edit`, an imported deck) last.
  if (store) deck.kept += keep_stored_edits(cards, store->card_contents());
  deck.cards = cards.size();
  deck.text = write_deck(title, tracker, cards);
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

std::string set_config(Store& store, const std::string& key, const std::string& value) {
  const std::string normalised = validate_setting(key, value);
  store.set_setting(key, normalised);
  return normalised;
}

void unset_config(Store& store, const std::string& key) {
  require_known_setting(key);
  store.unset_setting(key);
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
