#pragma once
// A person's cases and their audit trails, read from the case service over gRPC for the
// personal-data export (personal_data_export.h). The calls carry the registry's own token
// (SYSTEM of the deployment, bearer_channel.h): the export decides what its caller gets.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "wahana/audit/v1/audit.grpc.pb.h"
#include "wahana/cases/v1/case.grpc.pb.h"

namespace wahana::registry {

// Errors: UNAVAILABLE when the case service cannot answer in time (or refuses: a bug here).
class CaseRecords {
 public:
  virtual ~CaseRecords() = default;
  // The cases naming the beneficiary (as the subject or a conflict party) and those whose subject
  // is one of `household_ids` (FAMILY cases of the person's households), each once.
  virtual absl::StatusOr<std::vector<wahana::cases::v1::Case>> CasesOf(
      const std::string& beneficiary_id, const std::vector<std::string>& household_ids) = 0;
  // Every entry of the case's trail, oldest first (empty when it has none).
  virtual absl::StatusOr<std::vector<wahana::audit::v1::AuditEntry>> TrailOf(
      const std::string& case_id) = 0;
};

class GrpcCaseRecords final : public CaseRecords {
 public:
  // `address` the case service's target (WAHANA_CASE_ADDR); the channel connects lazily.
  // Every call has `deadline`.
  GrpcCaseRecords(const std::string& address, std::chrono::milliseconds deadline);

  absl::StatusOr<std::vector<wahana::cases::v1::Case>> CasesOf(
      const std::string& beneficiary_id, const std::vector<std::string>& household_ids) override;
  absl::StatusOr<std::vector<wahana::audit::v1::AuditEntry>> TrailOf(
      const std::string& case_id) override;

 private:
  std::unique_ptr<wahana::cases::v1::CaseService::Stub> cases_;
  // One ListCases by a lookup (beneficiary_id or household_id set in `request`).
  absl::Status ListInto(const wahana::cases::v1::ListCasesRequest& request,
                        std::vector<wahana::cases::v1::Case>* cases);

  std::unique_ptr<wahana::audit::v1::AuditService::Stub> audit_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace wahana::registry
