#include "reporting/pivot_grouping.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/region/region_code.h"

namespace wahana {
namespace {

// The number of `field` when it is a counter "<prefix>:<number>".
bool FieldNumber(absl::string_view field, absl::string_view prefix, int* number) {
  return field.size() > prefix.size() + 1 && absl::StartsWith(field, prefix) &&
         field[prefix.size()] == ':' && absl::SimpleAtoi(field.substr(prefix.size() + 1), number);
}

bool IsCountField(absl::string_view field, const PivotSpec& spec) {
  int number = 0;
  return spec.count_field_is_prefix ? FieldNumber(field, spec.count_field, &number)
                                    : field == spec.count_field;
}

// The index of `field` in spec.sums, or -1.
int SumIndex(absl::string_view field, const PivotSpec& spec) {
  for (size_t i = 0; i < spec.sums.size(); ++i) {
    if (spec.sums[i] == field) return static_cast<int>(i);
  }
  return -1;
}

// One row per value of `type` (UNSPECIFIED, number 0, only when counted), in declaration order.
std::vector<PivotRow> EnumRows(const google::protobuf::EnumDescriptor* type,
                               std::map<int, PivotRow> by_number) {
  std::vector<PivotRow> rows;
  for (int i = 0; i < type->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = type->value(i);
    auto it = by_number.find(value->number());
    if (it == by_number.end() && value->number() == 0) continue;
    PivotRow row = it == by_number.end() ? PivotRow{} : std::move(it->second);
    if (it != by_number.end()) by_number.erase(it);
    row.key = value->name();
    row.label = EnumLabel(value->name());
    rows.push_back(std::move(row));
  }
  // A value a newer version counts: shown by number rather than lost.
  for (auto& [number, row] : by_number) {
    row.key = row.label = std::to_string(number);
    rows.push_back(std::move(row));
  }
  return rows;
}

// The region one level below `region` holding `code`; `region` itself for what is placed there.
std::string ChildHolding(const std::string& code, const std::string& region) {
  if (code == region) return region;
  std::string child = code;
  while (!child.empty() && ParentRegionCode(child) != region) child = ParentRegionCode(child);
  return child;
}

// "kind:3/participants" -> ("kind:3", "participants"); ("kind:3", "") for a plain counter.
std::pair<absl::string_view, absl::string_view> SplitBeside(absl::string_view field) {
  const size_t slash = field.find('/');
  if (slash == absl::string_view::npos) return {field, ""};
  return {field.substr(0, slash), field.substr(slash + 1)};
}

void AddTo(PivotRow& row, const PivotCell& cell, bool counts, int sum_index, size_t sums) {
  if (row.sums.size() < sums) row.sums.resize(sums);
  if (counts) row.count += cell.count;
  if (sum_index >= 0) row.sums[sum_index] += cell.count;
}

}  // namespace

std::vector<std::string> GroupByValues(const PivotSpec& spec) {
  std::vector<std::string> values;
  for (const PivotDimension& dimension : spec.dimensions) values.push_back(dimension.group_by);
  values.push_back("region");
  values.push_back("month");
  return values;
}

absl::StatusOr<PivotTable> GroupPivotCells(const std::vector<PivotCell>& cells,
                                           const PivotSpec& spec, absl::string_view group_by,
                                           const std::string& region, const ReportPeriod& period,
                                           absl::string_view group_by_field) {
  const PivotDimension* dimension = nullptr;
  for (const PivotDimension& candidate : spec.dimensions) {
    if (candidate.group_by == group_by) dimension = &candidate;
  }
  const bool by_region = group_by == "region";
  const bool by_month = group_by == "month";
  if (dimension == nullptr && !by_region && !by_month) {
    return absl::InvalidArgumentError(absl::StrCat(
        group_by_field,
        group_by.empty() ? ": required" : absl::StrCat(": \"", group_by, "\" is unknown"),
        "; one of ", absl::StrJoin(GroupByValues(spec), ", ")));
  }
  if (by_region) {
    absl::StatusOr<RegionLevelKind> level = ParseRegionCode(region);
    if (!level.ok() || *level == RegionLevelKind::kVillage) {
      return absl::InvalidArgumentError(
          absl::StrCat(group_by_field,
                       ": region groups a province, regency or subdistrict by the level below; \"",
                       region, "\" is a village"));
    }
  }
  const size_t sums = spec.sums.size();
  PivotTable table;
  table.sums.resize(sums);
  std::map<int, PivotRow> by_number;       // enum dimensions
  std::map<size_t, PivotRow> by_band;      // banded dimensions
  std::map<std::string, PivotRow> by_key;  // region and month
  for (const PivotCell& cell : cells) {
    if (cell.month < period.first || cell.month > period.last) continue;
    const bool counts = IsCountField(cell.field, spec);
    const int sum_index = SumIndex(cell.field, spec);
    if (counts) table.total += cell.count;
    if (sum_index >= 0) table.sums[sum_index] += cell.count;
    if (by_region || by_month) {
      if (!counts && sum_index < 0) continue;
      const std::string key =
          by_region ? ChildHolding(cell.village, region) : MonthText(cell.month);
      AddTo(by_key[key], cell, counts, sum_index, sums);
      continue;
    }
    // A dimension's own counter ("kind:3") counts its row; a total beside it
    // ("kind:3/participants") adds to the row's sum.
    auto [value_field, beside] = SplitBeside(cell.field);
    const int beside_index = beside.empty() ? -1 : SumIndex(beside, spec);
    int number = 0;
    if (!FieldNumber(value_field, dimension->field_prefix, &number)) continue;
    if (!beside.empty() && beside_index < 0) continue;
    PivotRow& row = dimension->values != nullptr ? by_number[number]
                                                 : by_band[dimension->band_of(number, period)];
    AddTo(row, cell, beside.empty(), beside_index, sums);
  }
  if (dimension != nullptr && dimension->values != nullptr) {
    table.rows = EnumRows(dimension->values, std::move(by_number));
  } else if (dimension != nullptr) {
    for (size_t i = 0; i < dimension->bands.size(); ++i) {
      PivotRow row = std::move(by_band[i]);
      row.key = dimension->bands[i].key;
      row.label = dimension->bands[i].label;
      row.sums.resize(sums);
      table.rows.push_back(std::move(row));
    }
  } else if (by_region) {
    for (auto& [code, row] : by_key) {
      row.key = code;
      table.rows.push_back(std::move(row));
    }
  } else {
    for (absl::CivilMonth month : period.Months()) {
      PivotRow row = std::move(by_key[MonthText(month)]);
      row.key = MonthText(month);
      row.label = MonthLabel(month);
      row.sums.resize(sums);
      table.rows.push_back(std::move(row));
    }
  }
  for (PivotRow& row : table.rows) row.sums.resize(sums);  // rows nothing was counted in too
  return table;
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

}  // namespace wahana
