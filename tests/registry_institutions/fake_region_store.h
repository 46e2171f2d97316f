#pragma once
// A RegionStore in memory with a few Musi Banyuasin regions, for the logic tests of the
// institutions and networks (RegionRules reads it). Header-only.

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "registry/regions/region_store.h"

namespace wahana::testing {

class FakeRegionStore : public wahana::registry::RegionStore {
 public:
  // Sumatera Selatan, Musi Banyuasin, Sekayu (16.06.01) with two villages, Lais (16.06.02) with
  // one, and a village of another regency (17.01.01.2001) for "outside the deployment".
  FakeRegionStore() {
    for (const char* code :
         {"16", "16.06", "16.06.01", "16.06.01.2001", "16.06.01.2002", "16.06.02", "16.06.02.2001",
          "17", "17.01", "17.01.01", "17.01.01.2001"}) {
      Add(code);
    }
  }

  void Add(const std::string& code) {
    wahana::registry::v1::Region region;
    region.set_code(code);
    region.set_name(absl::StrCat("Region ", code));
    regions_[code] = region;
  }

  absl::StatusOr<wahana::registry::v1::Region> Get(const std::string& code) override {
    if (!unavailable.ok()) return unavailable;
    auto it = regions_.find(code);
    if (it == regions_.end()) return absl::NotFoundError(absl::StrCat("region ", code));
    return it->second;
  }
  absl::StatusOr<Page> ListChildren(const std::string&, const std::string&, int) override {
    return absl::UnimplementedError("not needed by these tests");
  }
  absl::StatusOr<bool> LoadIfNewer(const wahana::registry::RegionCatalog&,
                                   const std::string&) override {
    return false;
  }

  // Set to make every Get fail with it (Redis down).
  absl::Status unavailable;

 private:
  std::map<std::string, wahana::registry::v1::Region> regions_;
};

}  // namespace wahana::testing
