#pragma once
// Who sent an HTTP request: `Authorization: Bearer <API key or JWT>` or `X-Api-Key: <API key>`.
// API keys ("wk_...") are checked against the store (api_keys/api_key_store.h), anything else is
// verified as a JWT with the deployment's keys (common/auth/token.h). Thread-safe.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/auth/token.h"
#include "gateway/api_keys/api_key_store.h"
#include "gateway/api_keys/worker_directory.h"
#include "gateway/token_endpoint.h"

namespace wahana {

class RequestAuthenticator {
 public:
  // `workers` (may be null: links then checked for their form only) checks a token's `worker`
  // claim in the registry as an API key's workerId is checked (CheckWorkerLinkInRegistry).
  RequestAuthenticator(std::shared_ptr<ApiKeyStore> api_keys,
                       std::shared_ptr<const TokenVerifier> verifier,
                       std::shared_ptr<WorkerDirectory> workers = nullptr,
                       std::string deployment_region = "")
      : api_keys_(std::move(api_keys)),
        verifier_(std::move(verifier)),
        workers_(std::move(workers)),
        deployment_region_(std::move(deployment_region)) {}

  // `authorization` and `api_key` are the header values ("" when absent); Authorization wins when
  // both are sent. UNAUTHENTICATED (no credentials, or invalid ones: the reason never repeats
  // them); UNAVAILABLE when API keys cannot be checked now.
  absl::StatusOr<Principal> Authenticate(absl::string_view authorization,
                                         absl::string_view api_key) const;

 private:
  // The registry's answer for a token's worker link, checked once a minute at most per link.
  absl::Status CheckWorkerClaim(const Principal& principal) const;

  std::shared_ptr<ApiKeyStore> api_keys_;
  std::shared_ptr<const TokenVerifier> verifier_;
  std::shared_ptr<WorkerDirectory> workers_;
  std::string deployment_region_;
  mutable absl::Mutex mu_;
  // "<worker>|<scope>" -> until when its link was found good (bounded: cleared when full).
  mutable absl::flat_hash_map<std::string, absl::Time> good_links_ ABSL_GUARDED_BY(mu_);
};

// What the gateway needs to authenticate requests and speak for their principal to the services.
struct GatewayAuth {
  std::shared_ptr<const RequestAuthenticator> authenticator;
  // Mints the short-lived token sent to the backend for the request's principal (RS256, the
  // issuer key).
  std::shared_ptr<const TokenMinter> minter;
  // POST /v1/tokens and /.well-known/jwks.json (token_endpoint.h); null: both are 404.
  std::shared_ptr<const TokenEndpoint> tokens;
};

}  // namespace wahana
