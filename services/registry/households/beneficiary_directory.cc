#include "registry/households/beneficiary_directory.h"

#include "common/storage/record_keys.h"

namespace wahana::registry {

RedisBeneficiaryDirectory::RedisBeneficiaryDirectory(RedisClient& redis, const std::string& region)
    : records_(redis, RecordKeys("registry", "beneficiary", region)) {}

absl::StatusOr<std::optional<BeneficiaryFacts>> RedisBeneficiaryDirectory::Find(
    const std::string& id) {
  absl::StatusOr<wahana::registry::v1::Beneficiary> record = records_.Get(id);
  if (absl::IsNotFound(record.status())) return std::optional<BeneficiaryFacts>();
  if (!record.ok()) return record.status();
  BeneficiaryFacts facts;
  facts.archived = record->archived();
  facts.household_id = record->household_id();
  facts.village_code = record->village_code();
  return std::optional<BeneficiaryFacts>(std::move(facts));
}

}  // namespace wahana::registry
