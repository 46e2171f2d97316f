#include "common/audit/forwarded_address.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/auth/call_authenticator.h"

namespace wahana {
namespace {

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &out_len) == nullptr) {
    std::abort();  // OpenSSL cannot compute SHA-256: nothing sensible to continue with
  }
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

absl::string_view MetadataValue(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                                const char* key) {
  auto it = metadata.find(key);
  return it == metadata.end() ? absl::string_view()
                              : absl::string_view(it->second.data(), it->second.size());
}

}  // namespace

std::string DeriveForwardingKey(absl::string_view audit_chain_key) {
  return HmacSha256(audit_chain_key, "wahana-forwarded-for-v1");
}

std::string ForwardedProof(absl::string_view key, absl::string_view bearer_token,
                           absl::string_view address) {
  // Length-prefixed: no token/address split can give another pair the same input.
  return absl::BytesToHexString(
      HmacSha256(key, absl::StrCat(bearer_token.size(), ":", bearer_token, address)));
}

std::string ClientAddressOf(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  const absl::string_view forwarded = MetadataValue(metadata, kForwardedForMetadata);
  const absl::string_view proof = MetadataValue(metadata, kForwardedProofMetadata);
  if (key.empty() || forwarded.empty() || proof.empty()) return context.peer();
  absl::StatusOr<absl::string_view> token =
      BearerToken(MetadataValue(metadata, kAuthorizationMetadata));
  if (!token.ok()) return context.peer();
  const std::string expected = ForwardedProof(key, *token, forwarded);
  if (proof.size() != expected.size() ||
      CRYPTO_memcmp(proof.data(), expected.data(), expected.size()) != 0) {
    return context.peer();
  }
  return std::string(forwarded);
}

}  // namespace wahana
