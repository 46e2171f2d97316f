#include "common/region/region_code.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace wahana {
namespace {

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<RegionLevelKind> ParseRegionCode(absl::string_view code, absl::string_view field) {
  static constexpr size_t kPartWidth[] = {2, 2, 2, 4};
  if (code.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": must not be empty"));
  if (code.size() > 13) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": a region code has at most 13 characters (PP.KK.CC.DDDD)"));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(code, '.');
  if (parts.size() > 4) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": a region code has at most 4 parts (PP.KK.CC.DDDD)"));
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].size() != kPartWidth[i] || !AllDigits(parts[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": \"", code,
                       "\" is not a region code; expected PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD "
                       "with digits (part ",
                       i + 1, " must have ", kPartWidth[i], " digits)"));
    }
  }
  return static_cast<RegionLevelKind>(parts.size());
}

std::string ParentRegionCode(absl::string_view code) {
  size_t dot = code.rfind('.');
  if (dot == absl::string_view::npos) return "";
  return std::string(code.substr(0, dot));
}

bool RegionWithin(absl::string_view code, absl::string_view scope) {
  if (scope.empty()) return true;
  if (code.size() < scope.size() || code.substr(0, scope.size()) != scope) return false;
  return code.size() == scope.size() || code[scope.size()] == '.';
}

}  // namespace wahana
