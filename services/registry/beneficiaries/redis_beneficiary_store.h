#pragma once
// BeneficiaryStore on Redis: the shared IndexedProtoRecordStore with BeneficiaryIndexing, and an
// import script that stores a batch of rows in one round trip with exactly the keys, index
// entries and messages IndexedProtoRecordStore::Create writes (so imported records are listed,
// found, updated and archived like any other). A batch is stored in slices of kItemsPerScript
// items, one script run each (one round trip per slice).
//
// Thread-safe (RedisClient is).

#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "common/storage/indexed_proto_record_store.h"
#include "common/storage/record_keys.h"
#include "registry/beneficiaries/beneficiary_store.h"

namespace wahana::registry {

class RedisBeneficiaryStore
    : public IndexedProtoRecordStore<wahana::registry::v1::Beneficiary, BeneficiaryStore> {
 public:
  // `redis` must outlive the store; `region` is the deployment's ("16.06").
  RedisBeneficiaryStore(RedisClient& redis, const std::string& region);

  absl::StatusOr<std::vector<ImportOutcome>> ImportBatch(
      const std::vector<ImportItem>& items) override;
  absl::StatusOr<bool> HouseholdExists(const std::string& id) override;

 private:
  // Items per script run: a script blocks Redis while it runs (~100 us an item on a busy
  // two-core machine), so a batch is stored in slices that keep each pause short.
  static constexpr size_t kItemsPerScript = 250;

  // Stores items[begin, end) in one script run, appending their outcomes.
  absl::Status ImportSlice(const std::vector<ImportItem>& items, size_t begin, size_t end,
                           std::vector<ImportOutcome>* outcomes);

  const RecordKeys household_keys_;
};

}  // namespace wahana::registry
