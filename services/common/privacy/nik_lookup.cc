#include "common/privacy/nik_lookup.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"

namespace wahana {

absl::Status CheckNikLookup(const Principal& caller, absl::string_view nik) {
  if (!RoleAllows(caller.role, Resource::kBeneficiary, Action::kRead) ||
      !SeesPersonalData(caller, Resource::kBeneficiary)) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", RoleName(caller.role), " may not look up beneficiaries by NIK"));
  }
  if (!IsNikShape(nik)) return absl::InvalidArgumentError("nik: required, 16 digits");
  return absl::OkStatus();
}

bool IsNikShape(absl::string_view nik) {
  bool digits = nik.size() == 16;
  for (char c : nik) digits = digits && absl::ascii_isdigit(static_cast<unsigned char>(c));
  return digits;
}

}  // namespace wahana
