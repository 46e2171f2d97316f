#pragma once
// Reads typed settings from the environment. Every problem is collected, so a bad configuration
// is reported whole at start-up rather than one variable per restart.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace wahana {

class EnvReader {
 public:
  using Lookup = std::function<const char*(const char*)>;

  // `lookup` defaults to ::getenv; tests hand in a map.
  explicit EnvReader(Lookup lookup = nullptr);

  // Each getter returns the variable's value, or the default from AllSettings() when it is unset
  // or empty. `name` must be in AllSettings() (a programming error otherwise: reported by Finish).
  std::string String(absl::string_view name);
  int64_t Int(absl::string_view name, int64_t min, int64_t max);
  // A region code ("16", "16.06", ...), checked for shape only.
  std::string RegionCode(absl::string_view name);
  // One of `allowed`.
  std::string OneOf(absl::string_view name, const std::vector<std::string>& allowed);
  // Where a service is reached (a WAHANA_*_ADDR setting), as the gRPC target ServiceTarget makes
  // of it (common/grpc/service_target.h): host:port, a list of the replicas' addresses or
  // dns:///name:port. "" when empty.
  std::string ServiceTarget(absl::string_view name);
  // A port 1-65535; `fallback` is used when the setting and its table default are both empty.
  int Port(absl::string_view name, int fallback);
  // The value, when `check` accepts it; otherwise `check`'s message is reported for `name`. For a
  // setting whose rule lives with its user (WAHANA_TIME_ZONE: OfficeCalendar::Load).
  std::string Checked(absl::string_view name,
                      const std::function<absl::Status(const std::string&)>& check);

  // OK, or INVALID_ARGUMENT listing every bad variable with the reason.
  absl::Status Finish() const;

 private:
  std::string Raw(absl::string_view name);
  void Fail(absl::string_view name, absl::string_view value, absl::string_view why);

  Lookup lookup_;
  std::vector<std::string> errors_;
};

}  // namespace wahana
