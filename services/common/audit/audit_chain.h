#pragma once
// The audit trail's hash chain (issue 4). Entry n is stored with
//
//   hash_n = HMAC-SHA256(chain key, prev_n || bytes_n),  prev_n = hash_{n-1}, prev_1 = kGenesisHash
//
// where bytes_n is the deterministic serialization of the AuditEntry (its `sequence` included)
// and hashes are 64 lowercase hex digits. The chain key is derived from the deployment's token
// secret, so someone with access to Redis alone cannot rebuild a chain that verifies after
// changing, removing or reordering entries.
//
// What is covered: everything a reader shows is parsed from the hashed bytes (who, what, which
// record and its region, the records a list returned and their regions, when, from where,
// outcome). The rest of a stream message is derived from those bytes and checked against them by
// `wahana-audit verify` (audit_verify.h): the readable copies (ReadableAuditFields) and the
// subject indexes (audit_index.h). A message holding a field name twice is altered.
//
// Entries written before these rules (issue 11) verify unchanged: their bytes and readable
// copies are what the writer has always written, and their indexes were built from the same
// names (subject and returned subjects). Only `returned_regions` (field 18) is new; an old entry
// has none, so a reader counts its returned subjects as lying in the deployment's region: they
// are shown to deployment-wide scopes only (audit_reader.h).

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
