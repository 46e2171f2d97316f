#pragma once
// A deployment receiving its peers' signed batches (FederationService.Deliver): a province its
// districts' aggregates and referrals, a district its province's answers to its referrals. The
// checks and the exactly-once step, without gRPC.
//
//  1. The origin must be a registered sender (a province's RegisteredDistricts, a district's
//     province) and its key must verify the batch's bytes (common/federation/signed_batch.h); the
//     channel must be one that sender sends on.
//  2. Every message must be well formed and lie within the origin's region (CheckAggregateChange,
//     a referral's village); an answer must be about this district. Sequences must increase.
//  3. Messages at or below the link's high-water mark were applied before and are skipped; the new
//     ones go on the deployment's federation stream (aggregates summed into one InboundAggregates,
//     each referral or answer a message of its own), written in one script with the new mark
//     (AtomicWrite, guarded on the mark read), so a batch sent twice, or two replicas receiving
//     it at once, apply each message once.
// A refused batch is logged and counted on its link (the status page shows the last error).
//
// Thread-safe.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/crypto/ed25519_key.h"
#include "common/redis/redis_client.h"
#include "federation/registered_districts.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

class BatchReceiver {
 public:
  // A province (`region`) receiving from `districts`. `redis` must outlive the receiver.
  BatchReceiver(RedisClient& redis, std::string region,
                std::shared_ptr<const RegisteredDistricts> districts,
                std::function<absl::Time()> now = nullptr);
  // A district (`region`) receiving its province's answers, signed with `province_key`.
  BatchReceiver(RedisClient& redis, std::string region, const Ed25519PublicKey& province_key,
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
  const bool province_;  // else a district: the channels it receives differ
  // Who may deliver here (region code), with the key that verifies them.
  std::map<std::string, Ed25519PublicKey> senders_;
  const std::function<absl::Time()> now_;
};

// "aggregates" for CHANNEL_AGGREGATES: the channel's name in keys and logs.
const char* ChannelName(wahana::federation::v1::Channel channel);

}  // namespace wahana
