#include "common/crypto/ed25519_key.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

std::shared_ptr<EVP_PKEY> Share(EVP_PKEY* key) {
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// Without a callback, OpenSSL asks the terminal for the pass phrase of an encrypted PEM; a service
// must fail instead.
int NoPassphrase(char*, int, int, void*) { return -1; }

// A failed parse leaves OpenSSL's per-thread error queue filled; a later, unrelated check on this
// thread must not see those errors.
absl::Status NotA(absl::string_view field, absl::string_view what) {
  ERR_clear_error();
  return absl::InvalidArgumentError(absl::StrCat(field, ": not an ", what));
}

std::string ReadBio(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, size) : std::string();
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> ReadPem(absl::string_view pem, absl::string_view field,
                                                  bool private_key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return absl::InternalError("out of memory reading a key");
  EVP_PKEY* key = private_key ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr)
                              : PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr);
  const char* what = private_key ? "Ed25519 private key" : "Ed25519 public key";
  if (key == nullptr) return NotA(field, what);
  std::shared_ptr<EVP_PKEY> shared = Share(key);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) return NotA(field, what);
  return shared;
}

}  // namespace

absl::StatusOr<Ed25519PublicKey> Ed25519PublicKey::FromRaw(absl::string_view raw,
                                                           absl::string_view field) {
  if (raw.size() != kRawSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": an Ed25519 public key is ", kRawSize, " bytes, not ", raw.size()));
  }
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (key == nullptr) return NotA(field, "Ed25519 public key");
  return Ed25519PublicKey(Share(key));
}

absl::StatusOr<Ed25519PublicKey> Ed25519PublicKey::FromPem(absl::string_view pem,
                                                           absl::string_view field) {
  absl::StatusOr<std::shared_ptr<EVP_PKEY>> key = ReadPem(pem, field, /*private_key=*/false);
  if (!key.ok()) return key.status();
  return Ed25519PublicKey(*std::move(key));
}

bool Ed25519PublicKey::Verify(absl::string_view message, absl::string_view signature) const {
  if (signature.size() != kSignatureSize) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  // Ed25519 hashes internally: no digest is named, and the message goes in one call.
  const bool valid =
      ctx != nullptr &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  if (!valid) ERR_clear_error();
  return valid;
}

std::string Ed25519PublicKey::Raw() const {
  unsigned char raw[kRawSize];
  size_t size = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(key_.get(), raw, &size) != 1) return "";
  return std::string(reinterpret_cast<const char*>(raw), size);
}

std::string Ed25519PublicKey::PemOf() const {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) return "";
  return ReadBio(bio.get());
}

std::string Ed25519PublicKey::Jwk(absl::string_view kid) const {
  // ordered_json keeps the members in RFC 8037's order, for people reading the well-known route.
  nlohmann::ordered_json jwk = {{"kty", "OKP"},
                                {"crv", "Ed25519"},
                                {"x", absl::WebSafeBase64Escape(Raw())},
                                {"kid", std::string(kid)},
                                {"use", "sig"},
                                {"alg", "EdDSA"}};
  return jwk.dump();
}

std::string Ed25519PublicKey::KeyId() const {
  const std::string canonical = absl::StrCat(R"({"crv":"Ed25519","kty":"OKP","x":")",
                                             absl::WebSafeBase64Escape(Raw()), R"("})");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest);
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

namespace {

absl::StatusOr<std::string> ReadPemFile(const std::string& path, absl::string_view field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(field, ": cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<Ed25519PublicKey> Ed25519PublicKey::FromPemFile(const std::string& path,
                                                               absl::string_view field) {
  absl::StatusOr<std::string> pem = ReadPemFile(path, field);
  if (!pem.ok()) return pem.status();
  return FromPem(*pem, field);
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::FromPemFile(const std::string& path,
                                                                 absl::string_view field) {
  absl::StatusOr<std::string> text = ReadPemFile(path, field);
  if (!text.ok()) return text.status();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    spdlog::warn("{} ({}) is readable by group or others: chmod 600 it", std::string(field), path);
  }
  return FromPem(*text, field);
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::FromPem(absl::string_view pem,
                                                             absl::string_view field) {
  absl::StatusOr<std::shared_ptr<EVP_PKEY>> key = ReadPem(pem, field, /*private_key=*/true);
  if (!key.ok()) return key.status();
  return Ed25519PrivateKey(*std::move(key));
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::Generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) {
    ERR_clear_error();
    return absl::InternalError("OpenSSL could not make an Ed25519 key");
  }
  return Ed25519PrivateKey(Share(key));
}

std::string Ed25519PrivateKey::Sign(absl::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  unsigned char signature[Ed25519PublicKey::kSignatureSize];
  size_t size = sizeof(signature);
  if (ctx == nullptr || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), signature, &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    ERR_clear_error();
    return "";
  }
  return std::string(reinterpret_cast<const char*>(signature), size);
}

std::string Ed25519PrivateKey::PemOf() const {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return "";
  }
  return ReadBio(bio.get());
}

namespace {

// The public half of `key` as a key of its own from the raw bytes, so it carries no private
// material.
std::shared_ptr<EVP_PKEY> PublicHalf(const std::shared_ptr<EVP_PKEY>& key) {
  unsigned char raw[Ed25519PublicKey::kRawSize];
  size_t size = sizeof(raw);
  EVP_PKEY* half = nullptr;
  if (EVP_PKEY_get_raw_public_key(key.get(), raw, &size) == 1) {
    half = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw, size);
  }
  // Only allocation can fail here; the private key's own object then still verifies.
  if (half == nullptr) {
    ERR_clear_error();
    return key;
  }
  return Share(half);
}

}  // namespace

Ed25519PrivateKey::Ed25519PrivateKey(std::shared_ptr<EVP_PKEY> key)
    : key_(std::move(key)), public_key_(PublicHalf(key_)) {}

}  // namespace wahana
