#pragma once
// `wahana-reporting --rebuild`: recomputes the case counters (the status tallies of GetCaseCounts
// and the pivot cells of GetCaseReport) from the case service's records, read through its API
// (case_source.h), counting each case by the live path's rule (case_counter_moves.h), and, given
// a record source, the contribution-counted reports (the record reports and the caseloads) from
// the registry's and the event service's records (contributions_rebuild.h, which says why they
// need no subtraction); it swaps them all in with one Lua script (rebuild_lease.h), so readers see
// the old numbers or the new, never half-built ones.
//
// Consistency with the live consumer (RedisCaseCountsStore::Apply): the rebuild holds a lease
// (RebuildLeaseKey, rebuild_lease.h) from before it lists until the swap; while it exists no
// message is applied (Apply waits). So the set A of applied messages is fixed, and the rebuilt
// counters must equal the sum of the moves of A, because after the swap the consumer applies
// exactly the messages not in A (their applied marks decide). Every message of A was written before
// the listing, so it is in the records listed. A listed record may also hold messages not in A (not
// yet consumed, or written meanwhile): those are exactly the entries the reporting group has not
// acked (pending, or after its last-delivered id) whose case version is at most the listed one and
// which have no applied mark; their moves are subtracted. Rebuilt = sum over listed cases of
// "created as listed" - those moves = the moves of A. A case created after the listing counts when
// its messages are applied, as any new case.
//
// A message the consumer dead-lettered for a transient failure is in the records, not in A: the
// rebuild counts it (it corrects the live numbers there). A case whose village is malformed or
// outside the deployment is skipped, as the live path dead-letters its messages.
//
// A linked district (RebuildOptions::outbox) tells its province what the swap moved.

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/time/office_calendar.h"
#include "reporting/case_source.h"
#include "reporting/record_source.h"

namespace wahana {

struct RebuildOptions {
  // How long the lease lasts without renewal (it is renewed after every page and step): the
  // longest a crashed rebuild holds up the consumer.
  absl::Duration lease = absl::Seconds(60);
  // WAHANA_CASE_OVERDUE_DAYS, as the live consumer counts overdue cases.
  int case_overdue_days = 30;
  // Runs after the listing, before the unconsumed messages are read (tests: writes meanwhile).
  std::function<void()> after_listing;
  // A district linked to its province: its aggregate outbox (bus_contract.h OutboxStreamKey).
  // Once its figures were sent (figures_before_link.h), the swap also appends what it moved at
  // the leaf (the rebuilt figures minus the live ones, leaf_figures.h) there, in the same script,
  // so the province's copy moves as the district's own counters do.
  std::string outbox;
};

struct RebuildSummary {
  int64_t cases = 0;           // listed and counted
  int64_t records = 0;         // registry and event records (participants too) listed and counted
  int64_t skipped = 0;         // listed, not countable (the live path dead-letters them too)
  int64_t unapplied = 0;       // listed changes not yet applied by the consumer, left to it
  int64_t keys = 0;            // keys swapped in
  int64_t outbox_entries = 0;  // a linked district: entries telling its province what moved
};

// Rebuilds the case counters of deployment `region`, and with `records` (may be null: cases only)
// the contribution-counted reports. FAILED_PRECONDITION when another rebuild holds the lease;
// ABORTED when the lease was lost before the swap (nothing swapped: run again); UNAVAILABLE when
// Redis or a service cannot answer; INVALID_ARGUMENT for an unreadable stream entry. On failure
// the live counters are unchanged and the lease is released.
absl::StatusOr<RebuildSummary> RebuildReports(RedisClient& redis, const std::string& region,
                                              const OfficeCalendar& calendar, CaseSource& source,
                                              RecordSource* records,
                                              const RebuildOptions& options = {});

}  // namespace wahana
