#pragma once
// A district's figures from before it was linked to its province. Its outbox carries only what
// its counters move after the link (the apply scripts write it): a district that has worked for
// a year before linking would show at the province as if it started that day. So, once per
// district, the reporting service sends what its counters hold at the link as ordinary leaf moves
// (common/federation/aggregate_outbox.h) at the head of the outbox: every leaf cell (each
// subject's cell at its own code and month, the keys AggregateChangeWrites writes there) and each
// village's case tally. The province adds them as it adds any change; the changes after the
// link add on top.
//
// Consistency: it holds the rebuild lease (rebuild_lease.h) while it reads and writes, so no
// apply moves a counter or writes the outbox meanwhile, and it writes the snapshot and its
// marker in one MULTI. A district whose outbox was written before (linked by an older version)
// is only marked: its province has had those changes since, and sending the totals again would
// count them twice.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"

namespace wahana {

struct FiguresBeforeLink {
  int entries = 0;  // outbox entries written (0: sent before, or nothing to send)
  int cells = 0;
  int tallies = 0;
};

// Sends deployment `region`'s figures to `outbox` once (a marker key remembers it). Waits up to
// `wait` for a rebuild (or another replica doing the same) to give the lease up:
// FAILED_PRECONDITION when it does not. `cells_per_entry` bounds each outbox entry.
// Whether `region`'s figures from before the link were sent (its province has a copy of its
// counters to keep up to date).
absl::StatusOr<bool> FiguresBeforeLinkSent(RedisClient& redis, const std::string& region);

absl::StatusOr<FiguresBeforeLink> SendFiguresBeforeLink(RedisClient& redis,
                                                        const std::string& region,
                                                        const std::string& outbox,
                                                        absl::Duration wait = absl::Seconds(60),
                                                        int cells_per_entry = 500);

}  // namespace wahana
