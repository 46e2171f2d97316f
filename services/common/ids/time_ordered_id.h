#pragma once
// Time-ordered identifiers in the ULID layout: 48 bits of Unix milliseconds then 80 random bits,
// written as 26 Crockford base-32 characters. They sort by creation time as strings, and the random
// part makes them unique across deployments without coordination (federation merges streams).
// Within one generator, ids are strictly increasing even inside one millisecond.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

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
  absl::Mutex mu_;
  int64_t last_ms_ ABSL_GUARDED_BY(mu_) = -1;
  uint64_t random_hi_ ABSL_GUARDED_BY(mu_) = 0;  // 16 bits
  uint64_t random_lo_ ABSL_GUARDED_BY(mu_) = 0;  // 64 bits
};

// The Unix milliseconds encoded in an id, or -1 when `id` is not a time-ordered id.
int64_t TimeOfId(const std::string& id);

// The id's 128 bits as 16 bytes, most significant first (the form binary formats carry, as the
// check-in code does), or nullopt when `id` is not 26 upper-case Crockford digits whose first is
// at most 7 (26 digits hold 130 bits; ids leave the top two zero).
std::optional<std::string> BytesOfId(absl::string_view id);

// The id those 16 bytes are; the inverse of BytesOfId. `bytes` must be 16 bytes long.
std::string IdOfBytes(absl::string_view bytes);

}  // namespace wahana
