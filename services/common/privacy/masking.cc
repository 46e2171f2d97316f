#include "common/privacy/masking.h"

namespace wahana {

std::string MaskIdentityNumber(absl::string_view number) {
  if (number.empty()) return "";
  if (number.size() <= 8) return std::string(number.size(), '*');
  std::string masked(number);
  for (size_t i = 4; i + 4 < masked.size(); ++i) masked[i] = '*';
  return masked;
}

}  // namespace wahana
