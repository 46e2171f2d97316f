#pragma once
// Where cases are kept: the interface the case logic depends on (RedisCaseStore in production, an
// in-memory fake in the logic's tests).

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

struct CreateCaseResult {
  // The stored case: the new one, or the one an earlier create with the same requestId made.
  wahana::cases::v1::Case stored;
  // False when the requestId had been seen: nothing was written.
  bool created = false;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // The next number (1, 2, ...) in the sequence of case numbers of `regency` in `year`. A number
  // handed out is never handed out again, even when the create that took it fails (gaps are
  // possible, duplicates are not).
  virtual absl::StatusOr<int64_t> NextSequence(const std::string& regency, int year) = 0;

  // Stores `c` and appends `created` (its CaseCreated message) in one atomic step: both or
  // neither. With a non-empty `request_id` already used by an earlier create, writes nothing and
  // returns that earlier case with created == false.
  virtual absl::StatusOr<CreateCaseResult> Create(const wahana::cases::v1::Case& c,
                                                  const wahana::common::v1::Envelope& created,
                                                  const std::string& request_id) = 0;

  // The case with `id`; NOT_FOUND when there is none.
  virtual absl::StatusOr<wahana::cases::v1::Case> Get(const std::string& id) = 0;

  // The case an earlier create with `request_id` made, or nullopt.
  virtual absl::StatusOr<std::optional<wahana::cases::v1::Case>> FindByRequestId(
      const std::string& request_id) = 0;

  // All errors: UNAVAILABLE when storage cannot be reached, INTERNAL for corrupt data.
};

}  // namespace wahana
