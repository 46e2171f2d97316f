#include "gateway/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace wahana {

RateLimiter::RateLimiter(Options options, Clock clock)
    : options_([&] {
        options.burst = std::max<int64_t>(options.burst, 1);
        options.max_keys = std::max<size_t>(options.max_keys, 1);
        options.period = std::max(options.period, std::chrono::seconds(1));
        return options;
      }()),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {}

void RateLimiter::Refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  if (now <= bucket.updated) return;
  double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(static_cast<double>(options_.burst), bucket.tokens + elapsed * rate());
  bucket.updated = now;
}

double RateLimiter::rate() const {
  return static_cast<double>(options_.per_second) / static_cast<double>(options_.period.count());
}

RateLimiter::Decision RateLimiter::Judge(const Bucket& bucket) const {
  if (bucket.tokens >= 1.0) return {};
  double wait_seconds = (1.0 - bucket.tokens) / rate();
  auto wait = std::chrono::milliseconds(
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_seconds * 1000.0))));
  return {false, wait};
}

RateLimiter::Decision RateLimiter::Acquire(absl::string_view key) {
  if (!enabled()) return {};
  auto now = clock_();
  absl::MutexLock lock(&mu_);

  // Drop refilled buckets at the old end: they hold no state worth keeping. Two per call keeps
  // the cost constant while idle buckets never pile up.
  for (int i = 0; i < 2 && !lru_.empty(); ++i) {
    Bucket& oldest = lru_.back();
    if (oldest.key == key) break;
    Refill(oldest, now);
    if (oldest.tokens < static_cast<double>(options_.burst)) break;
    index_.erase(oldest.key);
    lru_.pop_back();
  }

  auto found = index_.find(std::string_view(key.data(), key.size()));
  if (found == index_.end()) {
    if (lru_.size() >= options_.max_keys) {
      index_.erase(lru_.back().key);
      lru_.pop_back();
    }
    lru_.push_front(Bucket{std::string(key), static_cast<double>(options_.burst), now});
    found = index_.emplace(lru_.front().key, lru_.begin()).first;
  } else if (found->second != lru_.begin()) {
    lru_.splice(lru_.begin(), lru_, found->second);  // iterators (and key views) stay valid
  }
  Bucket& bucket = *found->second;
  Refill(bucket, now);
  Decision decision = Judge(bucket);
  if (decision.allowed) bucket.tokens -= 1.0;
  return decision;
}

RateLimiter::Decision RateLimiter::Check(absl::string_view key) {
  if (!enabled()) return {};
  auto now = clock_();
  absl::MutexLock lock(&mu_);
  auto found = index_.find(std::string_view(key.data(), key.size()));
  if (found == index_.end()) return {};
  Bucket bucket = *found->second;  // a copy: a check changes nothing
  Refill(bucket, now);
  return Judge(bucket);
}

size_t RateLimiter::size() {
  absl::MutexLock lock(&mu_);
  return lru_.size();
}

int64_t RetryAfterSeconds(std::chrono::milliseconds wait) {
  return std::max<int64_t>(1, (wait.count() + 999) / 1000);
}

}  // namespace wahana
