#pragma once
// What a deployment's counters hold at the leaf, as a district sends it to its province
// (common/federation/aggregate_outbox.h): every subject's cell at its own code and month (the
// keys AggregateChangeWrites writes there: the roll-ups above are the receiver's to compute) and
// each village's case tally. Read for the figures a district sends when it is first linked
// (figures_before_link.h), and twice by a linked district's rebuild, whose difference is what the
// province must be told (reports_rebuild.h).

#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

struct LeafFigures {
  using Counts = std::map<std::string, int64_t>;  // field -> value, zeros left out
  std::map<std::tuple<std::string, std::string, std::string>, Counts>
      cells;                              // subject, month, code
  std::map<std::string, Counts> tallies;  // village
};

// The leaf figures of deployment `region`, reading each key through `key_of` (a live key's name
// -> the key to read: itself, or where a rebuild staged it); the case pivot and tallies only
// when `records` is false (a rebuild of the case counters alone).
absl::StatusOr<LeafFigures> ReadLeafFigures(
    RedisClient& redis, const std::string& region,
    const std::function<std::string(const std::string&)>& key_of, bool records = true);

// What moves `from` to `to`, field by field (zeros left out).
LeafFigures FiguresDifference(const LeafFigures& from, const LeafFigures& to);

// `figures` as leaf moves, at most `moves_per_change` cells and tallies in each change.
std::vector<wahana::federation::v1::AggregateChange> FiguresAsChanges(const LeafFigures& figures,
                                                                      int moves_per_change);

}  // namespace wahana
