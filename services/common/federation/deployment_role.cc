#include "common/federation/deployment_role.h"

#include "absl/strings/str_cat.h"
#include "common/region/region_code.h"

namespace wahana {

const char* DeploymentRoleName(DeploymentRole role) {
  return role == DeploymentRole::kProvince ? "province" : "district";
}

absl::StatusOr<FederationLink> ReadFederationLink(EnvReader& reader, const std::string& region) {
  FederationLink link;
  const std::string role = reader.OneOf("WAHANA_ROLE", {"", "district", "province"});
  link.province_address = reader.ServiceTarget("WAHANA_PROVINCE_ADDR");
  absl::StatusOr<RegionLevelKind> level = ParseRegionCode(region, "WAHANA_REGION");
  if (!level.ok()) return level.status();
  const bool province_region = *level == RegionLevelKind::kProvince;
  if (role.empty()) {
    link.role = province_region ? DeploymentRole::kProvince : DeploymentRole::kDistrict;
  } else {
    link.role = role == "province" ? DeploymentRole::kProvince : DeploymentRole::kDistrict;
    if (province_region != (link.role == DeploymentRole::kProvince)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "WAHANA_ROLE: a ", role, " deployment serves a ",
          link.role == DeploymentRole::kProvince ? "province (\"16\")" : "regency (\"16.06\")",
          ", not WAHANA_REGION ", region));
    }
  }
  if (!link.province_address.empty() && link.role == DeploymentRole::kProvince) {
    return absl::InvalidArgumentError(
        "WAHANA_PROVINCE_ADDR: only a district deployment is linked to a province");
  }
  return link;
}

}  // namespace wahana
