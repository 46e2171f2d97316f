#include "common/ids/time_ordered_id.h"

#include <chrono>
#include <random>

#include "absl/numeric/int128.h"
#include "common/encoding/crockford_base32.h"

namespace wahana {
namespace {

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// 128 bits as 26 base-32 digits (130 bits, the top two zero).
std::string WriteId(absl::uint128 value) {
  char out[26];
  for (int i = 25; i >= 0; --i) {
    out[i] = kCrockfordDigits[absl::Uint128Low64(value) & 31];
    value >>= 5;
  }
  return std::string(out, 26);
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
  // 128 bits: [48 time][16 hi][64 lo].
  return WriteId((absl::uint128(static_cast<uint64_t>(ms) & 0xFFFFFFFFFFFFULL) << 80) |
                 (absl::uint128(hi) << 64) | absl::uint128(lo));
}

int64_t TimeOfId(const std::string& id) {
  if (id.size() != 26) return -1;
  absl::uint128 value = 0;
  for (char c : id) {
    int digit = CrockfordDigitValue(c);
    if (digit < 0) return -1;
    value = (value << 5) | absl::uint128(static_cast<uint64_t>(digit));
  }
  return static_cast<int64_t>(absl::Uint128Low64(value >> 80));
}

std::optional<std::string> BytesOfId(absl::string_view id) {
  if (id.size() != 26 || id[0] > '7') return std::nullopt;
  absl::uint128 value = 0;
  for (char c : id) {
    const int digit = CrockfordDigitValue(c);
    if (digit < 0) return std::nullopt;
    value = (value << 5) | absl::uint128(static_cast<uint64_t>(digit));
  }
  std::string bytes(16, '\0');
  for (int i = 15; i >= 0; --i) {
    bytes[i] = static_cast<char>(absl::Uint128Low64(value) & 0xFF);
    value >>= 8;
  }
  return bytes;
}

std::string IdOfBytes(absl::string_view bytes) {
  absl::uint128 value = 0;
  for (char c : bytes.substr(0, 16)) {
    value = (value << 8) | absl::uint128(static_cast<unsigned char>(c));
  }
  return WriteId(value);
}

}  // namespace wahana
