#pragma once
// Finding a person by NIK: who may, and what a NIK to look up is. One rule for the registry's
// GET /v1/beneficiaries:lookup and a province's GET /v1/federation/beneficiaries:lookup.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"

namespace wahana {

// OK when `caller` may read beneficiaries and sees NIKs (UU 27/2022: least data; access_policy.h
// SeesPersonalData), and `nik` is 16 digits. PERMISSION_DENIED naming the role, or
// INVALID_ARGUMENT "nik: required, 16 digits" (the NIK itself is never repeated: messages end up
// in logs).
absl::Status CheckNikLookup(const Principal& caller, absl::string_view nik);

// Whether `nik` has a NIK's shape: 16 digits (the registry's full NIK rule is
// registry/identity/nik.h; a look-up needs only the shape).
bool IsNikShape(absl::string_view nik);

}  // namespace wahana
