#include "gateway/api_keys/worker_directory.h"

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

}  // namespace wahana
