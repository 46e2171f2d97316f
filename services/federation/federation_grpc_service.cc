#include "federation/federation_grpc_service.h"

#include <utility>

#include "common/auth/access_policy.h"
#include "common/grpc/unary_call.h"
#include "common/status/grpc_status.h"

namespace wahana {

using wahana::federation::v1::DeliverResponse;
using wahana::federation::v1::FederationStatus;

FederationGrpcService::FederationGrpcService(std::shared_ptr<BatchReceiver> receiver,
                                             std::shared_ptr<LinkStatusReader> status,
                                             WorkerPool& pool)
    : receiver_(std::move(receiver)), status_(std::move(status)), pool_(pool) {}

grpc::ServerUnaryReactor* FederationGrpcService::Deliver(
    grpc::CallbackServerContext* context, const wahana::federation::v1::SignedBatch* request,
    DeliverResponse* response) {
  if (receiver_ == nullptr) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                 "this deployment is not a province: it receives no batches"));
    return reactor;
  }
  return RunUnaryWithoutToken(context, pool_, response,
                              [this, request] { return receiver_->Receive(*request); });
}

grpc::ServerUnaryReactor* FederationGrpcService::GetFederationStatus(
    grpc::CallbackServerContext* context,
    const wahana::federation::v1::GetFederationStatusRequest* /*request*/,
    FederationStatus* response) {
  return RunUnary(context, pool_, response,
                  [this](const Principal& caller) -> absl::StatusOr<FederationStatus> {
                    if (!RoleAllows(caller.role, Resource::kReport, Action::kRead)) {
                      return absl::PermissionDeniedError(
                          "the federation status is for roles that read reports");
                    }
                    return status_->Read();
                  });
}

}  // namespace wahana
