#pragma once
// The checks every registry resource makes of the region codes it is given: the code is well
// formed, at the right level, a known region, and inside the deployment's region (a deployment
// keeps only its own region's records). Errors are INVALID_ARGUMENT naming the field.

#include <string>

#include "absl/status/status.h"
#include "registry/regions/region_store.h"

namespace wahana::registry {

class RegionRules {
 public:
  // `store` must outlive the rules; `deployment_region` is WAHANA_REGION ("16.06").
  RegionRules(RegionStore& store, std::string deployment_region)
      : store_(store), deployment_region_(std::move(deployment_region)) {}

  // A village (desa/kelurahan) code inside the deployment.
  absl::Status RequireVillage(const std::string& code, const std::string& field) const;
  // A kecamatan code inside the deployment.
  absl::Status RequireSubdistrict(const std::string& code, const std::string& field) const;
  // Any known region code inside the deployment (the regency itself included).
  absl::Status RequireAnyRegion(const std::string& code, const std::string& field) const;
  // A list filter: empty, or a well-formed code prefix that overlaps the deployment
  // ("16", "16.06" and "16.06.01" all do for a 16.06 deployment). Not checked for existence.
  absl::Status RequireListRegion(const std::string& code, const std::string& field) const;

  // Whether a kecamatan code (6 digits, "160601") is in today's list: for NIK checks.
  absl::StatusOr<bool> SubdistrictDigitsKnown(const std::string& six_digits) const;
  // Whether a province code ("16") is known.
  absl::StatusOr<bool> ProvinceKnown(const std::string& two_digits) const;

  const std::string& deployment_region() const { return deployment_region_; }

 private:
  absl::Status Require(const std::string& code, const std::string& field, int level,
                       const char* level_name) const;
  RegionStore& store_;
  std::string deployment_region_;
};

}  // namespace wahana::registry
