#pragma once
// Who is calling: the verified identity every authenticated request carries, from the gateway
// (API key or token) to the services (a token the gateway mints for it).

#include <string>

#include "absl/strings/string_view.h"
#include "common/auth/role.h"

namespace wahana {

struct Principal {
  // Stable id: "apikey:<keyId>" for an API key, the token's `sub` otherwise. Audit and rate
  // limits key on it.
  std::string subject;
  // For people reading logs and audit trails; may be empty.
  std::string display_name;
  Role role = Role::kViewer;
  // Region-code prefix the principal may reach: "16.06" (a regency), "16.06.01" (a subdistrict),
  // "16" (a province).
  std::string region_scope;
};

// True when `region_code` is `principal.region_scope` or lies under it, on dot boundaries
// ("16.06" covers "16.06.01.2001", not "16.061"). An empty scope covers nothing.
bool Covers(const Principal& principal, absl::string_view region_code);

// "apikey:wk1 (ADMIN, 16.06)": for log lines; never holds a secret.
std::string Describe(const Principal& principal);

}  // namespace wahana
