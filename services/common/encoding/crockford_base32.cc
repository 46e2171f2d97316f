#include "common/encoding/crockford_base32.h"

#include <cstdint>

namespace wahana {

int CrockfordDigitValue(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kCrockfordDigits[i] == c) return i;
  }
  return -1;
}

std::string CrockfordBase32Encode(absl::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;  // bits waiting in the low end of `buffer`
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kCrockfordDigits[(buffer >> bits) & 31]);
    }
  }
  if (bits > 0) out.push_back(kCrockfordDigits[(buffer << (5 - bits)) & 31]);
  return out;
}

std::optional<std::string> CrockfordBase32Decode(absl::string_view text) {
  // 1, 3 and 6 trailing digits leave 5, 15 and 30 bits: no byte count encodes to those lengths.
  const size_t rest = text.size() % 8;
  if (rest == 1 || rest == 3 || rest == 6) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = CrockfordDigitValue(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // Left-over bits are padding; non-zero padding would give a second text for the same bytes.
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace wahana
