#pragma once
// What households need to know about beneficiaries (their members): whether one exists, whether
// it is archived, where it lives (for the caller's scope) and the household its own record names.
// An interface so the household logic does not depend on the beneficiary service's logic, and its
// tests can hand in a fake.

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"
#include "common/storage/proto_record_store.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana::registry {

struct BeneficiaryFacts {
  bool archived = false;
  std::string household_id;  // as the beneficiary's record has it; may be empty
  std::string village_code;  // where the beneficiary lives: what access_policy.h scopes on
};

class BeneficiaryDirectory {
 public:
  virtual ~BeneficiaryDirectory() = default;
  // The beneficiary `id`, or nullopt when there is none. UNAVAILABLE when storage cannot be read.
  virtual absl::StatusOr<std::optional<BeneficiaryFacts>> Find(const std::string& id) = 0;
};

// Reads the beneficiary records straight from the registry's Redis (the keys of kind
// "beneficiary", as the beneficiary service writes them). Thread-safe.
class RedisBeneficiaryDirectory : public BeneficiaryDirectory {
 public:
  // `redis` must outlive the directory; `region` is the deployment's ("16.06").
  RedisBeneficiaryDirectory(RedisClient& redis, const std::string& region);
  absl::StatusOr<std::optional<BeneficiaryFacts>> Find(const std::string& id) override;

 private:
  ProtoRecordStore<wahana::registry::v1::Beneficiary> records_;
};

}  // namespace wahana::registry
