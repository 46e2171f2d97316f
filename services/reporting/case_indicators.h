#pragma once
// The official indicators computed from the cases' cells (subject_contributions.h
// CaseworkContribution): the SPM's five services (Permensos 9/2018: X people served and Y people
// who needed it, per budget year) and the office's KPIs. Pure functions; thread-safe.
//
// A person is counted once per case: someone with two cases needing the same SPM service in one
// year counts twice (rare: a second case of the same need is usually a reopen of the first).

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "reporting/pivot_cells.h"
#include "reporting/report_period.h"

namespace wahana {

struct SpmFigure {
  int service = 0;     // wahana.cases.v1.SpmService
  int64_t needed = 0;  // Y: cases whose need spans the year (or served in it)
  int64_t served = 0;  // X: cases served in the year
};

// The five services in order (SPM_DISABILITAS_TELANTAR .. SPM_KORBAN_BENCANA) for `year`, from
// cells of every month (a case taken in years ago may be served this year).
std::vector<SpmFigure> SpmOf(const std::vector<PivotCell>& cells, int year);

struct KpiFigures {
  int64_t cases = 0;                           // taken in during the period
  int64_t open = 0;                            // of them, open now
  int64_t closed = 0;                          // of them, closed
  int64_t referrals_awaiting = 0;              // referrals sent and not yet answered
  int64_t overdue = 0;                         // open cases overdue by the end of `today`
  std::optional<double> median_days_to_close;  // of the closed ones; none when none closed
};

// The KPIs of the cases with intake in `period` (cells outside it are ignored).
KpiFigures KpiOf(const std::vector<PivotCell>& cells, const ReportPeriod& period,
                 absl::CivilDay today);

}  // namespace wahana
