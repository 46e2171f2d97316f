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

bool SeesConfidentialNotes(const Principal& principal, absl::string_view assigned_worker_id) {
  if (principal.role == Role::kAdmin || principal.role == Role::kSupervisor) return true;
  // Two empty ids are no match: an unlinked worker is not the assignee of an unassigned case.
  return principal.role == Role::kFieldWorker && !principal.worker_id.empty() &&
         principal.worker_id == assigned_worker_id;
}

}  // namespace wahana
