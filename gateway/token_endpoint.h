#pragma once
// The gateway's token issuer, for clients that call the services' gRPC directly (other
// government systems, grpcurl):
//
//   POST /v1/tokens  OAuth 2.0 client credentials (RFC 6749 section 4.4): a form body
//     (application/x-www-form-urlencoded) with grant_type=client_credentials; the client is an
//     API key, client_id = the key's id (the "<keyId>" of "wk_<keyId>_...") and client_secret =
//     the whole key, sent as HTTP Basic (RFC 6749 section 2.3.1) or as the form fields client_id
//     and client_secret (not both). 200 {"access_token","token_type":"Bearer","expires_in"} with
//     Cache-Control: no-store; the token (RS256, the issuer key, lifetime WAHANA_TOKEN_LIFETIME_S)
//     carries the key's principal exactly as the key's own requests would (subject
//     "apikey:<keyId>", role, scope, worker link). Errors as section 5.2: 400 invalid_request or
//     unsupported_grant_type; 401 invalid_client with WWW-Authenticate: Basic for a missing,
//     unknown, wrong or revoked key alike; 503 temporarily_unavailable when the keys cannot be
//     read.
//   GET /.well-known/jwks.json  the issuer key's public half as a JWK Set (RFC 7517):
//     {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid","n","e"}]}, cacheable; what the
//     services verify with (WAHANA_TOKEN_PUBLIC_KEY_FILE holds the same key).
//
// The Gateway counts failed client authentications in its AuthFailureLimiter. Thread-safe.

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "common/auth/token.h"
#include "gateway/api_keys/api_key_store.h"
#include "gateway/http_exchange.h"

namespace wahana {

inline constexpr char kTokenPath[] = "/v1/tokens";
inline constexpr char kJwksPath[] = "/.well-known/jwks.json";

class TokenEndpoint {
 public:
  // `issuer` must be an RS256 minter (TokenMinter::CreateRs256).
  TokenEndpoint(std::shared_ptr<ApiKeyStore> api_keys, std::shared_ptr<const TokenMinter> issuer);

  struct Outcome {
    HttpResponse response;
    // The client offered credentials that did not authenticate (the limiter counts it).
    bool client_failed = false;
    // The key's subject when a token was issued.
    std::string subject;
  };

  // The answer to a POST to kTokenPath.
  Outcome Issue(absl::string_view content_type, absl::string_view authorization,
                absl::string_view body) const;

  // The answer to a GET of kJwksPath.
  HttpResponse Jwks() const;

 private:
  std::shared_ptr<ApiKeyStore> api_keys_;
  std::shared_ptr<const TokenMinter> issuer_;
  std::string jwks_json_;
};

}  // namespace wahana
