#pragma once
// Signed tokens (JWT, RFC 7519) carrying a Principal, verified with libjwt. Three keys:
//   - the issuer key (RS256): the gateway alone holds its private half and signs with it every
//     token it issues (POST /v1/tokens, and the per-call tokens it sends the services for its
//     callers), header `kid` the key's RFC 7638 thumbprint (rsa_jwk.h); the services hold only the
//     public half, so none of them can mint a token for a person or an API key;
//   - the shared HS256 secret: only for the suite's own processes calling each other. A verifier
//     takes an HS256 token only for a service principal (subject "service:<name>", role SYSTEM;
//     bearer_channel.h ServicePrincipal) and refuses any other (an ADMIN, say) UNAUTHENTICATED,
//     and a minter refuses to make one;
//   - an outside identity provider's RS256 public key (optional): any principal.
//
// Claims: `sub` (subject), `role` (a Role name), `scope` (a region-code prefix) and `exp` are
// required; `nbf` is honoured; `name` is optional; `worker` (optional) is the registry worker id
// the principal acts as (Principal::worker_id): a token carrying it with a `role` other than
// FIELD_WORKER, or a `worker` that is not a record id, is refused (UNAUTHENTICATED, HTTP 401 at
// the gateway), as principal.h CheckWorkerLink says. The header's `alg` chooses the key and must be
// HS256 or RS256 with that key configured: `none`, other algorithms and a token signed with one
// key kind but labelled as the other never verify. Errors are UNAUTHENTICATED with a reason that
// never contains the token.
//
// Both classes are safe to share between threads. A TokenMinter can hand out the token it
// minted for a principal again while half its lifetime is left (Reusable). A TokenVerifier
// remembers the tokens it verified lately (a bounded cache keyed by the whole token): a client
// reuses its token for many calls (the gateway's and the services' minted tokens, a bench's), and
// a signature check costs more than the call's other work. A hit skips only what cannot change
// for the same bytes (signature, claims); `exp` and `nbf` are judged again on every call, and
// refused tokens are never cached.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"

namespace wahana {

// Shortest HS256 secret accepted (RFC 7518 section 3.2: at least the hash's 256 bits).
inline constexpr size_t kMinTokenSecretBytes = 32;

// Clock skew tolerated on `exp` and `nbf`.
inline constexpr absl::Duration kTokenLeeway = absl::Seconds(30);

// Tokens a TokenVerifier (verified ones) or a TokenMinter (reusable ones) remembers by default.
inline constexpr size_t kDefaultTokenCacheSize = 1024;

class VerifiedTokenCache;

// Whether `principal` may travel in an HS256 token: a service's own (subject "service:<name>",
// role SYSTEM).
bool IsServiceTokenPrincipal(const Principal& principal);

struct TokenVerifierKeys {
  std::string hs256_secret;           // required; service principals only
  std::string issuer_public_key_pem;  // the gateway's RS256 key, chosen by `kid`; "" for none
  std::string idp_public_key_pem;     // an outside identity provider's RS256 key; "" for none
};

class TokenVerifier {
 public:
  // `hs256_secret` is required (at least kMinTokenSecretBytes); either public key may be empty.
  // An RS256 token whose `kid` is the issuer key's is checked with it; any other RS256 token with
  // the identity provider's key (refused when there is none). At most `cache_size` verified tokens
  // are remembered (0 turns the cache off). INVALID_ARGUMENT when the secret is short or a PEM is
  // not an RSA public key (the issuer's: of at least 2048 bits).
  static absl::StatusOr<std::shared_ptr<const TokenVerifier>> Create(
      TokenVerifierKeys keys, size_t cache_size = kDefaultTokenCacheSize);
  // The shared secret and an identity provider's key (no issuer key).
  static absl::StatusOr<std::shared_ptr<const TokenVerifier>> Create(
      std::string hs256_secret, std::string rs256_public_key_pem = "",
      size_t cache_size = kDefaultTokenCacheSize);
  ~TokenVerifier();

  // The principal of a valid `token`; UNAUTHENTICATED otherwise.
  absl::StatusOr<Principal> Verify(absl::string_view token) const;
  // As Verify, judging `exp` and `nbf` against `now` (tests).
  absl::StatusOr<Principal> VerifyAt(absl::string_view token, absl::Time now) const;

  bool accepts_rs256() const { return !rs256_public_key_pem_.empty() || !issuer_kid_.empty(); }
  // The issuer key's `kid`, "" when there is none.
  const std::string& issuer_kid() const { return issuer_kid_; }

  // How many verified tokens are remembered now (tests).
  size_t cached_tokens() const;

 private:
  friend class VerifiedTokenCache;

  // What a token's bytes say once its signature verified: the principal and its time window.
  struct Verified {
    Principal principal;
    int64_t exp = 0;
    std::optional<int64_t> nbf;
  };

  TokenVerifier(TokenVerifierKeys keys, std::string issuer_kid, size_t cache_size);

  // Signature and claims, without the time window.
  absl::StatusOr<Verified> Decode(absl::string_view token) const;

  const std::string hs256_secret_;
  const std::string rs256_public_key_pem_;  // the identity provider's
  const std::string issuer_public_key_pem_;
  const std::string issuer_kid_;
  const std::unique_ptr<VerifiedTokenCache> cache_;  // null when off
};

class MintedTokenCache;

class TokenMinter {
 public:
  // An HS256 minter (service principals only). INVALID_ARGUMENT when the secret is shorter than
  // kMinTokenSecretBytes or `lifetime` is not positive. Reusable keeps at most `cache_size`
  // tokens (0: it always mints).
  static absl::StatusOr<std::shared_ptr<const TokenMinter>> Create(
      std::string hs256_secret, absl::Duration lifetime,
      size_t cache_size = kDefaultTokenCacheSize);
  // An RS256 minter with the issuer's private key (PEM, RSA of at least 2048 bits), header `kid`
  // its thumbprint: any principal. INVALID_ARGUMENT when the PEM is not such a key or `lifetime`
  // is not positive.
  static absl::StatusOr<std::shared_ptr<const TokenMinter>> CreateRs256(
      std::string private_key_pem, absl::Duration lifetime,
      size_t cache_size = kDefaultTokenCacheSize);
  ~TokenMinter();

  // A token for `principal`, issued now and expiring after the lifetime. INVALID_ARGUMENT when
  // the principal carries a worker_id CheckWorkerLink refuses (no verifier would take it), or
  // when an HS256 minter is asked for a principal other than a service's.
  absl::StatusOr<std::string> Mint(const Principal& principal) const;
  absl::StatusOr<std::string> MintAt(const Principal& principal, absl::Time now) const;

  // A token for `principal` minted by this minter less than half its lifetime ago, or a new one
  // (remembered for the next calls). For a caller speaking for many principals in turn (the
  // gateway): the same principal then sends the same token, which the services' verifiers find in
  // their caches. At least half the lifetime is always left.
  absl::StatusOr<std::string> Reusable(const Principal& principal) const;
  absl::StatusOr<std::string> ReusableAt(const Principal& principal, absl::Time now) const;

  absl::Duration lifetime() const { return lifetime_; }
  // RS256 minters: the key's `kid` and public half in PEM; "" for HS256 ones.
  const std::string& kid() const { return kid_; }
  const std::string& public_key_pem() const { return public_key_pem_; }

 private:
  TokenMinter(bool rs256, std::string key, std::string kid, std::string public_key_pem,
              absl::Duration lifetime, size_t cache_size);

  const bool rs256_;
  const std::string key_;  // the HS256 secret or the RS256 private key PEM
  const std::string kid_;
  const std::string public_key_pem_;
  const absl::Duration lifetime_;
  const std::unique_ptr<MintedTokenCache> cache_;  // null when off
};

}  // namespace wahana
