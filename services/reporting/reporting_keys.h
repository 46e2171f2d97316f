#pragma once
// The Redis keys of the reporting service, all under the deployment's hash tag
// ("reporting:{16.06}:...") so the counters a message moves and its applied-marker share a slot
// (one script moves them all).

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace wahana {

// Case counts under one region prefix: hash {<CaseStatus number>: count, total: count}.
inline std::string CaseCountsKey(const std::string& region, const std::string& prefix) {
  return absl::StrCat("reporting:{", region, "}:case_counts:", prefix);
}

// Present once the message with `message_id` has been applied to the counters.
inline std::string AppliedMessageKey(const std::string& region, const std::string& message_id) {
  return absl::StrCat("reporting:{", region, "}:applied:", message_id);
}

// What every key of the reporting service starts with ("reporting:{16.06}:"); a rebuild builds
// new counters under StagedKeyBase before it swaps them in.
inline std::string ReportingKeyBase(const std::string& region) {
  return absl::StrCat("reporting:{", region, "}:");
}

// The pivot cell of `subject` ("case", "beneficiary": record_contribution.h) in one region code
// (a village, or above for what is placed there) and one month ("2026-11"), under `base`: hash
// {"<dimension>:<number>": count, ...}.
inline std::string PivotCellKeyAt(const std::string& base, absl::string_view subject,
                                  const std::string& month, const std::string& village) {
  return absl::StrCat(base, subject, "_cells:", month, ":", village);
}
inline std::string PivotCellKey(const std::string& region, absl::string_view subject,
                                const std::string& month, const std::string& village) {
  return PivotCellKeyAt(ReportingKeyBase(region), subject, month, village);
}

// The region codes with a cell of `subject` in one month, under `base`: set (what a query reads).
inline std::string PivotCellVillagesKeyAt(const std::string& base, absl::string_view subject,
                                          const std::string& month) {
  return absl::StrCat(base, subject, "_cell_villages:", month);
}
inline std::string PivotCellVillagesKey(const std::string& region, absl::string_view subject,
                                        const std::string& month) {
  return PivotCellVillagesKeyAt(ReportingKeyBase(region), subject, month);
}

// The roll-up of `subject`'s cells in one month at region code `code`, under `base`: the sum of
// every cell at or under it (a regency's, a subdistrict's), kept by the same step that moves the
// cells, so a report reads one hash per month and region asked, whatever the villages below.
inline std::string PivotRollupKeyAt(const std::string& base, absl::string_view subject,
                                    const std::string& month, const std::string& code) {
  return absl::StrCat(base, subject, "_cell_rollup:", month, ":", code);
}

// The months in which `subject` has cells, under `base`: set (a report of every period reads them).
inline std::string PivotMonthsKeyAt(const std::string& base, absl::string_view subject) {
  return absl::StrCat(base, subject, "_months");
}

// The case pivot's cells: the cell of one village in one intake month.
inline std::string CaseCellKey(const std::string& region, const std::string& month,
                               const std::string& village) {
  return PivotCellKey(region, "case", month, village);
}
inline std::string CaseCellVillagesKey(const std::string& region, const std::string& month) {
  return PivotCellVillagesKey(region, "case", month);
}

// What each record of `subject` is counted as, with its version, under `base`: hash
// {id: contribution JSON} (record_contribution.h ContributionJson).
inline std::string CountedRecordsKeyAt(const std::string& base, absl::string_view subject) {
  return absl::StrCat(base, "counted:", subject);
}

// The totals a record's children add to it ("event:<id>": {participants, checkedIn}), under
// `base`: hash.
inline std::string AttachedTotalsKeyAt(const std::string& base, const std::string& parent_text) {
  return absl::StrCat(base, "attached:", parent_text);
}

// Held by `wahana-reporting --rebuild` (reports_rebuild.h) while it works: value its token,
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

// The base of the keys a rebuild stages: StagedKey of every key under ReportingKeyBase.
inline std::string StagedKeyBase(const std::string& region) {
  return absl::StrCat("reporting:{", region, "}:rebuilding:");
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
