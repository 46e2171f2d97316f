#include "registry/beneficiaries/cached_region_store.h"

#include <utility>

namespace wahana::registry {

CachedRegionStore::CachedRegionStore(RegionStore& base, absl::Duration ttl, size_t max_entries,
                                     std::function<absl::Time()> now)
    : base_(base),
      ttl_(ttl),
      max_entries_(max_entries),
      now_(now ? std::move(now) : [] { return absl::Now(); }) {}

absl::StatusOr<wahana::registry::v1::Region> CachedRegionStore::Get(const std::string& code) {
  const absl::Time now = now_();
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(code);
    if (it != entries_.end() && it->second.expires > now) return it->second.answer;
  }
  absl::StatusOr<wahana::registry::v1::Region> answer = base_.Get(code);
  if (answer.ok() || absl::IsNotFound(answer.status())) {
    absl::MutexLock lock(&mu_);
    if (entries_.size() >= max_entries_) {
      // Rare (a district asks about a few hundred codes): drop every other entry, not all.
      bool drop = true;
      for (auto it = entries_.begin(); it != entries_.end(); drop = !drop) {
        it = drop ? entries_.erase(it) : std::next(it);
      }
    }
    entries_[code] = Entry{answer, now + ttl_};
  }
  return answer;
}

absl::StatusOr<RegionStore::Page> CachedRegionStore::ListChildren(const std::string& parent,
                                                                  const std::string& after,
                                                                  int limit) {
  return base_.ListChildren(parent, after, limit);
}

absl::StatusOr<bool> CachedRegionStore::LoadIfNewer(const RegionCatalog& catalog,
                                                    const std::string& origin_region) {
  absl::StatusOr<bool> loaded = base_.LoadIfNewer(catalog, origin_region);
  absl::MutexLock lock(&mu_);
  entries_.clear();
  return loaded;
}

}  // namespace wahana::registry
