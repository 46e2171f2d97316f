#include "common/region/registry_directory_from_env.h"

#include <string>

#include "common/config/env_reader.h"
#include "common/status/status_macros.h"

namespace wahana {

absl::StatusOr<std::shared_ptr<RegionDirectory>> RegistryDirectoryFromEnv() {
  EnvReader reader;
  std::string registry_address = reader.ServiceTarget("WAHANA_REGISTRY_ADDR");
  WAHANA_RETURN_IF_ERROR(reader.Finish());
  return std::make_shared<GrpcRegionDirectory>(registry_address);
}

}  // namespace wahana
