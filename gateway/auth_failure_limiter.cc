#include "gateway/auth_failure_limiter.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"

namespace wahana {

AuthFailureLimiter::AuthFailureLimiter(Options options, RateLimiter::Clock clock)
    : failures_({options.failures_per_minute, options.failures_per_minute,
                 std::max<size_t>(options.max_addresses, 1), std::chrono::seconds(60)},
                std::move(clock)),
      max_pairs_(std::max<size_t>(options.max_addresses, 1)) {}

RateLimiter::Decision AuthFailureLimiter::Failed(absl::string_view address) {
  return failures_.Acquire(address);
}

RateLimiter::Decision AuthFailureLimiter::Succeeded(absl::string_view address,
                                                    absl::string_view subject) {
  if (!enabled()) return {};
  // A client address is an IP address: it holds no newline, so pairs cannot collide.
  std::string pair = absl::StrCat(address, "\n", subject);
  RateLimiter::Decision left = failures_.Check(address);
  absl::MutexLock lock(&mu_);
  if (left.allowed) {
    Remember(std::move(pair));
    return {};
  }
  // Out of failures: only a principal the address had before gets through (see the header).
  if (index_.count(std::string_view(pair))) {
    Remember(std::move(pair));
    return {};
  }
  return left;
}

void AuthFailureLimiter::Remember(std::string pair) {
  auto found = index_.find(std::string_view(pair));
  if (found != index_.end()) {
    if (found->second != pairs_.begin()) {
      pairs_.splice(pairs_.begin(), pairs_, found->second);  // views of the key stay valid
    }
    return;
  }
  if (pairs_.size() >= max_pairs_) {
    index_.erase(std::string_view(pairs_.back()));
    pairs_.pop_back();
  }
  pairs_.push_front(std::move(pair));
  index_.emplace(std::string_view(pairs_.front()), pairs_.begin());
}

size_t AuthFailureLimiter::remembered() {
  absl::MutexLock lock(&mu_);
  return pairs_.size();
}

}  // namespace wahana
