#include "recall/settings.h"

#include <charconv>

#include "recall/day.h"
#include "recall/error.h"
#include "recall/memory.h"
#include "recall/scheduler.h"
#include "recall/store.h"

namespace recall {

StoredSettings stored_settings(Store& store) {
  StoredSettings result;
  for (auto& [key, value] : store.settings()) result.emplace(std::move(key), std::move(value));
  return result;
}

std::optional<std::string> stored_value(const StoredSettings& settings, const std::string& key) {
  const auto found = settings.find(key);
  if (found == settings.end()) return std::nullopt;
  return found->second;
}

const std::vector<SettingInfo>& known_settings() {
  static const std::vector<SettingInfo> settings = {
      {"new-per-day", std::to_string(kDefaultNewPerDay), "new cards introduced per day"},
      {"reviews-per-day", std::to_string(kDefaultReviewsPerDay), "review cards shown per day"},
      {"rollover-hour", std::to_string(kDefaultRolloverHour),
       "local hour at which a new study day starts (0-23)"},
      {"interview-date", "", "interview date YYYY-MM-DD (wins over the tracker's)"},
      {"fsrs-parameters", "",
       "FSRS-6's 21 parameters, comma separated (`recall optimize` stores them)"},
      {"scheduler", "sm2", "what sets due days: sm2, or fsrs (SM-2's state is kept under both)"},
      // The fraction defaults are scheduler.h's kDefaultDesiredRetention and
      // interview.h's kDefaultInterviewRetention (settings_test checks).
      {"desired-retention", "0.9",
       "under `scheduler fsrs`: the recall chance a card is due at (0.7-0.99)"},
      {"interview-retention", "0.97",
       "the predicted recall on the interview day below which a card is pulled into the final week "
       "(0.5-1; 1 pulls in every studied card)"},
      {"drafts", "wait",
       "cards flagged for review: wait (the drill introduces them once rewritten, approved or "
       "retired) or drill (introduced anyway, for a learner without a tutor)"},
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

// A plain decimal fraction ("0.9", "1"): digits, one optional point.
std::optional<double> parse_fraction(const std::string& value) {
  if (value.empty() || value.size() > 12) return std::nullopt;
  bool point = false;
  for (char c : value) {
    if (c == '.' && !point) {
      point = true;
    } else if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  if (value.front() == '.' || value.back() == '.') return std::nullopt;
  double number = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
  return number;
}

std::string format_fraction(double value) {
  std::string text = std::to_string(value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
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
  throw Error::data("setting " + key + ": stored value '" + value + "' is not " +
                    range_text(*range) + " (set it again with `recall config set " + key +
                    " N`, or `config unset " + key + "`)");
}

double stored_fraction_setting(const std::string& key, const std::string& value) {
  try {
    return parse_fraction(validate_setting(key, value)).value();
  } catch (const Error&) {
    throw Error::data("setting " + key + ": stored value '" + value +
                      "' is not valid (set it again with `recall config set " + key +
                      " VALUE`, or `config unset " + key + "`)");
  }
}

std::string validate_setting(const std::string& key, const std::string& value) {
  if (const std::optional<Range> range = number_range(key)) {
    const auto number = parse_whole(value, *range);
    if (!number) throw Error::usage(key + ": '" + value + "' is not " + range_text(*range));
    return std::to_string(*number);
  }
  if (key == "interview-date") {
    if (!parse_day(value))
      throw Error::usage(key + ": '" + value + "' is not a valid date (YYYY-MM-DD)");
    return value;
  }
  if (key == "scheduler") {
    if (!parse_scheduler(value)) throw Error::usage(key + ": '" + value + "' is not sm2 or fsrs");
    return value;
  }
  if (key == "drafts") {
    if (value != "wait" && value != "drill")
      throw Error::usage(key + ": '" + value + "' is not wait or drill");
    return value;
  }
  if (key == "desired-retention" || key == "interview-retention") {
    const double low = key == "desired-retention" ? 0.7 : 0.5;
    const double high = key == "desired-retention" ? 0.99 : 1.0;
    const auto number = parse_fraction(value);
    if (!number || *number < low || *number > high)
      throw Error::usage(key + ": '" + value + "' is not a number from " + format_fraction(low) +
                         " to " + format_fraction(high));
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
