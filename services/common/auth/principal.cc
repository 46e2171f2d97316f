#include "common/auth/principal.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/ids/time_ordered_id.h"
#include "common/region/region_code.h"

namespace wahana {

bool Covers(const Principal& principal, absl::string_view region_code) {
  if (principal.region_scope.empty() || region_code.empty()) return false;
  return RegionWithin(region_code, principal.region_scope);
}

std::string Describe(const Principal& principal) {
  if (principal.worker_id.empty()) {
    return absl::StrCat(principal.subject, " (", RoleName(principal.role), ", ",
                        principal.region_scope, ")");
  }
  return absl::StrCat(principal.subject, " (", RoleName(principal.role), ", ",
                      principal.region_scope, ", worker ", principal.worker_id, ")");
}

absl::Status CheckWorkerLink(Role role, absl::string_view worker_id, absl::string_view field) {
  if (worker_id.empty()) return absl::OkStatus();
  if (role != Role::kFieldWorker) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": only a FIELD_WORKER acts as a registry worker, not ", RoleName(role)));
  }
  // TimeOfId accepts exactly the ids the registry hands out; the text is client input, so the
  // message says what is expected rather than echoing it.
  if (TimeOfId(std::string(worker_id)) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a worker id (26 characters, 0-9 A-Z)"));
  }
  return absl::OkStatus();
}

bool IsReservedSubject(absl::string_view subject) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(subject);
  for (absl::string_view prefix : {"apikey:", "service:"}) {
    if (absl::StartsWithIgnoreCase(trimmed, prefix)) return true;
  }
  return absl::EqualsIgnoreCase(trimmed, "system");
}

}  // namespace wahana
