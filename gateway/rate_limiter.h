#pragma once
// Per-caller rate limit: one token bucket per key (the principal's subject, or the client address
// of an unauthenticated request; the client address of a failed authentication,
// auth_failure_limiter.h). A bucket holds up to `burst` tokens, refills `per_second` tokens each
// `period` (a second unless set longer), and each request takes one; a request finding less than
// one token is refused with the time until one is there (the 429's Retry-After).
//
// Memory is bounded: buckets are kept in least-recently-used order, at most `max_keys` of them
// (the least recently used is dropped first), and a bucket that has refilled completely is
// dropped as soon as it reaches the old end (a full bucket is the same as none). Dropping an
// active bucket only ever gives its key a fresh burst.

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace wahana {

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  struct Options {
    int64_t per_second = 0;  // tokens added each `period`; 0 disables the limit
    int64_t burst = 1;       // at least 1
    size_t max_keys = 100000;
    // The refill period `per_second` counts in: a second, or a minute for a slow limit (30
    // failed authentications a minute: per_second 30, period 60 s). At least a second.
    std::chrono::seconds period{1};
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

  // What Acquire would answer now, without taking a token (nor keeping a bucket for a key that
  // has none: it has its whole burst). Thread-safe.
  Decision Check(absl::string_view key);

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
  // Allowed when `bucket` holds a token, else refused with the wait for one.
  Decision Judge(const Bucket& bucket) const;
  // Tokens added per second.
  double rate() const;

  const Options options_;
  const Clock clock_;
  absl::Mutex mu_;
  Lru lru_ ABSL_GUARDED_BY(mu_);
  // Keys view the strings in lru_ (list nodes never move).
  std::unordered_map<std::string_view, Lru::iterator> index_ ABSL_GUARDED_BY(mu_);
};

// A Retry-After value in whole seconds, rounded up, at least 1.
int64_t RetryAfterSeconds(std::chrono::milliseconds wait);

}  // namespace wahana
