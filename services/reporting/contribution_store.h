#pragma once
// Where the contribution-counted subjects (record_contribution.h) keep their counters: the
// interface the reporting logic depends on (RedisContributionStore in production).

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "reporting/pivot_cells.h"
#include "reporting/record_contribution.h"

namespace wahana {

class ContributionStore {
 public:
  virtual ~ContributionStore() = default;

  // Makes `contribution` what record `id` of `subject` counts as at `version`, unless the record
  // is already counted at `version` or later (then nothing changes: a redelivered or overtaken
  // message). In one atomic step: its old cell loses the old fields and its new cell gains the new
  // ones (with the totals its children attached to it), its old parent loses the old parent fields
  // and its new parent gains the new ones (in the parent's cell too while the parent is counted).
  // True when applied now.
  virtual absl::StatusOr<bool> Apply(CountedSubject subject, const std::string& id, int64_t version,
                                     const Contribution& contribution) = 0;

  // Every non-zero counter of `subject`'s cells under region code `prefix` in `months`.
  virtual absl::StatusOr<std::vector<PivotCell>> ReadCells(
      CountedSubject subject, const std::string& prefix,
      const std::vector<absl::CivilMonth>& months) = 0;

  // The roll-ups of `subject`'s cells at each of `codes` and its cells placed at `exact_code`
  // itself (pivot_cells.h ReadPivotRollups) in `months`.
  virtual absl::StatusOr<std::vector<PivotCell>> ReadRollups(
      CountedSubject subject, const std::vector<std::string>& codes, const std::string& exact_code,
      const std::vector<absl::CivilMonth>& months) = 0;

  // The months in which `subject` has ever had cells (a report over every period), in order.
  virtual absl::StatusOr<std::vector<absl::CivilMonth>> ReadMonths(CountedSubject subject) = 0;

  // What `subject`'s records count as now, by id (a KPI's per-record rows).
  virtual absl::StatusOr<std::map<std::string, Contribution>> ReadCounted(
      CountedSubject subject) = 0;

  // The totals `parent`'s children attached to it (all zero: empty).
  virtual absl::StatusOr<std::map<std::string, int64_t>> ReadAttached(
      const ParentRecord& parent) = 0;

  // All errors: UNAVAILABLE when storage cannot be reached, INTERNAL for corrupt data.
};

}  // namespace wahana
