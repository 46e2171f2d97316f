#pragma once
// The reporting service's rules, without a server or a stream: how a case message moves the
// counters, and what GetCaseCounts answers. Storage comes in through the constructor.
//
// Thread-safe when its store is (the production one is).

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/principal.h"
#include "reporting/case_counts_store.h"
#include "wahana/common/v1/message.pb.h"
#include "wahana/reporting/v1/reporting.pb.h"

namespace wahana {

class ReportingLogic {
 public:
  // `region` is the deployment's region ("16.06").
  ReportingLogic(std::string region, std::shared_ptr<CaseCountsStore> store);

  // Applies one message of the case stream; idempotent on the message id. A CaseChanged that
  // changes the status (a create: from CASE_STATUS_UNSPECIFIED) moves the case's count from the
  // status before to the status after under its village, subdistrict, regency (and province, in a
  // province deployment): every region from the village up to the deployment's region. Other
  // types, and actions that keep the status, are skipped (OK). INVALID_ARGUMENT for a CaseChanged
  // that cannot be applied (unreadable
  // payload, region malformed or outside the deployment): the consumer retries it, then moves it
  // to the dead-letter stream. UNAVAILABLE when Redis cannot be reached.
  absl::Status HandleCaseMessage(const wahana::common::v1::Envelope& envelope);

  // Counts by status (every status, zeros included, in lifecycle order) and the total under
  // `request.region`, narrowed to the caller's scope (access_policy.h ScopeListRegion on
  // kReport, which every role reads): empty means the caller's scope; a region above the
  // deployment (a PROVINCE_VIEWER's province) answers for the deployment, the part of it this
  // service counts. INVALID_ARGUMENT naming `region` when it is malformed or outside the
  // deployment; PERMISSION_DENIED when it is disjoint from the caller's scope.
  absl::StatusOr<wahana::reporting::v1::CaseCounts> GetCaseCounts(
      const Principal& caller, const wahana::reporting::v1::GetCaseCountsRequest& request);

  // `code` and each region above it, up to and including `scope` (code first).
  static std::vector<std::string> PrefixesUpTo(const std::string& code, const std::string& scope);

 private:
  const std::string region_;
  std::shared_ptr<CaseCountsStore> store_;
};

}  // namespace wahana
