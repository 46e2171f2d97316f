#pragma once
// The one way a process of the suite makes a channel to one of its gRPC services: every address
// the target resolves to (each replica of the service) gets a connection, and calls are spread
// over those that are up (gRPC's round_robin policy). A replica that goes away is left out as soon
// as its connection closes and taken back when it answers again.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace wahana {

// A channel to `target` (ServiceTarget's, service_target.h), without transport security, with the
// caller's `args` (backoff, ...) and the round_robin policy. Connects lazily. Thread-safe.
std::shared_ptr<grpc::Channel> CreateServiceChannel(
    const std::string& target, grpc::ChannelArguments args = grpc::ChannelArguments());

// The same with `credentials` (TLS to a service of another deployment).
std::shared_ptr<grpc::Channel> CreateServiceChannel(
    const std::string& target, std::shared_ptr<grpc::ChannelCredentials> credentials,
    grpc::ChannelArguments args = grpc::ChannelArguments());

}  // namespace wahana
