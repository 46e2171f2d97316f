#pragma once
// A district's relay of one stream to its province (an outbox, bus_contract.h OutboxStreamKey, or
// the case stream for referrals): reads the entries in order as the consumer group "federation",
// sends what its channel carries of them (relayed_entries.h) in signed batches
// (FederationPeer), and acknowledges an entry only once the province's high-water mark covers it;
// acknowledged entries are then trimmed. Nothing is lost while the province is unreachable: the
// entries stay pending and the same batch is sent again, after a delay that doubles up to 30 s
// with jitter (so districts coming back together do not call in step). Order is kept: pending
// entries always go before new ones, and one replica relays at a time (a lease in Redis).
//
// An entry no one can read (written by a newer version, or damaged) is copied to "<stream>:dead"
// and acknowledged, so it cannot block the link; an entry the channel does not carry is
// acknowledged with the batch it came in.
//
// Thread-safety: Start() spawns one thread, Stop() joins it; RelayOnce() is for tests (not mixed).

#include <memory>
#include <random>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/bus/bus_contract.h"
#include "common/crypto/ed25519_key.h"
#include "common/redis/redis_client.h"
#include "federation/federation_peer.h"
#include "federation/relayed_entries.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

struct RelayOptions {
  std::string region;  // the sender: a district ("16.06"), or a province sending answers ("16")
  std::string peer;    // the receiver: the district's province ("16"), or one of its districts
  std::string outbox;  // the stream relayed
  // The relay's consumer group on `outbox`: kFederationRelayGroup for a district's relays; a
  // province reads its case stream once per district ("federation:16.06").
  std::string group = kFederationRelayGroup;
  wahana::federation::v1::Channel channel = wahana::federation::v1::CHANNEL_AGGREGATES;
  // What each entry sends (relayed_entries.h).
  EntryReader read_entry = AggregateEntries();
  // True when the relay's group is the stream's only reader (an outbox): acknowledged entries
  // are trimmed at once. Otherwise (the case stream) the stream's consumers trim it, never past
  // an entry the relay has not acknowledged (stream_trimmer.h).
  bool sole_reader = true;
  int batch_size = 2000;
  absl::Duration deadline = absl::Seconds(10);
  absl::Duration first_retry = absl::Milliseconds(200);
  absl::Duration max_retry = absl::Seconds(30);
  // An idle link sends a heartbeat this often.
  absl::Duration heartbeat = absl::Seconds(30);
  int block_ms = 1000;
};

class OutboxRelay {
 public:
  // `redis` must outlive the relay.
  OutboxRelay(RedisClient& redis, RelayOptions options,
              std::shared_ptr<const Ed25519PrivateKey> key, std::shared_ptr<FederationPeer> peer);
  ~OutboxRelay();  // Stop()s

  // CreateGroup(), then starts the thread.
  absl::Status Start();
  // Creates the relay's group at the outbox's start (and the outbox) if missing.
  absl::Status CreateGroup();
  void Stop();

  // One batch: the pending entries, else new ones (waiting up to `block_ms`), sent and
  // acknowledged. Returns how many were acknowledged (0: nothing to send). The send's failure
  // is recorded on the link and returned.
  absl::StatusOr<int> RelayOnce(int block_ms);

  // An empty signed batch: tells the province this district is there (and that its key
  // verifies) when there is nothing to send. Recorded on the link as a batch's answer is.
  absl::Status Heartbeat();

  // The delay before retry number `attempt` (1, 2, ...): first_retry doubled each time up to
  // max_retry, then a uniform draw from its upper half.
  absl::Duration RetryDelay(int attempt);

 private:
  void Run();
  bool HoldLease();
  absl::Status RecordFailure(const absl::Status& status);

  RedisClient& redis_;
  const RelayOptions options_;
  const std::shared_ptr<const Ed25519PrivateKey> key_;
  const std::shared_ptr<FederationPeer> peer_;
  const std::string lease_token_;
  wahana::federation::v1::Batch NewBatch() const;
  std::mt19937_64 random_;                          // the relay thread's only
  absl::Time last_contact_ = absl::InfinitePast();  // the relay thread's only

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace wahana
