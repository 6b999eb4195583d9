#include "util/time.hpp"

#include <chrono>
#include <cstdio>

namespace xfu {

namespace {

bool digits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool valid_date(int year, int month, int day) {
  using namespace std::chrono;
  return year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                        std::chrono::day{static_cast<unsigned>(day)}}
      .ok();
}

int64_t days_from_civil(int year, int month, int day) {
  using namespace std::chrono;
  const sys_days days = year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                       std::chrono::day{static_cast<unsigned>(day)}};
  return days.time_since_epoch().count();
}

}  // namespace

int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

bool is_iso_date(std::string_view text) {
  int year = 0, month = 0, day = 0;
  return text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(text, 0, 4, year) &&
         digits(text, 5, 2, month) && digits(text, 8, 2, day) && valid_date(year, month, day);
}

std::optional<int64_t> parse_iso8601(std::string_view text) {
  if (text.size() < 10 || !is_iso_date(text.substr(0, 10))) return std::nullopt;
  int year = 0, month = 0, day = 0;
  digits(text, 0, 4, year);
  digits(text, 5, 2, month);
  digits(text, 8, 2, day);
  int64_t seconds = days_from_civil(year, month, day) * 86400;
  if (text.size() == 10) return seconds;
  int hour = 0, minute = 0, second = 0;
  if ((text[10] != 'T' && text[10] != ' ') || !digits(text, 11, 2, hour) || text.size() < 16 || text[13] != ':' ||
      !digits(text, 14, 2, minute) || hour > 23 || minute > 59)
    return std::nullopt;
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!digits(text, pos + 1, 2, second) || second > 60) return std::nullopt;
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    }
  }
  seconds += hour * 3600 + minute * 60 + second;
  const std::string_view zone = text.substr(pos);
  if (zone.empty() || zone == "Z") return seconds;
  int zone_hour = 0, zone_minute = 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(zone, 1, 2, zone_hour) && zone[3] == ':' &&
      digits(zone, 4, 2, zone_minute)) {
    const int64_t offset = zone_hour * 3600 + zone_minute * 60;
    return zone[0] == '+' ? seconds - offset : seconds + offset;
  }
  return std::nullopt;
}

std::string format_iso8601(int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds when{seconds{unix_seconds}};
  const sys_days day = floor<days>(when);
  const year_month_day ymd{day};
  const hh_mm_ss time{when - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(time.hours().count() % 24), static_cast<int>(time.minutes().count() % 60),
                static_cast<int>(time.seconds().count() % 60));
  return buffer;
}

std::string format_age(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 120) return std::to_string(seconds) + " s";
  if (seconds < 2 * 3600) return std::to_string(seconds / 60) + " min";
  if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + " h";
  return std::to_string(seconds / 86400) + " days";
}

}  // namespace xfu
