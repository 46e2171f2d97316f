#pragma once
// The lease `wahana-reporting --rebuild` holds while it works (RebuildLeaseKey: its token, with a
// TTL, so a rebuild that dies releases it), and the one step that ends a rebuild: the staged keys
// swapped in for the live ones, only while the lease is still this rebuild's. While the lease
// exists the live consumer applies nothing (lease_waiting_eval.h), so the live keys cannot change
// between the rebuild's reads and its swap.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"

namespace wahana {

class RebuildLease {
 public:
  // Takes the lease of deployment `region` for `ttl`. FAILED_PRECONDITION when another rebuild
  // holds it; UNAVAILABLE when Redis cannot be reached. `redis` must outlive the lease.
  static absl::StatusOr<std::unique_ptr<RebuildLease>> Take(RedisClient& redis,
                                                            const std::string& region,
                                                            absl::Duration ttl);

  // Extends the lease by its TTL. ABORTED when it is no longer ours (it expired).
  absl::Status Renew();

  // Gives the lease up at once (a failed rebuild: the consumer goes on). Best effort: it expires
  // anyway.
  void Release();

  // In one script: deletes `live`, renames each staged key (StagedKey) to its live name, appends
  // one aggregates entry per `outbox_moves` (aggregate_outbox.h) to `outbox` (none when empty:
  // a linked district tells its province what the swap moved) and releases the lease, so readers
  // see the old keys or the new ones. ABORTED (nothing changed) when the lease is no longer ours:
  // the consumer may have applied meanwhile.
  absl::Status SwapIn(const std::vector<std::string>& live, const std::vector<std::string>& staged,
                      const std::string& outbox = "",
                      const std::vector<std::string>& outbox_moves = {});

 private:
  RebuildLease(RedisClient& redis, std::string region, std::string token, absl::Duration ttl);
  absl::Status Lost() const;

  RedisClient& redis_;
  const std::string region_;
  const std::string key_;
  const std::string token_;
  const std::string ttl_ms_;
};

// Every key matching `pattern` (SCAN: never blocks Redis the way KEYS would).
absl::StatusOr<std::vector<std::string>> ScanKeys(RedisClient& redis, const std::string& pattern);

}  // namespace wahana
