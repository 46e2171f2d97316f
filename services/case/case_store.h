#pragma once
// Where cases are kept: the interface the case logic depends on (RedisCaseStore in production, an
// in-memory fake in the logic's tests). Cases are records (common/storage/record_store.h: create
// idempotent by requestId, get); case numbers add a sequence per regency and year.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/storage/record_store.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {

class CaseStore : public RecordStore<wahana::cases::v1::Case> {
 public:
  // The next number (1, 2, ...) in the sequence of case numbers of `regency` in `year`. A number
  // handed out is never handed out again, even when the create that took it fails (gaps are
  // possible, duplicates are not). UNAVAILABLE when storage cannot be reached.
  virtual absl::StatusOr<int64_t> NextSequence(const std::string& regency, int year) = 0;
};

}  // namespace wahana
