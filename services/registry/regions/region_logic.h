#pragma once
// The rules of the region API, independent of gRPC: input validation, page sizes and page tokens.

#include "absl/status/status.h"
#include "registry/regions/region_store.h"
#include "wahana/registry/v1/registry.pb.h"

namespace wahana::registry {

class RegionLogic {
 public:
  static constexpr int kDefaultPageSize = 100;
  static constexpr int kMaxPageSize = 500;

  // `store` must outlive the logic.
  explicit RegionLogic(RegionStore& store) : store_(store) {}

  // INVALID_ARGUMENT for a malformed code (names the field), NOT_FOUND for an unknown one.
  absl::Status GetRegion(const wahana::registry::v1::GetRegionRequest& request,
                         wahana::registry::v1::Region* response);
  // INVALID_ARGUMENT for a malformed parent, a negative page size or a page token that is not one
  // of ours for this parent; NOT_FOUND for an unknown parent. Page sizes above 500 are cut to 500.
  absl::Status ListRegions(const wahana::registry::v1::ListRegionsRequest& request,
                           wahana::registry::v1::ListRegionsResponse* response);

 private:
  RegionStore& store_;
};

}  // namespace wahana::registry
