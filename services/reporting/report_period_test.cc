#include "reporting/report_period.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

TEST(ReportPeriodTest, AYearAQuarterAndAMonth) {
  absl::StatusOr<ReportPeriod> year = ParseReportPeriod("2026", "period");
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_EQ(year->first, absl::CivilMonth(2026, 1));
  EXPECT_EQ(year->last, absl::CivilMonth(2026, 12));
  EXPECT_EQ(year->Months().size(), 12u);

  absl::StatusOr<ReportPeriod> q4 = ParseReportPeriod("2026-Q4", "period");
  ASSERT_TRUE(q4.ok()) << q4.status();
  EXPECT_EQ(q4->first, absl::CivilMonth(2026, 10));
  EXPECT_EQ(q4->last, absl::CivilMonth(2026, 12));
  EXPECT_EQ(ParseReportPeriod("2026-Q1", "period")->last, absl::CivilMonth(2026, 3));

  absl::StatusOr<ReportPeriod> november = ParseReportPeriod("2026-11", "period");
  ASSERT_TRUE(november.ok()) << november.status();
  EXPECT_EQ(november->first, absl::CivilMonth(2026, 11));
  EXPECT_EQ(november->Months(), std::vector<absl::CivilMonth>{absl::CivilMonth(2026, 11)});
}

TEST(ReportPeriodTest, AnythingElseIsRefusedNamingTheParameter) {
  for (const char* text :
       {"", "26", "2026-", "2026-Q0", "2026-Q5", "2026-q4", "2026-00", "2026-13", "2026-1",
        "2026-011", "+2026", " 2026", "2026-11-01", "1899", "3000", "abcd", "2026Q4"}) {
    absl::StatusOr<ReportPeriod> period = ParseReportPeriod(text, "period");
    EXPECT_EQ(period.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(period.status().message().rfind("period: ", 0), 0u) << period.status();
  }
}

TEST(ReportPeriodTest, MonthTextRoundTrips) {
  EXPECT_EQ(MonthText(absl::CivilMonth(2026, 3)), "2026-03");
  EXPECT_EQ(*ParseMonthText("2026-03"), absl::CivilMonth(2026, 3));
  EXPECT_FALSE(ParseMonthText("2026-3").ok());
}

TEST(ReportPeriodTest, TheOfficeMonthIsTheWallCalendarsNotUtcs) {
  absl::StatusOr<OfficeCalendar> jakarta = OfficeCalendar::Load("Asia/Jakarta");
  ASSERT_TRUE(jakarta.ok()) << jakarta.status();
  // 2026-11-30 20:00 UTC is 1 December 03:00 WIB.
  EXPECT_EQ(OfficeMonth(*jakarta, absl::FromUnixSeconds(1796068800)), absl::CivilMonth(2026, 12));
  EXPECT_EQ(OfficeMonth(*jakarta, absl::FromUnixSeconds(1796068800 - 8 * 3600)),
            absl::CivilMonth(2026, 11));
}

}  // namespace
}  // namespace wahana
