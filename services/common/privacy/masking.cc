#include "common/privacy/masking.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace wahana {

// The rule and its reasons are in masking.h; this file is where it is applied.

std::string MaskIdentityNumber(absl::string_view number) { return std::string(number.size(), '*'); }

std::string MaskBirthDate(absl::string_view date) {
  const bool shaped = date.size() == 10 && date[4] == '-' && date[7] == '-' &&
                      absl::ascii_isdigit(static_cast<unsigned char>(date[0])) &&
                      absl::ascii_isdigit(static_cast<unsigned char>(date[1])) &&
                      absl::ascii_isdigit(static_cast<unsigned char>(date[2])) &&
                      absl::ascii_isdigit(static_cast<unsigned char>(date[3]));
  if (!shaped) return std::string(date.size(), '*');
  std::string masked(date.substr(0, 5));
  masked += "**-**";
  return masked;
}

bool IsIdentityFinding(absl::string_view code) {
  return absl::StartsWith(code, "NIK_") || absl::StartsWith(code, "KK_");
}

std::string MaskedFindingMessage(absl::string_view code, absl::string_view message) {
  if (!IsIdentityFinding(code)) return std::string(message);
  return "details left out: they quote digits of the identity number";
}

}  // namespace wahana
