#pragma once
// Private to the case service's logic (case_logic.h is the public face): what its concerns share.
// CaseLogic delegates each public method to one concern — intake (case_intake.h), the steps
// (case_steps.h), the queries (case_queries.h) and the registry's notices
// (case_registry_notices.h) — and each concern is a CaseLogicPart: the same dependencies, the
// same access checks, and the one path by which a case is changed (ChangeCase / WriteChange).
//
// Nothing outside services/case/case_*.cc includes this header.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "case/case_logic.h"
#include "common/auth/reference_access.h"
#include "common/fields/field_checks.h"
#include "common/registry/record_regions.h"
#include "common/status/status_macros.h"
#include "common/time/office_calendar.h"

namespace wahana {
namespace case_internal {

inline constexpr char kKind[] = "case";
inline constexpr char kAKind[] = "a case";

// The answer to a change sent without the etag of the case it was made against: a step on an
// unread (or forgotten) version would silently overwrite whatever came between.

// Registry ids are checked by the registry; here only their size, so a field is never huge.
absl::Status CheckRefId(const std::string& value, absl::string_view field, bool required);

absl::Status ArchivedError(absl::string_view field, absl::string_view what, const std::string& id);

// The kind of record of access_policy.h a registry record of `kind` is.
Resource ResourceOfSubject(SubjectKind kind);

// RegionOfRecord: common/registry/record_regions.h.

// Maps a registry read (made as the case service) to what `caller` may be told (a reference is a
// read, reference_access.h): a record the registry has not, or one `caller` may not read, is
// NOT_FOUND "<field>: <kind> <id> not found"; an id the registry refuses INVALID_ARGUMENT naming
// the field; an archived one cannot take part (FAILED_PRECONDITION), said only to a caller who
// may read it.
template <typename Record>
absl::StatusOr<Record> RequireReadable(const Principal& caller, absl::StatusOr<Record> got,
                                       absl::string_view field, SubjectKind kind,
                                       const std::string& id, const std::string& deployment) {
  // Unlike ReadableReference, an id the registry refuses is the client's mistake, named.
  if (absl::IsInvalidArgument(got.status())) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", got.status().message()));
  }
  WAHANA_ASSIGN_OR_RETURN(
      Record record,
      ReadableReference(caller, ResourceOfSubject(kind), field, id, std::move(got),
                        [&](const Record& r) { return RegionOfRecord(r, deployment); }));
  if (record.archived()) return ArchivedError(field, SubjectKindName(kind), id);
  return record;
}

// The CaseChanged message of `action` turning `before` into `after`.
wahana::cases::v1::CaseChanged ChangeOf(const wahana::cases::v1::Case& before,
                                        const wahana::cases::v1::Case& after,
                                        const wahana::cases::v1::CaseAction& action);

// The policy's kind of record: a case once referred to the province is also the province's to
// open (access_policy.h, kReferredCase).
Resource ResourceOf(const wahana::cases::v1::Case& c);

// The access policy's step (access_policy.h Step) of a client's action type; INTERNAL for the
// others (create, the service's own actions).
absl::StatusOr<Step> StepOf(wahana::cases::v1::CaseActionType type);

// What CaseLogic's constructor was given, with its defaults filled in.
struct CaseLogicDeps {
  std::string region;
  std::shared_ptr<CaseStore> store;
  std::shared_ptr<RegionDirectory> regions;
  std::shared_ptr<RegistryRecords> registry;
  std::shared_ptr<KnownSubjects> known;  // may be null
  CaseLogicOptions options;
  std::function<absl::Time()> now;
  TimeOrderedIdGenerator* ids;  // not null
  OfficeCalendar calendar;
  std::shared_ptr<MediationEvents> events;  // may be null: then no session may name an event
};

// The base of every concern: the dependencies under the names the concerns use, the access
// checks, and the one read-for-change / write-with-etag every change of a case goes through.
// Thread-safe when the dependencies are.
class CaseLogicPart {
 protected:
  explicit CaseLogicPart(const CaseLogicDeps& deps);

  static constexpr size_t kMaxSummaryBytes = CaseLogic::kMaxSummaryBytes;
  static constexpr size_t kMaxTextBytes = CaseLogic::kMaxTextBytes;
  static constexpr size_t kMaxShortBytes = CaseLogic::kMaxShortBytes;
  static constexpr int kMaxParties = CaseLogic::kMaxParties;
  static constexpr int kMaxGoals = CaseLogic::kMaxGoals;
  static constexpr int kMaxAttendees = CaseLogic::kMaxAttendees;
  static constexpr int kDefaultHistoryPage = CaseLogic::kDefaultHistoryPage;

  // The kind of record `c` is for the policy, and the checks of access_policy.h on it.
  static absl::Status CheckRead(const Principal& caller, const wahana::cases::v1::Case& c);
  static absl::Status CheckWrite(const Principal& caller, const wahana::cases::v1::Case& c,
                                 Action action);
  // Whether `caller` may take `step` on `c` (access_policy.h CheckStepAccess: NOT_FOUND when it
  // may not read `c`, PERMISSION_DENIED naming the step), and, when `share_earlier_notes`, open
  // its earlier confidential notes to the new assignee (Step::kCaseShareEarlierNotes).
  static absl::Status CheckStep(const Principal& caller, const wahana::cases::v1::Case& c,
                                Step step, bool share_earlier_notes);
  // `c` as `caller` may see it.
  static wahana::cases::v1::Case ForCaller(const Principal& caller, wahana::cases::v1::Case c);

  // The one path of a client's change of a case (every step calls it): the id is checked, the
  // etag is required (RequireEtag, record_requests.h), the case is read (NOT_FOUND), the caller's
  // right to take the step on it is checked (CheckStep) (before the etag, so a refusal says nothing
  // of the case), the etag must be the case's (ABORTED when stale), the step must be allowed by the
  // lifecycle (FAILED_PRECONDITION), then `check` (registry checks against the current case), then
  // WriteChange. Anything refused writes nothing. Returns the case as the caller may see it.
  absl::StatusOr<wahana::cases::v1::Case> ChangeCase(
      const Principal& caller, const std::string& id, const std::string& etag,
      wahana::cases::v1::CaseAction action,
      const std::function<absl::Status(const wahana::cases::v1::Case&)>& check = nullptr);

  // Appends `action` by `actor` to `current` (the case as read, whose etag the write requires:
  // ABORTED when another change came in between) and its CaseChanged message, in one atomic
  // write. Returns the case written.
  absl::StatusOr<wahana::cases::v1::Case> WriteChange(const wahana::cases::v1::Case& current,
                                                      wahana::cases::v1::CaseAction action,
                                                      const std::string& actor);

  const std::string region_;
  std::shared_ptr<CaseStore> store_;
  std::shared_ptr<RegionDirectory> regions_;
  std::shared_ptr<RegistryRecords> registry_;
  std::shared_ptr<KnownSubjects> known_;  // may be null
  const CaseLogicOptions options_;
  std::function<absl::Time()> now_;
  TimeOrderedIdGenerator& ids_;
  const OfficeCalendar calendar_;            // what "today" and "this year" are
  std::shared_ptr<MediationEvents> events_;  // may be null
};

}  // namespace case_internal
}  // namespace wahana
