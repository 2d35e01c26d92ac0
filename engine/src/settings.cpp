#include "recall/settings.h"

#include <charconv>

#include "recall/day.h"
#include "recall/error.h"
#include "recall/memory.h"

namespace recall {

const std::vector<SettingInfo>& known_settings() {
  static const std::vector<SettingInfo> settings = {
      {"new-per-day", "20", "new cards introduced per day"},
      {"reviews-per-day", "200", "review cards shown per day"},
      {"rollover-hour", "4", "local hour at which a new study day starts (0-23)"},
      {"interview-date", "", "interview date YYYY-MM-DD (wins over the tracker's)"},
      {"fsrs-parameters", "", "FSRS-6's 21 parameters, comma separated (`recall optimize` stores them)"},
  };
  return settings;
}

namespace {

std::string whole_number(const std::string& key, const std::string& value, int low, int high) {
  int number = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, number);
  if (value.empty() || ec != std::errc() || ptr != end || number < low || number > high)
    throw Error::usage(key + ": '" + value + "' is not a whole number from " + std::to_string(low) +
                       " to " + std::to_string(high));
  return std::to_string(number);
}

}  // namespace

std::string validate_setting(const std::string& key, const std::string& value) {
  if (key == "new-per-day" || key == "reviews-per-day") return whole_number(key, value, 0, 100000);
  if (key == "rollover-hour") return whole_number(key, value, 0, 23);
  if (key == "interview-date") {
    if (!parse_day(value)) throw Error::usage(key + ": '" + value + "' is not a valid date (YYYY-MM-DD)");
    return value;
  }
  if (key == "fsrs-parameters") {
    if (!parse_parameters(value))
      throw Error::usage(key + ": expected 21 comma-separated numbers within FSRS-6's bounds");
    return value;
  }
  require_known_setting(key);
  return value;
}

void require_known_setting(const std::string& key) {
  std::string names;
  for (const auto& s : known_settings()) {
    if (key == s.key) return;
    names += (names.empty() ? "" : ", ") + std::string(s.key);
  }
  throw Error::usage("config: unknown setting '" + key + "' (known: " + names + ")");
}

}  // namespace recall
