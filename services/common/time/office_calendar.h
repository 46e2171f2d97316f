#pragma once
// The office's calendar: the one answer to "what day is it?" and "what year is it?" in every
// service. A district social office works in one of Indonesia's three time zones (WIB
// Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura; WAHANA_TIME_ZONE), and its operators'
// "today" is the day on the office's wall, not in UTC: a birth registered at 06:30 in Jayapura is
// born "today" although UTC still says yesterday, and a case opened at 00:30 WIB on 1 January is
// numbered in the new year.
//
// Every date a service compares with "now" (birth and decree dates not in the future, overdue
// referrals, the case number's year, the day the server stamps on a step) comes from here: the
// zone is loaded once at start-up and handed to the logic classes through their constructors,
// beside the injected clock.
//
// A small value (copy it freely); immutable, thread-safe. The zone is read from the system's
// tzdata (/usr/share/zoneinfo, Debian package tzdata).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace wahana {

class OfficeCalendar {
 public:
  // The zone of a deployment that does not say (WAHANA_TIME_ZONE's default).
  static constexpr char kDefaultZone[] = "Asia/Jakarta";

  // The zones an office may be in: Indonesia's three, WIB, WITA and WIT.
  static const std::vector<std::string>& ZoneNames();

  // The calendar of `zone`. INVALID_ARGUMENT when `zone` is not one of ZoneNames() (the message
  // lists them) or when the system's tzdata does not know it (the message says to install tzdata).
  static absl::StatusOr<OfficeCalendar> Load(absl::string_view zone);

  // The default zone (Asia/Jakarta). Without tzdata it falls back to Asia/Jakarta's fixed offset
  // (UTC+7; Indonesia has kept no daylight saving time since 1964, so the offset of every present
  // day is the same): tests and defaults keep working, while a process checks its setting with
  // Load and refuses to start without tzdata.
  OfficeCalendar();

  // The zone's IANA name ("Asia/Jakarta").
  const std::string& name() const { return name_; }
  const absl::TimeZone& zone() const { return zone_; }

  // The office's date at `now`.
  absl::CivilDay Today(absl::Time now) const;
  // The office's year at `now` (what a case number counts in).
  int Year(absl::Time now) const;
  // The latest date a client may give for something that has happened (a birth, a decree, a
  // visit, a service delivered): the office's today.
  absl::CivilDay LatestDate(absl::Time now) const { return Today(now); }
  // Today(now) written "YYYY-MM-DD": the date the server stamps on a step it records itself.
  std::string TodayText(absl::Time now) const { return FormatDay(Today(now)); }

  // `day` written "YYYY-MM-DD" (four-digit year), as every date field of the API.
  static std::string FormatDay(absl::CivilDay day);
  // `time` as the office's clock shows it, RFC 3339 with the zone's offset:
  // "2021-10-07T08:00:00+07:00" (seconds kept, fractions dropped).
  std::string LocalTimeText(absl::Time time) const;

 private:
  OfficeCalendar(std::string name, absl::TimeZone zone);

  std::string name_;
  absl::TimeZone zone_;
};

}  // namespace wahana
