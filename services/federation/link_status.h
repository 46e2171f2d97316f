#pragma once
// What GET /v1/federation/status shows: every link of this deployment, read from the link hashes
// the relay and the receiver keep (federation_keys.h) and, for an outbound link, from the relay
// group's progress on the stream it relays (backlog, age of the oldest waiting message).

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/bus/bus_contract.h"
#include "common/bus/group_progress.h"
#include "common/federation/deployment_role.h"
#include "common/redis/redis_client.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

class LinkStatusReader {
 public:
  // One link of this deployment on one channel: what a relay sends (outbound: the stream it
  // reads as its group) or what the receiver takes (inbound).
  struct Link {
    std::string direction;  // kInbound or kOutbound (federation_keys.h)
    std::string peer;
    wahana::federation::v1::Channel channel;
    std::string stream = "";                    // outbound
    std::string group = kFederationRelayGroup;  // outbound
  };
  // `links` in the order shown; `redis` must outlive the reader.
  LinkStatusReader(RedisClient& redis, std::string region, DeploymentRole role,
                   std::vector<Link> links);

  absl::StatusOr<wahana::federation::v1::FederationStatus> Read();

 private:
  absl::StatusOr<wahana::federation::v1::LinkStatus> ReadLink(const Link& link);

  RedisClient& redis_;
  const std::string region_;
  const DeploymentRole role_;
  const std::vector<Link> links_;
  RedisGroupProgressReader progress_;
};

}  // namespace wahana
