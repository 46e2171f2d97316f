#pragma once
// Case numbers, the reference people quote on the phone and on paper: "16.06-2026-000123" is the
// 123rd case of regency 16.06 in 2026. Pure functions.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace wahana {

// `regency` "PP.KK", `year` four digits, `sequence` >= 1 zero-padded to six digits (more digits
// once a regency passes 999999 cases in a year, so numbers stay unique).
std::string FormatCaseNumber(absl::string_view regency, int year, int64_t sequence);

// The digits of the sequence in a case number, at least.
inline constexpr int kCaseNumberDigits = 6;

// The number of the case whose sequence is written `digits` (FormatCaseNumber's zero-padded
// sequence, or placeholder digits of as many characters).
std::string CaseNumberOf(absl::string_view regency, int year, absl::string_view digits);

// The regency ("PP.KK") a well-formed subdistrict or village code lies in.
std::string RegencyOf(absl::string_view region_code);

}  // namespace wahana
