#pragma once
// A province looking a person up by NIK in all its registered districts at once
// (FederationService.LookupBeneficiary): one signed question per district (each names its
// district, so none can be replayed to another), sent in parallel with one deadline; the answer
// lists what was found and the districts that did not answer in time, failed, or have no address
// registered.
//
// Thread-safe.

#include <grpcpp/security/credentials.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/crypto/ed25519_key.h"
#include "federation/registered_districts.h"
#include "wahana/federation/v1/federation.grpc.pb.h"

namespace wahana {

class DistrictLookup {
 public:
  // `key` signs the questions (null: every look-up is FAILED_PRECONDITION, naming
  // WAHANA_FEDERATION_KEY_FILE). A channel to each district's address is made here.
  // `credentials`: how the districts are called (peer_tls.h); null: without TLS.
  DistrictLookup(std::string province, std::shared_ptr<const Ed25519PrivateKey> key,
                 std::shared_ptr<const RegisteredDistricts> districts, absl::Duration deadline,
                 std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr);

  // CheckNikLookup's refusals (common/privacy/nik_lookup.h), or the districts' answers.
  absl::StatusOr<wahana::federation::v1::BeneficiaryLookup> Lookup(
      const Principal& caller, const wahana::federation::v1::LookupBeneficiaryRequest& request);

 private:
  const std::string province_;
  const std::shared_ptr<const Ed25519PrivateKey> key_;
  const std::shared_ptr<const RegisteredDistricts> districts_;
  const absl::Duration deadline_;
  // By district code; only districts registered with an address.
  std::map<std::string, std::unique_ptr<wahana::federation::v1::FederationService::Stub>> stubs_;
};

}  // namespace wahana
