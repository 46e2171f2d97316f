#include "case/redis_case_store.h"

#include "case/case_keys.h"
#include "common/status/status_macros.h"

namespace wahana {

RedisCaseStore::RedisCaseStore(RedisClient& redis, std::string region)
    : ProtoRecordStore(redis, CaseKeys(region)) {}

absl::StatusOr<int64_t> RedisCaseStore::NextSequence(const std::string& regency, int year) {
  WAHANA_ASSIGN_OR_RETURN(
      RedisReply reply, redis().Command({"INCR", CaseSequenceKey(keys().region(), regency, year)}));
  if (reply.type != RedisReply::Type::kInteger) {
    return absl::InternalError("INCR of the case sequence did not answer an integer");
  }
  return reply.integer;
}

}  // namespace wahana
