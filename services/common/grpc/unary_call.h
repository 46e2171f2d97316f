#pragma once
// Runs a unary gRPC callback method's work on the WorkerPool and finishes the reactor with its
// status. A call without a verified principal (common/auth/call_authenticator.h) is refused
// UNAUTHENTICATED before any work is queued. The work runs inside a CallScope (call_scope.h): the
// incoming call's request id and deadline. Transport code stays one line per method:
//
//   grpc::ServerUnaryReactor* GetRegion(grpc::CallbackServerContext* ctx,
//                                       const GetRegionRequest* req, Region* resp) override {
//     return RunUnary(ctx, pool_, [=] { return logic_.GetRegion(*req, resp); });
//   }
//
// or, when the logic answers an absl::StatusOr<Response>:
//
//     return RunUnary(ctx, pool_, resp, [=] { return logic_->GetCase(*req); });
//
// Work that takes a `const Principal&` is handed the call's verified principal, so the logic gets
// the caller explicitly (access_policy.h decides what it may do):
//
//     return RunUnary(ctx, pool_, resp,
//                     [=](const Principal& caller) { return logic_->GetCase(caller, *req); });

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/call_authenticator.h"
#include "common/grpc/call_scope.h"
#include "common/grpc/worker_pool.h"
#include "common/status/grpc_status.h"

namespace wahana {

namespace unary_call_internal {

// Queues `work` (given `caller` when it takes a principal) on `pool` and finishes the reactor.
template <typename Work>
grpc::ServerUnaryReactor* Queue(grpc::CallbackServerContext* context,
                                grpc::ServerUnaryReactor* reactor, WorkerPool& pool,
                                Principal caller, Work work) {
  bool queued =
      pool.Submit([reactor, context, caller = std::move(caller), work = std::move(work)]() mutable {
        // The work's log lines carry the request id; its outgoing calls, the id and the deadline.
        CallScope scope(RequestIdFromMetadata(context->client_metadata()), context->deadline());
        if (context->IsCancelled()) {
          reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the client"));
          return;
        }
        absl::Status status;
        if constexpr (std::is_invocable_v<Work&, const Principal&>) {
          status = work(static_cast<const Principal&>(caller));
        } else {
          status = work();
        }
        // At debug level every call leaves a line with its request id: a request can be traced.
        if (spdlog::should_log(spdlog::level::debug)) {
          spdlog::debug("call done: {}", status.ok() ? std::string("OK") : status.ToString());
        }
        reactor->Finish(ToGrpcStatus(status));
      });
  if (!queued) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "server busy: too many calls waiting, retry later"));
  }
  return reactor;
}

}  // namespace unary_call_internal

template <typename Work>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, WorkerPool& pool,
                                   Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Unauthenticated calls end here, before any work is queued (call_authenticator.h).
  absl::StatusOr<Principal> principal = PrincipalOf(*context);
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  return unary_call_internal::Queue(context, reactor, pool, *std::move(principal), std::move(work));
}

// For the one kind of method a token does not authenticate, because the request carries its own
// proof (a federation batch signed by its origin, checked by the work itself): `work` takes no
// principal and returns absl::StatusOr<Response>.
template <typename Response, typename Work>
grpc::ServerUnaryReactor* RunUnaryWithoutToken(grpc::CallbackServerContext* context,
                                               WorkerPool& pool, Response* response, Work work) {
  return unary_call_internal::Queue(context, context->DefaultReactor(), pool, Principal{},
                                    [response, work = std::move(work)]() mutable -> absl::Status {
                                      absl::StatusOr<Response> result = work();
                                      if (result.ok()) *response = *std::move(result);
                                      return result.status();
                                    });
}

// As above, for `work` that returns absl::StatusOr<Response>: its value becomes `*response`.
template <typename Response, typename Work>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, WorkerPool& pool,
                                   Response* response, Work work) {
  if constexpr (std::is_invocable_v<Work&, const Principal&>) {
    return RunUnary(
        context, pool,
        [response, work = std::move(work)](const Principal& caller) mutable -> absl::Status {
          absl::StatusOr<Response> result = work(caller);
          if (result.ok()) *response = *std::move(result);
          return result.status();
        });
  } else {
    return RunUnary(context, pool, [response, work = std::move(work)]() mutable -> absl::Status {
      absl::StatusOr<Response> result = work();
      if (result.ok()) *response = *std::move(result);
      return result.status();
    });
  }
}

}  // namespace wahana

// The override `Method` of a generated CallbackService whose whole transport is handing the
// request to `logic_->Method(caller, *request)` on `pool_` (members of the class it is used in):
// one line per method, so no two services repeat the same lines.
//
//   WAHANA_UNARY_METHOD(GetWorker, wahana::registry::v1::GetWorkerRequest,
//                       wahana::registry::v1::Worker)
#define WAHANA_UNARY_METHOD(Method, Request, Response) \
  WAHANA_UNARY_METHOD_TO(Method, logic_->Method, Request, Response)
// The same, handing the request to `call(caller, *request)`: a service whose methods go to
// several logics ("participants_->Register").
#define WAHANA_UNARY_METHOD_TO(Method, call, Request, Response)                                  \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, const Request* request, \
                                   Response* response) override {                                \
    return ::wahana::RunUnary(                                                                   \
        context, pool_, response,                                                                \
        [this, request](const ::wahana::Principal& caller) { return call(caller, *request); });  \
  }
