#include "common/time/office_calendar.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace wahana {
namespace {

// Asia/Jakarta's offset, for a default calendar on a system without tzdata (see the header).
constexpr int kJakartaOffsetSeconds = 7 * 3600;

}  // namespace

const std::vector<std::string>& OfficeCalendar::ZoneNames() {
  static const std::vector<std::string> kZones = {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"};
  return kZones;
}

absl::StatusOr<OfficeCalendar> OfficeCalendar::Load(absl::string_view zone) {
  bool known = false;
  for (const std::string& name : ZoneNames()) known = known || name == zone;
  if (!known) {
    return absl::InvalidArgumentError(absl::StrCat(
        "must be one of ", absl::StrJoin(ZoneNames(), ", "), " (the office's time zone)"));
  }
  absl::TimeZone loaded;
  if (!absl::LoadTimeZone(std::string(zone), &loaded)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "time zone ", zone, " not found in /usr/share/zoneinfo (install the tzdata package)"));
  }
  return OfficeCalendar(std::string(zone), loaded);
}

OfficeCalendar::OfficeCalendar() : name_(kDefaultZone) {
  if (!absl::LoadTimeZone(name_, &zone_)) zone_ = absl::FixedTimeZone(kJakartaOffsetSeconds);
}

OfficeCalendar::OfficeCalendar(std::string name, absl::TimeZone zone)
    : name_(std::move(name)), zone_(zone) {}

absl::CivilDay OfficeCalendar::Today(absl::Time now) const { return absl::ToCivilDay(now, zone_); }

int OfficeCalendar::Year(absl::Time now) const {
  return static_cast<int>(absl::ToCivilYear(now, zone_).year());
}

std::string OfficeCalendar::LocalTimeText(absl::Time time) const {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", time, zone_);
}

std::string OfficeCalendar::FormatDay(absl::CivilDay day) {
  // Four digits always: a date field is exactly "YYYY-MM-DD" (field_checks.h).
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

}  // namespace wahana
