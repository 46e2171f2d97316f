#pragma once
// The Redis keys of the case service. Every key carries the deployment's region as its hash tag
// ("case:{16.06}:..."), so a create's record, request key, sequence and stream message stay in one
// Redis Cluster slot. The stream name is also the contract with consumers (reporting).

#include <string>

#include "absl/strings/str_cat.h"

namespace wahana {

// A case record: hash {pb: Case bytes, etag: version}.
inline std::string CaseKey(const std::string& region, const std::string& id) {
  return absl::StrCat("case:{", region, "}:case:", id);
}

// requestId -> the id of the case it created.
inline std::string CaseRequestKey(const std::string& region, const std::string& request_id) {
  return absl::StrCat("case:{", region, "}:request:", request_id);
}

// The sequence behind case numbers of one regency and year (INCR).
inline std::string CaseSequenceKey(const std::string& region, const std::string& regency,
                                   int year) {
  return absl::StrCat("case:{", region, "}:seq:", regency, ":", year);
}

// Every change of a case is a message here (CaseCreated, ...).
inline std::string CaseStreamKey(const std::string& region) {
  return absl::StrCat("case:{", region, "}:stream");
}

}  // namespace wahana
