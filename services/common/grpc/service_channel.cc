#include "common/grpc/service_channel.h"

#include <utility>

namespace wahana {
namespace {

// pick_first, gRPC's default, would send every call to the first replica that answers.
constexpr char kRoundRobin[] = R"({"loadBalancingConfig":[{"round_robin":{}}]})";

}  // namespace

std::shared_ptr<grpc::Channel> CreateServiceChannel(const std::string& target,
                                                    grpc::ChannelArguments args) {
  return CreateServiceChannel(target, grpc::InsecureChannelCredentials(), std::move(args));
}

std::shared_ptr<grpc::Channel> CreateServiceChannel(
    const std::string& target, std::shared_ptr<grpc::ChannelCredentials> credentials,
    grpc::ChannelArguments args) {
  args.SetServiceConfigJSON(kRoundRobin);
  return grpc::CreateCustomChannel(target, std::move(credentials), args);
}

}  // namespace wahana
