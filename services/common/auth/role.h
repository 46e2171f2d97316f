#pragma once
// The roles a principal can hold. The upper-snake names ("ADMIN", "FIELD_WORKER") are the API's
// (JWT `role` claim, API key records, wahana.common.v1.Role).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "wahana/common/v1/role.pb.h"

namespace wahana {

enum class Role {
  kAdmin,
  kSupervisor,
  kOperator,
  kFieldWorker,
  kViewer,
  kProvinceViewer,
  kSystem,
};

// "ADMIN", "SUPERVISOR", ...
absl::string_view RoleName(Role role);

// The role named `name` (exact upper-snake name), or INVALID_ARGUMENT naming `field`.
absl::StatusOr<Role> ParseRole(absl::string_view name, absl::string_view field = "role");

// The API enum and back. ToRole answers INVALID_ARGUMENT naming `field` for ROLE_UNSPECIFIED and
// unknown numbers.
common::v1::Role ToProtoRole(Role role);
absl::StatusOr<Role> ToRole(common::v1::Role role, absl::string_view field = "role");

// True when a principal holding `granter` may hand out `granted` (an API key, a token): ADMIN may
// grant every role; no other role may grant any. Kept as one function so a finer rule has one
// place to live.
bool MayGrant(Role granter, Role granted);

}  // namespace wahana
