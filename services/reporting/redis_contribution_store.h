#pragma once
// ContributionStore on Redis (keys in reporting_keys.h): per subject, one hash of what each record
// counts as (id -> contribution JSON with its version), the pivot cells, and per parent record the
// totals its children attached to it; one Lua script moves them all for one record.
//
// The script reads the record's stored contribution itself and derives the cell keys from it, so
// it touches keys it was not given: every one of them carries the deployment's hash tag
// ("reporting:{16.06}:"), so they lie in the slot of the keys it was given, which is what Redis
// Cluster requires of a script.
//
// While `wahana-reporting --rebuild` holds its lease, Apply waits (lease_waiting_eval.h), except
// on a store the rebuild itself stages into (Lease::kIgnore).
//
// Thread-safe (RedisClient is).

#include <map>
#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "reporting/contribution_store.h"

namespace wahana {

class RedisContributionStore : public ContributionStore {
 public:
  // `redis` must outlive the store. `region` is the deployment's region (the keys' hash tag).
  // `key_base` is where the keys live: ReportingKeyBase(region) for the live counters, a rebuild's
  // staging base while it builds new ones.
  // `lease`: kWait for the live counters; kIgnore for the store a rebuild stages into while it
  // holds the lease itself (no one else writes its keys).
  // `outbox_stream`: a district linked to its province names its aggregate outbox (bus_contract.h)
  // and every Apply that moves a cell appends the leaf moves there in the same script.
  enum class Lease { kWait, kIgnore };
  RedisContributionStore(RedisClient& redis, std::string region, std::string key_base,
                         Lease lease = Lease::kWait, std::string outbox_stream = "");

  absl::StatusOr<bool> Apply(CountedSubject subject, const std::string& id, int64_t version,
                             const Contribution& contribution) override;
  absl::StatusOr<std::vector<PivotCell>> ReadCells(
      CountedSubject subject, const std::string& prefix,
      const std::vector<absl::CivilMonth>& months) override;
  absl::StatusOr<std::vector<PivotCell>> ReadRollups(
      CountedSubject subject, const std::vector<std::string>& codes, const std::string& exact_code,
      const std::vector<absl::CivilMonth>& months) override;
  absl::StatusOr<std::vector<absl::CivilMonth>> ReadMonths(CountedSubject subject) override;
  absl::StatusOr<std::map<std::string, Contribution>> ReadCounted(CountedSubject subject) override;
  absl::StatusOr<std::map<std::string, int64_t>> ReadAttached(const ParentRecord& parent) override;

 private:
  RedisClient& redis_;
  const std::string region_;
  const std::string key_base_;
  const Lease lease_;
  const std::string outbox_stream_;
};

}  // namespace wahana
