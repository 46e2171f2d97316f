#include "common/registry/registry_records.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

namespace reg = wahana::registry::v1;

absl::Status FromGrpc(const grpc::Status& status, const char* what, const std::string& id) {
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
    case grpc::StatusCode::INVALID_ARGUMENT:
      return absl::InvalidArgumentError(status.error_message());
    default:
      // Deadline, unreachable, overloaded or a registry bug: the caller cannot fix its request.
      return absl::UnavailableError(
          absl::StrCat("cannot check ", what, " ", id,
                       " now, the registry answered: ", status.error_message(), "; retry later"));
  }
}

template <typename Response, typename Request, typename Stub, typename Method>
absl::StatusOr<Response> Call(Stub& stub, Method method, const std::string& id,
                              std::chrono::milliseconds deadline, const char* what) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  Request request;
  request.set_id(id);
  Response response;
  grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return FromGrpc(status, what, id);
  return response;
}

}  // namespace

GrpcRegistryRecords::GrpcRegistryRecords(const std::string& address,
                                         std::chrono::milliseconds deadline)
    : deadline_(deadline) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  beneficiaries_ = reg::BeneficiaryService::NewStub(channel);
  households_ = reg::HouseholdService::NewStub(channel);
  institutions_ = reg::InstitutionService::NewStub(channel);
  workers_ = reg::WorkerService::NewStub(channel);
}

absl::StatusOr<reg::Beneficiary> GrpcRegistryRecords::GetBeneficiary(const std::string& id) {
  return Call<reg::Beneficiary, reg::GetBeneficiaryRequest>(
      *beneficiaries_, &reg::BeneficiaryService::Stub::GetBeneficiary, id, deadline_,
      "beneficiary");
}

absl::StatusOr<reg::Household> GrpcRegistryRecords::GetHousehold(const std::string& id) {
  return Call<reg::Household, reg::GetHouseholdRequest>(
      *households_, &reg::HouseholdService::Stub::GetHousehold, id, deadline_, "household");
}

absl::StatusOr<reg::Institution> GrpcRegistryRecords::GetInstitution(const std::string& id) {
  return Call<reg::Institution, reg::GetInstitutionRequest>(
      *institutions_, &reg::InstitutionService::Stub::GetInstitution, id, deadline_, "institution");
}

absl::StatusOr<reg::Worker> GrpcRegistryRecords::GetWorker(const std::string& id) {
  return Call<reg::Worker, reg::GetWorkerRequest>(*workers_, &reg::WorkerService::Stub::GetWorker,
                                                  id, deadline_, "worker");
}

}  // namespace wahana
