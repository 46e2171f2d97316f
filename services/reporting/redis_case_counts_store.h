#pragma once
// CaseCountsStore on Redis (keys in reporting_keys.h): one hash per region prefix, one hash per
// pivot cell (village, intake month) with the set of a month's villages, and one marker key per
// applied message, written by one Lua script so a message moves the counters exactly once even
// when the consumer delivers it again (crash between effect and XACK, XAUTOCLAIM).
//
// While `wahana-reporting --rebuild` holds its lease (reports_rebuild.h) Apply and
// RecordSkipped wait, so the rebuild sees a fixed set of applied messages.
//
// Thread-safe (RedisClient is).

#include <map>
#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "reporting/case_counts_store.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

class RedisCaseCountsStore : public CaseCountsStore {
 public:
  // How long an applied message id is remembered: longer than a message can be redelivered.
  // Redeliveries come within minutes (idle claim, a few retries); a month is far beyond that and
  // beyond the consumer's own dedupe window (StreamConsumerOptions::dedupe_ttl_s, a week).
  static constexpr int kAppliedTtlSeconds = 30 * 24 * 3600;

  // `redis` must outlive the store. `region` is the deployment's region (the keys' hash tag).
  // A district linked to its province names its aggregate outbox (bus_contract.h): every Apply
  // that moves a counter appends the leaf moves there in the same script.
  RedisCaseCountsStore(RedisClient& redis, std::string region, std::string outbox_stream = "");

  absl::StatusOr<bool> Apply(const std::string& message_id, const CaseCounterMoves& moves) override;
  absl::StatusOr<bool> RecordSkipped(const std::string& message_id, const std::string& stream,
                                     const std::string& type) override;
  absl::StatusOr<CaseTally> Read(const std::string& prefix) override;
  absl::StatusOr<std::vector<PivotCell>> ReadCells(
      const std::string& prefix, const std::vector<absl::CivilMonth>& months) override;
  absl::StatusOr<std::vector<PivotCell>> ReadRollups(
      const std::vector<std::string>& codes, const std::string& exact_code,
      const std::vector<absl::CivilMonth>& months) override;
  absl::StatusOr<std::map<std::string, int64_t>> ReadSkipped(const std::string& stream) override;

  // A province: applies what a district delivered (federation.v1.InboundAggregates, summed leaf
  // moves) once per `message_id`, rolled up to the province as the district's own are.
  absl::StatusOr<bool> ApplyDelivered(const std::string& message_id,
                                      const wahana::federation::v1::AggregateChange& change);

 private:
  RedisClient& redis_;
  const std::string region_;
  const std::string outbox_stream_;
};

}  // namespace wahana
