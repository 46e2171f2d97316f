#include "common/auth/rsa_jwk.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};

absl::StatusOr<std::string> Base64UrlParam(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1 || raw == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("the RSA key has no ", name));
  }
  std::unique_ptr<BIGNUM, BnFree> bn(raw);
  std::vector<unsigned char> bytes(BN_num_bytes(bn.get()));
  BN_bn2bin(bn.get(), bytes.data());
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace

std::string JwkThumbprint(absl::string_view n, absl::string_view e) {
  const std::string canonical = absl::StrCat(R"({"e":")", e, R"(","kty":"RSA","n":")", n, R"("})");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest);
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

absl::StatusOr<RsaJwk> RsaJwkOfPem(absl::string_view pem, bool private_key) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return absl::InternalError("out of memory reading a key");
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      private_key ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr)
                  : PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  const char* kind = private_key ? "private" : "public";
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("not a PEM ", kind, " key"));
  }
  if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    return absl::InvalidArgumentError(absl::StrCat("the ", kind, " key is not an RSA key"));
  }
  if (EVP_PKEY_get_bits(key.get()) < 2048) {
    return absl::InvalidArgumentError(
        absl::StrCat("the RSA ", kind, " key has fewer than 2048 bits"));
  }
  RsaJwk jwk;
  absl::StatusOr<std::string> n = Base64UrlParam(key.get(), OSSL_PKEY_PARAM_RSA_N);
  if (!n.ok()) return n.status();
  absl::StatusOr<std::string> e = Base64UrlParam(key.get(), OSSL_PKEY_PARAM_RSA_E);
  if (!e.ok()) return e.status();
  jwk.n = *std::move(n);
  jwk.e = *std::move(e);
  jwk.kid = JwkThumbprint(jwk.n, jwk.e);
  BIO* out = BIO_new(BIO_s_mem());
  if (out == nullptr) return absl::InternalError("out of memory writing a key");
  PEM_write_bio_PUBKEY(out, key.get());
  char* data = nullptr;
  long size = BIO_get_mem_data(out, &data);
  jwk.public_pem.assign(data, size);
  BIO_free(out);
  return jwk;
}

}  // namespace wahana
