#include "registry/households/kk_number.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace wahana::registry {

absl::Status CheckKkNumber(absl::string_view kk, absl::string_view field) {
  if (kk.size() != kKkDigits) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be ", kKkDigits, " digits (got ", kk.size(), " characters)"));
  }
  for (char c : kk) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": must be ", kKkDigits, " digits, nothing else"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<wahana::registry::v1::ReviewFlag>> KkNumberFinding(
    absl::string_view kk, const RegionRules& regions, absl::string_view field) {
  const std::string subdistrict(kk.substr(0, 6));
  WAHANA_ASSIGN_OR_RETURN(bool known, regions.SubdistrictDigitsKnown(subdistrict));
  if (known) return std::optional<wahana::registry::v1::ReviewFlag>();
  wahana::registry::v1::ReviewFlag flag;
  flag.set_code("KK_SUBDISTRICT_UNKNOWN");
  flag.set_field(std::string(field));
  flag.set_message(
      absl::StrCat("kecamatan ", subdistrict, " (first 6 digits) is not in today's region list"));
  return std::optional<wahana::registry::v1::ReviewFlag>(std::move(flag));
}

}  // namespace wahana::registry
