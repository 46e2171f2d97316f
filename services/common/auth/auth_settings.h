#pragma once
// The authentication settings every process reads (services/common/config/settings.cc) and the
// keys they load (token.h says what each key may sign): the HS256 secret shared by the suite's
// processes for their own calls (required), the token issuer's RS256 key pair (the gateway holds
// the private half, WAHANA_TOKEN_SIGNING_KEY_FILE; the services the public half,
// WAHANA_TOKEN_PUBLIC_KEY_FILE), an outside identity provider's RS256 public key (optional) and
// the lifetime of the tokens this process mints.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/auth/token.h"
#include "common/config/env_reader.h"

namespace wahana {

struct AuthSettings {
  std::string token_secret_file;       // WAHANA_TOKEN_SECRET_FILE
  std::string jwt_public_key_file;     // WAHANA_JWT_PUBLIC_KEY_FILE, "" for none
  std::string token_public_key_file;   // WAHANA_TOKEN_PUBLIC_KEY_FILE, "" for none
  std::string token_signing_key_file;  // WAHANA_TOKEN_SIGNING_KEY_FILE, "" for none
  int64_t token_lifetime_s = 300;      // WAHANA_TOKEN_LIFETIME_S
};

// Reads the settings; errors are collected in `reader`.
AuthSettings ReadAuthSettings(EnvReader& reader);

struct AuthKeys {
  // Verifies HS256 service tokens, the issuer's RS256 tokens (the public key file's, or the
  // signing key's public half) and the identity provider's.
  std::shared_ptr<const TokenVerifier> verifier;
  // HS256, for this process's own calls (a ServicePrincipal).
  std::shared_ptr<const TokenMinter> minter;
  // RS256 with the signing key, for anyone; null without WAHANA_TOKEN_SIGNING_KEY_FILE.
  std::shared_ptr<const TokenMinter> issuer;
};

// Reads the key files. INVALID_ARGUMENT naming the setting when the secret file is not set,
// unreadable, or holds fewer than kMinTokenSecretBytes (surrounding whitespace is ignored), a key
// file is unreadable or not an RSA key in PEM (the issuer's of at least 2048 bits), or the public
// key file and the signing key are not one pair.
absl::StatusOr<AuthKeys> LoadAuthKeys(const AuthSettings& settings);

}  // namespace wahana
