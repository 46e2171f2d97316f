#include "reporting/report_grouping.h"

#include <google/protobuf/descriptor.h>

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/region/region_code.h"
#include "reporting/case_counter_moves.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/common/v1/ppks.pb.h"

namespace wahana {
namespace {

// The dimension whose counters a grouping sums. Kind partitions the cases like any dimension and
// never changes, so region and month groupings count by it.
CaseDimension DimensionOf(ReportGroupBy group_by) {
  switch (group_by) {
    case ReportGroupBy::kCategory:
      return CaseDimension::kCategory;
    case ReportGroupBy::kStatus:
      return CaseDimension::kStatus;
    default:
      return CaseDimension::kKind;
  }
}

// The number of `field` when it is a counter of `dimension` ("kind:1" -> 1).
bool FieldNumber(const std::string& field, CaseDimension dimension, int* number) {
  std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(field, ':');
  return parts.first == CaseDimensionName(dimension) && absl::SimpleAtoi(parts.second, number);
}

// One row per value of `type` (UNSPECIFIED, number 0, only when counted), in declaration order.
std::vector<ReportRow> EnumRows(const google::protobuf::EnumDescriptor* type,
                                const std::map<int, int64_t>& counts) {
  std::vector<ReportRow> rows;
  std::map<int, int64_t> left = counts;
  for (int i = 0; i < type->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = type->value(i);
    auto it = left.find(value->number());
    int64_t count = it == left.end() ? 0 : it->second;
    if (it != left.end()) left.erase(it);
    if (value->number() == 0 && count == 0) continue;
    rows.push_back({value->name(), EnumLabel(value->name()), count});
  }
  // A value a newer version counts: shown by number rather than lost from the total.
  for (const auto& [number, count] : left) {
    rows.push_back({std::to_string(number), std::to_string(number), count});
  }
  return rows;
}

// The region one level below `region` that holds `village`.
std::string ChildHolding(const std::string& village, const std::string& region) {
  std::string code = village;
  while (!code.empty() && ParentRegionCode(code) != region) code = ParentRegionCode(code);
  return code;
}

}  // namespace

absl::StatusOr<ReportGroupBy> ParseReportGroupBy(absl::string_view text, absl::string_view field) {
  if (text == "category") return ReportGroupBy::kCategory;
  if (text == "status") return ReportGroupBy::kStatus;
  if (text == "kind") return ReportGroupBy::kKind;
  if (text == "region") return ReportGroupBy::kRegion;
  if (text == "month") return ReportGroupBy::kMonth;
  return absl::InvalidArgumentError(
      absl::StrCat(field, text.empty() ? ": required" : absl::StrCat(": \"", text, "\" is unknown"),
                   "; one of category, status, kind, region, month"));
}

std::string EnumLabel(absl::string_view name) {
  std::string label;
  for (absl::string_view word : absl::StrSplit(name, '_', absl::SkipEmpty())) {
    if (!label.empty()) label += ' ';
    std::string lower = absl::AsciiStrToLower(word);
    lower[0] = absl::ascii_toupper(static_cast<unsigned char>(lower[0]));
    label += lower;
  }
  return label;
}

std::string MonthLabel(absl::CivilMonth month) {
  static constexpr const char* kNames[] = {"Januari",   "Februari", "Maret",    "April",
                                           "Mei",       "Juni",     "Juli",     "Agustus",
                                           "September", "Oktober",  "November", "Desember"};
  return absl::StrCat(kNames[month.month() - 1], " ", month.year());
}

absl::StatusOr<GroupedReport> GroupCells(const std::vector<CaseCell>& cells, ReportGroupBy group_by,
                                         const std::string& region, const ReportPeriod& period,
                                         absl::string_view group_by_field) {
  if (group_by == ReportGroupBy::kRegion) {
    absl::StatusOr<RegionLevelKind> level = ParseRegionCode(region);
    if (!level.ok() || *level == RegionLevelKind::kVillage) {
      return absl::InvalidArgumentError(
          absl::StrCat(group_by_field,
                       ": region groups a province, regency or subdistrict by the "
                       "level below; \"",
                       region, "\" is a village"));
    }
  }
  const CaseDimension dimension = DimensionOf(group_by);
  std::map<int, int64_t> by_number;       // enum groupings
  std::map<std::string, int64_t> by_key;  // region and month groupings
  GroupedReport report;
  for (const CaseCell& cell : cells) {
    int number = 0;
    if (!FieldNumber(cell.field, dimension, &number)) continue;
    if (cell.month < period.first || cell.month > period.last) continue;
    report.total += cell.count;
    switch (group_by) {
      case ReportGroupBy::kRegion:
        by_key[ChildHolding(cell.village, region)] += cell.count;
        break;
      case ReportGroupBy::kMonth:
        by_key[MonthText(cell.month)] += cell.count;
        break;
      default:
        by_number[number] += cell.count;
    }
  }
  switch (group_by) {
    case ReportGroupBy::kCategory:
      report.rows = EnumRows(wahana::common::v1::PpksCategory_descriptor(), by_number);
      break;
    case ReportGroupBy::kStatus:
      report.rows = EnumRows(wahana::cases::v1::CaseStatus_descriptor(), by_number);
      break;
    case ReportGroupBy::kKind:
      report.rows = EnumRows(wahana::cases::v1::CaseKind_descriptor(), by_number);
      break;
    case ReportGroupBy::kRegion:
      for (const auto& [code, count] : by_key) report.rows.push_back({code, "", count});
      break;
    case ReportGroupBy::kMonth:
      for (absl::CivilMonth month : period.Months()) {
        auto it = by_key.find(MonthText(month));
        report.rows.push_back(
            {MonthText(month), MonthLabel(month), it == by_key.end() ? 0 : it->second});
      }
      break;
  }
  return report;
}

}  // namespace wahana
