#pragma once
// The Redis keys of the reporting service, all under the deployment's hash tag
// ("reporting:{16.06}:...") so the counters a message moves and its applied-marker share a slot.

#include <string>

#include "absl/strings/str_cat.h"

namespace wahana {

// Case counts under one region prefix: hash {<CaseStatus number>: count, total: count}.
inline std::string CaseCountsKey(const std::string& region, const std::string& prefix) {
  return absl::StrCat("reporting:{", region, "}:case_counts:", prefix);
}

// Present once the message with `message_id` has been applied to the counters.
inline std::string AppliedMessageKey(const std::string& region, const std::string& message_id) {
  return absl::StrCat("reporting:{", region, "}:applied:", message_id);
}

}  // namespace wahana
