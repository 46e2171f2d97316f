#pragma once
// Where cases and their histories are kept: the interface the case logic depends on
// (RedisCaseStore in production, an in-memory fake in the logic's tests).
//
// A case is a record (id, etag = its version) listed as case_indexing.h says; its history is the
// list of its actions, action n making version n. Every write stores the case, appends its action
// to the history, moves its index entries and publishes its message in one atomic step: all or
// nothing. So the history always has exactly as many actions as the case's version.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_store.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Stores the new case `c` (version 1) with its first action `opened` and the message `created`.
  // With a non-empty `request_id` already used, writes nothing and returns that earlier case.
  virtual absl::StatusOr<CreateResult<wahana::cases::v1::Case>> Create(
      const wahana::cases::v1::Case& c, const wahana::cases::v1::CaseAction& opened,
      const wahana::common::v1::Envelope& created, const std::string& request_id) = 0;

  // NOT_FOUND when there is no case `id`.
  virtual absl::StatusOr<wahana::cases::v1::Case> Get(const std::string& id) = 0;

  virtual absl::StatusOr<std::optional<wahana::cases::v1::Case>> FindByRequestId(
      const std::string& request_id) = 0;

  // Replaces the case by `updated` (the next version) and appends `action` to its history, with
  // the message `changed`, if the stored case is still at `expected_etag`. NOT_FOUND; ABORTED
  // "etag: stale ..." when it moved on (nothing written).
  virtual absl::StatusOr<wahana::cases::v1::Case> Append(
      const wahana::cases::v1::Case& updated, const wahana::cases::v1::CaseAction& action,
      const std::string& expected_etag, const wahana::common::v1::Envelope& changed) = 0;

  // Up to `limit` actions of case `id` from the `offset`-th (0-based), oldest first. An unknown
  // case has no actions.
  virtual absl::StatusOr<std::vector<wahana::cases::v1::CaseAction>> History(const std::string& id,
                                                                            int64_t offset,
                                                                            int limit) = 0;

  // IndexedRecordStore::List / FindIndexed over cases (views and lookups in case_indexing.h).
  virtual absl::StatusOr<ListPage<wahana::cases::v1::Case>> List(
      const ListQuery<wahana::cases::v1::Case>& query) = 0;
  virtual absl::StatusOr<std::vector<wahana::cases::v1::Case>> FindIndexed(
      const std::string& index, const std::string& value, int limit) = 0;

  // The next number (1, 2, ...) in the sequence of case numbers of `regency` in `year`. A number
  // handed out is never handed out again, even when the create that took it fails (gaps are
  // possible, duplicates are not).
  virtual absl::StatusOr<int64_t> NextSequence(const std::string& regency, int year) = 0;

  // All errors: UNAVAILABLE when storage cannot be reached, INTERNAL for corrupt data.
};

}  // namespace wahana
