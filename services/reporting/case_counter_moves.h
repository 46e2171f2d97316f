#pragma once
// Which counters one CaseChanged message moves (case_counts_store.h): a pure function, so the
// rule is tested without Redis and the store only applies what it is given.
//
// A create counts the case once: in the tallies (its status and the total) of its village and
// every region above it up to the deployment, and in its pivot cell (village, intake month) under
// its status, category and kind. A later action moves the status (and the category, which
// :assess may confirm) from before to after; the village, kind and intake never change.

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/time/office_calendar.h"
#include "reporting/case_counts_store.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

// The dimensions a pivot cell counts by.
enum class CaseDimension { kStatus, kCategory, kKind };

// "status", "category", "kind".
absl::string_view CaseDimensionName(CaseDimension dimension);

// A cell's field: "<dimension>:<enum number>" ("category:8"). Numbers, not names: enum names may
// be renamed, numbers never change.
std::string CellField(CaseDimension dimension, int number);

// `code` and each region above it, up to and including `scope` (code first): the tallies a case
// of village `code` counts in.
std::vector<std::string> PrefixesUpTo(const std::string& code, const std::string& scope);

// What applying `moves` writes in deployment `region`: hash increments and set members, by live
// key (the store's script and the rebuild both write exactly these).
struct CounterWrites {
  std::vector<std::tuple<std::string, std::string, int64_t>> increments;  // key, field, delta
  std::vector<std::pair<std::string, std::string>> set_members;           // key, member
};
CounterWrites CaseCounterWrites(const std::string& region, const CaseCounterMoves& moves);

// The leaf of `moves`, as a district sends it to its province (common/federation/
// aggregate_outbox.h): the case's cell in its village and intake month, and its village's tally.
wahana::federation::v1::AggregateChange CaseAggregateChange(const CaseCounterMoves& moves);

// What applying leaf moves writes in deployment `region` (one rule for a district's own case
// messages and for what a province's districts deliver): each cell, its roll-ups at its code and
// every region above it up to `region`, its code in the month's set and its month in the
// subject's; each tally at its code and every region above it up to `region`.
CounterWrites AggregateChangeWrites(const std::string& region,
                                    const wahana::federation::v1::AggregateChange& change);

// The moves of `changed` in deployment `region`, placing the case in the month of its
// create_time on `calendar`. Empty moves when the message changes nothing counted.
// INVALID_ARGUMENT (naming `message_id`) when the case's village is malformed or outside
// `region`, or a create has no create_time.
absl::StatusOr<CaseCounterMoves> CaseCounterMovesOf(const wahana::cases::v1::CaseChanged& changed,
                                                    const std::string& region,
                                                    const OfficeCalendar& calendar,
                                                    absl::string_view message_id);

}  // namespace wahana
