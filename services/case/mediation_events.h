#pragma once
// The event service's events a case's mediation session names (issue 12: a session names an
// existing MEDIASI event of the case's region), read over gRPC: the interface the case logic
// depends on. GrpcMediationEvents asks wahana.event.v1.EventService with a deadline, as the case
// service's own SYSTEM principal; the logic checks what the caller may read of the answer.

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "wahana/event/v1/event.grpc.pb.h"

namespace wahana {

// GetEvent: the event (archived ones too); NOT_FOUND when there is none, INVALID_ARGUMENT when
// the event service refuses the id, UNAVAILABLE when it cannot answer in time. Thread-safe.
class MediationEvents {
 public:
  virtual ~MediationEvents() = default;
  virtual absl::StatusOr<wahana::event::v1::Event> GetEvent(const std::string& id) = 0;
};

class GrpcMediationEvents : public MediationEvents {
 public:
  // `address` the event service's target (WAHANA_EVENT_ADDR); the channel connects lazily.
  GrpcMediationEvents(const std::string& address, std::chrono::milliseconds deadline);

  absl::StatusOr<wahana::event::v1::Event> GetEvent(const std::string& id) override;

 private:
  std::unique_ptr<wahana::event::v1::EventService::Stub> events_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace wahana
