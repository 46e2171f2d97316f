#pragma once
// `wahana-api-keys token`: what the host operator asks for when minting a short-lived token to
// call the services' gRPC directly (grpcurl; everyone else asks the gateway, POST /v1/tokens,
// gateway/token_endpoint.h). Only the arguments
// are parsed here; the token itself is minted by the deployment's own TokenMinter
// (common/auth/token.h) with the gateway's WAHANA_TOKEN_SIGNING_KEY_FILE.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"

namespace wahana {

// Shortest and longest --lifetime accepted, in seconds (the range of WAHANA_TOKEN_LIFETIME_S).
inline constexpr int64_t kMinCliTokenLifetimeS = 10;
inline constexpr int64_t kMaxCliTokenLifetimeS = 86400;

struct TokenRequest {
  Principal principal;
  int64_t lifetime_s = 0;
};

// The request of `options` (--name=value pairs after `token`) and `positional` (must be empty):
//   --role      required, a Role name (ParseRole);
//   --scope     a region-code prefix, inside `region` (the deployment's) or holding it, as
//               `create` accepts; default `region`;
//   --subject   the token's `sub`; default "cli:<user>";
//   --lifetime  seconds, kMinCliTokenLifetimeS..kMaxCliTokenLifetimeS; default
//               `default_lifetime_s` (WAHANA_TOKEN_LIFETIME_S).
// INVALID_ARGUMENT naming the flag (or the unknown option / stray argument) otherwise.
absl::StatusOr<TokenRequest> ParseTokenRequest(const std::map<std::string, std::string>& options,
                                               const std::vector<std::string>& positional,
                                               absl::string_view region, absl::string_view user,
                                               int64_t default_lifetime_s);

}  // namespace wahana
