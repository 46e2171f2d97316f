#pragma once
// Signed tokens (JWT, RFC 7519) carrying a Principal: verified with libjwt, HS256 with the
// deployment's shared secret and RS256 with an outside identity provider's public key; minted
// (HS256, short-lived) by the gateway for the services it calls, and by services calling each
// other.
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

class TokenVerifier {
 public:
  // `hs256_secret` is required (at least kMinTokenSecretBytes); `rs256_public_key_pem` may be
  // empty (RS256 tokens are then refused). At most `cache_size` verified tokens are remembered (0
  // turns the cache off). INVALID_ARGUMENT when the secret is short or the PEM is not an RSA
  // public key.
  static absl::StatusOr<std::shared_ptr<const TokenVerifier>> Create(
      std::string hs256_secret, std::string rs256_public_key_pem = "",
      size_t cache_size = kDefaultTokenCacheSize);
  ~TokenVerifier();

  // The principal of a valid `token`; UNAUTHENTICATED otherwise.
  absl::StatusOr<Principal> Verify(absl::string_view token) const;
  // As Verify, judging `exp` and `nbf` against `now` (tests).
  absl::StatusOr<Principal> VerifyAt(absl::string_view token, absl::Time now) const;

  bool accepts_rs256() const { return !rs256_public_key_pem_.empty(); }

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

  TokenVerifier(std::string hs256_secret, std::string rs256_public_key_pem, size_t cache_size);

  // Signature and claims, without the time window.
  absl::StatusOr<Verified> Decode(absl::string_view token) const;

  const std::string hs256_secret_;
  const std::string rs256_public_key_pem_;
  const std::unique_ptr<VerifiedTokenCache> cache_;  // null when off
};

class MintedTokenCache;

class TokenMinter {
 public:
  // INVALID_ARGUMENT when the secret is shorter than kMinTokenSecretBytes or `lifetime` is not
  // positive. Reusable keeps at most `cache_size` tokens (0: it always mints).
  static absl::StatusOr<std::shared_ptr<const TokenMinter>> Create(
      std::string hs256_secret, absl::Duration lifetime,
      size_t cache_size = kDefaultTokenCacheSize);
  ~TokenMinter();

  // An HS256 token for `principal`, issued now and expiring after the lifetime. INVALID_ARGUMENT
  // when the principal carries a worker_id CheckWorkerLink refuses (no verifier would take it).
  absl::StatusOr<std::string> Mint(const Principal& principal) const;
  absl::StatusOr<std::string> MintAt(const Principal& principal, absl::Time now) const;

  // A token for `principal` minted by this minter less than half its lifetime ago, or a new one
  // (remembered for the next calls). For a caller speaking for many principals in turn (the
  // gateway): the same principal then sends the same token, which the services' verifiers find in
  // their caches. At least half the lifetime is always left.
  absl::StatusOr<std::string> Reusable(const Principal& principal) const;
  absl::StatusOr<std::string> ReusableAt(const Principal& principal, absl::Time now) const;

  absl::Duration lifetime() const { return lifetime_; }

 private:
  TokenMinter(std::string hs256_secret, absl::Duration lifetime, size_t cache_size);

  const std::string hs256_secret_;
  const absl::Duration lifetime_;
  const std::unique_ptr<MintedTokenCache> cache_;  // null when off
};

}  // namespace wahana
