#include "common/auth/auth_settings.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

absl::StatusOr<std::string> ReadKeyFile(const std::string& path, absl::string_view setting) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(setting, ": cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
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
  s.token_lifetime_s = reader.Int("WAHANA_TOKEN_LIFETIME_S", 10, 86400);
  return s;
}

absl::StatusOr<AuthKeys> LoadAuthKeys(const AuthSettings& settings) {
  if (settings.token_secret_file.empty()) {
    return absl::InvalidArgumentError(
        "WAHANA_TOKEN_SECRET_FILE is required: a file holding the HS256 secret the gateway and "
        "the services share (at least 32 bytes; deploy/local/run.sh makes one)");
  }
  absl::StatusOr<std::string> secret =
      ReadKeyFile(settings.token_secret_file, "WAHANA_TOKEN_SECRET_FILE");
  if (!secret.ok()) return secret.status();
  std::string public_key;
  if (!settings.jwt_public_key_file.empty()) {
    absl::StatusOr<std::string> pem =
        ReadKeyFile(settings.jwt_public_key_file, "WAHANA_JWT_PUBLIC_KEY_FILE");
    if (!pem.ok()) return pem.status();
    public_key = *std::move(pem) + "\n";
  }
  AuthKeys keys;
  auto verifier = TokenVerifier::Create(*secret, public_key);
  if (!verifier.ok()) {
    absl::string_view setting = absl::StrContains(verifier.status().message(), "public key")
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
