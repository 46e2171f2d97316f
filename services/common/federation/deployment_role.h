#pragma once
// Whether a deployment is a district (a regency, "16.06") or a province ("16"), and whether a
// district is linked to its province: read once from the environment by every process that acts
// on it (the reporting service writes its outbox only when linked; the federation service relays
// or receives).

#include <string>

#include "absl/status/statusor.h"
#include "common/config/env_reader.h"

namespace wahana {

enum class DeploymentRole { kDistrict, kProvince };

struct FederationLink {
  DeploymentRole role = DeploymentRole::kDistrict;
  // A district's province's federation service (WAHANA_PROVINCE_ADDR); empty: not linked.
  std::string province_address;

  bool linked_district() const {
    return role == DeploymentRole::kDistrict && !province_address.empty();
  }
};

// "district" or "province".
const char* DeploymentRoleName(DeploymentRole role);

// WAHANA_ROLE (default: by the level of `region`) and WAHANA_PROVINCE_ADDR, read through `reader`
// (its Finish reports a value outside district|province). INVALID_ARGUMENT naming WAHANA_ROLE when
// the role does not fit `region` (a district serves a regency, a province a province), or
// WAHANA_PROVINCE_ADDR when a province is given one.
absl::StatusOr<FederationLink> ReadFederationLink(EnvReader& reader, const std::string& region);

}  // namespace wahana
