#pragma once
// A RegionStore that remembers what Get answered (a region or NOT_FOUND) for a while, so that
// checking the village and the NIK's province and kecamatan of every imported row costs a few
// hundred Redis reads per district instead of three per row.
//
// Regions are reference data loaded at start-up (a new version only with new data files), so an
// answer up to `ttl` old is as good as a fresh one. Errors other than NOT_FOUND are not
// remembered. ListChildren and LoadIfNewer pass through (a load forgets everything remembered).
//
// Thread-safe when `base` is.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "registry/regions/region_store.h"

namespace wahana::registry {

class CachedRegionStore : public RegionStore {
 public:
  // `base` must outlive the cache. At most `max_entries` answers are kept (half of them are
  // forgotten when full).
  CachedRegionStore(RegionStore& base, absl::Duration ttl, size_t max_entries = 10000,
                    std::function<absl::Time()> now = nullptr);

  absl::StatusOr<wahana::registry::v1::Region> Get(const std::string& code) override;
  absl::StatusOr<Page> ListChildren(const std::string& parent, const std::string& after,
                                    int limit) override;
  absl::StatusOr<bool> LoadIfNewer(const RegionCatalog& catalog,
                                   const std::string& origin_region) override;

 private:
  struct Entry {
    absl::StatusOr<wahana::registry::v1::Region> answer;
    absl::Time expires;
  };

  RegionStore& base_;
  const absl::Duration ttl_;
  const size_t max_entries_;
  std::function<absl::Time()> now_;
  absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace wahana::registry
