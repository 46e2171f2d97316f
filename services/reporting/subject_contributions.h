#pragma once
// What each record of the registry and the event service counts as (record_contribution.h), and
// what a case adds to its worker's caseload: pure functions of the record in a stream message.
//
// A record counts in the cell of its region code and of the month its subject's period is about:
// registration (create_time) for beneficiaries, institutions, networks and workers; the start for
// events; both on the office's wall calendar. Archived records, and cancelled events, count in no
// cell. Every counted record adds 1 to "n" and to one counter per dimension value.
//
// Thread-safe.

#include <optional>
#include <string>

#include "common/time/office_calendar.h"
#include "reporting/record_contribution.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/event/v1/event.pb.h"
#include "wahana/registry/v1/beneficiary.pb.h"
#include "wahana/registry/v1/institution.pb.h"
#include "wahana/registry/v1/network.pb.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana {

// sex:<Sex>, category:<PpksCategory> per category (category:0 when none), born:<birth year>
// (born:0 when the birth date is missing or malformed).
Contribution BeneficiaryContribution(const wahana::registry::v1::Beneficiary& beneficiary,
                                     const OfficeCalendar& calendar);
// kind:<Kind>, status:<Status>.
Contribution InstitutionContribution(const wahana::registry::v1::Institution& institution,
                                     const OfficeCalendar& calendar);
// stage:<Stage>.
Contribution NetworkContribution(const wahana::registry::v1::Network& network,
                                 const OfficeCalendar& calendar);
// kind:<Kind>, at the worker's home base. Its cell also sums "openCases" of its cases.
Contribution WorkerContribution(const wahana::registry::v1::Worker& worker,
                                const OfficeCalendar& calendar);
// kind:<EventKind>, status:<Status>. Its cell also sums "participants" and "checkedIn".
Contribution EventContribution(const wahana::event::v1::Event& event,
                               const OfficeCalendar& calendar);
// No cell of its own: a registered participant adds participants 1 (and checkedIn 1 once checked
// in) to its event.
Contribution ParticipantContribution(const wahana::event::v1::Participant& participant);
// What a case adds to the indicators (case_indicators.h), in the cell of its village and intake
// month: n 1; open 1 (IsOpenStatus); referralsAwaiting (its SENT referrals); closedDays:<days
// from intake to its last action> once CLOSED; overdueFrom:<the office day it becomes overdue>
// (common/cases/case_rules.h CaseOverdueAt); for the SPM (case_indicators.h SpmServiceOf):
// spmNeed:<service>:<first year>:<last year> (9999: still open) and spmServed:<service>:<year>.
// An open case (IsOpenStatus, as the case service caps caseloads) adds openCases 1 to its
// assignee.
Contribution CaseworkContribution(const wahana::cases::v1::Case& c, int overdue_days,
                                  const OfficeCalendar& calendar);

// The last year of a need still open.
inline constexpr int kStillOpenYear = 9999;

// The SPM service (wahana.cases.v1.SpmService) a case's person needs, by its category:
// disabilities (adult or child), neglected children (and toddlers), neglected elderly, the
// homeless and beggars when the assessment says rehabilitation outside a panti is needed; disaster
// victims (by category or a DISASTER case) always. SPM_SERVICE_UNSPECIFIED otherwise.
int SpmServiceOf(const wahana::cases::v1::Case& c);

// The age a person born in `birth_year` reaches in `year` ("age in completed years at the end of
// the year", as population statistics count it).
int AgeReachedIn(int birth_year, int year);

}  // namespace wahana
