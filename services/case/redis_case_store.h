#pragma once
// CaseStore on Redis (keys in case_keys.h). Cases are indexed records
// (common/storage/indexed_proto_record_store.h, indexing in case_indexing.h); a case's history is
// a Redis list of CaseAction bytes, appended (RPUSH) inside the same atomic write that stores the
// case, moves its index entries and publishes its message (the store's ExtraCommands). The
// sequences behind case numbers are counters, drawn in the create's own write, which also checks
// its subjects in the known-subjects projection (redis_known_subjects.h): a create is one round
// trip. A history page is read with its case in one pipeline.
//
// Thread-safe (RedisClient is).

#include <string>
#include <vector>

#include "case/case_store.h"
#include "common/redis/redis_client.h"
#include "common/storage/indexed_proto_record_store.h"

namespace wahana {

class RedisCaseStore : public CaseStore {
 public:
  // `redis` must outlive the store. `region` is the deployment's region (the keys' hash tag).
  RedisCaseStore(RedisClient& redis, std::string region);

  absl::StatusOr<CaseCreated> Create(const std::string& regency, int year,
                                     const std::vector<SubjectRef>& live,
                                     const std::string& request_id,
                                     const NewCaseBuilder& build) override;
  absl::StatusOr<wahana::cases::v1::Case> Get(const std::string& id) override;
  absl::StatusOr<std::optional<wahana::cases::v1::Case>> FindByRequestId(
      const std::string& request_id) override;
  absl::StatusOr<wahana::cases::v1::Case> Append(
      const wahana::cases::v1::Case& updated, const wahana::cases::v1::CaseAction& action,
      const std::string& expected_etag, const wahana::common::v1::Envelope& changed) override;
  absl::Status GetWithHistory(const std::string& id, int64_t offset, int limit,
                              wahana::cases::v1::Case* c,
                              wahana::cases::v1::CaseHistory* page) override;
  absl::StatusOr<ListPage<wahana::cases::v1::Case>> List(
      const ListQuery<wahana::cases::v1::Case>& query) override;
  absl::StatusOr<std::vector<wahana::cases::v1::Case>> FindIndexed(const std::string& index,
                                                                   const std::string& value,
                                                                   int limit) override;

 private:
  RedisClient& redis_;
  const std::string region_;
  IndexedProtoRecordStore<wahana::cases::v1::Case> cases_;
};

}  // namespace wahana
