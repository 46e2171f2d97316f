#pragma once
// What GET /v1/federation/status shows: every link of this deployment, read from the link hashes
// the relay and the receiver keep (federation_keys.h) and, for a district's outbound link, from
// the relay group's progress on the outbox (backlog, age of the oldest waiting message).

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/bus/group_progress.h"
#include "common/federation/deployment_role.h"
#include "common/redis/redis_client.h"
#include "federation/registered_districts.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

class LinkStatusReader {
 public:
  // What a linked district relays: each channel with the stream its relay reads.
  struct Outbound {
    wahana::federation::v1::Channel channel;
    std::string stream;
  };
  // `districts` may be empty (a district deployment); `redis` must outlive the reader.
  LinkStatusReader(RedisClient& redis, std::string region, FederationLink link,
                   std::shared_ptr<const RegisteredDistricts> districts,
                   std::vector<Outbound> outbound = {});

  absl::StatusOr<wahana::federation::v1::FederationStatus> Read();

 private:
  // `stream`: an outbound link's relayed stream (its backlog).
  absl::StatusOr<wahana::federation::v1::LinkStatus> ReadLink(
      const std::string& direction, const std::string& peer,
      wahana::federation::v1::Channel channel, const std::string& stream = "");

  RedisClient& redis_;
  const std::string region_;
  const FederationLink link_;
  const std::shared_ptr<const RegisteredDistricts> districts_;
  const std::vector<Outbound> outbound_;
  RedisGroupProgressReader progress_;
};

}  // namespace wahana
