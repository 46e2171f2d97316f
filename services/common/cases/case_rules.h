#pragma once
// Rules about a case record that more than the case service applies: which statuses are open (a
// worker's caseload) and when a case is overdue. The case service lists and caps by them; the
// reporting service counts by them (caseloads, the overdue KPI), so they must agree.
//
// Pure functions; thread-safe.

#include <optional>

#include "absl/time/time.h"
#include "common/time/office_calendar.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {

// INTAKE .. MONITORING: the case is being worked on (and counts in its worker's caseload).
bool IsOpenStatus(wahana::cases::v1::CaseStatus status);

// The moment `c` becomes overdue, or nullopt when nothing makes it so: an open case (IsOpenStatus)
// with no action for `overdue_days` (from a second after update_time + overdue_days), or a case
// not CLOSED with a SENT or ACCEPTED referral whose due date has passed (from the start of the
// office's next day). Overdue at `now` exactly when the moment is at or before it.
std::optional<absl::Time> CaseOverdueAt(const wahana::cases::v1::Case& c, int overdue_days,
                                        const OfficeCalendar& calendar);

}  // namespace wahana
