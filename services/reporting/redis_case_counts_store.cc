#include "reporting/redis_case_counts_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/federation/aggregate_outbox.h"
#include "common/status/status_macros.h"
#include "reporting/case_counter_moves.h"
#include "reporting/lease_waiting_eval.h"
#include "reporting/pivot_cells.h"
#include "reporting/report_period.h"
#include "reporting/reporting_keys.h"

namespace wahana {
namespace {

constexpr char kTotalField[] = "total";

// KEYS[1] the applied marker, KEYS[2] the rebuild lease, KEYS[3..] the hashes and sets to move.
// ARGV[1] the marker's TTL, ARGV[2] the number n of increments, ARGV[3] the outbox stream ('' for
// none) and ARGV[4] the entry's moves (common/federation/aggregate_outbox.h), then n triples (key
// index, field, delta), then pairs (key index, member) to add to a set.
// -1 while a rebuild holds the lease: the set of applied messages must not change under it.
// The marker is set with NX: if it exists the message was applied and nothing moves.
const LuaScript& ApplyOnceScript() {
  static const LuaScript kScript(R"lua(
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local n = tonumber(ARGV[2])
local i = 5
for _ = 1, n do
  redis.call('HINCRBY', KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2])
  i = i + 3
end
while i + 1 <= #ARGV do
  redis.call('SADD', KEYS[tonumber(ARGV[i])], ARGV[i + 1])
  i = i + 2
end
if ARGV[3] ~= '' then
  redis.call('XADD', ARGV[3], '*', 'type', 'aggregates', 'moves', ARGV[4])
end
return 1
)lua");
  return kScript;
}

// Builds the script's arguments: keys get an index each, in order of first use.
class ScriptCall {
 public:
  ScriptCall(std::string marker, std::string lease, int ttl_s)
      : keys_{std::move(marker), std::move(lease)}, ttl_s_(ttl_s) {}
  void Increment(const std::string& key, const std::string& field, int64_t delta) {
    increments_.insert(increments_.end(), {Index(key), field, std::to_string(delta)});
  }
  void AddToSet(const std::string& key, const std::string& member) {
    set_members_.insert(set_members_.end(), {Index(key), member});
  }
  // Also appends an outbox entry of `moves` to `stream`, in the same step.
  void Publish(const std::string& stream, std::string moves_json) {
    outbox_ = stream;
    outbox_moves_ = std::move(moves_json);
  }
  const std::vector<std::string>& keys() const { return keys_; }
  std::vector<std::string> args() const {
    std::vector<std::string> args = {std::to_string(ttl_s_), std::to_string(increments_.size() / 3),
                                     outbox_, outbox_moves_};
    args.insert(args.end(), increments_.begin(), increments_.end());
    args.insert(args.end(), set_members_.begin(), set_members_.end());
    return args;
  }

 private:
  std::string Index(const std::string& key) {
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == key) return std::to_string(i + 1);
    }
    keys_.push_back(key);
    return std::to_string(keys_.size());
  }

  std::vector<std::string> keys_;
  const int ttl_s_;
  std::vector<std::string> increments_;   // (key index, field, delta) triples
  std::vector<std::string> set_members_;  // (key index, member) pairs
  std::string outbox_, outbox_moves_;
};

void AddWrites(const CounterWrites& writes, ScriptCall& call) {
  for (const auto& [key, field, delta] : writes.increments) call.Increment(key, field, delta);
  for (const auto& [key, member] : writes.set_members) call.AddToSet(key, member);
}

absl::StatusOr<bool> RunOnce(RedisClient& redis, const ScriptCall& call) {
  WAHANA_ASSIGN_OR_RETURN(
      int64_t applied, EvalWaitingForRebuild(redis, ApplyOnceScript(), call.keys(), call.args()));
  return applied == 1;
}

}  // namespace

RedisCaseCountsStore::RedisCaseCountsStore(RedisClient& redis, std::string region,
                                           std::string outbox_stream)
    : redis_(redis), region_(std::move(region)), outbox_stream_(std::move(outbox_stream)) {}

absl::StatusOr<bool> RedisCaseCountsStore::Apply(const std::string& message_id,
                                                 const CaseCounterMoves& moves) {
  ScriptCall call(AppliedMessageKey(region_, message_id), RebuildLeaseKey(region_),
                  kAppliedTtlSeconds);
  const wahana::federation::v1::AggregateChange change = CaseAggregateChange(moves);
  AddWrites(AggregateChangeWrites(region_, change), call);
  if (!outbox_stream_.empty() && !moves.empty()) {
    call.Publish(outbox_stream_, AggregateOutboxJson(change));
  }
  return RunOnce(redis_, call);
}

absl::StatusOr<bool> RedisCaseCountsStore::ApplyDelivered(
    const std::string& message_id, const wahana::federation::v1::AggregateChange& change) {
  ScriptCall call(AppliedMessageKey(region_, message_id), RebuildLeaseKey(region_),
                  kAppliedTtlSeconds);
  AddWrites(AggregateChangeWrites(region_, change), call);
  return RunOnce(redis_, call);
}

absl::StatusOr<bool> RedisCaseCountsStore::RecordSkipped(const std::string& message_id,
                                                         const std::string& stream,
                                                         const std::string& type) {
  ScriptCall call(AppliedMessageKey(region_, message_id), RebuildLeaseKey(region_),
                  kAppliedTtlSeconds);
  call.Increment(SkippedMessagesKey(region_, stream), type, 1);
  return RunOnce(redis_, call);
}

absl::StatusOr<CaseTally> RedisCaseCountsStore::Read(const std::string& prefix) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Command({"HGETALL", CaseCountsKey(region_, prefix)}));
  WAHANA_ASSIGN_OR_RETURN(auto pairs, NumberPairs(reply, absl::StrCat("case counts of ", prefix)));
  CaseTally tally;
  for (const auto& [field, count] : pairs) {
    int status = 0;
    if (field == kTotalField) {
      tally.total = count;
    } else if (absl::SimpleAtoi(field, &status) && wahana::cases::v1::CaseStatus_IsValid(status)) {
      tally.by_status[static_cast<wahana::cases::v1::CaseStatus>(status)] = count;
    }
    // Other fields (a status a newer version counts) are not this version's to report.
  }
  return tally;
}

absl::StatusOr<std::vector<PivotCell>> RedisCaseCountsStore::ReadCells(
    const std::string& prefix, const std::vector<absl::CivilMonth>& months) {
  return ReadPivotCells(redis_, ReportingKeyBase(region_), "case", prefix, months);
}

absl::StatusOr<std::vector<PivotCell>> RedisCaseCountsStore::ReadRollups(
    const std::vector<std::string>& codes, const std::string& exact_code,
    const std::vector<absl::CivilMonth>& months) {
  return ReadPivotRollups(redis_, ReportingKeyBase(region_), "case", codes, exact_code, months);
}

absl::StatusOr<std::map<std::string, int64_t>> RedisCaseCountsStore::ReadSkipped(
    const std::string& stream) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Command({"HGETALL", SkippedMessagesKey(region_, stream)}));
  WAHANA_ASSIGN_OR_RETURN(auto pairs, NumberPairs(reply, "skipped messages"));
  return std::map<std::string, int64_t>(pairs.begin(), pairs.end());
}

}  // namespace wahana
