#pragma once
// A province's registered districts (WAHANA_FEDERATION_DISTRICTS_FILE): who may deliver, with
// which key, and where each answers look-ups.
//
//   [{"region": "16.06", "publicKey": "-----BEGIN PUBLIC KEY-----\n...", "address": "host:port"}]

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/crypto/ed25519_key.h"

namespace wahana {

struct RegisteredDistrict {
  std::string region;
  Ed25519PublicKey key;
  std::string address;  // its federation service, a gRPC target (service_target.h); may be empty
};

class RegisteredDistricts {
 public:
  // The districts of `json`, each a regency within `province`. INVALID_ARGUMENT naming
  // WAHANA_FEDERATION_DISTRICTS_FILE, the entry's index and the field.
  static absl::StatusOr<RegisteredDistricts> Parse(const std::string& json,
                                                   const std::string& province);
  // Parse() of the file at `path`; an empty path: no district.
  static absl::StatusOr<RegisteredDistricts> Load(const std::string& path,
                                                  const std::string& province);

  // The district registered as `region`, or nullptr.
  const RegisteredDistrict* Find(const std::string& region) const;
  const std::map<std::string, RegisteredDistrict>& all() const { return districts_; }

 private:
  std::map<std::string, RegisteredDistrict> districts_;
};

}  // namespace wahana
