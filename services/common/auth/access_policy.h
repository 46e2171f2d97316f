#pragma once
// Who may do what, where: the one table every service consults before it reads, lists or writes
// a record for a principal (principal.h). Two questions, asked in this order:
//
//  1. Does the role allow the action on this kind of record at all? (RoleAllows)
//  2. Does the record lie inside the principal's region scope? (Covers)
//
// A read the principal may not make answers NOT_FOUND, exactly as for a record that does not
// exist, so refusals leak nothing, not even existence; a write answers PERMISSION_DENIED (HTTP
// 403). Lists are narrowed to the scope instead of refused where they overlap it.
//
// The roles (issue 4): ADMIN and SUPERVISOR do everything in their scope (SUPERVISOR also reads
// the audit and approves plans; ADMIN alone manages API keys); OPERATOR runs the registry, cases
// and events day to day but archives no worker and approves no plan; FIELD_WORKER reads the
// registry and records people, cases and events in their subdistricts, archiving nothing; VIEWER
// reads, with personal data masked; PROVINCE_VIEWER sees aggregates, and individual records only
// of cases referred to the province (kReferredCase); SYSTEM (another government system) reads the
// registry and records people and cases, and reads the audit trail (a service's own principal is
// SYSTEM: the registry's personal-data export reads the case service's trail).

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"

namespace wahana {

enum class Resource {
  kRegion,
  kInstitution,
  kNetwork,
  kWorker,
  kBeneficiary,
  kHousehold,
  kCase,
  // A case with a referral to the province: what a PROVINCE_VIEWER may open.
  kReferredCase,
  kEvent,
  // A person registered for an event: kept in the event's region, read with the event.
  kParticipant,
  kReport,
  kApiKey,
  kAudit,
};

enum class Action {
  kRead,  // get, list, look up, export
  kCreate,
  kUpdate,   // field-mask updates and lifecycle steps
  kArchive,  // archive, revoke
  kApprove,  // a supervisor's approval (a case plan)
};

// "beneficiary", "case", ... for messages.
absl::string_view ResourceName(Resource resource);

// Whether `role` may take `action` on `resource` anywhere in its scope.
bool RoleAllows(Role role, Resource resource, Action action);

// The check for one record lying in `region_code` (a village, subdistrict or regency code):
// OK, or for kRead NOT_FOUND "<what> not found" (role without read access, or outside the
// scope), for other actions PERMISSION_DENIED naming the role or the scope. `what` names the
// record as the caller's NOT_FOUND would ("beneficiary 01JD...").
absl::Status CheckRecordAccess(const Principal& principal, Resource resource, Action action,
                               absl::string_view region_code, absl::string_view what);

// The check for a write (update, archive, lifecycle step, approval) of an EXISTING record in
// `region_code`: a record the principal may not even read answers NOT_FOUND "<what> not found",
// as a read would, so a write leaks no existence either; one it may read but not change answers
// CheckRecordAccess's PERMISSION_DENIED.
absl::Status CheckWriteAccess(const Principal& principal, Resource resource, Action action,
                              absl::string_view region_code, absl::string_view what);

// A list's region for `principal`: "" becomes the scope; a region inside the scope stays; one
// that contains the scope narrows to it; one disjoint from it is PERMISSION_DENIED naming `field`.
// PERMISSION_DENIED too when the role may not read `resource`.
absl::StatusOr<std::string> ScopeListRegion(const Principal& principal, Resource resource,
                                            absl::string_view requested, absl::string_view field);

// Whether `principal` gets personal data (NIK, KK, disability details, guardian, confidential
// notes) of `resource` records in full; otherwise they come back masked or left out.
bool SeesPersonalData(const Principal& principal, Resource resource);

// The custom steps: the `:verb` routes that change one record (and a case's notes), each with
// its own rule in one table (kSteps, access_policy.cc; README "Who may do what" shows it). A
// step's rule, not the role table's kUpdate bit, decides who takes it. The archives and the
// beneficiary import are not here: they are the role table's kArchive and kCreate.
enum class Step {
  kCaseAssign,
  // Part of :assign: opening the confidential notes written before it to the new assignee.
  kCaseShareEarlierNotes,
  kCaseAssess,
  kCasePlan,
  kCaseApprovePlan,
  kCaseMonitor,
  kCaseResumeIntervention,
  kCaseRecordService,
  kCaseRefer,
  kCaseUpdateReferral,
  kCaseAnswerReferral,
  kCaseTerminate,
  kCaseFollowUp,
  kCaseClose,
  kCaseReopen,
  kCaseAddNote,
  kCaseRecordSession,
  kCaseRecordAgreement,
  kNetworkAdvance,
  kNetworkAddMember,
  kNetworkRemoveMember,
  kNetworkRecordVisit,
  kEventOpen,
  kEventStart,
  kEventFinish,
  kEventCancel,
  kParticipantWithdraw,
  kParticipantCheckIn,
};

// Who of a role may take a step.
enum class StepGrant {
  kNo,       // nobody of the role
  kInScope,  // on any record in the principal's region scope
  // Only on a case assigned to the principal's own registry worker (a FIELD_WORKER's worker_id,
  // principal.h): a FIELD_WORKER with no worker, or of another worker, is refused.
  kOwnCase,
};

// ":assign", "/notes", "shareEarlierNotes", ... as the API names the step, for messages.
absl::string_view StepName(Step step);

// The grant of `role` for `step` (the table's cell).
StepGrant StepGrantOf(Role role, Step step);

// The check for `principal` taking `step` on an existing record of `resource` in `region_code`,
// assigned to registry worker `assignee_worker_id` ("" when unassigned, or not a case): a
// record the principal may not even read answers NOT_FOUND "<what> not found", as a read would;
// one it may read but whose step its role or its worker may not take answers PERMISSION_DENIED
// naming the step ("role OPERATOR may not take :approvePlan (ADMIN, SUPERVISOR do)", "role
// FIELD_WORKER takes :assess only on a case assigned to its own worker; case 01J... is not").
absl::Status CheckStepAccess(const Principal& principal, Step step, Resource resource,
                             absl::string_view region_code, absl::string_view assignee_worker_id,
                             absl::string_view what);

// Whether `principal` reads the text of a confidential note of a case (the rule of issue 11):
//  - ADMIN and SUPERVISOR (of a case in their scope: the read was checked already) read every
//    note;
//  - a FIELD_WORKER reads a note only while its own worker (non-empty worker_id) is the case's
//    assignee `assignee_worker_id`, and only a note written during that assignment: its
//    `note_sequence` (the note's action's sequence, the case version it made) is at least
//    `notes_open_from` (the sequence of the :assign that gave the worker the case). A SUPERVISOR's
//    or ADMIN's :assign with shareEarlierNotes sets `notes_open_from` to 0, opening the notes
//    written before it; so does a case assigned before the rule (the field was not stored);
//  - nobody else: OPERATOR, VIEWER, PROVINCE_VIEWER, SYSTEM, a former assignee, a FIELD_WORKER
//    of another or of no worker get the note with its text left out.
bool SeesConfidentialNote(const Principal& principal, absl::string_view assignee_worker_id,
                          int64_t notes_open_from, int64_t note_sequence);

}  // namespace wahana
