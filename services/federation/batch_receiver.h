#pragma once
// A province receiving its districts' signed batches (FederationService.Deliver): the checks and
// the exactly-once step, without gRPC.
//
//  1. The origin must be a registered district (RegisteredDistricts) and its key must verify the
//     batch's bytes (common/federation/signed_batch.h).
//  2. Every message must lie within the origin's region and be well formed
//     (CheckAggregateChange); sequences must increase.
//  3. Messages at or below the link's high-water mark were applied before and are skipped; the new
//     ones are summed into one InboundAggregates on the deployment's federation stream, written in
//     one script with the new mark (AtomicWrite, guarded on the mark read), so a batch sent twice,
//     or two replicas receiving it at once, apply each message once.
// A refused batch is logged and counted on its link (the status page shows the last error).
//
// Thread-safe.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "federation/registered_districts.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

class BatchReceiver {
 public:
  // `redis` must outlive the receiver; `region` is the province's code.
  BatchReceiver(RedisClient& redis, std::string region,
                std::shared_ptr<const RegisteredDistricts> districts,
                std::function<absl::Time()> now = nullptr);

  // The new high-water mark, or the refusal (federation.proto, Deliver).
  absl::StatusOr<wahana::federation::v1::DeliverResponse> Receive(
      const wahana::federation::v1::SignedBatch& signed_batch);

 private:
  absl::StatusOr<wahana::federation::v1::DeliverResponse> Apply(
      const wahana::federation::v1::Batch& batch);
  // Logs `status`, counts the refusal on the origin's link and returns `status`.
  absl::Status Refuse(const std::string& origin, absl::Status status);

  RedisClient& redis_;
  const std::string region_;
  const std::shared_ptr<const RegisteredDistricts> districts_;
  const std::function<absl::Time()> now_;
};

// "aggregates" for CHANNEL_AGGREGATES: the channel's name in keys and logs.
const char* ChannelName(wahana::federation::v1::Channel channel);

}  // namespace wahana
