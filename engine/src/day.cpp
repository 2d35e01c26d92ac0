#include "recall/day.h"

#include <date/date.h>

#include <cstdio>
#include <ctime>

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

// The learner's local time as seconds since the epoch on the local wall
// clock: the C library's zone (TZ, else /etc/localtime; UTC where neither
// names one, as in a minimal container), read once per process by glibc's
// localtime_r. Not date::current_zone(): its library (libdate-tz) is C++ and
// loading it cost every process its start-up, and it resolved
// /etc/localtime on every call.
std::chrono::seconds local_seconds(std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  const long offset = localtime_r(&t, &local) != nullptr ? local.tm_gmtoff : 0;
  return std::chrono::seconds{static_cast<long long>(t) + offset};
}

}  // namespace

Day local_day(std::chrono::system_clock::time_point now, int rollover_hour) {
  const auto local = local_seconds(now) - std::chrono::hours{rollover_hour};
  return static_cast<Day>(date::floor<date::days>(local).count());
}

std::string local_timestamp(std::chrono::system_clock::time_point now) {
  return date::format("%Y-%m-%dT%H:%M:%S", date::sys_seconds{local_seconds(now)});
}

}  // namespace recall
