#pragma once
// The registry's records another service refers to (a case's subjects, the institutions of a
// conflict or a referral, workers; an event's organisers), read over gRPC: the interface those
// services' logic depends on. GrpcRegistryRecords asks the registry's BeneficiaryService,
// HouseholdService, InstitutionService and WorkerService with a deadline; logic tests use fakes.
// A caller checks what it may read of the answer itself (common/auth/reference_access.h).

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
class RegistryRecords {
 public:
  virtual ~RegistryRecords() = default;
  virtual absl::StatusOr<wahana::registry::v1::Beneficiary> GetBeneficiary(
      const std::string& id) = 0;
  virtual absl::StatusOr<wahana::registry::v1::Household> GetHousehold(const std::string& id) = 0;
  virtual absl::StatusOr<wahana::registry::v1::Institution> GetInstitution(
      const std::string& id) = 0;
  virtual absl::StatusOr<wahana::registry::v1::Worker> GetWorker(const std::string& id) = 0;
};

class GrpcRegistryRecords : public RegistryRecords {
 public:
  // `address` the registry's target (WAHANA_REGISTRY_ADDR); the channel connects lazily. Every call
  // has `deadline`.
  GrpcRegistryRecords(const std::string& address, std::chrono::milliseconds deadline);

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
