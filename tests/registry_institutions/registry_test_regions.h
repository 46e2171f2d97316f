#pragma once
// A few real Musi Banyuasin regions loaded into a test's Redis through the registry's own region
// store, so RegionRules reads them as in production (without loading all of Indonesia).

#include <string>

#include "absl/status/status.h"
#include "common/region/region_code.h"
#include "registry/regions/redis_region_store.h"
#include "registry/regions/region_catalog.h"

namespace wahana::testing {

inline constexpr char kTestRegion[] = "16.06";
inline constexpr char kSukarami[] = "16.06.01.2001";  // desa Sukarami, kecamatan Sekayu
inline constexpr char kLumpatan[] = "16.06.01.2002";  // desa Lumpatan, Sekayu
inline constexpr char kLaisDesa[] = "16.06.02.2001";  // a desa of kecamatan Lais

inline absl::Status LoadTestRegions(wahana::registry::RedisRegionStore& store) {
  wahana::registry::RegionCatalog catalog;
  for (const char* code : {"16", "16.06", "16.06.01", kSukarami, kLumpatan, "16.06.02", kLaisDesa,
                           "17", "17.01", "17.01.01", "17.01.01.2001"}) {
    wahana::registry::v1::Region region;
    region.set_code(code);
    region.set_parent_code(ParentRegionCode(code));
    region.set_name(std::string("Region ") + code);
    catalog.regions.push_back(region);
  }
  catalog.version = "registry-resource-tests";
  auto loaded = store.LoadIfNewer(catalog, kTestRegion);
  return loaded.status();
}

}  // namespace wahana::testing
