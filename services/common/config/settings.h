#pragma once
// Every setting of every Wahana process, read from environment variables at start-up. This table is
// the single place a setting's name, default and meaning live: `wahana-<process> --help` prints it
// and the README's configuration table is checked against it by a test.

#include <ostream>
#include <vector>

#include "absl/strings/string_view.h"

namespace wahana {

struct SettingSpec {
  absl::string_view name;
  absl::string_view default_value;
  // Which processes read it: "all", "services" (the five backends), or a comma list of process
  // names ("gateway,case,event").
  absl::string_view used_by;
  absl::string_view description;
};

// All settings, in the order the README lists them.
const std::vector<SettingSpec>& AllSettings();

// True when `process` ("registry", "gateway", ...) reads `spec`.
bool SettingUsedBy(const SettingSpec& spec, absl::string_view process);

// Writes the settings `process` reads, with defaults and meanings (the `--help` of every binary).
void PrintSettingsHelp(absl::string_view process, std::ostream& out);

// The spec of `name`, or nullptr when no such setting exists.
const SettingSpec* FindSetting(absl::string_view name);

}  // namespace wahana
