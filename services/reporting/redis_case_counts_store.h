#pragma once
// CaseCountsStore on Redis (keys in reporting_keys.h): one hash per region prefix, and one marker
// key per applied message, written by one Lua script so a message moves the counters exactly once
// even when the consumer delivers it again (crash between effect and XACK, XAUTOCLAIM).
//
// Thread-safe (RedisClient is).

#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "reporting/case_counts_store.h"

namespace wahana {

class RedisCaseCountsStore : public CaseCountsStore {
 public:
  // How long an applied message id is remembered. Redeliveries come within minutes (idle claim,
  // a few retries); a month is far beyond that. A rebuild from the stream writes fresh keys.
  static constexpr int kAppliedTtlSeconds = 30 * 24 * 3600;

  // `redis` must outlive the store. `region` is the deployment's region (the keys' hash tag).
  RedisCaseCountsStore(RedisClient& redis, std::string region);

  absl::StatusOr<bool> ApplyStatusChange(const std::string& message_id,
                                         const std::vector<std::string>& prefixes,
                                         wahana::cases::v1::CaseStatus before,
                                         wahana::cases::v1::CaseStatus after) override;
  absl::StatusOr<CaseTally> Read(const std::string& prefix) override;

 private:
  RedisClient& redis_;
  const std::string region_;
};

}  // namespace wahana
