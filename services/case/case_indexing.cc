#include "case/case_indexing.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "case/case_state_machine.h"

namespace wahana {

namespace pb = wahana::cases::v1;

std::string CaseStatusView(pb::CaseStatus status) {
  return absl::StrCat("status=", pb::CaseStatus_Name(status));
}
std::string CaseCategoryView(wahana::common::v1::PpksCategory category) {
  return absl::StrCat("category=", static_cast<int>(category));
}
std::string CaseKindView(pb::CaseKind kind) {
  return absl::StrCat("kind=", pb::CaseKind_Name(kind));
}
std::string CaseAssigneeView(const std::string& worker_id) {
  return absl::StrCat("assignee=", worker_id);
}
std::string CaseOpenAssigneeView(const std::string& worker_id) {
  return absl::StrCat("open-assignee=", worker_id);
}

RecordIndexing<pb::Case> CaseIndexing() {
  RecordIndexing<pb::Case> indexing;
  indexing.region_code = [](const pb::Case& c) { return c.village_code(); };
  indexing.archived = [](const pb::Case&) { return false; };
  indexing.lookup = [](const pb::Case& c) {
    std::vector<IndexValue> values = {{kBeneficiaryLookup, c.beneficiary_id()},
                                      {kHouseholdLookup, c.household_id()}};
    // A person named twice is indexed once (the store drops repeated entries).
    for (const pb::Party& party : c.parties()) {
      values.push_back({kBeneficiaryLookup, party.beneficiary_id()});
    }
    return values;
  };
  indexing.views = [](const pb::Case& c) {
    std::vector<std::string> views = {CaseStatusView(c.status())};
    if (!c.assignee_worker_id().empty()) {
      views.push_back(CaseAssigneeView(c.assignee_worker_id()));
      if (IsOpenStatus(c.status())) views.push_back(CaseOpenAssigneeView(c.assignee_worker_id()));
    }
    return views;
  };
  return indexing;
}

}  // namespace wahana
