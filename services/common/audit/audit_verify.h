#pragma once
// Checks a service's audit trail against its hash chain (audit_chain.h): every entry's hash
// recomputed from its content with the chain key, its readable copies (subject, action, who)
// equal to what its bytes say, sequences 1, 2, 3, ... without gaps, each prev equal to the
// previous entry's hash, and the head equal to the last entry. Then, when the chain holds, every
// subject index (audit_index.h): each lists exactly the entries naming its record, in stream
// order. What `wahana-audit verify` runs.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/audit/audit_chain.h"
#include "common/audit/audit_keys.h"
#include "common/redis/redis_client.h"

namespace wahana {

struct AuditVerification {
  bool ok = true;
  int64_t entries = 0;  // entries read
  // The first problem (when !ok): where and what.
  std::string stream_id;  // "" when the problem is the head or the end of the trail
  int64_t sequence = 0;   // the sequence found there (or expected, for "missing" at the end)
  std::string kind;       // "altered", "missing", "reordered" or "index"
  std::string detail;
  std::string index;  // for "index": the index key (`stream_id` is the id it is wrong about)
};

// The check itself, fed the trail's messages in stream order, then its head.
class AuditChainChecker {
 public:
  explicit AuditChainChecker(const AuditChain& chain) : chain_(chain) {}
  // One stream message's fields (seq, prev, hash, entry, ...).
  void Add(const std::string& stream_id, const std::map<std::string, std::string>& fields);
  // The same, as XRANGE gives them. A stream message may hold one field name twice, and a reader
  // could take either copy: a name stored twice is "altered".
  void Add(const std::string& stream_id,
           const std::vector<std::pair<std::string, std::string>>& fields);
  AuditVerification Finish(const AuditHead& head) const;

 private:
  void Fail(const std::string& id, int64_t sequence, const char* kind, std::string detail);
  // `twice`: a field name the message holds more than once, else null.
  void Check(const std::string& id, const std::map<std::string, std::string>& fields,
             const std::string* twice);

  const AuditChain& chain_;
  AuditVerification result_;
  int64_t read_ = 0;
  int64_t expected_ = 1;
  std::string last_hash_ = kGenesisHash;
  // After the first problem: every sequence seen, to tell a missing entry from a moved one.
  std::vector<int64_t> later_sequences_;
  int64_t first_missing_ = 0;  // the sequence expected where the problem was found
};

// Reads the whole trail (in pages), the head and every subject index. Errors only for Redis
// failures.
absl::StatusOr<AuditVerification> VerifyAuditTrail(RedisClient& redis, const AuditKeys& keys,
                                                   const AuditChain& chain);

// "OK: 12 entries", "BROKEN: entry 1700000000000-0 (seq 3): altered: ..." or "BROKEN: index
// case:{16.06}:audit:subject:cases/A: entry 1700000000000-0: lists an id that is not on ...".
std::string DescribeVerification(const AuditVerification& verification);

}  // namespace wahana
