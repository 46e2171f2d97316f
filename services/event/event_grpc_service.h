#pragma once
// The gRPC face of the event service: converts and hands the work to EventLogic on the worker
// pool. No rules here.

#include <memory>

#include "common/grpc/worker_pool.h"
#include "event/event_logic.h"
#include "wahana/event/v1/event.grpc.pb.h"

namespace wahana {

class EventGrpcService final : public wahana::event::v1::EventService::CallbackService {
 public:
  // `pool` must outlive the service.
  EventGrpcService(std::shared_ptr<EventLogic> logic, WorkerPool& pool);

  grpc::ServerUnaryReactor* CreateEvent(grpc::CallbackServerContext* context,
                                        const wahana::event::v1::CreateEventRequest* request,
                                        wahana::event::v1::Event* response) override;
  grpc::ServerUnaryReactor* GetEvent(grpc::CallbackServerContext* context,
                                     const wahana::event::v1::GetEventRequest* request,
                                     wahana::event::v1::Event* response) override;

 private:
  std::shared_ptr<EventLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana
