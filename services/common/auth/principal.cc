#include "common/auth/principal.h"

#include "absl/strings/str_cat.h"
#include "common/region/region_code.h"

namespace wahana {

bool Covers(const Principal& principal, absl::string_view region_code) {
  if (principal.region_scope.empty() || region_code.empty()) return false;
  return RegionWithin(region_code, principal.region_scope);
}

std::string Describe(const Principal& principal) {
  return absl::StrCat(principal.subject, " (", RoleName(principal.role), ", ",
                      principal.region_scope, ")");
}

}  // namespace wahana
