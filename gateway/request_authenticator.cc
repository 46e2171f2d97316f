#include "gateway/request_authenticator.h"

#include "absl/strings/ascii.h"
#include "common/auth/call_authenticator.h"

namespace wahana {

absl::StatusOr<Principal> RequestAuthenticator::Authenticate(absl::string_view authorization,
                                                             absl::string_view api_key) const {
  absl::string_view credential;
  if (!authorization.empty()) {
    absl::StatusOr<absl::string_view> token = BearerToken(authorization);
    if (!token.ok()) return token.status();
    credential = *token;
  } else if (!absl::StripAsciiWhitespace(api_key).empty()) {
    credential = absl::StripAsciiWhitespace(api_key);
  } else {
    return absl::UnauthenticatedError(
        "credentials required: send \"Authorization: Bearer <API key or token>\"");
  }
  if (ApiKeyStore::LooksLikeApiKey(credential)) return api_keys_->Authenticate(credential);
  return verifier_->Verify(credential);
}

}  // namespace wahana
