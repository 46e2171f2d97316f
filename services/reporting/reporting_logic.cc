#include "reporting/reporting_logic.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/bus/bus_contract.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "reporting/case_counter_moves.h"
#include "reporting/counted_messages.h"
#include "reporting/report_answer.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

using wahana::cases::v1::CaseChanged;
using wahana::cases::v1::CaseStatus;

}  // namespace

ReportingLogic::ReportingLogic(std::string region, std::shared_ptr<CaseCountsStore> store,
                               ReportingDeps deps)
    : region_(std::move(region)), store_(std::move(store)), deps_(std::move(deps)) {}

absl::Status ReportingLogic::HandleCaseMessage(const wahana::common::v1::Envelope& envelope) {
  if (envelope.type() != CaseChanged::descriptor()->full_name()) {
    return store_->RecordSkipped(envelope.message_id(), CaseStreamKey(region_), envelope.type())
        .status();
  }
  CaseChanged changed;
  if (!envelope.payload().UnpackTo(&changed)) {
    return absl::InvalidArgumentError(
        absl::StrCat("message ", envelope.message_id(), ": payload is not a CaseChanged"));
  }
  // A province's case opened from a district's referral is that district's person, already in
  // the figures the district delivers: counted here too, the province would count them twice.
  if (changed.case_().has_referred_from()) return absl::OkStatus();
  WAHANA_ASSIGN_OR_RETURN(
      CaseCounterMoves moves,
      CaseCounterMovesOf(changed, region_, deps_.calendar, envelope.message_id()));
  if (!moves.empty()) WAHANA_RETURN_IF_ERROR(store_->Apply(envelope.message_id(), moves).status());
  if (deps_.contributions == nullptr) return absl::OkStatus();
  return HandleRecordMessage(envelope, kReportingReadsCases);
}

absl::Status ReportingLogic::HandleRecordMessage(const wahana::common::v1::Envelope& envelope,
                                                 const BusSubscription& feed) {
  if (!IsKnownMessageType(envelope.type())) {
    return store_->RecordSkipped(envelope.message_id(), feed.StreamKey(region_), envelope.type())
        .status();
  }
  if (deps_.contributions == nullptr) return absl::OkStatus();
  WAHANA_ASSIGN_OR_RETURN(
      std::optional<CountedChange> change,
      CountedChangeOf(envelope, region_, CountingRules{deps_.calendar, deps_.case_overdue_days}));
  if (!change.has_value()) return absl::OkStatus();
  return deps_.contributions
      ->Apply(change->subject, change->id, change->version, change->contribution)
      .status();
}

std::vector<BusSubscription> ReportingLogic::Subscriptions() const {
  if (deps_.contributions == nullptr) return {kReportingReadsCases};
  return {kReportingReadsCases, kReportingReadsRegistry, kReportingReadsEvents};
}

absl::StatusOr<std::string> ReportingLogic::ReportRegion(const Principal& caller,
                                                         const std::string& requested) {
  if (!requested.empty()) WAHANA_RETURN_IF_ERROR(ParseRegionCode(requested, "region").status());
  WAHANA_ASSIGN_OR_RETURN(std::string region,
                          ScopeListRegion(caller, Resource::kReport, requested, "region"));
  // A scope above the deployment (the province) reads the deployment's counts.
  if (RegionWithin(region_, region)) region = region_;
  if (!RegionWithin(region, region_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("region: \"", region, "\" is outside this deployment's region ", region_));
  }
  return region;
}

absl::StatusOr<wahana::reporting::v1::CaseCounts> ReportingLogic::GetCaseCounts(
    const Principal& caller, const wahana::reporting::v1::GetCaseCountsRequest& request) {
  WAHANA_ASSIGN_OR_RETURN(std::string region, ReportRegion(caller, request.region()));
  // Exact counts of a small area could name people to a role that may not read them; these
  // counts are numbers, so they cannot say "<5": such callers ask the pivot, which suppresses.
  WAHANA_ASSIGN_OR_RETURN(RegionLevelKind level, ParseRegionCode(region, "region"));
  if (AtOrBelowSubdistrict(level) && !SeesPersonalData(caller, Resource::kCase)) {
    return absl::PermissionDeniedError(
        absl::StrCat("region: exact case counts of ", region,
                     " (a subdistrict or village) are not shown to your role; ask "
                     "/v1/reports/cases?groupBy=status, where small counts are shown as \"<5\""));
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
