#include "case/mediation_events.h"

#include <grpcpp/grpcpp.h>

#include "common/grpc/get_by_id.h"
#include "common/grpc/service_channel.h"

namespace wahana {

namespace ev = wahana::event::v1;

GrpcMediationEvents::GrpcMediationEvents(const std::string& address,
                                         std::chrono::milliseconds deadline)
    : events_(ev::EventService::NewStub(CreateServiceChannel(address))), deadline_(deadline) {}

absl::StatusOr<ev::Event> GrpcMediationEvents::GetEvent(const std::string& id) {
  return GetById<ev::Event, ev::GetEventRequest>(*events_, &ev::EventService::Stub::GetEvent, id,
                                                 deadline_, "the event service", "event");
}

}  // namespace wahana
