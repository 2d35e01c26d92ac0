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

struct Range {
  int low, high;
};

// The range of a whole-number setting; nullopt for the others.
std::optional<Range> number_range(const std::string& key) {
  if (key == "new-per-day" || key == "reviews-per-day") return Range{0, 100000};
  if (key == "rollover-hour") return Range{0, 23};
  return std::nullopt;
}

std::optional<int> parse_whole(const std::string& value, Range range) {
  int number = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, number);
  if (value.empty() || ec != std::errc() || ptr != end || number < range.low || number > range.high)
    return std::nullopt;
  return number;
}

std::string range_text(Range range) {
  return "a whole number from " + std::to_string(range.low) + " to " + std::to_string(range.high);
}

}  // namespace

int stored_number_setting(const std::string& key, const std::string& value) {
  const std::optional<Range> range = number_range(key);
  if (!range) throw Error::usage("setting '" + key + "' is not a number setting");
  if (const auto number = parse_whole(value, *range)) return *number;
  // Only `recall config set` writes these, and it validates: the database
  // was edited by hand or damaged. Say which setting and how to mend it.
  throw Error::data("setting " + key + ": stored value '" + value + "' is not " + range_text(*range) +
                    " (set it again with `recall config set " + key + " N`, or `config unset " + key +
                    "`)");
}

std::string validate_setting(const std::string& key, const std::string& value) {
  if (const std::optional<Range> range = number_range(key)) {
    const auto number = parse_whole(value, *range);
    if (!number) throw Error::usage(key + ": '" + value + "' is not " + range_text(*range));
    return std::to_string(*number);
  }
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
