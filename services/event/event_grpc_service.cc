#include "event/event_grpc_service.h"

#include <utility>

namespace wahana {

EventGrpcService::EventGrpcService(std::shared_ptr<EventLogic> logic,
                                   std::shared_ptr<ParticipantLogic> participants, WorkerPool& pool)
    : logic_(std::move(logic)), participants_(std::move(participants)), pool_(pool) {}

}  // namespace wahana
