#pragma once
// Time-ordered identifiers in the ULID layout: 48 bits of Unix milliseconds then 80 random bits,
// written as 26 Crockford base-32 characters. They sort by creation time as strings, and the random
// part makes them unique across deployments without coordination (federation merges streams).
// Within one generator, ids are strictly increasing even inside one millisecond.

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace wahana {

class TimeOrderedIdGenerator {
 public:
  // `now_ms` returns Unix time in milliseconds; tests inject a fixed clock.
  explicit TimeOrderedIdGenerator(std::function<int64_t()> now_ms = nullptr);

  // Thread-safe.
  std::string Next();

  // The process-wide generator.
  static TimeOrderedIdGenerator& Default();

 private:
  std::function<int64_t()> now_ms_;
  std::mutex mu_;
  int64_t last_ms_ = -1;           // guarded by mu_
  uint64_t random_hi_ = 0;         // 16 bits, guarded by mu_
  uint64_t random_lo_ = 0;         // 64 bits, guarded by mu_
};

// The Unix milliseconds encoded in an id, or -1 when `id` is not a time-ordered id.
int64_t TimeOfId(const std::string& id);

}  // namespace wahana
