#include "gateway/api_keys/worker_directory.h"

#include <vector>

#include "absl/strings/str_cat.h"

namespace wahana {

GrpcWorkerDirectory::GrpcWorkerDirectory(std::shared_ptr<grpc::Channel> channel,
                                         std::shared_ptr<const TokenMinter> minter,
                                         std::chrono::milliseconds deadline)
    : stub_(registry::v1::WorkerService::NewStub(std::move(channel))),
      minter_(std::move(minter)),
      deadline_(deadline) {}

absl::StatusOr<registry::v1::Worker> GrpcWorkerDirectory::GetWorker(const Principal& caller,
                                                                    const std::string& id) {
  absl::StatusOr<std::string> token = minter_->Reusable(caller);
  if (!token.ok()) return token.status();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  context.AddMetadata("authorization", absl::StrCat("Bearer ", *token));
  registry::v1::GetWorkerRequest request;
  request.set_id(id);
  registry::v1::Worker worker;
  grpc::Status status = stub_->GetWorker(&context, request, &worker);
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return worker;
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(status.error_message());
    case grpc::StatusCode::INVALID_ARGUMENT:
      return absl::InvalidArgumentError(status.error_message());
    default:
      // Down, slow, overloaded or refusing the gateway's token: nothing the client can fix.
      return absl::UnavailableError(
          absl::StrCat("the registry answered ",
                       absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                       ": ", status.error_message()));
  }
}

absl::Status CheckWorkerLinkInRegistry(WorkerDirectory& workers, const Principal& asker,
                                       const std::string& worker_id,
                                       const std::string& region_scope,
                                       const std::string& deployment_region,
                                       absl::string_view field) {
  absl::StatusOr<registry::v1::Worker> worker = workers.GetWorker(asker, worker_id);
  if (absl::IsNotFound(worker.status())) {
    return absl::NotFoundError(absl::StrCat(field, ": worker ", worker_id, " not found"));
  }
  if (absl::IsInvalidArgument(worker.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": the registry refused it: ", worker.status().message()));
  }
  if (!worker.ok()) {
    return absl::UnavailableError(absl::StrCat(field, ": cannot check worker ", worker_id, " now (",
                                               worker.status().message(), "); retry later"));
  }
  if (worker->archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": worker ", worker_id, " is archived in the registry"));
  }
  // Where the worker works: the home base and the kecamatan served; the deployment itself for a
  // worker with neither (the registry lists such a worker there too).
  std::vector<std::string> places(worker->subdistrict_codes().begin(),
                                  worker->subdistrict_codes().end());
  if (!worker->village_code().empty()) places.push_back(worker->village_code());
  if (places.empty()) places.push_back(deployment_region);
  Principal key_scope;
  key_scope.region_scope = region_scope;
  for (const std::string& place : places) {
    if (Covers(key_scope, place)) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": worker ", worker_id, " works outside the scope ", region_scope));
}

}  // namespace wahana
