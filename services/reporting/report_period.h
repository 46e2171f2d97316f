#pragma once
// The period a report covers: a year ("2026"), a quarter ("2026-Q4") or a month ("2026-11") of
// the office calendar (common/time/office_calendar.h). Cases are placed in the month of their
// intake as the office's wall calendar shows it, so a period is a run of whole months.
//
// Pure functions and a small value type; thread-safe.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time/office_calendar.h"

namespace wahana {

struct ReportPeriod {
  absl::CivilMonth first;
  absl::CivilMonth last;  // inclusive

  // Every month from `first` to `last`, in order.
  std::vector<absl::CivilMonth> Months() const;
};

// Parses `text` ("2026", "2026-Q4" or "2026-11"; years 1900-2999). INVALID_ARGUMENT naming
// `field` for anything else, an empty text included.
absl::StatusOr<ReportPeriod> ParseReportPeriod(absl::string_view text, absl::string_view field);

// "2026-11": how a month is written in keys, row keys and answers.
std::string MonthText(absl::CivilMonth month);

// The inverse of MonthText; INVALID_ARGUMENT for anything else.
absl::StatusOr<absl::CivilMonth> ParseMonthText(absl::string_view text);

// The month of `time` on the office's wall calendar (a case opened at 00:30 WIB on 1 December is
// a December case although UTC still says November).
absl::CivilMonth OfficeMonth(const OfficeCalendar& calendar, absl::Time time);

}  // namespace wahana
