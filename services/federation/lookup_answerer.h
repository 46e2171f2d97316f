#pragma once
// A district answering its province's NIK look-up (FederationService.AnswerLookup): only a
// question signed by its own province's key (WAHANA_PROVINCE_PUBLIC_KEY_FILE), addressed to this
// district, and fresh (five minutes either way: a recorded question cannot be replayed later).
// The answer says who and where (federation.v1.DistrictMatch), no more.
//
// Thread-safe.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/crypto/ed25519_key.h"
#include "wahana/federation/v1/federation.pb.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana {

class LookupAnswerer {
 public:
  // The district's holder of `nik`, nullopt when there is none.
  using FindByNik = std::function<absl::StatusOr<std::optional<wahana::registry::v1::Beneficiary>>(
      const std::string& nik)>;

  // `province_key` absent: every question is refused (the district has no province key).
  LookupAnswerer(std::string region, std::optional<Ed25519PublicKey> province_key, FindByNik find,
                 std::function<absl::Time()> now = nullptr);

  // UNAUTHENTICATED (no key, a bad signature, a stale question), PERMISSION_DENIED (a question
  // for another district or from another province), INVALID_ARGUMENT (not a 16-digit NIK), or
  // the registry's failure.
  absl::StatusOr<wahana::federation::v1::LookupAnswer> Answer(
      const wahana::federation::v1::SignedLookup& signed_lookup);

 private:
  const std::string region_;
  const std::string province_;
  const std::optional<Ed25519PublicKey> province_key_;
  const FindByNik find_;
  const std::function<absl::Time()> now_;
};

// The registry's BeneficiaryService.LookupBeneficiary at `address` (WAHANA_REGISTRY_ADDR), asked
// as this process's own SYSTEM principal (bearer_channel.h), with `deadline`.
LookupAnswerer::FindByNik RegistryNikFinder(const std::string& address, absl::Duration deadline);

}  // namespace wahana
