#include "reporting/pivot_grouping.h"

#include <gtest/gtest.h>

#include "reporting/report_specs.h"

namespace wahana {
namespace {

const ReportPeriod kYear{absl::CivilMonth(2026, 1), absl::CivilMonth(2026, 12)};

std::vector<PivotCell> Cells() {
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

const PivotRow* Find(const PivotTable& report, const std::string& key) {
  for (const PivotRow& row : report.rows) {
    if (row.key == key) return &row;
  }
  return nullptr;
}

absl::StatusOr<PivotTable> GroupCells(const std::vector<PivotCell>& cells,
                                      absl::string_view group_by, const std::string& region,
                                      const ReportPeriod& period) {
  return GroupPivotCells(cells, CaseReportDefinition().spec, group_by, region, period, "groupBy");
}

TEST(PivotGroupingTest, KnowsTheFiveCaseGroupingsAndNamesTheParameterOtherwise) {
  EXPECT_TRUE(GroupCells(Cells(), "category", "16.06", kYear).ok());
  EXPECT_TRUE(GroupCells(Cells(), "month", "16.06", kYear).ok());
  for (const char* text : {"", "Category", "sex", "region "}) {
    absl::StatusOr<PivotTable> grouped = GroupCells(Cells(), text, "16.06", kYear);
    EXPECT_EQ(grouped.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(grouped.status().message().rfind("groupBy: ", 0), 0u) << grouped.status();
    EXPECT_NE(grouped.status().message().find("category, status, kind, region, month"),
              std::string::npos)
        << grouped.status();
  }
}

TEST(PivotGroupingTest, ARegionBySubdistrictAddsUpExactly) {
  absl::StatusOr<PivotTable> report = GroupCells(Cells(), "region", "16.06", kYear);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows.size(), 2u);
  EXPECT_EQ(report->rows[0].key, "16.06.01");
  EXPECT_EQ(report->rows[0].count, 5);
  EXPECT_EQ(report->rows[1].key, "16.06.02");
  EXPECT_EQ(report->rows[1].count, 4);
  EXPECT_EQ(report->total, 9);
}

TEST(PivotGroupingTest, ASubdistrictByVillage) {
  std::vector<PivotCell> cells = Cells();
  cells.resize(6);  // the cells under 16.06.01, as the store gives them
  absl::StatusOr<PivotTable> report = GroupCells(cells, "region", "16.06.01", kYear);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows.size(), 2u);
  EXPECT_EQ(report->rows[0].key, "16.06.01.2001");
  EXPECT_EQ(report->rows[1].key, "16.06.01.2002");
  EXPECT_EQ(report->total, 5);
  EXPECT_EQ(GroupCells(cells, "region", "16.06.01.2001", kYear).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PivotGroupingTest, EnumGroupingsListEveryValueWithLabels) {
  absl::StatusOr<PivotTable> status = GroupCells(Cells(), "status", "16.06", kYear);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->rows.size(), 8u);  // every status but UNSPECIFIED
  EXPECT_EQ(Find(*status, "INTAKE")->count, 6);
  EXPECT_EQ(Find(*status, "CLOSED")->count, 3);
  EXPECT_EQ(Find(*status, "PLANNING")->count, 0);
  EXPECT_EQ(status->total, 9);

  absl::StatusOr<PivotTable> category = GroupCells(Cells(), "category", "16.06", kYear);
  ASSERT_TRUE(category.ok()) << category.status();
  EXPECT_EQ(Find(*category, "LANJUT_USIA_TELANTAR")->count, 6);
  EXPECT_EQ(Find(*category, "LANJUT_USIA_TELANTAR")->label, "Lanjut Usia Telantar");
  // Not yet confirmed: its own row, so the rows still add up to the total.
  EXPECT_EQ(Find(*category, "PPKS_CATEGORY_UNSPECIFIED")->count, 3);
  EXPECT_EQ(category->total, 9);

  absl::StatusOr<PivotTable> kind = GroupCells(Cells(), "kind", "16.06", kYear);
  ASSERT_TRUE(kind.ok()) << kind.status();
  EXPECT_EQ(Find(*kind, "INDIVIDUAL")->count, 6);
  EXPECT_EQ(Find(*kind, "FAMILY")->count, 3);
  EXPECT_EQ(Find(*kind, "CASE_KIND_UNSPECIFIED"), nullptr);
}

TEST(PivotGroupingTest, MonthsOfThePeriodOnly) {
  ReportPeriod q4{absl::CivilMonth(2026, 10), absl::CivilMonth(2026, 12)};
  absl::StatusOr<PivotTable> report = GroupCells(Cells(), "month", "16.06", q4);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows.size(), 3u);
  EXPECT_EQ(report->rows[1].key, "2026-11");
  EXPECT_EQ(report->rows[1].label, "November 2026");
  EXPECT_EQ(report->rows[1].count, 7);
  EXPECT_EQ(report->total, 7);  // March is outside the quarter
}

TEST(PivotGroupingTest, APersonInTwoCategoriesIsInBothRowsAndOnceInTheTotal) {
  const PivotSpec& spec = RecordReportDefinition(RecordReportKind::kBeneficiaries).spec;
  const absl::CivilMonth march(2026, 3);
  std::vector<PivotCell> cells = {
      {"16.06.01.2001", march, "n", 3},          {"16.06.01.2001", march, "category:8", 2},
      {"16.06.01.2001", march, "category:3", 2}, {"16.06.01.2001", march, "born:1950", 1},
      {"16.06.01.2001", march, "born:2020", 1},  {"16.06.01.2001", march, "born:0", 1},
      {"16.06.01.2001", march, "sex:2", 3}};
  absl::StatusOr<PivotTable> category =
      GroupPivotCells(cells, spec, "category", "16.06", kYear, "groupBy");
  ASSERT_TRUE(category.ok()) << category.status();
  EXPECT_EQ(Find(*category, "LANJUT_USIA_TELANTAR")->count, 2);
  EXPECT_EQ(category->total, 3);
  absl::StatusOr<PivotTable> age =
      GroupPivotCells(cells, spec, "ageBand", "16.06", kYear, "groupBy");
  ASSERT_TRUE(age.ok()) << age.status();
  ASSERT_EQ(age->rows.size(), 5u);
  EXPECT_EQ(Find(*age, "60+")->count, 1);   // 76 in 2026
  EXPECT_EQ(Find(*age, "5-17")->count, 1);  // 6 in 2026
  EXPECT_EQ(Find(*age, "0-4")->count, 0);
  EXPECT_EQ(Find(*age, "unknown")->count, 1);
  // Ages are reached in the period's last year: in 2024 the child was 4.
  ReportPeriod y2024{absl::CivilMonth(2024, 1), absl::CivilMonth(2024, 12)};
  std::vector<PivotCell> in_2024 = cells;
  for (PivotCell& cell : in_2024) cell.month = absl::CivilMonth(2024, 3);
  absl::StatusOr<PivotTable> earlier =
      GroupPivotCells(in_2024, spec, "ageBand", "16.06", y2024, "groupBy");
  ASSERT_TRUE(earlier.ok()) << earlier.status();
  EXPECT_EQ(Find(*earlier, "0-4")->count, 1);
}

TEST(PivotGroupingTest, TotalsBesideADimensionAddToItsRowsAndTheRegionRows) {
  const PivotSpec& spec = RecordReportDefinition(RecordReportKind::kEvents).spec;
  const absl::CivilMonth may(2026, 5);
  // Two events in one village cell (kinds 1 and 3) and one placed at the regency itself.
  std::vector<PivotCell> cells = {{"16.06.01.2001", may, "n", 2},
                                  {"16.06.01.2001", may, "kind:1", 1},
                                  {"16.06.01.2001", may, "kind:3", 1},
                                  {"16.06.01.2001", may, "participants", 30},
                                  {"16.06.01.2001", may, "kind:1/participants", 10},
                                  {"16.06.01.2001", may, "kind:3/participants", 20},
                                  {"16.06.01.2001", may, "checkedIn", 7},
                                  {"16.06.01.2001", may, "kind:3/checkedIn", 7},
                                  {"16.06", may, "n", 1},
                                  {"16.06", may, "kind:1", 1},
                                  {"16.06", may, "participants", 5},
                                  {"16.06", may, "kind:1/participants", 5}};
  absl::StatusOr<PivotTable> kind = GroupPivotCells(cells, spec, "kind", "16.06", kYear, "groupBy");
  ASSERT_TRUE(kind.ok()) << kind.status();
  ASSERT_EQ(kind->sums.size(), 2u);
  EXPECT_EQ(kind->total, 3);
  EXPECT_EQ(kind->sums[0], 35);
  EXPECT_EQ(kind->sums[1], 7);
  const PivotRow& first_kind = kind->rows[0];
  EXPECT_EQ(first_kind.count, 2);
  EXPECT_EQ(first_kind.sums[0], 15);
  EXPECT_EQ(first_kind.sums[1], 0);
  absl::StatusOr<PivotTable> region =
      GroupPivotCells(cells, spec, "region", "16.06", kYear, "groupBy");
  ASSERT_TRUE(region.ok()) << region.status();
  ASSERT_EQ(region->rows.size(), 2u);
  // The regency-wide event has its own row, so the rows still add up to the total.
  EXPECT_EQ(region->rows[0].key, "16.06");
  EXPECT_EQ(region->rows[0].count, 1);
  EXPECT_EQ(region->rows[0].sums[0], 5);
  EXPECT_EQ(region->rows[1].key, "16.06.01");
  EXPECT_EQ(region->rows[1].count, 2);
  EXPECT_EQ(region->rows[1].sums[0], 30);
}

}  // namespace
}  // namespace wahana
