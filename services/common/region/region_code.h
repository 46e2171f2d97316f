#pragma once
// Kemendagri region codes: "PP" province, "PP.KK" regency, "PP.KK.CC" subdistrict (kecamatan),
// "PP.KK.CC.DDDD" village (desa/kelurahan). Pure functions, safe to fuzz.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wahana {

enum class RegionLevelKind { kProvince = 1, kRegency = 2, kSubdistrict = 3, kVillage = 4 };

// The level of a well-formed code, or INVALID_ARGUMENT naming `field` and what is wrong.
absl::StatusOr<RegionLevelKind> ParseRegionCode(absl::string_view code,
                                                absl::string_view field = "code");

// The code one level up ("16.06.01" -> "16.06"); empty for a province. `code` must be well formed.
std::string ParentRegionCode(absl::string_view code);

// True when `code` is `scope` or lies under it ("16.06.01.2001" is within "16.06").
bool RegionWithin(absl::string_view code, absl::string_view scope);

}  // namespace wahana
