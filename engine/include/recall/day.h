// Calendar days. A Day is a count of days since 1970-01-01 (the civil
// calendar, proleptic Gregorian), so "due today" is an integer compare.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace recall {

using Day = std::int32_t;

// 9999-12-31, the last day parse_day reads and format_day writes as
// YYYY-MM-DD: no due day is saved after it.
inline constexpr Day kLastDay = 2932896;

// Parses exactly "YYYY-MM-DD" with a valid calendar date (2026-02-30 and
// 0000-00-00 are rejected). Returns nullopt on anything else.
std::optional<Day> parse_day(std::string_view text);

// Formats as "YYYY-MM-DD".
std::string format_day(Day day);

// The learner's day at the instant `now` in the system time zone: a time
// before `rollover_hour` (0..23) belongs to the previous day. Without a
// readable time zone database (a bare container) the day is taken in UTC.
Day local_day(std::chrono::system_clock::time_point now, int rollover_hour);

// Local wall-clock time "YYYY-MM-DDTHH:MM:SS" for the review log.
std::string local_timestamp(std::chrono::system_clock::time_point now);

}  // namespace recall
