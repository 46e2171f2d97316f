#pragma once
// The limit on failed authentications per client address (WAHANA_AUTH_FAILURES_PER_MINUTE): one
// address guesses credentials at N attempts a minute at most.
//
// Each address has a token bucket (rate_limiter.h) holding N failures and refilled at N a minute.
// A failed authentication (credentials offered and refused; a request offering none is no guess
// and the gateway does not count it) takes a token; one that finds none is answered 429 with
// Retry-After instead of 401. Valid credentials keep working from a limited address for the
// principals that authenticated from it before it ran out (an office behind one NAT shares an
// address: one colleague's typos, or a stale key in a script, must not lock the others out). A
// principal new to the address gets the same 429 as a failure while the address has no failures
// left: were it let through, a 200 among the 429s would tell a guesser which guess was right, and
// the limit would hold nothing back. The address has its first failures again within 60/N seconds.
//
// Memory is bounded: at most `max_addresses` buckets (the least recently used dropped first,
// refilled ones early) and as many remembered (address, principal) pairs, least recently used
// dropped first; a forgotten pair is only treated as new. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "gateway/rate_limiter.h"

namespace wahana {

class AuthFailureLimiter {
 public:
  struct Options {
    int64_t failures_per_minute = 0;  // 0 turns the limit off: every answer is as without it
    size_t max_addresses = 100000;    // at least 1
  };

  // `clock` defaults to std::chrono::steady_clock::now (tests inject their own).
  explicit AuthFailureLimiter(Options options, RateLimiter::Clock clock = nullptr);

  bool enabled() const { return failures_.enabled(); }

  // A failed authentication from `address`: allowed (answer 401) while the address has failures
  // left, refused (429 after `retry_after`) once it has none.
  RateLimiter::Decision Failed(absl::string_view address);

  // A valid authentication of `subject` from `address`: allowed, and remembered for the address,
  // unless the address has no failures left and `subject` has not authenticated from it before;
  // refused then exactly as Failed would refuse.
  RateLimiter::Decision Succeeded(absl::string_view address, absl::string_view subject);

  // (address, principal) pairs remembered now.
  size_t remembered();

 private:
  using Lru = std::list<std::string>;  // "<address>\n<subject>", most recently seen first

  // Remembers `pair`, or moves it to the recent end.
  void Remember(std::string pair) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  RateLimiter failures_;
  const size_t max_pairs_;
  absl::Mutex mu_;
  Lru pairs_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string_view, Lru::iterator> index_ ABSL_GUARDED_BY(mu_);  // views pairs_
};

}  // namespace wahana
