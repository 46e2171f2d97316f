#include "reporting/report_grouping.h"

#include <gtest/gtest.h>

namespace wahana {
namespace {

const ReportPeriod kYear{absl::CivilMonth(2026, 1), absl::CivilMonth(2026, 12)};

std::vector<CaseCell> Cells() {
  return {
      {"16.06.01.2001", absl::CivilMonth(2026, 3), "kind:1", 2},
      {"16.06.01.2001", absl::CivilMonth(2026, 3), "status:1", 2},
      {"16.06.01.2001", absl::CivilMonth(2026, 3), "category:8", 2},
      {"16.06.01.2002", absl::CivilMonth(2026, 11), "kind:2", 3},
      {"16.06.01.2002", absl::CivilMonth(2026, 11), "status:8", 3},
      {"16.06.01.2002", absl::CivilMonth(2026, 11), "category:0", 3},
      {"16.06.02.2003", absl::CivilMonth(2026, 11), "kind:1", 4},
      {"16.06.02.2003", absl::CivilMonth(2026, 11), "status:1", 4},
      {"16.06.02.2003", absl::CivilMonth(2026, 11), "category:8", 4},
  };
}

const ReportRow* Find(const GroupedReport& report, const std::string& key) {
  for (const ReportRow& row : report.rows) {
    if (row.key == key) return &row;
  }
  return nullptr;
}

TEST(ReportGroupingTest, ParsesTheFiveGroupingsAndNamesTheParameterOtherwise) {
  EXPECT_EQ(*ParseReportGroupBy("category", "groupBy"), ReportGroupBy::kCategory);
  EXPECT_EQ(*ParseReportGroupBy("month", "groupBy"), ReportGroupBy::kMonth);
  for (const char* text : {"", "Category", "sex", "region "}) {
    absl::StatusOr<ReportGroupBy> parsed = ParseReportGroupBy(text, "groupBy");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(parsed.status().message().rfind("groupBy: ", 0), 0u) << parsed.status();
  }
}

TEST(ReportGroupingTest, ARegionBySubdistrictAddsUpExactly) {
  absl::StatusOr<GroupedReport> report =
      GroupCells(Cells(), ReportGroupBy::kRegion, "16.06", kYear, "groupBy");
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows.size(), 2u);
  EXPECT_EQ(report->rows[0].key, "16.06.01");
  EXPECT_EQ(report->rows[0].count, 5);
  EXPECT_EQ(report->rows[1].key, "16.06.02");
  EXPECT_EQ(report->rows[1].count, 4);
  EXPECT_EQ(report->total, 9);
}

TEST(ReportGroupingTest, ASubdistrictByVillage) {
  std::vector<CaseCell> cells = Cells();
  cells.resize(6);  // the cells under 16.06.01, as the store gives them
  absl::StatusOr<GroupedReport> report =
      GroupCells(cells, ReportGroupBy::kRegion, "16.06.01", kYear, "groupBy");
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows.size(), 2u);
  EXPECT_EQ(report->rows[0].key, "16.06.01.2001");
  EXPECT_EQ(report->rows[1].key, "16.06.01.2002");
  EXPECT_EQ(report->total, 5);
  EXPECT_EQ(
      GroupCells(cells, ReportGroupBy::kRegion, "16.06.01.2001", kYear, "groupBy").status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(ReportGroupingTest, EnumGroupingsListEveryValueWithLabels) {
  absl::StatusOr<GroupedReport> status =
      GroupCells(Cells(), ReportGroupBy::kStatus, "16.06", kYear, "groupBy");
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->rows.size(), 8u);  // every status but UNSPECIFIED
  EXPECT_EQ(Find(*status, "INTAKE")->count, 6);
  EXPECT_EQ(Find(*status, "CLOSED")->count, 3);
  EXPECT_EQ(Find(*status, "PLANNING")->count, 0);
  EXPECT_EQ(status->total, 9);

  absl::StatusOr<GroupedReport> category =
      GroupCells(Cells(), ReportGroupBy::kCategory, "16.06", kYear, "groupBy");
  ASSERT_TRUE(category.ok()) << category.status();
  EXPECT_EQ(Find(*category, "LANJUT_USIA_TELANTAR")->count, 6);
  EXPECT_EQ(Find(*category, "LANJUT_USIA_TELANTAR")->label, "Lanjut Usia Telantar");
  // Not yet confirmed: its own row, so the rows still add up to the total.
  EXPECT_EQ(Find(*category, "PPKS_CATEGORY_UNSPECIFIED")->count, 3);
  EXPECT_EQ(category->total, 9);

  absl::StatusOr<GroupedReport> kind =
      GroupCells(Cells(), ReportGroupBy::kKind, "16.06", kYear, "groupBy");
  ASSERT_TRUE(kind.ok()) << kind.status();
  EXPECT_EQ(Find(*kind, "INDIVIDUAL")->count, 6);
  EXPECT_EQ(Find(*kind, "FAMILY")->count, 3);
  EXPECT_EQ(Find(*kind, "CASE_KIND_UNSPECIFIED"), nullptr);
}

TEST(ReportGroupingTest, MonthsOfThePeriodOnly) {
  ReportPeriod q4{absl::CivilMonth(2026, 10), absl::CivilMonth(2026, 12)};
  absl::StatusOr<GroupedReport> report =
      GroupCells(Cells(), ReportGroupBy::kMonth, "16.06", q4, "groupBy");
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows.size(), 3u);
  EXPECT_EQ(report->rows[1].key, "2026-11");
  EXPECT_EQ(report->rows[1].label, "November 2026");
  EXPECT_EQ(report->rows[1].count, 7);
  EXPECT_EQ(report->total, 7);  // March is outside the quarter
}

}  // namespace
}  // namespace wahana
