#include "federation/federation_grpc_service.h"

#include <utility>

#include "common/auth/access_policy.h"
#include "common/grpc/unary_call.h"
#include "common/privacy/nik_lookup.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"

namespace wahana {

using wahana::federation::v1::DeliverResponse;
using wahana::federation::v1::FederationStatus;

namespace {

// The answer of a method this deployment's role does not serve.
grpc::ServerUnaryReactor* NotHere(grpc::CallbackServerContext* context, const char* why) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, why));
  return reactor;
}

}  // namespace

FederationGrpcService::FederationGrpcService(std::shared_ptr<BatchReceiver> receiver,
                                             std::shared_ptr<DistrictLookup> lookup,
                                             std::shared_ptr<LookupAnswerer> answerer,
                                             std::shared_ptr<LinkStatusReader> status,
                                             WorkerPool& pool)
    : receiver_(std::move(receiver)),
      lookup_(std::move(lookup)),
      answerer_(std::move(answerer)),
      status_(std::move(status)),
      pool_(pool) {}

grpc::ServerUnaryReactor* FederationGrpcService::Deliver(
    grpc::CallbackServerContext* context, const wahana::federation::v1::SignedBatch* request,
    DeliverResponse* response) {
  if (receiver_ == nullptr) {
    return NotHere(context,
                   "this deployment receives no batches (a district without "
                   "WAHANA_PROVINCE_PUBLIC_KEY_FILE)");
  }
  return RunUnaryWithoutToken(context, pool_, response,
                              [this, request] { return receiver_->Receive(*request); });
}

grpc::ServerUnaryReactor* FederationGrpcService::LookupBeneficiary(
    grpc::CallbackServerContext* context,
    const wahana::federation::v1::LookupBeneficiaryRequest* request,
    wahana::federation::v1::BeneficiaryLookup* response) {
  return RunUnary(
      context, pool_, response,
      [this, request](
          const Principal& caller) -> absl::StatusOr<wahana::federation::v1::BeneficiaryLookup> {
        // Who may not look NIKs up learns nothing more, not even the role.
        WAHANA_RETURN_IF_ERROR(CheckNikLookup(caller, request->nik()));
        if (lookup_ == nullptr) {
          return absl::FailedPreconditionError("only a province looks people up in its districts");
        }
        return lookup_->Lookup(caller, *request);
      });
}

grpc::ServerUnaryReactor* FederationGrpcService::AnswerLookup(
    grpc::CallbackServerContext* context, const wahana::federation::v1::SignedLookup* request,
    wahana::federation::v1::LookupAnswer* response) {
  if (answerer_ == nullptr) {
    return NotHere(context, "this deployment is not a district: it answers no look-up");
  }
  return RunUnaryWithoutToken(context, pool_, response,
                              [this, request] { return answerer_->Answer(*request); });
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
