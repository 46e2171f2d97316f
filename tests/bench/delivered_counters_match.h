#pragma once
// Whether a province holds the same case counters as its district after a drain ("the same
// numbers as if they had arrived live"): every case hash of the district (case_counts:*,
// case_cells:*, case_cell_rollup:*) equals the province's hash of the same name after the hash
// tag (a field at 0 and a missing field both count 0), and the district's own tallies and roll-ups
// (at its code) equal the province's at the province's code, which only the district's figures
// feed.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"

namespace wahana::bench {

struct CountersMatch {
  long hashes_compared = 0;
  long mismatches = 0;
  // Equal once fields at 0 are left out (WithoutZeros in the .cc): the same numbers.
  long differ_in_zeros = 0;
  std::string first_mismatch;  // the district's key and both hashes, when there is one
  int64_t district_total = 0;  // "total" of the district's tally
  int64_t province_total = 0;  // "total" of the province's tally
  bool same() const { return mismatches == 0 && district_total == province_total; }
};

// Compares the counters of `district` (on `district_redis`) with those of `province` (on
// `province_redis`). UNAVAILABLE when a Redis cannot be read.
absl::StatusOr<CountersMatch> CompareDeliveredCounters(RedisClient& district_redis,
                                                       const std::string& district,
                                                       RedisClient& province_redis,
                                                       const std::string& province);

}  // namespace wahana::bench
