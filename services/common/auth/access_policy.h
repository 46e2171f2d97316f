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

// Whether `principal` reads the text of the confidential notes of a case assigned to registry
// worker `assigned_worker_id` ("" when unassigned): ADMIN and SUPERVISOR, and the assigned worker
// themself: a FIELD_WORKER whose non-empty worker_id (principal.h) is the case's assignee. Every
// other caller, a FIELD_WORKER of another or of no worker included, gets them masked.
bool SeesConfidentialNotes(const Principal& principal, absl::string_view assigned_worker_id);

}  // namespace wahana
