#pragma once
// The Indonesian administrative areas as shipped in data/idn-area/ (idn-area-data 4.0.1, ODbL 1.0):
// read from the four CSV files, every code and parent checked, before anything reaches Redis.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "wahana/registry/v1/registry.pb.h"

namespace wahana::registry {

struct RegionCatalog {
  // Provinces, then regencies, subdistricts and villages, each in file order.
  std::vector<wahana::registry::v1::Region> regions;
  // SHA-256 of the four files' contents: a new data release has a new version.
  std::string version;
};

// Reads provinces.csv, regencies.csv, districts.csv (kecamatan) and villages.csv from `dir`.
// INVALID_ARGUMENT naming the file and line for a malformed code, a code whose parent is missing,
// a wrong column count or a duplicate; NOT_FOUND when a file is missing.
absl::StatusOr<RegionCatalog> LoadRegionCatalog(const std::string& dir);

// The folder the registry reads when WAHANA_REGIONS_DIR is unset: the installed copy, or the
// source tree's copy for a developer build.
std::string DefaultRegionsDir();

}  // namespace wahana::registry
