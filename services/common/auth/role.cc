#include "common/auth/role.h"

#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

struct RoleEntry {
  Role role;
  absl::string_view name;
  common::v1::Role proto;
};

constexpr RoleEntry kRoles[] = {
    {Role::kAdmin, "ADMIN", common::v1::ADMIN},
    {Role::kSupervisor, "SUPERVISOR", common::v1::SUPERVISOR},
    {Role::kOperator, "OPERATOR", common::v1::OPERATOR},
    {Role::kFieldWorker, "FIELD_WORKER", common::v1::FIELD_WORKER},
    {Role::kViewer, "VIEWER", common::v1::VIEWER},
    {Role::kProvinceViewer, "PROVINCE_VIEWER", common::v1::PROVINCE_VIEWER},
    {Role::kSystem, "SYSTEM", common::v1::SYSTEM},
};

}  // namespace

absl::string_view RoleName(Role role) {
  for (const RoleEntry& e : kRoles) {
    if (e.role == role) return e.name;
  }
  return "UNKNOWN";
}

absl::StatusOr<Role> ParseRole(absl::string_view name, absl::string_view field) {
  for (const RoleEntry& e : kRoles) {
    if (e.name == name) return e.role;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field,
      ": not a role (ADMIN, SUPERVISOR, OPERATOR, FIELD_WORKER, VIEWER, PROVINCE_VIEWER, "
      "SYSTEM)"));
}

common::v1::Role ToProtoRole(Role role) {
  for (const RoleEntry& e : kRoles) {
    if (e.role == role) return e.proto;
  }
  return common::v1::ROLE_UNSPECIFIED;
}

absl::StatusOr<Role> ToRole(common::v1::Role role, absl::string_view field) {
  for (const RoleEntry& e : kRoles) {
    if (e.proto == role) return e.role;
  }
  return absl::InvalidArgumentError(absl::StrCat(field, ": a role is required"));
}

bool MayGrant(Role granter, Role granted) { return granter == Role::kAdmin; }

}  // namespace wahana
