#pragma once
// Who sent an HTTP request: `Authorization: Bearer <API key or JWT>` or `X-Api-Key: <API key>`.
// API keys ("wk_...") are checked against the store (api_keys/api_key_store.h), anything else is
// verified as a JWT with the deployment's keys (common/auth/token.h). Thread-safe.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/auth/principal.h"
#include "common/auth/token.h"
#include "gateway/api_keys/api_key_store.h"

namespace wahana {

class RequestAuthenticator {
 public:
  RequestAuthenticator(std::shared_ptr<ApiKeyStore> api_keys,
                       std::shared_ptr<const TokenVerifier> verifier)
      : api_keys_(std::move(api_keys)), verifier_(std::move(verifier)) {}

  // `authorization` and `api_key` are the header values ("" when absent); Authorization wins when
  // both are sent. UNAUTHENTICATED (no credentials, or invalid ones: the reason never repeats
  // them); UNAVAILABLE when API keys cannot be checked now.
  absl::StatusOr<Principal> Authenticate(absl::string_view authorization,
                                         absl::string_view api_key) const;

 private:
  std::shared_ptr<ApiKeyStore> api_keys_;
  std::shared_ptr<const TokenVerifier> verifier_;
};

// What the gateway needs to authenticate requests and speak for their principal to the services.
struct GatewayAuth {
  std::shared_ptr<const RequestAuthenticator> authenticator;
  // Mints the short-lived token sent to the backend for the request's principal.
  std::shared_ptr<const TokenMinter> minter;
};

}  // namespace wahana
