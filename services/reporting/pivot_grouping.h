#pragma once
// How a report groups a subject's pivot cells (pivot_cells.h) into rows: by one of the subject's
// dimensions (an enum's values, or bands of a number such as age), by region one level below the
// asked region, or by month. The one grouping every report uses (cases, beneficiaries,
// institutions, networks, events, workers); each subject describes itself with a PivotSpec.
// Pure functions; thread-safe.

#include <google/protobuf/descriptor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reporting/pivot_cells.h"
#include "reporting/report_period.h"

namespace wahana {

// A band of a numbered dimension (an age band): its row.
struct PivotBand {
  std::string key;    // "60+"
  std::string label;  // "Lansia (60+)"
};

// One way to group a subject's records: cells count it in fields "<field_prefix>:<number>".
struct PivotDimension {
  std::string group_by;      // the groupBy value ("category", "ageBand")
  std::string field_prefix;  // "category", "born"
  // Rows per enum value (declaration order; UNSPECIFIED only when counted) ...
  const google::protobuf::EnumDescriptor* values = nullptr;
  // ... or per band: `bands`, and which band a number falls in for a report of `period` (an
  // index into bands).
  std::vector<PivotBand> bands;
  std::function<size_t(int number, const ReportPeriod& period)> band_of;
};

struct PivotSpec {
  std::vector<PivotDimension> dimensions;
  // The counter every record adds 1 to, or the field prefix whose counters together do: the
  // total, and the region and month groupings' rows.
  std::string count_field;
  bool count_field_is_prefix = false;
  // Other counters each row sums besides the count ("participants", "checkedIn").
  std::vector<std::string> sums;
};

struct PivotRow {
  std::string key;    // "ANAK_JALANAN", "16.06.01", "2026-11", "60+"
  std::string label;  // "Anak Jalanan", "November 2026"; for regions filled in by the caller
  int64_t count = 0;
  std::vector<int64_t> sums;  // beside PivotSpec::sums
};

struct PivotTable {
  std::vector<PivotRow> rows;
  // The records counted (a record with several values of a dimension, a beneficiary's categories,
  // is in several rows but counted once here).
  int64_t total = 0;
  std::vector<int64_t> sums;  // beside PivotSpec::sums
};

// The groupBy values of `spec`: its dimensions', then "region" and "month".
std::vector<std::string> GroupByValues(const PivotSpec& spec);

// The rows of `cells` (all under `region`) in `period` grouped by `group_by` (one of
// GroupByValues). INVALID_ARGUMENT naming `group_by_field` for an unknown or empty value (the
// message lists the values), or "region" asked of a village.
absl::StatusOr<PivotTable> GroupPivotCells(const std::vector<PivotCell>& cells,
                                           const PivotSpec& spec, absl::string_view group_by,
                                           const std::string& region, const ReportPeriod& period,
                                           absl::string_view group_by_field);

// "ANAK_JALANAN" -> "Anak Jalanan": an enum name as people read it.
std::string EnumLabel(absl::string_view name);

// "November 2026" (Indonesian month names, as the office writes them).
std::string MonthLabel(absl::CivilMonth month);

}  // namespace wahana
