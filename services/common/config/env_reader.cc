#include "common/config/env_reader.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/config/settings.h"
#include "common/grpc/service_target.h"
#include "common/region/region_code.h"

namespace wahana {

EnvReader::EnvReader(Lookup lookup)
    : lookup_(lookup ? std::move(lookup) : [](const char* n) { return std::getenv(n); }) {}

std::string EnvReader::Raw(absl::string_view name) {
  const SettingSpec* spec = FindSetting(name);
  if (spec == nullptr) {
    errors_.push_back(absl::StrCat(name, ": not a documented setting (add it to settings.cc)"));
    return "";
  }
  const char* value = lookup_(std::string(name).c_str());
  if (value == nullptr || *value == '\0') return std::string(spec->default_value);
  return value;
}

void EnvReader::Fail(absl::string_view name, absl::string_view value, absl::string_view why) {
  errors_.push_back(absl::StrCat(name, "=\"", value, "\": ", why));
}

std::string EnvReader::String(absl::string_view name) { return Raw(name); }

int64_t EnvReader::Int(absl::string_view name, int64_t min, int64_t max) {
  std::string raw = Raw(name);
  int64_t value = 0;
  if (!absl::SimpleAtoi(raw, &value)) {
    Fail(name, raw, "not an integer");
    return min;
  }
  if (value < min || value > max) {
    Fail(name, raw, absl::StrCat("must be between ", min, " and ", max));
    return min;
  }
  return value;
}

std::string EnvReader::RegionCode(absl::string_view name) {
  std::string raw = Raw(name);
  auto level = ParseRegionCode(raw, name);
  if (!level.ok()) {
    errors_.push_back(std::string(level.status().message()));
  } else if (*level > RegionLevelKind::kRegency) {
    Fail(name, raw, "a deployment serves a province (PP) or a regency (PP.KK)");
  }
  return raw;
}

std::string EnvReader::OneOf(absl::string_view name, const std::vector<std::string>& allowed) {
  std::string raw = Raw(name);
  for (const std::string& a : allowed) {
    if (raw == a) return raw;
  }
  Fail(name, raw, absl::StrCat("must be one of ", absl::StrJoin(allowed, ", ")));
  return allowed.empty() ? "" : allowed.front();
}

std::string EnvReader::ServiceTarget(absl::string_view name) {
  absl::StatusOr<std::string> target = wahana::ServiceTarget(name, Raw(name));
  if (target.ok()) return *std::move(target);
  errors_.push_back(std::string(target.status().message()));
  return "";
}

int EnvReader::Port(absl::string_view name, int fallback) {
  std::string raw = Raw(name);
  if (raw.empty()) return fallback;
  int value = 0;
  if (!absl::SimpleAtoi(raw, &value) || value < 1 || value > 65535) {
    Fail(name, raw, "must be a port number between 1 and 65535");
    return fallback;
  }
  return value;
}

std::string EnvReader::Checked(absl::string_view name,
                               const std::function<absl::Status(const std::string&)>& check) {
  std::string raw = Raw(name);
  if (absl::Status s = check(raw); !s.ok()) Fail(name, raw, s.message());
  return raw;
}

absl::Status EnvReader::Finish() const {
  if (errors_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("bad configuration: ", absl::StrJoin(errors_, "; ")));
}

}  // namespace wahana
