#include "recall/day.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>

#include "recall/error.h"

namespace recall {

namespace {

bool parse_digits(std::string_view text, int& out) {
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return !text.empty();
}

}  // namespace

std::optional<Day> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!parse_digits(text.substr(0, 4), y) || !parse_digits(text.substr(5, 2), m) ||
      !parse_digits(text.substr(8, 2), d))
    return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month{unsigned(m)}, date::day{unsigned(d)}};
  if (y < 1 || !ymd.ok()) return std::nullopt;
  return static_cast<Day>(date::sys_days{ymd}.time_since_epoch().count());
}

std::string format_day(Day day) {
  const date::year_month_day ymd{date::sys_days{date::days{day}}};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buffer;
}

namespace {

// The learner's zone, looked up once per process: date::current_zone()
// resolves /etc/localtime (a stat and a readlink per path component) on
// every call, which the drill paid on every answer's timestamp. nullptr: no
// usable zone database (minimal containers), so UTC.
const date::time_zone* local_zone() {
  static const date::time_zone* const zone = []() -> const date::time_zone* {
    try {
      return date::current_zone();
    } catch (const std::exception&) {
      return nullptr;
    }
  }();
  return zone;
}

date::local_seconds to_local(std::chrono::system_clock::time_point now) {
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(now);
  if (const auto* zone = local_zone()) {
    try {
      return zone->to_local(seconds);
    } catch (const std::exception&) {
      // fall through to UTC
    }
  }
  return date::local_seconds{seconds.time_since_epoch()};
}

}  // namespace

Day local_day(std::chrono::system_clock::time_point now, int rollover_hour) {
  const auto local = to_local(now) - std::chrono::hours{rollover_hour};
  return static_cast<Day>(date::floor<date::days>(local).time_since_epoch().count());
}

std::string local_timestamp(std::chrono::system_clock::time_point now) {
  return date::format("%Y-%m-%dT%H:%M:%S", date::floor<std::chrono::seconds>(to_local(now)));
}

}  // namespace recall
