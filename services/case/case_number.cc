#include "case/case_number.h"

#include "absl/strings/str_format.h"

namespace wahana {

std::string FormatCaseNumber(absl::string_view regency, int year, int64_t sequence) {
  return absl::StrFormat("%s-%04d-%06d", regency, year, sequence);
}

std::string CaseNumberOf(absl::string_view regency, int year, absl::string_view digits) {
  return absl::StrFormat("%s-%04d-%s", regency, year, digits);
}

std::string RegencyOf(absl::string_view region_code) {
  // "PP.KK" is the first five characters of every code below the province.
  return std::string(region_code.substr(0, 5));
}

}  // namespace wahana
