// The settings a user may change with `recall config`, with their defaults.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace recall {

class Store;

// Every stored setting by key, read in one query: what an answer gathers
// once instead of reading key by key.
using StoredSettings = std::map<std::string, std::string>;
StoredSettings stored_settings(Store& store);
// The value stored under `key`; nullopt when unset.
std::optional<std::string> stored_value(const StoredSettings& settings, const std::string& key);

// The whole-number defaults, spelled once (known_settings() lists them as
// text; Limits and the study day read them).
inline constexpr int kDefaultNewPerDay = 20;
inline constexpr int kDefaultReviewsPerDay = 200;
inline constexpr int kDefaultRolloverHour = 4;

struct SettingInfo {
  const char* key;
  std::string default_value;  // "" when unset by default
  const char* meaning;
};

// new-per-day (20), reviews-per-day (200), rollover-hour (4),
// interview-date (unset; the tracker's date applies), fsrs-parameters
// (unset: FSRS-6's defaults), drafts (wait: cards flagged for review wait
// for a review before the drill introduces them; drill: they do not).
const std::vector<SettingInfo>& known_settings();

// Throws Error(kUsage) listing the known keys when `key` is not one.
void require_known_setting(const std::string& key);

// Checks a value for `key` and returns it normalised.
// Throws Error(kUsage) naming the key for an unknown key or a bad value.
std::string validate_setting(const std::string& key, const std::string& value);

// A whole-number setting (new-per-day, reviews-per-day, rollover-hour) as
// read back from the database. Throws Error(kData) naming the key and the
// stored value when it is not a number in the setting's range (a database
// edited by hand or damaged: `recall config set` validates what it writes).
int stored_number_setting(const std::string& key, const std::string& value);

// A fraction setting (desired-retention, interview-retention) as read back,
// likewise: Error(kData) naming the key when the stored value is not valid.
double stored_fraction_setting(const std::string& key, const std::string& value);

}  // namespace recall
