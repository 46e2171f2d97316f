#pragma once
// A RegionStore for the beneficiaries' unit tests: a few known codes of Musi Banyuasin (16.06)
// and Jakarta (31.71), a count of reads, and a switch to make it unavailable. Header-only.

#include <set>
#include <string>

#include "absl/status/status.h"
#include "registry/regions/region_store.h"

namespace wahana::registry::testing {

class FakeRegionStore : public RegionStore {
 public:
  std::set<std::string> codes = {
      "16", "16.06", "16.06.01", "16.06.01.2001", "16.06.01.2002", "16.06.02", "16.06.02.2001",
      "31", "31.71", "31.71.01", "31.71.01.1001"};
  absl::Status down;
  int reads = 0;

  absl::StatusOr<wahana::registry::v1::Region> Get(const std::string& code) override {
    ++reads;
    if (!down.ok()) return down;
    if (!codes.count(code)) return absl::NotFoundError("region " + code + " not found");
    wahana::registry::v1::Region region;
    region.set_code(code);
    return region;
  }
  absl::StatusOr<Page> ListChildren(const std::string&, const std::string&, int) override {
    return Page();
  }
  absl::StatusOr<bool> LoadIfNewer(const RegionCatalog&, const std::string&) override {
    return false;
  }
};

}  // namespace wahana::registry::testing
