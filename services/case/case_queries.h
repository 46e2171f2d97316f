#pragma once
// The reads, CaseLogic's queries (the contracts are in case_logic.h): one case, lists (by view,
// filters, the overdue cases, the per-person and per-household lookups) and a case's history.
// Private to the case service's logic.

#include "case/case_logic_internal.h"

namespace wahana {
namespace case_internal {

class CaseQueries : public CaseLogicPart {
 public:
  explicit CaseQueries(const CaseLogicDeps& deps) : CaseLogicPart(deps) {}

  absl::StatusOr<wahana::cases::v1::Case> GetCase(const Principal& caller,
                                                  const wahana::cases::v1::GetCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::ListCasesResponse> ListCases(
      const Principal& caller, const wahana::cases::v1::ListCasesRequest& request);
  absl::Status GetCaseHistory(const Principal& caller,
                              const wahana::cases::v1::GetCaseHistoryRequest& request,
                              wahana::cases::v1::CaseHistory* history);
};

}  // namespace case_internal
}  // namespace wahana
