#pragma once
// What each report counts and how it may be grouped (pivot_grouping.h PivotSpec), in one table:
// the case report and the five record reports (beneficiaries, institutions, networks, events,
// workers), with the streams that feed each (its lag and asOf) and the resource whose personal
// data decides small-count suppression.

#include <vector>

#include "common/auth/access_policy.h"
#include "common/bus/bus_contract.h"
#include "reporting/pivot_grouping.h"
#include "reporting/record_contribution.h"

namespace wahana {

enum class RecordReportKind { kBeneficiaries, kInstitutions, kNetworks, kEvents, kWorkers };

struct ReportDefinition {
  CountedSubject subject;  // whose cells (unused by the case report)
  PivotSpec spec;
  std::vector<BusSubscription> fed_by;
  Resource resource;
};

const ReportDefinition& RecordReportDefinition(RecordReportKind kind);
const ReportDefinition& CaseReportDefinition();

// The age bands of the beneficiary report: Balita 0-4, Anak 5-17 (UU 35/2014: a child is under
// 18), Dewasa 18-59, Lanjut Usia 60+ (UU 13/1998), Tidak Diketahui (no birth date).
const std::vector<PivotBand>& AgeBands();
// The band of someone born in `birth_year` (0: unknown) in a report of `period`: the age reached
// in the period's last year.
size_t AgeBandOf(int birth_year, const ReportPeriod& period);

}  // namespace wahana
