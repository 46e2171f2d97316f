#pragma once
// Where the reporting service keeps its case counters: the interface the reporting logic depends
// on (RedisCaseCountsStore in production, an in-memory fake in the logic's tests).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {

// The counts under one region prefix.
struct CaseTally {
  std::map<wahana::cases::v1::CaseStatus, int64_t> by_status;  // statuses with a count only
  int64_t total = 0;                                           // cases ever created
};

class CaseCountsStore {
 public:
  virtual ~CaseCountsStore() = default;

  // Applies one case's status change under every region in `prefixes`, at most once per
  // `message_id`: all counters and the "applied" mark move together or not at all. `before`
  // CASE_STATUS_UNSPECIFIED counts a new case (in `after` and the total); otherwise one case moves
  // from `before` to `after`. Returns true when applied now, false when the message had been
  // applied before (nothing changed).
  virtual absl::StatusOr<bool> ApplyStatusChange(const std::string& message_id,
                                                 const std::vector<std::string>& prefixes,
                                                 wahana::cases::v1::CaseStatus before,
                                                 wahana::cases::v1::CaseStatus after) = 0;

  // The counts under `prefix` (all zero when nothing was counted there).
  virtual absl::StatusOr<CaseTally> Read(const std::string& prefix) = 0;

  // All errors: UNAVAILABLE when storage cannot be reached, INTERNAL for corrupt data.
};

}  // namespace wahana
