#include "event/event_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana {
namespace {

// Moves a result into the response and returns its status.
template <typename T>
absl::Status Answer(absl::StatusOr<T> result, T* response) {
  if (result.ok()) *response = *std::move(result);
  return result.status();
}

}  // namespace

EventGrpcService::EventGrpcService(std::shared_ptr<EventLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* EventGrpcService::CreateEvent(
    grpc::CallbackServerContext* context, const wahana::event::v1::CreateEventRequest* request,
    wahana::event::v1::Event* response) {
  return RunUnary(context, pool_, [this, request, response] {
    return Answer(logic_->CreateEvent(*request), response);
  });
}

grpc::ServerUnaryReactor* EventGrpcService::GetEvent(
    grpc::CallbackServerContext* context, const wahana::event::v1::GetEventRequest* request,
    wahana::event::v1::Event* response) {
  return RunUnary(context, pool_, [this, request, response] {
    return Answer(logic_->GetEvent(*request), response);
  });
}

}  // namespace wahana
