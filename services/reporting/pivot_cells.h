#pragma once
// The pivot cells every report is summed from: per subject ("case", "beneficiary", ...), one hash
// per region code and month (reporting_keys.h PivotCellKey) and the set of a month's region codes.
// A report reads the cells of the months it covers under the region it asks for, so its cost
// grows with the regions and months, not with the records counted.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/redis/redis_client.h"

namespace wahana {

// One counter of one pivot cell.
struct PivotCell {
  std::string village;  // the cell's region code: a village, or above for what is placed there
  absl::CivilMonth month;
  std::string field;  // "status:4", "n"
  int64_t count = 0;
};

// Every non-zero counter of `subject`'s cells under `key_base` (reporting_keys.h) under region
// code `prefix` in `months`: two pipelined round trips whatever the period. UNAVAILABLE when Redis
// cannot be reached, INTERNAL for a counter that is not a number.
absl::StatusOr<std::vector<PivotCell>> ReadPivotCells(RedisClient& redis,
                                                      const std::string& key_base,
                                                      absl::string_view subject,
                                                      const std::string& prefix,
                                                      const std::vector<absl::CivilMonth>& months);

// The roll-ups (reporting_keys.h PivotRollupKeyAt) of `subject` at each of `codes` in `months`,
// as cells placed at those codes, and the cells placed at `exact_code` itself ("" for none: what
// sits at a region rather than in a village below it, a regency-wide event). One pipelined round
// trip: the cost of a report is its months times the regions it shows.
absl::StatusOr<std::vector<PivotCell>> ReadPivotRollups(
    RedisClient& redis, const std::string& key_base, absl::string_view subject,
    const std::vector<std::string>& codes, const std::string& exact_code,
    const std::vector<absl::CivilMonth>& months);

// A flat HGETALL reply as (field, number) pairs; INTERNAL naming `what` for a non-number.
absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> NumberPairs(const RedisReply& reply,
                                                                         const std::string& what);

}  // namespace wahana
