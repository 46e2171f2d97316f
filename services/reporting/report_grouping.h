#pragma once
// How a case report groups its cells (case_counts_store.h CaseCell) into rows: by category,
// status, kind, region (one level below the asked region) or month (of the period). Pure
// functions; thread-safe.
//
// Every case is in exactly one row, so the rows add up to the total. The enum groupings list
// every value (zeros included, UNSPECIFIED only when counted), the month grouping every month of
// the period, the region grouping the regions below the asked one that have a case.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reporting/case_counts_store.h"
#include "reporting/report_period.h"

namespace wahana {

enum class ReportGroupBy { kCategory, kStatus, kKind, kRegion, kMonth };

// "category", "status", "kind", "region", "month" -> the grouping. INVALID_ARGUMENT naming
// `field` for anything else (the message lists the values), an empty text included.
absl::StatusOr<ReportGroupBy> ParseReportGroupBy(absl::string_view text, absl::string_view field);

struct ReportRow {
  std::string key;    // "ANAK_JALANAN", "INTAKE", "16.06.01", "2026-11"
  std::string label;  // "Anak Jalanan", "November 2026"; for regions filled in by the caller
  int64_t count = 0;
};

struct GroupedReport {
  std::vector<ReportRow> rows;
  int64_t total = 0;
};

// The rows of `cells` (all under `region`, in `period`) grouped by `group_by`. For kRegion,
// `region` must be above village level (INVALID_ARGUMENT naming `group_by_field` otherwise).
absl::StatusOr<GroupedReport> GroupCells(const std::vector<CaseCell>& cells, ReportGroupBy group_by,
                                         const std::string& region, const ReportPeriod& period,
                                         absl::string_view group_by_field);

// "ANAK_JALANAN" -> "Anak Jalanan": an enum name as people read it.
std::string EnumLabel(absl::string_view name);

// "November 2026" (Indonesian month names, as the office writes them).
std::string MonthLabel(absl::CivilMonth month);

}  // namespace wahana
