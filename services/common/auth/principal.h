#pragma once
// Who is calling: the verified identity every authenticated request carries, from the gateway
// (API key or token) to the services (a token the gateway mints for it).

#include <string>

#include "absl/status/status.h"
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
  // The registry worker (a TKSK, a companion: registry.v1.Worker id) this principal acts as, so
  // the policy can match it to a case's assignee (access_policy.h SeesConfidentialNote,
  // CheckStepAccess). Only a FIELD_WORKER carries one (CheckWorkerLink); empty otherwise.
  // Initialised so that the four-field `Principal{subject, name, role, scope}` stays warning-free.
  std::string worker_id = "";
};

// True when `region_code` is `principal.region_scope` or lies under it, on dot boundaries
// ("16.06" covers "16.06.01.2001", not "16.061"). An empty scope covers nothing.
bool Covers(const Principal& principal, absl::string_view region_code);

// "apikey:wk1 (ADMIN, 16.06)", "apikey:wk2 (FIELD_WORKER, 16.06.01, worker 01JD...)": for log
// lines; never holds a secret.
std::string Describe(const Principal& principal);

// Subjects the suite gives its own principals: "apikey:<id>" (an API key, gateway/api_keys),
// "service:<process>" (a process's own calls, bearer_channel.h) and "system" (the case service's
// own actions, case_logic.h). A token presented from outside may not claim one, nor the SYSTEM
// role (gateway/request_authenticator.cc), so no client can pose as a key or as the suite.
bool IsReservedSubject(absl::string_view subject);

// Whether a principal of `role` may act as registry worker `worker_id`: OK for an empty id (no
// link); otherwise INVALID_ARGUMENT naming `field` when `role` is not FIELD_WORKER or the id is
// not a record id (26 Crockford base-32 characters, common/ids/time_ordered_id.h). API keys and
// tokens both refuse a link this refuses.
absl::Status CheckWorkerLink(Role role, absl::string_view worker_id,
                             absl::string_view field = "workerId");

}  // namespace wahana
