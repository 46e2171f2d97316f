#include "reporting/redis_case_counts_store.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "reporting/reporting_keys.h"

namespace wahana {
namespace {

constexpr char kTotalField[] = "total";

// KEYS[1] the applied marker, KEYS[2..] the counters; ARGV[1] marker TTL, ARGV[2] the status
// after, ARGV[3] the status before ("0": a new case, counted in the total).
// The marker is set first with NX: if it exists the message was applied and nothing moves.
const LuaScript& StatusChangeScript() {
  static const LuaScript kScript(R"lua(
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
for i = 2, #KEYS do
  redis.call('HINCRBY', KEYS[i], ARGV[2], 1)
  if ARGV[3] == '0' then
    redis.call('HINCRBY', KEYS[i], 'total', 1)
  else
    redis.call('HINCRBY', KEYS[i], ARGV[3], -1)
  end
end
return 1
)lua");
  return kScript;
}

}  // namespace

RedisCaseCountsStore::RedisCaseCountsStore(RedisClient& redis, std::string region)
    : redis_(redis), region_(std::move(region)) {}

absl::StatusOr<bool> RedisCaseCountsStore::ApplyStatusChange(
    const std::string& message_id, const std::vector<std::string>& prefixes,
    wahana::cases::v1::CaseStatus before, wahana::cases::v1::CaseStatus after) {
  std::vector<std::string> keys = {AppliedMessageKey(region_, message_id)};
  for (const std::string& prefix : prefixes) keys.push_back(CaseCountsKey(region_, prefix));
  // The status is stored by number: enum names may be renamed, numbers never change.
  WAHANA_ASSIGN_OR_RETURN(
      RedisReply reply,
      redis_.Eval(StatusChangeScript(), keys,
                  {std::to_string(kAppliedTtlSeconds), std::to_string(static_cast<int>(after)),
                   std::to_string(static_cast<int>(before))}));
  if (reply.type != RedisReply::Type::kInteger) {
    return absl::InternalError("case counts script: unexpected reply");
  }
  return reply.integer == 1;
}

absl::StatusOr<CaseTally> RedisCaseCountsStore::Read(const std::string& prefix) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Command({"HGETALL", CaseCountsKey(region_, prefix)}));
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() % 2 != 0) {
    return absl::InternalError("HGETALL of case counts: unexpected reply");
  }
  CaseTally tally;
  for (size_t i = 0; i < reply.elements.size(); i += 2) {
    const std::string& field = reply.elements[i].str;
    int64_t count = 0;
    if (!absl::SimpleAtoi(reply.elements[i + 1].str, &count)) {
      return absl::InternalError(
          absl::StrCat("case counts of ", prefix, ": field ", field, " is not a number"));
    }
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

}  // namespace wahana
