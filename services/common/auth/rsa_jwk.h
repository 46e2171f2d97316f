#pragma once
// An RSA key as a JSON Web Key (RFC 7517/7518): its public modulus and exponent in base64url and
// its `kid`, the RFC 7638 thumbprint (base64url SHA-256 of {"e":..,"kty":"RSA","n":..}, those
// members in that order, no spaces). The gateway signs the tokens it issues with the private half
// (header `kid`), publishes the public half at /.well-known/jwks.json, and the services find it by
// that `kid`.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wahana {

struct RsaJwk {
  std::string kid;         // RFC 7638 thumbprint
  std::string n;           // modulus, base64url without padding
  std::string e;           // public exponent, base64url without padding
  std::string public_pem;  // SubjectPublicKeyInfo PEM of the public half
};

// The JWK of an RSA key in PEM: a private key (PKCS#8 or PKCS#1) when `private_key`, a public
// key (SubjectPublicKeyInfo) otherwise. INVALID_ARGUMENT when it is not such an RSA key or is
// shorter than 2048 bits.
absl::StatusOr<RsaJwk> RsaJwkOfPem(absl::string_view pem, bool private_key);

// The RFC 7638 thumbprint of the RSA JWK with these (base64url) members.
std::string JwkThumbprint(absl::string_view n, absl::string_view e);

}  // namespace wahana
