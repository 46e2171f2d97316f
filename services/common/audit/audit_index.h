#pragma once
// Which subject indexes (audit_keys.h SubjectIndex) an audit entry belongs in: its subject and
// every returned subject, read from the entry itself. The writer indexes by it and `wahana-audit
// verify` checks the indexes against it, so index membership follows from the hashed entry bytes
// alone: a list naming an entry that does not name its record is found, and so is a list missing
// one.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wahana/audit/v1/audit.pb.h"

namespace wahana {

// The entry's subject (when set) and returned subjects, sorted, each once.
std::vector<std::string> IndexedSubjects(const audit::v1::AuditEntry& entry);

// What is wrong with one index: the stream id where it shows, and how.
struct AuditIndexProblem {
  std::string stream_id;
  std::string detail;
};

// Checks the subject indexes against the trail (`wahana-audit verify`): fed every entry in stream
// order, it knows which ids each index must list, oldest first. Holds one id per indexed subject
// of every entry: a trail of millions of entries needs some hundred MB.
class AuditIndexChecker {
 public:
  void AddEntry(const std::string& stream_id, const audit::v1::AuditEntry& entry);

  // Every subject some entry names, sorted.
  std::vector<std::string> Subjects() const;

  // The first problem of the index of `subject` listing `listed`: an id not on the trail, an
  // entry that does not name the subject, an id listed twice, an entry missing, or the order.
  std::optional<AuditIndexProblem> Check(const std::string& subject,
                                         const std::vector<std::string>& listed) const;

 private:
  std::map<std::string, std::vector<std::string>> expected_;  // subject -> ids, stream order
  std::map<std::string, int64_t> sequences_;                  // id -> the entry's sequence
};

}  // namespace wahana
