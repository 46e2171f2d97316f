#pragma once
// CaseStore on Redis (keys in case_keys.h): cases are kept as every record is
// (common/storage/proto_record_store.h), the sequences behind case numbers are counters.
//
// Thread-safe (RedisClient is).

#include <string>

#include "case/case_store.h"
#include "common/redis/redis_client.h"
#include "common/storage/proto_record_store.h"

namespace wahana {

class RedisCaseStore : public ProtoRecordStore<wahana::cases::v1::Case, CaseStore> {
 public:
  // `redis` must outlive the store. `region` is the deployment's region (the keys' hash tag).
  RedisCaseStore(RedisClient& redis, std::string region);

  absl::StatusOr<int64_t> NextSequence(const std::string& regency, int year) override;
};

}  // namespace wahana
