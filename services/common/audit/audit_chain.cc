#include "common/audit/audit_chain.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

std::string HmacSha256(absl::string_view key, absl::string_view a, absl::string_view b) {
  const std::string data = absl::StrCat(a, b);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &out_len) == nullptr) {
    std::abort();  // OpenSSL cannot compute SHA-256: nothing sensible to continue with
  }
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

}  // namespace

std::string AuditChain::DeriveKey(absl::string_view token_secret) {
  return HmacSha256(token_secret, "wahana-audit-chain-v1", "");
}

std::string AuditChain::Hash(absl::string_view prev_hex, absl::string_view bytes) const {
  return absl::BytesToHexString(HmacSha256(key_, prev_hex, bytes));
}

std::vector<SealedAuditEntry> AuditChain::Seal(const AuditHead& head,
                                               std::vector<audit::v1::AuditEntry>& entries) const {
  std::vector<SealedAuditEntry> sealed;
  sealed.reserve(entries.size());
  std::string prev = head.hash;
  int64_t sequence = head.sequence;
  for (audit::v1::AuditEntry& entry : entries) {
    entry.set_sequence(++sequence);
    SealedAuditEntry out;
    out.sequence = sequence;
    out.bytes = SerializeAuditEntry(entry);
    out.prev = prev;
    out.hash = Hash(prev, out.bytes);
    prev = out.hash;
    sealed.push_back(std::move(out));
  }
  return sealed;
}

std::vector<std::pair<std::string, std::string>> ReadableAuditFields(
    const audit::v1::AuditEntry& entry) {
  return {{"subject", entry.subject()},
          {"action", entry.action()},
          {"who", absl::StrCat(entry.principal_id(), " (", entry.role(), ")")}};
}

std::string SerializeAuditEntry(const audit::v1::AuditEntry& entry) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    entry.SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace wahana

namespace wahana {

absl::StatusOr<std::string> ReadAuditChainKey(const std::string& token_secret_file) {
  std::ifstream in(token_secret_file, std::ios::binary);
  if (token_secret_file.empty() || !in) {
    return absl::InvalidArgumentError(
        absl::StrCat("WAHANA_TOKEN_SECRET_FILE: cannot read \"", token_secret_file, "\""));
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string content = text.str();
  absl::string_view secret = absl::StripAsciiWhitespace(content);
  if (secret.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("WAHANA_TOKEN_SECRET_FILE: ", token_secret_file, " is empty"));
  }
  return AuditChain::DeriveKey(secret);
}

}  // namespace wahana
