#include "event/event_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana {

EventGrpcService::EventGrpcService(std::shared_ptr<EventLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* EventGrpcService::CreateEvent(
    grpc::CallbackServerContext* context, const wahana::event::v1::CreateEventRequest* request,
    wahana::event::v1::Event* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->CreateEvent(caller, *request);
  });
}

grpc::ServerUnaryReactor* EventGrpcService::GetEvent(
    grpc::CallbackServerContext* context, const wahana::event::v1::GetEventRequest* request,
    wahana::event::v1::Event* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetEvent(caller, *request);
  });
}

}  // namespace wahana
