#pragma once
// Signed tokens (JWT, RFC 7519) carrying a Principal: verified with libjwt, HS256 with the
// deployment's shared secret and RS256 with an outside identity provider's public key; minted
// (HS256, short-lived) by the gateway for the services it calls, and by services calling each
// other.
//
// Claims: `sub` (subject), `role` (a Role name), `scope` (a region-code prefix) and `exp` are
// required; `nbf` is honoured; `name` is optional. The header's `alg` chooses the key and must be
// HS256 or RS256 with that key configured: `none`, other algorithms and a token signed with one
// key kind but labelled as the other never verify. Errors are UNAUTHENTICATED with a reason that
// never contains the token.
//
// Both classes are immutable after construction and safe to share between threads.

#include <memory>
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

class TokenVerifier {
 public:
  // `hs256_secret` is required (at least kMinTokenSecretBytes); `rs256_public_key_pem` may be
  // empty (RS256 tokens are then refused). INVALID_ARGUMENT when the secret is short or the PEM is
  // not an RSA public key.
  static absl::StatusOr<std::shared_ptr<const TokenVerifier>> Create(
      std::string hs256_secret, std::string rs256_public_key_pem = "");

  // The principal of a valid `token`; UNAUTHENTICATED otherwise.
  absl::StatusOr<Principal> Verify(absl::string_view token) const;
  // As Verify, judging `exp` and `nbf` against `now` (tests).
  absl::StatusOr<Principal> VerifyAt(absl::string_view token, absl::Time now) const;

  bool accepts_rs256() const { return !rs256_public_key_pem_.empty(); }

 private:
  TokenVerifier(std::string hs256_secret, std::string rs256_public_key_pem)
      : hs256_secret_(std::move(hs256_secret)),
        rs256_public_key_pem_(std::move(rs256_public_key_pem)) {}

  const std::string hs256_secret_;
  const std::string rs256_public_key_pem_;
};

class TokenMinter {
 public:
  // INVALID_ARGUMENT when the secret is shorter than kMinTokenSecretBytes or `lifetime` is not
  // positive.
  static absl::StatusOr<std::shared_ptr<const TokenMinter>> Create(std::string hs256_secret,
                                                                   absl::Duration lifetime);

  // An HS256 token for `principal`, issued now and expiring after the lifetime.
  absl::StatusOr<std::string> Mint(const Principal& principal) const;
  absl::StatusOr<std::string> MintAt(const Principal& principal, absl::Time now) const;

  absl::Duration lifetime() const { return lifetime_; }

 private:
  TokenMinter(std::string hs256_secret, absl::Duration lifetime)
      : hs256_secret_(std::move(hs256_secret)), lifetime_(lifetime) {}

  const std::string hs256_secret_;
  const absl::Duration lifetime_;
};

}  // namespace wahana
