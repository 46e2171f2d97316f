#include "reporting/reporting_logic.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

using wahana::cases::v1::CaseChanged;
using wahana::cases::v1::CaseStatus;

}  // namespace

ReportingLogic::ReportingLogic(std::string region, std::shared_ptr<CaseCountsStore> store)
    : region_(std::move(region)), store_(std::move(store)) {}

std::vector<std::string> ReportingLogic::PrefixesUpTo(const std::string& code,
                                                      const std::string& scope) {
  std::vector<std::string> prefixes;
  for (std::string prefix = code; !prefix.empty() && RegionWithin(prefix, scope);
       prefix = ParentRegionCode(prefix)) {
    prefixes.push_back(prefix);
  }
  return prefixes;
}

absl::Status ReportingLogic::HandleCaseMessage(const wahana::common::v1::Envelope& envelope) {
  if (envelope.type() != CaseChanged::descriptor()->full_name()) return absl::OkStatus();
  CaseChanged changed;
  if (!envelope.payload().UnpackTo(&changed)) {
    return absl::InvalidArgumentError(
        absl::StrCat("message ", envelope.message_id(), ": payload is not a CaseChanged"));
  }
  // Most actions keep the status: nothing to count.
  if (changed.status_before() == changed.status_after()) return absl::OkStatus();
  const std::string& village = changed.case_().village_code();
  if (!ParseRegionCode(village, "villageCode").ok() || !RegionWithin(village, region_)) {
    return absl::InvalidArgumentError(absl::StrCat("message ", envelope.message_id(), ": case ",
                                                   changed.case_().id(), " has region \"", village,
                                                   "\", not within ", region_));
  }
  return store_
      ->ApplyStatusChange(envelope.message_id(), PrefixesUpTo(village, region_),
                          changed.status_before(), changed.status_after())
      .status();
}

absl::StatusOr<wahana::reporting::v1::CaseCounts> ReportingLogic::GetCaseCounts(
    const Principal& caller, const wahana::reporting::v1::GetCaseCountsRequest& request) {
  if (!request.region().empty()) {
    WAHANA_RETURN_IF_ERROR(ParseRegionCode(request.region(), "region").status());
  }
  WAHANA_ASSIGN_OR_RETURN(std::string region,
                          ScopeListRegion(caller, Resource::kReport, request.region(), "region"));
  // A scope above the deployment (the province) reads the deployment's counts.
  if (RegionWithin(region_, region)) region = region_;
  if (!RegionWithin(region, region_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("region: \"", region, "\" is outside this deployment's region ", region_));
  }
  WAHANA_ASSIGN_OR_RETURN(CaseTally tally, store_->Read(region));

  wahana::reporting::v1::CaseCounts counts;
  counts.set_region(region);
  const auto* statuses = wahana::cases::v1::CaseStatus_descriptor();
  for (int i = 0; i < statuses->value_count(); ++i) {
    auto status = static_cast<CaseStatus>(statuses->value(i)->number());
    if (status == wahana::cases::v1::CASE_STATUS_UNSPECIFIED) continue;
    auto* row = counts.add_by_status();
    row->set_status(status);
    auto it = tally.by_status.find(status);
    row->set_count(it == tally.by_status.end() ? 0 : it->second);
  }
  counts.set_total(tally.total);
  return counts;
}

}  // namespace wahana
