#pragma once
// The one format of a district's aggregate outbox entries (bus_contract.h, OutboxStreamKey): the
// reporting service writes them (from Lua, reporting/redis_contribution_store.cc, and from C++,
// AggregateOutboxJson) and the federation relay reads them back into the AggregateChange it sends.
//
//   {"c": [[subject, month, code, {field: delta, ...}], ...],   the leaf cells moved
//    "t": [[code, {field: delta, ...}], ...]}                   the village case tallies moved
//
// Either list may be absent, or an empty object (Lua's cjson writes an empty table so).

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

// The entry's field names: "type" "aggregates" "moves" <JSON>.
inline constexpr char kOutboxTypeField[] = "type";
inline constexpr char kOutboxAggregatesType[] = "aggregates";
inline constexpr char kOutboxMovesField[] = "moves";

std::string AggregateOutboxJson(const wahana::federation::v1::AggregateChange& change);

// INVALID_ARGUMENT naming what is malformed.
absl::StatusOr<wahana::federation::v1::AggregateChange> ParseAggregateOutboxJson(
    absl::string_view json);

// Adds `more` to `*sum`: cells of the same subject, month and code, and tallies of the same code,
// become one, their deltas added; deltas that reach zero are dropped, and moves left empty.
void AddAggregateChange(const wahana::federation::v1::AggregateChange& more,
                        wahana::federation::v1::AggregateChange* sum);

// The sum of many changes, as AddAggregateChange of each in turn would make it, in one pass: a
// batch of n messages costs n additions, not n rebuilds of the sum so far.
class AggregateChangeSum {
 public:
  void Add(const wahana::federation::v1::AggregateChange& more);
  wahana::federation::v1::AggregateChange Result() const;

 private:
  std::map<std::tuple<std::string, std::string, std::string>, std::map<std::string, int64_t>>
      cells_;  // (subject, month, code) -> field -> delta
  std::map<std::string, std::map<std::string, int64_t>> tallies_;  // code -> field -> delta
};

// OK when every cell and tally of `change` lies within `region` (a region code or a prefix of
// it) and is well formed (subject a lowercase word, month "YYYY-MM", code a region code, field
// names 1-64 printable characters); otherwise PERMISSION_DENIED naming the code outside, or
// INVALID_ARGUMENT naming the malformed part. `what` prefixes the message ("message 1765-0").
absl::Status CheckAggregateChange(const wahana::federation::v1::AggregateChange& change,
                                  absl::string_view region, absl::string_view what);

}  // namespace wahana
