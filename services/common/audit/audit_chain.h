#pragma once
// The audit trail's hash chain (issue 4). Entry n is stored with
//
//   hash_n = HMAC-SHA256(chain key, prev_n || bytes_n),  prev_n = hash_{n-1}, prev_1 = kGenesisHash
//
// where bytes_n is the deterministic serialization of the AuditEntry (its `sequence` included)
// and hashes are 64 lowercase hex digits. The chain key is derived from the deployment's token
// secret, so someone with access to Redis alone cannot rebuild a chain that verifies after
// changing, removing or reordering entries.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "wahana/audit/v1/audit.pb.h"

namespace wahana {

// prev of the first entry: 64 zeros.
inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The head of a trail: the last entry's sequence (0 for an empty trail) and hash.
struct AuditHead {
  int64_t sequence = 0;
  std::string hash = kGenesisHash;
  bool operator==(const AuditHead& other) const {
    return sequence == other.sequence && hash == other.hash;
  }
};

// An entry ready for the stream: the fields a stream message holds.
struct SealedAuditEntry {
  int64_t sequence = 0;
  std::string prev;   // hex
  std::string hash;   // hex
  std::string bytes;  // the AuditEntry, serialized deterministically
};

// The readable copies a stream message carries beside the entry bytes, for people reading the
// stream with redis-cli: subject, action and who ("<principal id> (<role>)"). They are not hashed
// themselves but derived from the hashed bytes, so `wahana-audit verify` recomputes them and
// reports a rewritten copy as altered; readers (audit_reader.h) show the parsed entry only.
std::vector<std::pair<std::string, std::string>> ReadableAuditFields(
    const audit::v1::AuditEntry& entry);

class AuditChain {
 public:
  // The chain key of a deployment: HMAC-SHA256(token secret, "wahana-audit-chain-v1").
  static std::string DeriveKey(absl::string_view token_secret);

  explicit AuditChain(std::string key) : key_(std::move(key)) {}

  // hex(HMAC-SHA256(key, prev_hex || bytes)).
  std::string Hash(absl::string_view prev_hex, absl::string_view bytes) const;

  // Numbers `entries` after `head` (sets their `sequence`), serializes and chains them.
  std::vector<SealedAuditEntry> Seal(const AuditHead& head,
                                     std::vector<audit::v1::AuditEntry>& entries) const;

 private:
  std::string key_;
};

// The deterministic serialization the chain hashes.
std::string SerializeAuditEntry(const audit::v1::AuditEntry& entry);

}  // namespace wahana

namespace wahana {

// The chain key of the deployment whose token secret is in `token_secret_file`
// (WAHANA_TOKEN_SECRET_FILE; surrounding whitespace ignored, as the services read it).
// INVALID_ARGUMENT naming the setting when the file cannot be read or is empty.
absl::StatusOr<std::string> ReadAuditChainKey(const std::string& token_secret_file);

}  // namespace wahana
