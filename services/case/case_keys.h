#pragma once
// The Redis keys of the case service. Every key carries the deployment's region as its hash tag
// ("case:{16.06}:..."), so a create's record, request key, sequence and stream message stay in one
// Redis Cluster slot. The stream's key, as its consumers know it, is the bus contract's
// (common/bus/bus_contract.h: CaseStreamKey, the same key as CaseKeys(region).Stream()).

#include <string>

#include "absl/strings/str_cat.h"
#include "common/storage/record_keys.h"

namespace wahana {

// Cases are the service's one kind of record: "case:{16.06}:case:<id>" (hash {pb: Case bytes,
// etag: version}), "case:{16.06}:request:<requestId>" (-> the id of the case it created), the
// indexes "case:{16.06}:index:case:..." (case_indexing.h) and the stream.
inline RecordKeys CaseKeys(const std::string& region) {
  return RecordKeys::SoleKind("case", region);
}

// The history of case `id`: a list of CaseAction bytes, action n at index n-1.
inline std::string CaseHistoryKey(const std::string& region, const std::string& id) {
  return absl::StrCat("case:{", region, "}:history:", id);
}

// The sequence behind case numbers of one regency and year (INCR).
inline std::string CaseSequenceKey(const std::string& region, const std::string& regency,
                                   int year) {
  return absl::StrCat("case:{", region, "}:seq:", regency, ":", year);
}

}  // namespace wahana
