#pragma once
// Appends to a service's audit trail (audit_keys.h, audit_chain.h) with group commit: callers
// queue entries; one writer thread takes everything queued, chains it after the trail's head and
// writes it with one Lua script (XADD each entry, RPUSH its stream id to each of its subjects'
// indexes, move the head). The script first compares the head with the one the writer chained
// after; when another replica appended meanwhile it answers the current head and the writer
// chains the batch again. So a trail costs about one Redis call per batch, not per request.

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/audit/audit_chain.h"
#include "common/audit/audit_keys.h"
#include "common/redis/redis_client.h"
#include "wahana/audit/v1/audit.pb.h"

namespace wahana {

struct AuditTrailOptions {
  // Most entries one script writes.
  int max_batch = 256;
  // Head conflicts (other replicas appending) tolerated per batch before it fails; after its
  // first conflict a writer holds the turn, so more than two means something is wrong.
  int max_attempts = 20;
  // How long a batch waits while another replica holds the turn (a claim lasts a second).
  absl::Duration max_wait_for_turn = absl::Seconds(3);
};

// The trail's head as stored; {0, kGenesisHash} when the trail is empty.
absl::StatusOr<AuditHead> ReadAuditHead(RedisClient& redis, const AuditKeys& keys);

class AuditTrail {
 public:
  // Called once per appended entry, on the writer thread, when its batch is written (OK) or
  // failed (UNAVAILABLE / INTERNAL). Must not block for long: the next batch waits.
  using Done = std::function<void(const absl::Status&)>;

  // Starts the writer. `service` names the trail ("case") and is set on every entry.
  AuditTrail(RedisClient& redis, std::string service, const std::string& region,
             std::string chain_key, AuditTrailOptions options = {});
  // Stop()s.
  ~AuditTrail();
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  // Queues `entry` (its sequence and service are set here), to be indexed under the subjects it
  // names itself (audit_index.h). `done` runs once written or failed; after Stop() it runs at
  // once with UNAVAILABLE.
  void Append(audit::v1::AuditEntry entry, Done done);
  // Append and wait: for tools and tests.
  absl::Status AppendAndWait(audit::v1::AuditEntry entry);

  // Writes what is queued, then stops the writer. Idempotent.
  void Stop();

  const AuditKeys& keys() const { return keys_; }
  // The key the gateway's forwarded addresses are proven with (forwarded_address.h), derived
  // from this trail's chain key.
  const std::string& forwarding_key() const { return forwarding_key_; }
  const std::string& service() const { return service_; }
  // Entries that could not be written, and scripts run (batches, retries included).
  int64_t failures() const { return failures_.load(); }
  int64_t scripts() const { return scripts_.load(); }

 private:
  struct Pending {
    audit::v1::AuditEntry entry;
    std::vector<std::string> subjects;
    Done done;
  };

  void Loop();
  // What the writer awaits (absl::Mutex::Await re-checks it on every unlock of mu_).
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stop_ || !queue_.empty();
  }
  absl::Status Write(std::vector<Pending>& batch);

  RedisClient& redis_;
  const std::string service_;
  const AuditKeys keys_;
  const std::string forwarding_key_;
  const AuditChain chain_;
  const AuditTrailOptions options_;
  const std::string writer_id_;    // tells this writer's turn claim from another replica's
  std::optional<AuditHead> head_;  // writer thread only: the last head seen

  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<int64_t> failures_{0};
  std::atomic<int64_t> scripts_{0};
  std::thread writer_;
};

}  // namespace wahana
