#pragma once
// Start-up of a service that checks region codes against the registry: its RegionDirectory.

#include <memory>

#include "absl/status/statusor.h"
#include "common/region/region_directory.h"

namespace wahana {

// A GrpcRegionDirectory asking the registry at WAHANA_REGISTRY_ADDR. INVALID_ARGUMENT (from
// EnvReader::Finish) when the setting is bad.
absl::StatusOr<std::shared_ptr<RegionDirectory>> RegistryDirectoryFromEnv();

}  // namespace wahana
