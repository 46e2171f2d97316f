#pragma once
// The KK (Kartu Keluarga, family card) number: 16 digits, the issuing region (6), a date and a
// serial (../shared/domain.md). Only the digits are a rule: the date part follows no published
// scheme we could check against real cards, so it is not checked. A first six digits that are not
// a kecamatan in today's list is a finding (a card from a region since split, or a typo), never a
// refusal.

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "registry/regions/region_rules.h"
#include "wahana/registry/v1/resources.pb.h"

namespace wahana::registry {

inline constexpr size_t kKkDigits = 16;

// INVALID_ARGUMENT "<field>: must be 16 digits (got 15 characters)" / "...: must be 16 digits,
// nothing else". `kk` must not be empty (whether it may be is the caller's rule).
absl::Status CheckKkNumber(absl::string_view kk, absl::string_view field = "kkNumber");

// For a well-formed `kk`: the KK_SUBDISTRICT_UNKNOWN flag when its first six digits are not a
// known kecamatan, else nullopt. UNAVAILABLE when the regions cannot be read.
absl::StatusOr<std::optional<wahana::registry::v1::ReviewFlag>> KkNumberFinding(
    absl::string_view kk, const RegionRules& regions, absl::string_view field = "kkNumber");

}  // namespace wahana::registry
