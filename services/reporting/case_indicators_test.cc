#include "reporting/case_indicators.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "reporting/subject_contributions.h"

namespace wahana {
namespace {

namespace pb = wahana::cases::v1;
using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp At(const char* rfc3339) {
  google::protobuf::Timestamp time;
  EXPECT_TRUE(TimeUtil::FromString(rfc3339, &time));
  return time;
}

// The cells a set of cases counts in, as the store would hold them.
std::vector<PivotCell> CellsOf(const std::vector<pb::Case>& cases) {
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> sums;
  for (const pb::Case& c : cases) {
    Contribution contribution = CaseworkContribution(c, 30, OfficeCalendar());
    for (const auto& [field, count] : contribution.fields) {
      sums[{contribution.region, contribution.month, field}] += count;
    }
  }
  std::vector<PivotCell> cells;
  for (const auto& [key, count] : sums) {
    cells.push_back({std::get<0>(key), *ParseMonthText(std::get<1>(key)), std::get<2>(key), count});
  }
  return cells;
}

pb::Case ACase(const char* created, pb::CaseStatus status, const char* last_action) {
  pb::Case c;
  c.set_id("case");
  c.set_village_code("16.06.01.2001");
  c.set_status(status);
  *c.mutable_create_time() = At(created);
  *c.mutable_update_time() = At(last_action);
  return c;
}

TEST(CaseIndicatorsTest, SpmCountsTheNeedFromIntakeToCloseAndTheServicesOfTheYear) {
  // An elderly person assessed as needing rehabilitation in 2025, served in 2026, still open.
  pb::Case elderly = ACase("2025-11-03T02:00:00Z", pb::INTERVENTION, "2026-02-01T02:00:00Z");
  elderly.set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  elderly.mutable_assessment()->set_needs_outside_panti_rehabilitation(true);
  pb::ServiceRecord* meals = elderly.add_services();
  meals->set_spm_service(pb::SPM_LANJUT_USIA_TELANTAR);
  meals->set_date("2026-01-15");
  // The same need, closed in 2025 without a service.
  pb::Case closed = ACase("2025-02-03T02:00:00Z", pb::CLOSED, "2025-06-01T02:00:00Z");
  closed.set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  closed.mutable_assessment()->set_needs_outside_panti_rehabilitation(true);
  // Not assessed as needing it: no SPM need.
  pb::Case not_needed = ACase("2026-03-03T02:00:00Z", pb::ASSESSMENT, "2026-03-03T02:00:00Z");
  not_needed.set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  // A disaster victim served in 2026 without an assessment: needed and served.
  pb::Case flood = ACase("2026-04-03T02:00:00Z", pb::INTERVENTION, "2026-04-05T02:00:00Z");
  flood.set_kind(pb::DISASTER);
  pb::ServiceRecord* shelter = flood.add_services();
  shelter->set_spm_service(pb::SPM_KORBAN_BENCANA);
  shelter->set_date("2026-04-04");

  const std::vector<PivotCell> cells = CellsOf({elderly, closed, not_needed, flood});
  std::vector<SpmFigure> y2026 = SpmOf(cells, 2026);
  ASSERT_EQ(y2026.size(), 5u);
  EXPECT_EQ(y2026[2].service, pb::SPM_LANJUT_USIA_TELANTAR);
  EXPECT_EQ(y2026[2].needed, 1);
  EXPECT_EQ(y2026[2].served, 1);
  EXPECT_EQ(y2026[4].needed, 1);
  EXPECT_EQ(y2026[4].served, 1);
  std::vector<SpmFigure> y2025 = SpmOf(cells, 2025);
  EXPECT_EQ(y2025[2].needed, 2);
  EXPECT_EQ(y2025[2].served, 0);
  EXPECT_EQ(y2025[4].needed, 0);
}

TEST(CaseIndicatorsTest, KpisOfThePeriodWithTheMedianDaysToClose) {
  pb::Case a = ACase("2026-01-01T02:00:00Z", pb::CLOSED, "2026-01-11T02:00:00Z");  // 10 days
  pb::Case b = ACase("2026-01-02T02:00:00Z", pb::CLOSED, "2026-01-22T02:00:00Z");  // 20 days
  pb::Case c = ACase("2026-01-03T02:00:00Z", pb::CLOSED, "2026-03-04T02:00:00Z");  // 60 days
  pb::Case d = ACase("2026-01-04T02:00:00Z", pb::CLOSED, "2026-03-05T02:00:00Z");  // 60 days
  // Open, idle since 1 February: overdue from 3 March (30 days and a second later, WIB).
  pb::Case idle = ACase("2026-01-05T02:00:00Z", pb::INTERVENTION, "2026-02-01T02:00:00Z");
  pb::Referral* referral = idle.add_referrals();
  referral->set_status(pb::REFERRAL_SENT);
  referral->set_due_date("2026-12-31");
  pb::Case december = ACase("2026-12-01T02:00:00Z", pb::INTAKE, "2026-12-01T02:00:00Z");
  const std::vector<PivotCell> cells = CellsOf({a, b, c, d, idle, december});

  const ReportPeriod january{absl::CivilMonth(2026, 1), absl::CivilMonth(2026, 1)};
  KpiFigures kpi = KpiOf(cells, january, absl::CivilDay(2026, 3, 3));
  EXPECT_EQ(kpi.cases, 5);
  EXPECT_EQ(kpi.open, 1);
  EXPECT_EQ(kpi.closed, 4);
  ASSERT_TRUE(kpi.median_days_to_close.has_value());
  EXPECT_DOUBLE_EQ(*kpi.median_days_to_close, 40.0);  // (20 + 60) / 2
  EXPECT_EQ(kpi.referrals_awaiting, 1);
  EXPECT_EQ(kpi.overdue, 1);
  EXPECT_EQ(KpiOf(cells, january, absl::CivilDay(2026, 3, 2)).overdue, 0);

  const ReportPeriod year{absl::CivilMonth(2026, 1), absl::CivilMonth(2026, 12)};
  EXPECT_EQ(KpiOf(cells, year, absl::CivilDay(2026, 12, 7)).cases, 6);
}

TEST(CaseIndicatorsTest, OnlyAnOpenCaseIsInItsWorkersCaseload) {
  pb::Case c = ACase("2026-01-01T02:00:00Z", pb::INTERVENTION, "2026-01-02T02:00:00Z");
  c.set_assignee_worker_id("worker-1");
  Contribution open = CaseworkContribution(c, 30, OfficeCalendar());
  ASSERT_TRUE(open.parent.has_value());
  EXPECT_EQ(open.parent->id, "worker-1");
  EXPECT_EQ(open.parent_fields.at("openCases"), 1);
  // Terminated and in follow-up: no longer in the caseload (the case service's cap agrees).
  for (pb::CaseStatus status : {pb::TERMINATED, pb::FOLLOW_UP, pb::CLOSED}) {
    c.set_status(status);
    EXPECT_TRUE(CaseworkContribution(c, 30, OfficeCalendar()).parent_fields.empty()) << status;
  }
}

}  // namespace
}  // namespace wahana
