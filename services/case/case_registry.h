#pragma once
// The registry records a case refers to (its subjects, the institutions of a conflict or a
// referral, workers), read over gRPC: the interface the case logic depends on. GrpcCaseRegistry
// asks the registry's BeneficiaryService, HouseholdService, InstitutionService and WorkerService
// with a deadline; the logic's tests use a fake.

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "wahana/registry/v1/beneficiary.grpc.pb.h"
#include "wahana/registry/v1/household.grpc.pb.h"
#include "wahana/registry/v1/institution.grpc.pb.h"
#include "wahana/registry/v1/worker.grpc.pb.h"

namespace wahana {

// Every Get*: the record (archived ones too); NOT_FOUND when the registry has none,
// INVALID_ARGUMENT when it refuses the id, UNAVAILABLE when it cannot answer in time. Thread-safe.
class CaseRegistry {
 public:
  virtual ~CaseRegistry() = default;
  virtual absl::StatusOr<wahana::registry::v1::Beneficiary> GetBeneficiary(
      const std::string& id) = 0;
  virtual absl::StatusOr<wahana::registry::v1::Household> GetHousehold(const std::string& id) = 0;
  virtual absl::StatusOr<wahana::registry::v1::Institution> GetInstitution(
      const std::string& id) = 0;
  virtual absl::StatusOr<wahana::registry::v1::Worker> GetWorker(const std::string& id) = 0;
};

class GrpcCaseRegistry : public CaseRegistry {
 public:
  // `address` host:port of the registry; the channel connects lazily. Every call has `deadline`.
  GrpcCaseRegistry(const std::string& address, std::chrono::milliseconds deadline);

  absl::StatusOr<wahana::registry::v1::Beneficiary> GetBeneficiary(const std::string& id) override;
  absl::StatusOr<wahana::registry::v1::Household> GetHousehold(const std::string& id) override;
  absl::StatusOr<wahana::registry::v1::Institution> GetInstitution(const std::string& id) override;
  absl::StatusOr<wahana::registry::v1::Worker> GetWorker(const std::string& id) override;

 private:
  std::unique_ptr<wahana::registry::v1::BeneficiaryService::Stub> beneficiaries_;
  std::unique_ptr<wahana::registry::v1::HouseholdService::Stub> households_;
  std::unique_ptr<wahana::registry::v1::InstitutionService::Stub> institutions_;
  std::unique_ptr<wahana::registry::v1::WorkerService::Stub> workers_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace wahana
