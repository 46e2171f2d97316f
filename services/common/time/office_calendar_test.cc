#include "common/time/office_calendar.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

OfficeCalendar Load(absl::string_view zone) {
  absl::StatusOr<OfficeCalendar> calendar = OfficeCalendar::Load(zone);
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return calendar.ok() ? *calendar : OfficeCalendar();
}

TEST(OfficeCalendarTest, IndonesiasThreeZonesLoad) {
  for (const std::string& zone : OfficeCalendar::ZoneNames()) {
    EXPECT_EQ(Load(zone).name(), zone);
  }
  EXPECT_EQ(OfficeCalendar().name(), "Asia/Jakarta");
}

TEST(OfficeCalendarTest, OtherZonesAreRefused) {
  for (const char* zone : {"", "UTC", "Europe/Berlin", "asia/jakarta", "Asia/Jakarta ", "WIB",
                           "+07:00", "Asia/Bangkok"}) {
    absl::StatusOr<OfficeCalendar> calendar = OfficeCalendar::Load(zone);
    ASSERT_FALSE(calendar.ok()) << zone;
    EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(calendar.status().message(),
              "must be one of Asia/Jakarta, Asia/Makassar, Asia/Jayapura (the office's time zone)");
  }
}

TEST(OfficeCalendarTest, TheDayTurnsAtTheOfficesMidnight) {
  const OfficeCalendar jakarta = Load("Asia/Jakarta");    // UTC+7
  const OfficeCalendar makassar = Load("Asia/Makassar");  // UTC+8
  const OfficeCalendar jayapura = Load("Asia/Jayapura");  // UTC+9
  // 14:59 UTC is 21:59 in Jakarta and 23:59 in Jayapura: the same day everywhere.
  const absl::Time before = Utc(2026, 3, 1, 14, 59);
  EXPECT_EQ(jakarta.Today(before), absl::CivilDay(2026, 3, 1));
  EXPECT_EQ(jayapura.Today(before), absl::CivilDay(2026, 3, 1));
  // 15:01 UTC is 00:01 on 2 March in Jayapura, still 22:01 on 1 March in Jakarta.
  const absl::Time after = Utc(2026, 3, 1, 15, 1);
  EXPECT_EQ(jakarta.Today(after), absl::CivilDay(2026, 3, 1));
  EXPECT_EQ(makassar.Today(after), absl::CivilDay(2026, 3, 1));
  EXPECT_EQ(jayapura.Today(after), absl::CivilDay(2026, 3, 2));
  EXPECT_EQ(jayapura.TodayText(after), "2026-03-02");
  EXPECT_EQ(jayapura.LatestDate(after), absl::CivilDay(2026, 3, 2));
  // 17:00 UTC is midnight in Jakarta: 2 March there, while UTC is still on 1 March.
  EXPECT_EQ(jakarta.Today(Utc(2026, 3, 1, 16, 59)), absl::CivilDay(2026, 3, 1));
  EXPECT_EQ(jakarta.Today(Utc(2026, 3, 1, 17, 0)), absl::CivilDay(2026, 3, 2));
  EXPECT_EQ(makassar.Today(Utc(2026, 3, 1, 16, 0)), absl::CivilDay(2026, 3, 2));
}

TEST(OfficeCalendarTest, TheYearTurnsAtTheOfficesNewYear) {
  // New Year's Eve 17:30 UTC is 00:30 on 1 January in Jakarta.
  const absl::Time eve = Utc(2026, 12, 31, 17, 30);
  EXPECT_EQ(Load("Asia/Jakarta").Year(eve), 2027);
  EXPECT_EQ(OfficeCalendar().Year(eve), 2027);
  EXPECT_EQ(Load("Asia/Jakarta").Year(Utc(2026, 12, 31, 16, 30)), 2026);
  EXPECT_EQ(Load("Asia/Jayapura").Year(Utc(2026, 12, 31, 15, 0)), 2027);
}

TEST(OfficeCalendarTest, DaysAreWrittenYyyyMmDd) {
  EXPECT_EQ(OfficeCalendar::FormatDay(absl::CivilDay(2026, 3, 2)), "2026-03-02");
  EXPECT_EQ(OfficeCalendar::FormatDay(absl::CivilDay(1900, 1, 1)), "1900-01-01");
}

}  // namespace
}  // namespace wahana
