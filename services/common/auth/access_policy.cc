#include "common/auth/access_policy.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"

namespace wahana {
namespace {

// Allowed actions as bits: R read, C create, U update, A archive, P approve.
constexpr uint8_t R = 1 << 0, C = 1 << 1, U = 1 << 2, A = 1 << 3, P = 1 << 4;
constexpr uint8_t kAll = R | C | U | A | P;

// The table: one row per resource, one column per role in Role's order (ADMIN, SUPERVISOR,
// OPERATOR, FIELD_WORKER, VIEWER, PROVINCE_VIEWER, SYSTEM).
constexpr int kRoles = 7;
struct Row {
  Resource resource;
  uint8_t allowed[kRoles];
};
constexpr Row kTable[] = {
    {Resource::kRegion, {R, R, R, R, R, R, R}},
    {Resource::kInstitution, {kAll, kAll, R | C | U | A, R, R, 0, R}},
    {Resource::kNetwork, {kAll, kAll, R | C | U | A, R, R, 0, R}},
    {Resource::kWorker, {kAll, kAll, R | C | U, R, R, 0, R}},
    {Resource::kBeneficiary, {kAll, kAll, R | C | U | A, R | C | U, R, 0, R | C | U}},
    {Resource::kHousehold, {kAll, kAll, R | C | U | A, R | C | U, R, 0, R | C | U}},
    {Resource::kCase, {kAll, kAll, R | C | U | A, R | C | U, R, 0, R | C}},
    {Resource::kReferredCase, {kAll, kAll, R | C | U | A, R | C | U, R, R, R | C}},
    {Resource::kEvent, {kAll, kAll, R | C | U | A, R | C | U, R, 0, R}},
    {Resource::kParticipant, {kAll, kAll, R | C | U | A, R | C | U, R, 0, R}},
    {Resource::kReport, {R, R, R, R, R, R, R}},
    {Resource::kApiKey, {kAll, 0, 0, 0, 0, 0, 0}},
    {Resource::kAudit, {R, R, 0, 0, 0, 0, R}},
};

uint8_t Bit(Action action) {
  switch (action) {
    case Action::kRead:
      return R;
    case Action::kCreate:
      return C;
    case Action::kUpdate:
      return U;
    case Action::kArchive:
      return A;
    case Action::kApprove:
      return P;
  }
  return 0;
}

absl::string_view ActionName(Action action) {
  switch (action) {
    case Action::kRead:
      return "read";
    case Action::kCreate:
      return "create";
    case Action::kUpdate:
      return "change";
    case Action::kArchive:
      return "archive";
    case Action::kApprove:
      return "approve";
  }
  return "use";
}

}  // namespace

absl::string_view ResourceName(Resource resource) {
  switch (resource) {
    case Resource::kRegion:
      return "region";
    case Resource::kInstitution:
      return "institution";
    case Resource::kNetwork:
      return "network";
    case Resource::kWorker:
      return "worker";
    case Resource::kBeneficiary:
      return "beneficiary";
    case Resource::kHousehold:
      return "household";
    case Resource::kCase:
    case Resource::kReferredCase:
      return "case";
    case Resource::kEvent:
      return "event";
    case Resource::kParticipant:
      return "participant";
    case Resource::kReport:
      return "report";
    case Resource::kApiKey:
      return "API key";
    case Resource::kAudit:
      return "audit trail";
  }
  return "record";
}

bool RoleAllows(Role role, Resource resource, Action action) {
  const int column = static_cast<int>(role);
  if (column < 0 || column >= kRoles) return false;
  for (const Row& row : kTable) {
    if (row.resource == resource) return (row.allowed[column] & Bit(action)) != 0;
  }
  return false;
}

absl::Status CheckRecordAccess(const Principal& principal, Resource resource, Action action,
                               absl::string_view region_code, absl::string_view what) {
  const bool allowed = RoleAllows(principal.role, resource, action);
  const bool in_scope = Covers(principal, region_code);
  if (allowed && in_scope) return absl::OkStatus();
  if (action == Action::kRead) return absl::NotFoundError(absl::StrCat(what, " not found"));
  if (!allowed) {
    const absl::string_view name = ResourceName(resource);
    const bool vowel =
        absl::string_view("aeiouAEIOU").find(name.front()) != absl::string_view::npos;
    return absl::PermissionDeniedError(absl::StrCat("role ", RoleName(principal.role), " may not ",
                                                    ActionName(action), vowel ? " an " : " a ",
                                                    name));
  }
  return absl::PermissionDeniedError(
      absl::StrCat(what, " lies outside your region scope ", principal.region_scope));
}

absl::Status CheckWriteAccess(const Principal& principal, Resource resource, Action action,
                              absl::string_view region_code, absl::string_view what) {
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(principal, resource, Action::kRead, region_code, what));
  return CheckRecordAccess(principal, resource, action, region_code, what);
}

absl::StatusOr<std::string> ScopeListRegion(const Principal& principal, Resource resource,
                                            absl::string_view requested, absl::string_view field) {
  if (!RoleAllows(principal.role, resource, Action::kRead)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "role ", RoleName(principal.role), " may not list ", ResourceName(resource), " records"));
  }
  const std::string& scope = principal.region_scope;
  if (scope.empty()) {
    return absl::PermissionDeniedError("your credentials carry no region scope");
  }
  if (!requested.empty()) WAHANA_RETURN_IF_ERROR(ParseRegionCode(requested, field).status());
  if (requested.empty() || RegionWithin(scope, requested)) return scope;
  if (RegionWithin(requested, scope)) return std::string(requested);
  return absl::PermissionDeniedError(
      absl::StrCat(field, ": \"", requested, "\" lies outside your region scope ", scope));
}

bool SeesPersonalData(const Principal& principal, Resource resource) {
  switch (principal.role) {
    case Role::kAdmin:
    case Role::kSupervisor:
    case Role::kOperator:
    case Role::kFieldWorker:
    case Role::kSystem:
      return true;
    case Role::kViewer:
      return false;
    case Role::kProvinceViewer:
      // The province decides on residential care from the referred person's assessment.
      return resource == Resource::kReferredCase;
  }
  return false;
}

namespace {

// The steps' table: one row per step, one column per role in Role's order (ADMIN, SUPERVISOR,
// OPERATOR, FIELD_WORKER, VIEWER, PROVINCE_VIEWER, SYSTEM). Y: in the scope; W: only on a case
// assigned to the principal's own worker; N: no.
constexpr StepGrant Y = StepGrant::kInScope, W = StepGrant::kOwnCase, N = StepGrant::kNo;
struct StepRow {
  Step step;
  const char* name;
  StepGrant grant[kRoles];
};
constexpr StepRow kSteps[] = {
    // Caseloads are managed by the office: assigning is a manager's step, and only a supervisor
    // (or an admin) opens a case's earlier confidential notes to its new assignee.
    {Step::kCaseAssign, ":assign", {Y, Y, Y, N, N, N, N}},
    {Step::kCaseShareEarlierNotes, "shareEarlierNotes", {Y, Y, N, N, N, N, N}},
    // The casework: the office's staff, and the assigned worker on its own cases.
    {Step::kCaseAssess, ":assess", {Y, Y, Y, W, N, N, N}},
    {Step::kCasePlan, ":plan", {Y, Y, Y, W, N, N, N}},
    {Step::kCaseApprovePlan, ":approvePlan", {Y, Y, N, N, N, N, N}},
    {Step::kCaseMonitor, ":monitor", {Y, Y, Y, W, N, N, N}},
    {Step::kCaseResumeIntervention, ":resumeIntervention", {Y, Y, Y, W, N, N, N}},
    {Step::kCaseRecordService, ":recordService", {Y, Y, Y, W, N, N, N}},
    {Step::kCaseRefer, ":refer", {Y, Y, Y, W, N, N, N}},
    {Step::kCaseUpdateReferral, ":updateReferral", {Y, Y, Y, W, N, N, N}},
    {Step::kCaseTerminate, ":terminate", {Y, Y, Y, W, N, N, N}},
    // A province accepting (or refusing) a district's referral takes up responsibility for the
    // person, as a reopening does: the office's step, not a field worker's.
    {Step::kCaseAnswerReferral, ":answerReferral", {Y, Y, Y, N, N, N, N}},
    {Step::kCaseFollowUp, ":followUp", {Y, Y, Y, W, N, N, N}},
    // Closing ends the office's responsibility and reopening takes it up again: caseload steps.
    {Step::kCaseClose, ":close", {Y, Y, Y, N, N, N, N}},
    {Step::kCaseReopen, ":reopen", {Y, Y, Y, N, N, N, N}},
    {Step::kCaseAddNote, "/notes", {Y, Y, Y, W, N, N, N}},
    {Step::kCaseRecordSession, ":recordSession", {Y, Y, Y, W, N, N, N}},
    {Step::kCaseRecordAgreement, ":recordAgreement", {Y, Y, Y, W, N, N, N}},
    // A WKSBM's formation, members and the office's visits: the office's registry work.
    {Step::kNetworkAdvance, ":advance", {Y, Y, Y, N, N, N, N}},
    {Step::kNetworkAddMember, ":addMember", {Y, Y, Y, N, N, N, N}},
    {Step::kNetworkRemoveMember, ":removeMember", {Y, Y, Y, N, N, N, N}},
    {Step::kNetworkRecordVisit, ":recordVisit", {Y, Y, Y, N, N, N, N}},
    // Opening registration and cancelling an event are the office's decisions; starting and
    // finishing it record what happens on the ground, where a field worker often runs it.
    {Step::kEventOpen, ":open", {Y, Y, Y, N, N, N, N}},
    {Step::kEventStart, ":start", {Y, Y, Y, Y, N, N, N}},
    {Step::kEventFinish, ":finish", {Y, Y, Y, Y, N, N, N}},
    {Step::kEventCancel, ":cancel", {Y, Y, Y, N, N, N, N}},
    // Whoever registers people at the venue, a field worker included, also takes withdrawals
    // and marks who came.
    {Step::kParticipantWithdraw, ":withdraw", {Y, Y, Y, Y, N, N, N}},
    {Step::kParticipantCheckIn, ":checkIn", {Y, Y, Y, Y, N, N, N}},
};

const StepRow* RowOf(Step step) {
  for (const StepRow& row : kSteps) {
    if (row.step == step) return &row;
  }
  return nullptr;
}

}  // namespace

absl::string_view StepName(Step step) {
  const StepRow* row = RowOf(step);
  return row == nullptr ? "step" : row->name;
}

StepGrant StepGrantOf(Role role, Step step) {
  const int column = static_cast<int>(role);
  const StepRow* row = RowOf(step);
  if (row == nullptr || column < 0 || column >= kRoles) return StepGrant::kNo;
  return row->grant[column];
}

absl::Status CheckStepAccess(const Principal& principal, Step step, Resource resource,
                             absl::string_view region_code, absl::string_view assignee_worker_id,
                             absl::string_view what) {
  // A record the principal may not read stays invisible: NOT_FOUND, as for an unknown id.
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(principal, resource, Action::kRead, region_code, what));
  const absl::string_view role = RoleName(principal.role);
  switch (StepGrantOf(principal.role, step)) {
    case StepGrant::kInScope:
      return absl::OkStatus();
    case StepGrant::kOwnCase:
      if (principal.worker_id.empty()) {
        return absl::PermissionDeniedError(
            absl::StrCat("role ", role, " takes ", StepName(step),
                         " only on a case assigned to its own worker, and your credentials name "
                         "no worker"));
      }
      if (principal.worker_id == assignee_worker_id) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat("role ", role, " takes ", StepName(step),
                                                      " only on a case assigned to its own worker ",
                                                      principal.worker_id, "; ", what, " is not"));
    case StepGrant::kNo:
      break;
  }
  std::string allowed;
  for (int column = 0; column < kRoles; ++column) {
    const StepGrant grant = StepGrantOf(static_cast<Role>(column), step);
    if (grant == StepGrant::kNo) continue;
    absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", RoleName(static_cast<Role>(column)),
                    grant == StepGrant::kOwnCase ? " on its own cases" : "");
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role ", role, " may not take ", StepName(step), " (", allowed, " may)"));
}

bool SeesConfidentialNote(const Principal& principal, absl::string_view assignee_worker_id,
                          int64_t notes_open_from, int64_t note_sequence) {
  if (principal.role == Role::kAdmin || principal.role == Role::kSupervisor) return true;
  // Two empty ids are no match: an unlinked worker is not the assignee of an unassigned case.
  return principal.role == Role::kFieldWorker && !principal.worker_id.empty() &&
         principal.worker_id == assignee_worker_id && note_sequence >= notes_open_from;
}

}  // namespace wahana
