#include "registry/regions/region_rules.h"

#include "absl/strings/str_cat.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"

namespace wahana::registry {

absl::Status RegionRules::Require(const std::string& code, const std::string& field, int level,
                                  const char* level_name) const {
  WAHANA_ASSIGN_OR_RETURN(RegionLevelKind parsed, ParseRegionCode(code, field));
  if (level != 0 && static_cast<int>(parsed) != level) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", code, "\" is not a ", level_name, " code"));
  }
  if (!RegionWithin(code, deployment_region_)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": \"", code, "\" is outside this deployment's region ", deployment_region_));
  }
  auto region = store_.Get(code);
  if (region.status().code() == absl::StatusCode::kNotFound) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", code, "\" is not a known region"));
  }
  return region.status();
}

absl::Status RegionRules::RequireVillage(const std::string& code, const std::string& field) const {
  return Require(code, field, static_cast<int>(RegionLevelKind::kVillage), "village");
}

absl::Status RegionRules::RequireSubdistrict(const std::string& code,
                                             const std::string& field) const {
  return Require(code, field, static_cast<int>(RegionLevelKind::kSubdistrict), "subdistrict");
}

absl::Status RegionRules::RequireAnyRegion(const std::string& code,
                                           const std::string& field) const {
  return Require(code, field, 0, "region");
}

absl::Status RegionRules::RequireListRegion(const std::string& code,
                                            const std::string& field) const {
  if (code.empty()) return absl::OkStatus();
  WAHANA_RETURN_IF_ERROR(ParseRegionCode(code, field).status());
  if (!RegionWithin(code, deployment_region_) && !RegionWithin(deployment_region_, code)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": \"", code, "\" is outside this deployment's region ", deployment_region_));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> RegionRules::SubdistrictDigitsKnown(const std::string& six_digits) const {
  if (six_digits.size() != 6) return false;
  std::string code = absl::StrCat(six_digits.substr(0, 2), ".", six_digits.substr(2, 2), ".",
                                  six_digits.substr(4, 2));
  auto region = store_.Get(code);
  if (region.ok()) return true;
  if (region.status().code() == absl::StatusCode::kNotFound) return false;
  return region.status();
}

absl::StatusOr<bool> RegionRules::ProvinceKnown(const std::string& two_digits) const {
  auto region = store_.Get(two_digits);
  if (region.ok()) return true;
  if (region.status().code() == absl::StatusCode::kNotFound) return false;
  return region.status();
}

}  // namespace wahana::registry
