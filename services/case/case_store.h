#pragma once
// Where cases and their histories are kept: the interface the case logic depends on
// (RedisCaseStore in production, an in-memory fake in the logic's tests).
//
// A case is a record (id, etag = its version) listed as case_indexing.h says; its history is the
// list of its actions, action n making version n. Every write stores the case, appends its action
// to the history, moves its index entries and publishes its message in one atomic step: all or
// nothing. So the history always has exactly as many actions as the case's version.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "case/known_subjects.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_store.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

// A new case (version 1), its first action and the message announcing it, for one case number.
struct NewCase {
  wahana::cases::v1::Case c;
  wahana::cases::v1::CaseAction opened;
  wahana::common::v1::Envelope created;
};

// Makes the new case numbered `number`. Deterministic: the store may call it more than once, and
// the calls must differ only in the number.
using NewCaseBuilder = std::function<absl::StatusOr<NewCase>(const std::string& number)>;

// What a create did.
struct CaseCreated {
  // The stored case: the new one, or (`created` false) the one an earlier create with the
  // requestId made. Empty when a subject was refused.
  CreateResult<wahana::cases::v1::Case> result;
  // When one of the subjects required live was not (nothing written, no number taken): its index
  // in the list and its state in the known-subjects projection (kUnknown or kArchived).
  int refused_subject = -1;
  SubjectState refused_state = SubjectState::kUnknown;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Stores a new case in one atomic step, numbered with the next number of the sequence of
  // `regency` in `year` ("{regency}-{year}-{sequence}", case_number.h): build(number) makes it.
  // Each of `live` must be known live in the known-subjects projection (known_subjects.h), checked
  // in the same step; the first that is not refuses the create (CaseCreated::refused_subject).
  // With a non-empty `request_id` already used, writes nothing and returns that earlier case
  // (before any subject is checked). A number handed out is never handed out again, even when the
  // create that took it fails (gaps are possible, duplicates are not); a refused create takes none.
  virtual absl::StatusOr<CaseCreated> Create(const std::string& regency, int year,
                                             const std::vector<SubjectRef>& live,
                                             const std::string& request_id,
                                             const NewCaseBuilder& build) = 0;

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

  // Case `id` into `*c` and up to `limit` of its actions from the `offset`-th (0-based), oldest
  // first, appended to `page->actions` (`page` may be null when `limit` is 0), in one read.
  // NOT_FOUND when there is no case `id`.
  virtual absl::Status GetWithHistory(const std::string& id, int64_t offset, int limit,
                                      wahana::cases::v1::Case* c,
                                      wahana::cases::v1::CaseHistory* page) = 0;

  // IndexedRecordStore::List / FindIndexed over cases (views and lookups in case_indexing.h).
  virtual absl::StatusOr<ListPage<wahana::cases::v1::Case>> List(
      const ListQuery<wahana::cases::v1::Case>& query) = 0;
  virtual absl::StatusOr<std::vector<wahana::cases::v1::Case>> FindIndexed(const std::string& index,
                                                                           const std::string& value,
                                                                           int limit) = 0;

  // All errors: UNAVAILABLE when storage cannot be reached, INTERNAL for corrupt data.
};

}  // namespace wahana
