#pragma once
// Where the regions live once loaded. An interface so the logic can be tested with a fake.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "registry/regions/region_catalog.h"
#include "wahana/registry/v1/registry.pb.h"

namespace wahana::registry {

class RegionStore {
 public:
  struct Page {
    std::vector<wahana::registry::v1::Region> regions;
    bool more = false;  // children after the last one returned
    int32_t total = 0;  // all children of the parent
  };

  virtual ~RegionStore() = default;

  // NOT_FOUND when `code` is not a known region.
  virtual absl::StatusOr<wahana::registry::v1::Region> Get(const std::string& code) = 0;
  // Children of `parent` ("" = the provinces) with a code greater than `after` ("" = from the
  // first), at most `limit`, in code order. NOT_FOUND when `parent` is not a known region.
  virtual absl::StatusOr<Page> ListChildren(const std::string& parent, const std::string& after,
                                            int limit) = 0;
  // Replaces the stored regions with `catalog` unless its version is already loaded; writes a
  // RegionsLoaded message in the same atomic step. Returns true when it loaded, false when the
  // version was already there.
  virtual absl::StatusOr<bool> LoadIfNewer(const RegionCatalog& catalog,
                                           const std::string& origin_region) = 0;
};

}  // namespace wahana::registry
