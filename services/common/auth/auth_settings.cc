#include "common/auth/auth_settings.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/rsa_jwk.h"

namespace wahana {
namespace {

enum class KeyKind { kSecret, kPublic };

// A public key may be world-readable; a secret (the shared secret, a private key) is warned about.
absl::StatusOr<std::string> ReadKeyFile(const std::string& path, absl::string_view setting,
                                        KeyKind kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(setting, ": cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  struct stat st {};
  if (kind == KeyKind::kSecret && ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    spdlog::warn("{} ({}) is readable by group or others: chmod 600 it", std::string(setting),
                 path);
  }
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

}  // namespace

AuthSettings ReadAuthSettings(EnvReader& reader) {
  AuthSettings s;
  s.token_secret_file = reader.String("WAHANA_TOKEN_SECRET_FILE");
  s.jwt_public_key_file = reader.String("WAHANA_JWT_PUBLIC_KEY_FILE");
  s.token_public_key_file = reader.String("WAHANA_TOKEN_PUBLIC_KEY_FILE");
  s.token_signing_key_file = reader.String("WAHANA_TOKEN_SIGNING_KEY_FILE");
  s.token_lifetime_s = reader.Int("WAHANA_TOKEN_LIFETIME_S", 10, 86400);
  return s;
}

absl::StatusOr<AuthKeys> LoadAuthKeys(const AuthSettings& settings) {
  if (settings.token_secret_file.empty()) {
    return absl::InvalidArgumentError(
        "WAHANA_TOKEN_SECRET_FILE is required: a file holding the HS256 secret the suite's "
        "processes share for their own calls (at least 32 bytes; deploy/local/run.sh makes one)");
  }
  absl::StatusOr<std::string> secret =
      ReadKeyFile(settings.token_secret_file, "WAHANA_TOKEN_SECRET_FILE", KeyKind::kSecret);
  if (!secret.ok()) return secret.status();
  std::string public_key;
  if (!settings.jwt_public_key_file.empty()) {
    absl::StatusOr<std::string> pem =
        ReadKeyFile(settings.jwt_public_key_file, "WAHANA_JWT_PUBLIC_KEY_FILE", KeyKind::kPublic);
    if (!pem.ok()) return pem.status();
    public_key = *std::move(pem) + "\n";
  }
  AuthKeys keys;
  TokenVerifierKeys verifier_keys;
  if (!settings.token_signing_key_file.empty()) {
    absl::StatusOr<std::string> pem = ReadKeyFile(
        settings.token_signing_key_file, "WAHANA_TOKEN_SIGNING_KEY_FILE", KeyKind::kSecret);
    if (!pem.ok()) return pem.status();
    auto issuer =
        TokenMinter::CreateRs256(*std::move(pem) + "\n", absl::Seconds(settings.token_lifetime_s));
    if (!issuer.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("WAHANA_TOKEN_SIGNING_KEY_FILE: ", issuer.status().message()));
    }
    keys.issuer = *std::move(issuer);
    verifier_keys.issuer_public_key_pem = keys.issuer->public_key_pem();
  }
  if (!settings.token_public_key_file.empty()) {
    absl::StatusOr<std::string> pem = ReadKeyFile(settings.token_public_key_file,
                                                  "WAHANA_TOKEN_PUBLIC_KEY_FILE", KeyKind::kPublic);
    if (!pem.ok()) return pem.status();
    absl::StatusOr<RsaJwk> jwk = RsaJwkOfPem(*pem + "\n", /*private_key=*/false);
    if (!jwk.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("WAHANA_TOKEN_PUBLIC_KEY_FILE: ", jwk.status().message()));
    }
    if (keys.issuer != nullptr && jwk->kid != keys.issuer->kid()) {
      return absl::InvalidArgumentError(
          "WAHANA_TOKEN_PUBLIC_KEY_FILE is not the public half of WAHANA_TOKEN_SIGNING_KEY_FILE");
    }
    verifier_keys.issuer_public_key_pem = jwk->public_pem;
  }
  verifier_keys.hs256_secret = *secret;
  verifier_keys.idp_public_key_pem = public_key;
  auto verifier = TokenVerifier::Create(std::move(verifier_keys));
  if (!verifier.ok()) {
    absl::string_view setting = absl::StrContains(verifier.status().message(), "issuer")
                                    ? "WAHANA_TOKEN_PUBLIC_KEY_FILE"
                                : absl::StrContains(verifier.status().message(), "public key")
                                    ? "WAHANA_JWT_PUBLIC_KEY_FILE"
                                    : "WAHANA_TOKEN_SECRET_FILE";
    return absl::InvalidArgumentError(absl::StrCat(setting, ": ", verifier.status().message()));
  }
  keys.verifier = *std::move(verifier);
  auto minter = TokenMinter::Create(*secret, absl::Seconds(settings.token_lifetime_s));
  if (!minter.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("WAHANA_TOKEN_SECRET_FILE: ", minter.status().message()));
  }
  keys.minter = *std::move(minter);
  return keys;
}

}  // namespace wahana
