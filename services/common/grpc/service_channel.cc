#include "common/grpc/service_channel.h"

namespace wahana {
namespace {

// pick_first, gRPC's default, would send every call to the first replica that answers.
constexpr char kRoundRobin[] = R"({"loadBalancingConfig":[{"round_robin":{}}]})";

}  // namespace

std::shared_ptr<grpc::Channel> CreateServiceChannel(const std::string& target,
                                                    grpc::ChannelArguments args) {
  args.SetServiceConfigJSON(kRoundRobin);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

}  // namespace wahana
