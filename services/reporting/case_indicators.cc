#include "reporting/case_indicators.h"

#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

// The numbers after `prefix` in "prefix:1:2026:9999"; empty when `field` is not one.
std::vector<int> Numbers(const std::string& field, absl::string_view prefix) {
  std::vector<int> numbers;
  if (!absl::StartsWith(field, prefix) || field.size() <= prefix.size() ||
      field[prefix.size()] != ':') {
    return numbers;
  }
  for (absl::string_view part : absl::StrSplit(field.substr(prefix.size() + 1), ':')) {
    int number = 0;
    if (!absl::SimpleAtoi(part, &number)) return {};
    numbers.push_back(number);
  }
  return numbers;
}

}  // namespace

std::vector<SpmFigure> SpmOf(const std::vector<PivotCell>& cells, int year) {
  std::vector<SpmFigure> figures;
  for (int service = wahana::cases::v1::SPM_DISABILITAS_TELANTAR;
       service <= wahana::cases::v1::SPM_KORBAN_BENCANA; ++service) {
    figures.push_back({service, 0, 0});
  }
  auto figure_of = [&figures](int service) -> SpmFigure* {
    for (SpmFigure& figure : figures) {
      if (figure.service == service) return &figure;
    }
    return nullptr;
  };
  for (const PivotCell& cell : cells) {
    if (std::vector<int> need = Numbers(cell.field, "spmNeed"); need.size() == 3) {
      SpmFigure* figure = figure_of(need[0]);
      if (figure != nullptr && need[1] <= year && year <= need[2]) figure->needed += cell.count;
    } else if (std::vector<int> served = Numbers(cell.field, "spmServed"); served.size() == 2) {
      SpmFigure* figure = figure_of(served[0]);
      if (figure != nullptr && served[1] == year) figure->served += cell.count;
    }
  }
  return figures;
}

KpiFigures KpiOf(const std::vector<PivotCell>& cells, const ReportPeriod& period,
                 absl::CivilDay today) {
  KpiFigures kpi;
  std::map<int, int64_t> closed_after;  // days -> cases
  for (const PivotCell& cell : cells) {
    if (cell.month < period.first || cell.month > period.last) continue;
    if (cell.field == "n") {
      kpi.cases += cell.count;
    } else if (cell.field == "open") {
      kpi.open += cell.count;
    } else if (cell.field == "referralsAwaiting") {
      kpi.referrals_awaiting += cell.count;
    } else if (std::vector<int> days = Numbers(cell.field, "closedDays"); days.size() == 1) {
      closed_after[days[0]] += cell.count;
      kpi.closed += cell.count;
    } else if (absl::StartsWith(cell.field, "overdueFrom:")) {
      absl::CivilDay from;
      if (absl::ParseCivilTime(cell.field.substr(12), &from) && from <= today) {
        kpi.overdue += cell.count;
      }
    }
  }
  if (kpi.closed > 0) {
    // The middle case (or the mean of the two middle ones) in order of days.
    const int64_t lower = (kpi.closed - 1) / 2;
    const int64_t upper = kpi.closed / 2;
    std::optional<int> lower_days;
    std::optional<int> upper_days;
    int64_t seen = 0;
    for (const auto& [days, count] : closed_after) {
      if (!lower_days.has_value() && lower < seen + count) lower_days = days;
      if (!upper_days.has_value() && upper < seen + count) upper_days = days;
      seen += count;
    }
    kpi.median_days_to_close = (*lower_days + *upper_days) / 2.0;
  }
  return kpi;
}

}  // namespace wahana
