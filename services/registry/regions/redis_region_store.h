#pragma once
// Regions in Redis. Regions are reference data shared by every regency a Redis may hold, so they
// have their own hash tag, {regions}, and every key below lives in that one slot:
//   registry:{regions}:data               hash  code -> wahana.registry.v1.Region (protobuf bytes)
//   registry:{regions}:children:<parent>  zset  child codes, all score 0 (ordered by code); the
//                                               provinces under the parent ""
//   registry:{regions}:parents            set   parents that have a children key (for reloads)
//   registry:{regions}:version            string  SHA-256 of the loaded data files
//   registry:{regions}:stream             stream  RegionsLoaded messages
//
// A load is one MULTI/EXEC sent as a single pipeline under WATCH of the version key: readers see
// the old data or the new, never a mix, and two registries starting together load it once.

#include <memory>
#include <string>

#include "common/redis/redis_client.h"
#include "registry/regions/region_store.h"

namespace wahana::registry {

class RedisRegionStore : public RegionStore {
 public:
  // `redis` must outlive the store.
  explicit RedisRegionStore(RedisClient& redis) : redis_(redis) {}

  absl::StatusOr<wahana::registry::v1::Region> Get(const std::string& code) override;
  absl::StatusOr<Page> ListChildren(const std::string& parent, const std::string& after,
                                    int limit) override;
  absl::StatusOr<bool> LoadIfNewer(const RegionCatalog& catalog,
                                   const std::string& origin_region) override;

  static constexpr const char* kDataKey = "registry:{regions}:data";
  static constexpr const char* kParentsKey = "registry:{regions}:parents";
  static constexpr const char* kVersionKey = "registry:{regions}:version";
  static constexpr const char* kStreamKey = "registry:{regions}:stream";
  static std::string ChildrenKey(const std::string& parent);

 private:
  RedisClient& redis_;
};

}  // namespace wahana::registry
