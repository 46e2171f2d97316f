#pragma once
// Runs a unary gRPC callback method's work on the WorkerPool and finishes the reactor with its
// status. Transport code stays one line per method:
//
//   grpc::ServerUnaryReactor* GetRegion(grpc::CallbackServerContext* ctx,
//                                       const GetRegionRequest* req, Region* resp) override {
//     return RunUnary(ctx, pool_, [=] { return logic_.GetRegion(*req, resp); });
//   }
//
// or, when the logic answers an absl::StatusOr<Response>:
//
//     return RunUnary(ctx, pool_, resp, [=] { return logic_->GetCase(*req); });

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/grpc/worker_pool.h"
#include "common/status/grpc_status.h"

namespace wahana {

template <typename Work>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, WorkerPool& pool,
                                   Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  bool queued = pool.Submit([reactor, context, work = std::move(work)]() mutable {
    if (context->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the client"));
      return;
    }
    absl::Status status = work();
    reactor->Finish(ToGrpcStatus(status));
  });
  if (!queued) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "server busy: too many calls waiting, retry later"));
  }
  return reactor;
}

// As above, for `work` that returns absl::StatusOr<Response>: its value becomes `*response`.
template <typename Response, typename Work>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, WorkerPool& pool,
                                   Response* response, Work work) {
  return RunUnary(context, pool, [response, work = std::move(work)]() mutable -> absl::Status {
    absl::StatusOr<Response> result = work();
    if (result.ok()) *response = *std::move(result);
    return result.status();
  });
}

}  // namespace wahana
