#pragma once
// The authentication settings every process reads (services/common/config/settings.cc) and the
// keys they load: the HS256 secret shared by the gateway and the services (required), an outside
// identity provider's RS256 public key (optional) and the lifetime of the tokens this process
// mints.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/auth/token.h"
#include "common/config/env_reader.h"

namespace wahana {

struct AuthSettings {
  std::string token_secret_file;    // WAHANA_TOKEN_SECRET_FILE
  std::string jwt_public_key_file;  // WAHANA_JWT_PUBLIC_KEY_FILE, "" for none
  int64_t token_lifetime_s = 300;   // WAHANA_TOKEN_LIFETIME_S
};

// Reads the settings; errors are collected in `reader`.
AuthSettings ReadAuthSettings(EnvReader& reader);

struct AuthKeys {
  std::shared_ptr<const TokenVerifier> verifier;
  std::shared_ptr<const TokenMinter> minter;
};

// Reads the key files. INVALID_ARGUMENT naming the setting when the secret file is not set,
// unreadable, or holds fewer than kMinTokenSecretBytes (surrounding whitespace is ignored), or
// the public key file is unreadable or not an RSA public key in PEM.
absl::StatusOr<AuthKeys> LoadAuthKeys(const AuthSettings& settings);

}  // namespace wahana
