#include "reporting/rollup_backfill.h"

#include <map>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "reporting/case_counter_moves.h"
#include "reporting/pivot_cells.h"
#include "reporting/rebuild_lease.h"
#include "reporting/reporting_keys.h"

namespace wahana {
namespace {

// Bump it when the roll-ups' rule changes: they are then recomputed once more.
constexpr char kRollupVersion[] = "1";
constexpr char kCellVillages[] = "_cell_villages:";

std::string RollupVersionKey(const std::string& region) {
  return absl::StrCat(ReportingKeyBase(region), "rollup_version");
}

}  // namespace

absl::Status AddMissingRollups(RedisClient& redis, const std::string& region) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply mark, redis.Command({"GET", RollupVersionKey(region)}));
  if (mark.str == kRollupVersion) return absl::OkStatus();

  const std::string base = ReportingKeyBase(region);
  WAHANA_ASSIGN_OR_RETURN(std::vector<std::string> sets,
                          ScanKeys(redis, absl::StrCat(base, "*", kCellVillages, "*")));
  // rollup key -> field -> count
  std::map<std::string, std::map<std::string, int64_t>> rollups;
  for (const std::string& set : sets) {
    // "<base><subject>_cell_villages:<month>"; a rebuild's staged keys are not live ones.
    const std::string rest = set.substr(base.size());
    const size_t at = rest.find(kCellVillages);
    if (absl::StartsWith(rest, "rebuilding:") || at == std::string::npos) continue;
    const std::string subject = rest.substr(0, at);
    const std::string month = rest.substr(at + sizeof(kCellVillages) - 1);
    WAHANA_ASSIGN_OR_RETURN(RedisReply villages, redis.Command({"SMEMBERS", set}));
    std::vector<std::vector<std::string>> reads;
    for (const RedisReply& village : villages.elements) {
      reads.push_back({"HGETALL", PivotCellKeyAt(base, subject, month, village.str)});
    }
    if (reads.empty()) continue;
    WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> cells, redis.Pipeline(reads));
    for (size_t i = 0; i < cells.size() && i < villages.elements.size(); ++i) {
      WAHANA_ASSIGN_OR_RETURN(auto pairs, NumberPairs(cells[i], reads[i][1]));
      for (const std::string& code : PrefixesUpTo(villages.elements[i].str, region)) {
        auto& rollup = rollups[PivotRollupKeyAt(base, subject, month, code)];
        for (const auto& [field, count] : pairs) rollup[field] += count;
      }
    }
  }
  // Each roll-up replaced by its sum in one step (DEL and HSET in a transaction).
  for (const auto& [key, fields] : rollups) {
    std::vector<std::string> hset = {"HSET", key};
    for (const auto& [field, count] : fields) {
      if (count == 0) continue;
      hset.push_back(field);
      hset.push_back(std::to_string(count));
    }
    std::vector<std::vector<std::string>> commands = {{"MULTI"}, {"DEL", key}};
    if (hset.size() > 2) commands.push_back(std::move(hset));
    commands.push_back({"EXEC"});
    WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis.Pipeline(commands));
    for (const RedisReply& reply : replies) {
      if (reply.is_error())
        return absl::InternalError(absl::StrCat("roll-up ", key, ": ", reply.str));
    }
  }
  return redis.Command({"SET", RollupVersionKey(region), kRollupVersion}).status();
}

}  // namespace wahana
