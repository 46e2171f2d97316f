#pragma once
// One gRPC service the gateway calls: a channel created once at start-up and a generic stub that
// sends and receives serialized bytes, so no per-service generated stub is needed.
// Thread-safe: any number of calls may run at once on one Backend.

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"

namespace wahana {

class Backend {
 public:
  // `address` in gRPC target syntax ("127.0.0.1:20051", "dns:///registry:20051", a list of
  // replicas: EnvReader::ServiceTarget). The channel spreads calls over every replica
  // (service_channel.h), connects lazily and reconnects with a short backoff (at most 2 s), so a
  // service that starts after the gateway is reached promptly.
  Backend(std::string service, std::string address);
  // A backend reached over `channel` (an in-process server's); `address` only names it.
  Backend(std::string service, std::string address, std::shared_ptr<grpc::Channel> channel);

  const std::string& service() const { return service_; }
  const std::string& address() const { return address_; }
  grpc::GenericStub& stub() { return stub_; }

  // Asks grpc.health.v1.Health/Check (overall server health) with `deadline`. `done` gets OK when
  // the answer is SERVING, otherwise a status saying why; it runs once, on a gRPC thread.
  void CheckHealth(std::chrono::milliseconds deadline, std::function<void(absl::Status)> done);

 private:
  std::string service_;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub stub_;
};

}  // namespace wahana
