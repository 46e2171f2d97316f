#include "common/ids/time_ordered_id.h"

#include <chrono>
#include <random>

#include "absl/numeric/int128.h"

namespace wahana {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int DecodeCrockford(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kCrockford[i] == c) return i;
  }
  return -1;
}

}  // namespace

TimeOrderedIdGenerator::TimeOrderedIdGenerator(std::function<int64_t()> now_ms)
    : now_ms_(now_ms ? std::move(now_ms) : SystemNowMs) {}

TimeOrderedIdGenerator& TimeOrderedIdGenerator::Default() {
  static TimeOrderedIdGenerator* generator = new TimeOrderedIdGenerator();
  return *generator;
}

std::string TimeOrderedIdGenerator::Next() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi, lo;
  int64_t ms;
  {
    absl::MutexLock lock(&mu_);
    ms = now_ms_();
    if (ms > last_ms_) {
      last_ms_ = ms;
      random_hi_ = rng() & 0xFFFF;
      random_lo_ = rng();
    } else {
      // Same (or earlier: clock stepped back) millisecond: keep the last time, add one to the
      // random part so the order still follows the order of calls.
      ms = last_ms_;
      if (++random_lo_ == 0) random_hi_ = (random_hi_ + 1) & 0xFFFF;
    }
    hi = random_hi_;
    lo = random_lo_;
  }
  // 128 bits: [48 time][16 hi][64 lo], written as 26 base-32 digits (130 bits, top 2 zero).
  char out[26];
  absl::uint128 value = (absl::uint128(static_cast<uint64_t>(ms) & 0xFFFFFFFFFFFFULL) << 80) |
                        (absl::uint128(hi) << 64) | absl::uint128(lo);
  for (int i = 25; i >= 0; --i) {
    out[i] = kCrockford[absl::Uint128Low64(value) & 31];
    value >>= 5;
  }
  return std::string(out, 26);
}

int64_t TimeOfId(const std::string& id) {
  if (id.size() != 26) return -1;
  absl::uint128 value = 0;
  for (char c : id) {
    int digit = DecodeCrockford(c);
    if (digit < 0) return -1;
    value = (value << 5) | absl::uint128(static_cast<uint64_t>(digit));
  }
  return static_cast<int64_t>(absl::Uint128Low64(value >> 80));
}

}  // namespace wahana
