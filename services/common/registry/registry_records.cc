#include "common/registry/registry_records.h"

#include <grpcpp/grpcpp.h>

#include "common/grpc/get_by_id.h"
#include "common/grpc/service_channel.h"

namespace wahana {
namespace {

namespace reg = wahana::registry::v1;

constexpr char kRegistry[] = "the registry";

}  // namespace

GrpcRegistryRecords::GrpcRegistryRecords(const std::string& address,
                                         std::chrono::milliseconds deadline)
    : deadline_(deadline) {
  auto channel = CreateServiceChannel(address);
  beneficiaries_ = reg::BeneficiaryService::NewStub(channel);
  households_ = reg::HouseholdService::NewStub(channel);
  institutions_ = reg::InstitutionService::NewStub(channel);
  workers_ = reg::WorkerService::NewStub(channel);
}

absl::StatusOr<reg::Beneficiary> GrpcRegistryRecords::GetBeneficiary(const std::string& id) {
  return GetById<reg::Beneficiary, reg::GetBeneficiaryRequest>(
      *beneficiaries_, &reg::BeneficiaryService::Stub::GetBeneficiary, id, deadline_, kRegistry,
      "beneficiary");
}

absl::StatusOr<reg::Household> GrpcRegistryRecords::GetHousehold(const std::string& id) {
  return GetById<reg::Household, reg::GetHouseholdRequest>(
      *households_, &reg::HouseholdService::Stub::GetHousehold, id, deadline_, kRegistry,
      "household");
}

absl::StatusOr<reg::Institution> GrpcRegistryRecords::GetInstitution(const std::string& id) {
  return GetById<reg::Institution, reg::GetInstitutionRequest>(
      *institutions_, &reg::InstitutionService::Stub::GetInstitution, id, deadline_, kRegistry,
      "institution");
}

absl::StatusOr<reg::Worker> GrpcRegistryRecords::GetWorker(const std::string& id) {
  return GetById<reg::Worker, reg::GetWorkerRequest>(
      *workers_, &reg::WorkerService::Stub::GetWorker, id, deadline_, kRegistry, "worker");
}

}  // namespace wahana
