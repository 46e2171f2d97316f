#pragma once
// Principals for logic unit tests (header-only: the unit tests beside the services include
// tests/ without linking wahana_test_support). Logic methods take the caller explicitly
// (common/auth/access_policy.h decides what it may do); most tests act as an ADMIN of the
// deployment's region and name the subject when the history or the audit shows it.

#include <string>
#include <utility>

#include "common/auth/principal.h"

namespace wahana::testing {

// The deployment region of the logic tests.
inline constexpr char kTestDeploymentRegion[] = "16.06";

// A principal with `role` and `region_scope`; the subject says both unless given.
inline Principal TestPrincipal(Role role, const std::string& region_scope = kTestDeploymentRegion,
                               std::string subject = "") {
  if (subject.empty()) subject = "test:" + std::string(RoleName(role)) + "@" + region_scope;
  return Principal{std::move(subject), "", role, region_scope};
}

// An ADMIN of the deployment's region acting as `subject`.
inline Principal AdminAs(const std::string& subject) {
  return TestPrincipal(Role::kAdmin, kTestDeploymentRegion, subject);
}

}  // namespace wahana::testing
