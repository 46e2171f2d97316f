#pragma once
// Bytes as Crockford base-32 text (https://www.crockford.com/base32.html): the digits 0-9 and the
// upper-case letters without I, L, O and U, five bits per character, most significant bits first,
// no padding. Every character is in a QR code's alphanumeric set, so such text makes a smaller QR
// symbol than byte mode would. Time-ordered ids use the same alphabet (common/ids/).

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace wahana {

// The 32 digits in order of value.
inline constexpr char kCrockfordDigits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// The value (0-31) of one canonical digit: upper case, no aliases. -1 for any other character.
int CrockfordDigitValue(char c);

// `bytes` written as ceil(8n/5) digits; the last digit's unused low bits are zero.
std::string CrockfordBase32Encode(absl::string_view bytes);

// The bytes `text` writes, or nullopt when a character is not a canonical digit, the length is one
// no encoding has, or the last digit's unused bits are not zero. Strict, so each byte string has
// exactly one text: callers that accept typed text normalise it first (case, I/L/O).
std::optional<std::string> CrockfordBase32Decode(absl::string_view text);

}  // namespace wahana
