#pragma once
// Ed25519 keys (RFC 8032) on OpenSSL 3: a deployment signs what others must check without asking
// it (check-in codes read offline by a phone; later what one province hands another), and
// publishes the public half as a JSON Web Key (RFC 8037).
//
// Both classes are cheap to copy (the OpenSSL key is shared and never changed after loading) and
// safe to use from many threads at once: each Sign and Verify makes its own EVP_MD_CTX. A
// moved-from key must not be used.
//
// Errors name the caller's `field` (a setting such as WAHANA_CHECKIN_KEY_FILE, or a request field)
// so that they read "WAHANA_CHECKIN_KEY_FILE: not an Ed25519 private key".

#include <openssl/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wahana {

class Ed25519PublicKey {
 public:
  // Ed25519 raw public keys and signatures have these sizes.
  static constexpr size_t kRawSize = 32;
  static constexpr size_t kSignatureSize = 64;

  // The key with these 32 bytes (RFC 8032 encoding; a JWK's `x` decoded). INVALID_ARGUMENT
  // "<field>: ..." when `raw` is not 32 bytes or not a key.
  static absl::StatusOr<Ed25519PublicKey> FromRaw(absl::string_view raw,
                                                  absl::string_view field = "public key");
  // The key in a SubjectPublicKeyInfo PEM ("PUBLIC KEY", as `openssl pkey -pubout` writes).
  // INVALID_ARGUMENT "<field>: not an Ed25519 public key" otherwise.
  static absl::StatusOr<Ed25519PublicKey> FromPem(absl::string_view pem,
                                                  absl::string_view field = "public key");
  // FromPem of the file at `path`; INVALID_ARGUMENT "<field>: cannot read <path>" too.
  static absl::StatusOr<Ed25519PublicKey> FromPemFile(const std::string& path,
                                                      absl::string_view field = "public key");

  // Whether `signature` is this key's Ed25519 signature of `message`. False for a signature of
  // the wrong size; never an error.
  bool Verify(absl::string_view message, absl::string_view signature) const;

  // The 32 bytes of the key.
  std::string Raw() const;
  // SubjectPublicKeyInfo PEM.
  std::string PemOf() const;
  // The key as an RFC 8037 JWK, one JSON object:
  // {"kty":"OKP","crv":"Ed25519","x":<Raw() base64url, unpadded>,"kid":<kid>,"use":"sig",
  //  "alg":"EdDSA"}.
  std::string Jwk(absl::string_view kid) const;
  // A key id for Jwk(): the RFC 7638 thumbprint (base64url SHA-256 of
  // {"crv":"Ed25519","kty":"OKP","x":...}, 43 characters), as common/auth/rsa_jwk.h names the
  // RSA keys, so any JOSE library can recompute it from the JWK.
  std::string KeyId() const;

 private:
  explicit Ed25519PublicKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
  friend class Ed25519PrivateKey;

  std::shared_ptr<EVP_PKEY> key_;
};

class Ed25519PrivateKey {
 public:
  // The key in a PEM file: PKCS#8 "PRIVATE KEY", as `openssl genpkey -algorithm ed25519` writes
  // it, unencrypted. INVALID_ARGUMENT "<field>: cannot read <path>: <reason>" or "<field>: not an
  // Ed25519 private key".
  static absl::StatusOr<Ed25519PrivateKey> FromPemFile(const std::string& path,
                                                       absl::string_view field = "private key");
  static absl::StatusOr<Ed25519PrivateKey> FromPem(absl::string_view pem,
                                                   absl::string_view field = "private key");
  // A new random key (tests, tools that write a key). INTERNAL only when OpenSSL fails.
  static absl::StatusOr<Ed25519PrivateKey> Generate();

  // The 64-byte Ed25519 signature of `message`. Ed25519 signing fails only when OpenSSL cannot
  // allocate; the result is then empty, which no Verify accepts.
  std::string Sign(absl::string_view message) const;
  // Unencrypted PKCS#8 PEM ("PRIVATE KEY"), readable by FromPem and the openssl tool.
  std::string PemOf() const;
  // Made once with the key: a verifier built per call would cost OpenSSL 3 a provider lookup
  // (more than the verification itself).
  const Ed25519PublicKey& PublicKey() const { return public_key_; }

 private:
  explicit Ed25519PrivateKey(std::shared_ptr<EVP_PKEY> key);

  std::shared_ptr<EVP_PKEY> key_;
  Ed25519PublicKey public_key_;
};

}  // namespace wahana
