#include "reporting/rebuild_lease.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/ids/time_ordered_id.h"
#include "common/status/status_macros.h"
#include "reporting/reporting_keys.h"

namespace wahana {
namespace {

constexpr int kScanCount = 1000;  // keys per SCAN round trip

// KEYS[1] the lease; ARGV[1] its token, ARGV[2] the TTL in ms (0: release). 1 when still ours.
const LuaScript& LeaseScript() {
  static const LuaScript kScript(R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
)lua");
  return kScript;
}

// KEYS[1] the lease, KEYS[2 .. 1+n] the live keys to drop, then (staged, live) pairs, then the
// outbox when ARGV[3] is '1'. ARGV[1] the lease's token, ARGV[2] n, ARGV[4 ...] the outbox
// entries' moves. 0 (nothing changed) when the lease is no longer ours.
const LuaScript& SwapScript() {
  static const LuaScript kScript(R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local n = tonumber(ARGV[2])
local outbox = tonumber(ARGV[3])
for i = 2, 1 + n do redis.call('DEL', KEYS[i]) end
for i = 2 + n, #KEYS - outbox, 2 do redis.call('RENAME', KEYS[i], KEYS[i + 1]) end
for i = 4, #ARGV do
  redis.call('XADD', KEYS[#KEYS], '*', 'type', 'aggregates', 'moves', ARGV[i])
end
redis.call('DEL', KEYS[1])
return 1
)lua");
  return kScript;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RebuildLease>> RebuildLease::Take(RedisClient& redis,
                                                                 const std::string& region,
                                                                 absl::Duration ttl) {
  std::unique_ptr<RebuildLease> lease(
      new RebuildLease(redis, region, TimeOrderedIdGenerator::Default().Next(), ttl));
  WAHANA_ASSIGN_OR_RETURN(RedisReply taken, redis.Command({"SET", lease->key_, lease->token_, "NX",
                                                           "PX", lease->ttl_ms_}));
  if (taken.type == RedisReply::Type::kNil) {
    return absl::FailedPreconditionError(
        absl::StrCat("another rebuild holds ", lease->key_, "; wait for it to end"));
  }
  return lease;
}

RebuildLease::RebuildLease(RedisClient& redis, std::string region, std::string token,
                           absl::Duration ttl)
    : redis_(redis),
      region_(std::move(region)),
      key_(RebuildLeaseKey(region_)),
      token_(std::move(token)),
      ttl_ms_(std::to_string(absl::ToInt64Milliseconds(ttl))) {}

absl::Status RebuildLease::Renew() {
  WAHANA_ASSIGN_OR_RETURN(RedisReply renewed,
                          redis_.Eval(LeaseScript(), {key_}, {token_, ttl_ms_}));
  if (renewed.integer != 1) return Lost();
  return absl::OkStatus();
}

void RebuildLease::Release() { (void)redis_.Eval(LeaseScript(), {key_}, {token_, "0"}); }

absl::Status RebuildLease::SwapIn(const std::vector<std::string>& live,
                                  const std::vector<std::string>& staged, const std::string& outbox,
                                  const std::vector<std::string>& outbox_moves) {
  std::vector<std::string> keys = {key_};
  keys.insert(keys.end(), live.begin(), live.end());
  const std::string live_base = ReportingKeyBase(region_);
  const std::string staged_base = StagedKeyBase(region_);
  for (const std::string& key : staged) {
    keys.push_back(key);
    keys.push_back(live_base + key.substr(staged_base.size()));
  }
  std::vector<std::string> args = {token_, std::to_string(live.size()), outbox.empty() ? "0" : "1"};
  if (!outbox.empty()) {
    keys.push_back(outbox);
    args.insert(args.end(), outbox_moves.begin(), outbox_moves.end());
  }
  WAHANA_ASSIGN_OR_RETURN(RedisReply swapped, redis_.Eval(SwapScript(), keys, args));
  if (swapped.integer != 1) return Lost();
  return absl::OkStatus();
}

absl::Status RebuildLease::Lost() const {
  return absl::AbortedError(absl::StrCat(
      "the rebuild's lease ", key_,
      " expired before the swap (the consumer may have applied messages meanwhile); nothing "
      "was swapped: run the rebuild again"));
}

absl::StatusOr<std::vector<std::string>> ScanKeys(RedisClient& redis, const std::string& pattern) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis.Command({"SCAN", cursor, "MATCH", pattern,
                                                             "COUNT", std::to_string(kScanCount)}));
    if (reply.type != RedisReply::Type::kArray || reply.elements.size() != 2) {
      return absl::InternalError("SCAN: unexpected reply");
    }
    cursor = reply.elements[0].str;
    for (const RedisReply& key : reply.elements[1].elements) keys.push_back(key.str);
  } while (cursor != "0");
  return keys;
}

}  // namespace wahana
