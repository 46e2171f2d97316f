#include "federation/registered_districts.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/grpc/service_target.h"
#include "common/region/region_code.h"
#include "nlohmann/json.hpp"

namespace wahana {
namespace {

constexpr char kSetting[] = "WAHANA_FEDERATION_DISTRICTS_FILE";

absl::Status Bad(size_t index, absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(kSetting, ": districts[", index, "].", field, ": ", why));
}

}  // namespace

absl::StatusOr<RegisteredDistricts> RegisteredDistricts::Parse(const std::string& json,
                                                               const std::string& province) {
  const nlohmann::json list = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array()) {
    return absl::InvalidArgumentError(absl::StrCat(kSetting, ": not a JSON list of districts"));
  }
  RegisteredDistricts out;
  for (size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& entry = list[i];
    if (!entry.is_object()) return Bad(i, "", "not an object");
    if (!entry.contains("region") || !entry["region"].is_string()) {
      return Bad(i, "region", "required, a regency code");
    }
    const std::string region = entry["region"].get<std::string>();
    absl::StatusOr<RegionLevelKind> level = ParseRegionCode(region, "region");
    if (!level.ok() || *level != RegionLevelKind::kRegency || !RegionWithin(region, province)) {
      return Bad(i, "region", absl::StrCat("\"", region, "\" is not a regency of ", province));
    }
    if (out.districts_.count(region) > 0) return Bad(i, "region", "registered twice");
    if (!entry.contains("publicKey") || !entry["publicKey"].is_string()) {
      return Bad(i, "publicKey", "required, the PEM of the district's Ed25519 key");
    }
    absl::StatusOr<Ed25519PublicKey> key =
        Ed25519PublicKey::FromPem(entry["publicKey"].get<std::string>(), "publicKey");
    if (!key.ok()) return Bad(i, "publicKey", key.status().message());
    std::string address;
    if (entry.contains("address")) {
      if (!entry["address"].is_string()) return Bad(i, "address", "not a string");
      absl::StatusOr<std::string> target =
          ServiceTarget("address", entry["address"].get<std::string>());
      if (!target.ok()) return Bad(i, "address", target.status().message());
      address = *std::move(target);
    }
    out.districts_.emplace(region, RegisteredDistrict{region, *std::move(key), address});
  }
  return out;
}

absl::StatusOr<RegisteredDistricts> RegisteredDistricts::Load(const std::string& path,
                                                              const std::string& province) {
  if (path.empty()) return RegisteredDistricts();
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(kSetting, ": cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), province);
}

const RegisteredDistrict* RegisteredDistricts::Find(const std::string& region) const {
  auto it = districts_.find(region);
  return it == districts_.end() ? nullptr : &it->second;
}

}  // namespace wahana
