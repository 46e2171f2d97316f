#pragma once
// The gRPC face of events: hands each call to EventLogic on the worker pool. No rules here.

#include <memory>

#include "common/grpc/unary_call.h"
#include "common/grpc/worker_pool.h"
#include "event/event_logic.h"
#include "wahana/event/v1/event.grpc.pb.h"

namespace wahana {

class EventGrpcService final : public wahana::event::v1::EventService::CallbackService {
 public:
  // `pool` must outlive the service.
  EventGrpcService(std::shared_ptr<EventLogic> logic, WorkerPool& pool);

  WAHANA_UNARY_METHOD(CreateEvent, wahana::event::v1::CreateEventRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(GetEvent, wahana::event::v1::GetEventRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(ListEvents, wahana::event::v1::ListEventsRequest,
                      wahana::event::v1::ListEventsResponse)
  WAHANA_UNARY_METHOD(UpdateEvent, wahana::event::v1::UpdateEventRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(ArchiveEvent, wahana::event::v1::ArchiveEventRequest,
                      wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(OpenEvent, wahana::event::v1::EventStepRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(StartEvent, wahana::event::v1::EventStepRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(FinishEvent, wahana::event::v1::EventStepRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(CancelEvent, wahana::event::v1::EventStepRequest, wahana::event::v1::Event)

 private:
  std::shared_ptr<EventLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana
