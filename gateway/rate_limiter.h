#pragma once
// Per-caller rate limit: one token bucket per key (the principal's subject, or the client address
// of an unauthenticated request). A bucket holds up to `burst` tokens, refills at
// `per_second`, and each request takes one; a request finding less than one token is refused with
// the time until one is there (the 429's Retry-After).
//
// Memory is bounded: buckets are kept in least-recently-used order, at most `max_keys` of them
// (the least recently used is dropped first), and a bucket that has refilled completely is
// dropped as soon as it reaches the old end (a full bucket is the same as none). Dropping an
// active bucket only ever gives its key a fresh burst.

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/strings/string_view.h"

namespace wahana {

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  struct Options {
    int64_t per_second = 0;  // 0 disables the limit: every request is allowed
    int64_t burst = 1;       // at least 1
    size_t max_keys = 100000;
  };

  struct Decision {
    bool allowed = true;
    // When refused: how long until a token is there (> 0). Zero when allowed.
    std::chrono::milliseconds retry_after{0};
  };

  // `clock` defaults to std::chrono::steady_clock::now (tests inject their own).
  explicit RateLimiter(Options options, Clock clock = nullptr);

  bool enabled() const { return options_.per_second > 0; }

  // Takes a token from `key`'s bucket if it has one. Thread-safe.
  Decision Acquire(absl::string_view key);

  // Buckets held now. Thread-safe.
  size_t size();

 private:
  struct Bucket {
    std::string key;
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  using Lru = std::list<Bucket>;  // most recently used first

  void Refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;

  const Options options_;
  const Clock clock_;
  std::mutex mu_;
  Lru lru_;                                                   // guarded by mu_
  // Keys view the strings in lru_ (list nodes never move).
  std::unordered_map<std::string_view, Lru::iterator> index_;  // guarded by mu_
};

// A Retry-After value in whole seconds, rounded up, at least 1.
int64_t RetryAfterSeconds(std::chrono::milliseconds wait);

}  // namespace wahana
