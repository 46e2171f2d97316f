#include "reporting/redis_case_counts_store.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/status_macros.h"
#include "reporting/report_period.h"
#include "reporting/reporting_keys.h"

namespace wahana {
namespace {

constexpr char kTotalField[] = "total";

// How often an Apply waiting for a rebuild looks again.
constexpr absl::Duration kRebuildPoll = absl::Milliseconds(100);

// KEYS[1] the applied marker, KEYS[2] the rebuild lease, KEYS[3..] the hashes and sets to move.
// ARGV[1] the marker's TTL, ARGV[2] the number n of increments, then n triples (key index, field,
// delta), then pairs (key index, member) to add to a set.
// -1 while a rebuild holds the lease: the set of applied messages must not change under it.
// The marker is set with NX: if it exists the message was applied and nothing moves.
const LuaScript& ApplyOnceScript() {
  static const LuaScript kScript(R"lua(
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local n = tonumber(ARGV[2])
local i = 3
for _ = 1, n do
  redis.call('HINCRBY', KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2])
  i = i + 3
end
while i + 1 <= #ARGV do
  redis.call('SADD', KEYS[tonumber(ARGV[i])], ARGV[i + 1])
  i = i + 2
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
  const std::vector<std::string>& keys() const { return keys_; }
  std::vector<std::string> args() const {
    std::vector<std::string> args = {std::to_string(ttl_s_),
                                     std::to_string(increments_.size() / 3)};
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
};

// Runs `call`, waiting while a rebuild holds the lease (at most its TTL when the rebuild dies):
// the message is applied after the swap, to the rebuilt counters, and its applied mark decides.
// Waiting, not failing, so the consumer does not count a delivery towards the dead letters.
absl::StatusOr<bool> RunOnce(RedisClient& redis, const ScriptCall& call) {
  for (;;) {
    absl::StatusOr<RedisReply> reply = redis.Eval(ApplyOnceScript(), call.keys(), call.args());
    if (!reply.ok()) return reply.status();
    if (reply->type != RedisReply::Type::kInteger) {
      return absl::InternalError("case counts script: unexpected reply");
    }
    if (reply->integer != -1) return reply->integer == 1;
    absl::SleepFor(kRebuildPoll);
  }
}

// A flat HGETALL reply as (field, number) pairs; INTERNAL naming `what` for a non-number.
absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> NumberPairs(const RedisReply& reply,
                                                                         const std::string& what) {
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() % 2 != 0) {
    return absl::InternalError(absl::StrCat("HGETALL of ", what, ": unexpected reply"));
  }
  std::vector<std::pair<std::string, int64_t>> pairs;
  for (size_t i = 0; i < reply.elements.size(); i += 2) {
    int64_t count = 0;
    if (!absl::SimpleAtoi(reply.elements[i + 1].str, &count)) {
      return absl::InternalError(
          absl::StrCat(what, ": field ", reply.elements[i].str, " is not a number"));
    }
    pairs.emplace_back(reply.elements[i].str, count);
  }
  return pairs;
}

}  // namespace

RedisCaseCountsStore::RedisCaseCountsStore(RedisClient& redis, std::string region)
    : redis_(redis), region_(std::move(region)) {}

absl::StatusOr<bool> RedisCaseCountsStore::Apply(const std::string& message_id,
                                                 const CaseCounterMoves& moves) {
  ScriptCall call(AppliedMessageKey(region_, message_id), RebuildLeaseKey(region_),
                  kAppliedTtlSeconds);
  for (const std::string& prefix : moves.prefixes) {
    for (const auto& [field, delta] : moves.tally_moves) {
      call.Increment(CaseCountsKey(region_, prefix), field, delta);
    }
  }
  if (!moves.cell_moves.empty()) {
    const std::string month = MonthText(moves.intake_month);
    for (const auto& [field, delta] : moves.cell_moves) {
      call.Increment(CaseCellKey(region_, month, moves.village), field, delta);
    }
    call.AddToSet(CaseCellVillagesKey(region_, month), moves.village);
  }
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

absl::StatusOr<std::vector<CaseCell>> RedisCaseCountsStore::ReadCells(
    const std::string& prefix, const std::vector<absl::CivilMonth>& months) {
  // Two round trips whatever the period: the months' villages, then their cells.
  std::vector<std::vector<std::string>> list_villages;
  for (absl::CivilMonth month : months) {
    list_villages.push_back({"SMEMBERS", CaseCellVillagesKey(region_, MonthText(month))});
  }
  WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> villages, redis_.Pipeline(list_villages));
  std::vector<std::vector<std::string>> read_cells;
  std::vector<std::pair<absl::CivilMonth, std::string>> cells;  // beside read_cells
  for (size_t m = 0; m < months.size() && m < villages.size(); ++m) {
    if (villages[m].is_error()) return absl::InternalError("SMEMBERS: " + villages[m].str);
    for (const RedisReply& village : villages[m].elements) {
      // Prefix of a region code: itself, or followed by a dot ("16.06.1" is not under "16.06.10").
      if (village.str != prefix && !absl::StartsWith(village.str, prefix + ".")) continue;
      read_cells.push_back({"HGETALL", CaseCellKey(region_, MonthText(months[m]), village.str)});
      cells.emplace_back(months[m], village.str);
    }
  }
  std::vector<CaseCell> out;
  if (read_cells.empty()) return out;
  WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(read_cells));
  for (size_t i = 0; i < replies.size() && i < cells.size(); ++i) {
    WAHANA_ASSIGN_OR_RETURN(auto pairs, NumberPairs(replies[i], read_cells[i][1]));
    for (auto& [field, count] : pairs) {
      if (count != 0) out.push_back({cells[i].second, cells[i].first, std::move(field), count});
    }
  }
  return out;
}

absl::StatusOr<std::map<std::string, int64_t>> RedisCaseCountsStore::ReadSkipped(
    const std::string& stream) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Command({"HGETALL", SkippedMessagesKey(region_, stream)}));
  WAHANA_ASSIGN_OR_RETURN(auto pairs, NumberPairs(reply, "skipped messages"));
  return std::map<std::string, int64_t>(pairs.begin(), pairs.end());
}

}  // namespace wahana
