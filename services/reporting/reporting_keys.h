#pragma once
// The Redis keys of the reporting service, all under the deployment's hash tag
// ("reporting:{16.06}:...") so the counters a message moves and its applied-marker share a slot
// (one script moves them all).

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

// The pivot cell of one village in one intake month ("2026-11"): hash {"<dimension>:<number>":
// count}.
inline std::string CaseCellKey(const std::string& region, const std::string& month,
                               const std::string& village) {
  return absl::StrCat("reporting:{", region, "}:case_cells:", month, ":", village);
}

// The villages with a cell in one intake month: set of village codes (what a query reads).
inline std::string CaseCellVillagesKey(const std::string& region, const std::string& month) {
  return absl::StrCat("reporting:{", region, "}:case_cell_villages:", month);
}

// Held by `wahana-reporting --rebuild` (case_counts_rebuild.h) while it works: value its token,
// with a TTL (a lease, so a rebuild that dies releases it). While it exists no message is applied.
inline std::string RebuildLeaseKey(const std::string& region) {
  return absl::StrCat("reporting:{", region, "}:rebuild_lease");
}

// The case counters' keys ("case_counts:", "case_cells:", "case_cell_villages:") all start so.
inline std::string CaseCountersPattern(const std::string& region) {
  return absl::StrCat("reporting:{", region, "}:case_c*");
}

// Where a rebuild builds the counter `live_key` (a key above) before it swaps it in.
inline std::string StagedKey(const std::string& region, const std::string& live_key) {
  const std::string live_prefix = absl::StrCat("reporting:{", region, "}:");
  return absl::StrCat("reporting:{", region, "}:rebuilding:", live_key.substr(live_prefix.size()));
}

// Every key a rebuild stages under.
inline std::string StagedKeysPattern(const std::string& region) {
  return absl::StrCat("reporting:{", region, "}:rebuilding:*");
}

// Messages skipped on one stream (types this version does not know): hash {type: count}.
inline std::string SkippedMessagesKey(const std::string& region, const std::string& stream) {
  return absl::StrCat("reporting:{", region, "}:skipped:", stream);
}

}  // namespace wahana
