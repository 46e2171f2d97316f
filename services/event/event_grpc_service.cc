#include "event/event_grpc_service.h"

#include <utility>

namespace wahana {

EventGrpcService::EventGrpcService(std::shared_ptr<EventLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

}  // namespace wahana
