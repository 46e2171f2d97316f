#pragma once
// CaseStore on Redis (keys in case_keys.h).
//
// A case is a hash {pb: the Case protobuf bytes, etag: its version}. The protobuf bytes are the
// record: one HGET returns it whole, it is the same message the API answers and the stream
// carries, and fields added to case.proto need no storage code. The etag is repeated as a plain
// field so that updates can guard on it inside the atomic write (AtomicWrite::RequireHashField)
// without decoding protobuf in Lua.
//
// Thread-safe (RedisClient is).

#include <string>

#include "case/case_store.h"
#include "common/redis/redis_client.h"

namespace wahana {

class RedisCaseStore : public CaseStore {
 public:
  // How long a requestId is remembered; a retry later than this creates a second case.
  static constexpr int kRequestIdTtlSeconds = 7 * 24 * 3600;

  // `redis` must outlive the store. `region` is the deployment's region (the keys' hash tag).
  RedisCaseStore(RedisClient& redis, std::string region);

  absl::StatusOr<int64_t> NextSequence(const std::string& regency, int year) override;
  absl::StatusOr<CreateCaseResult> Create(const wahana::cases::v1::Case& c,
                                          const wahana::common::v1::Envelope& created,
                                          const std::string& request_id) override;
  absl::StatusOr<wahana::cases::v1::Case> Get(const std::string& id) override;
  absl::StatusOr<std::optional<wahana::cases::v1::Case>> FindByRequestId(
      const std::string& request_id) override;

 private:
  RedisClient& redis_;
  const std::string region_;
};

}  // namespace wahana
