#include "reporting/pivot_cells.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "reporting/report_period.h"
#include "reporting/reporting_keys.h"

namespace wahana {
namespace {

// Runs `reads` (HGETALL of cell hashes) in one pipeline: their non-zero counters, as cells of the
// (month, region code) beside each read.
absl::StatusOr<std::vector<PivotCell>> ReadCellHashes(
    RedisClient& redis, const std::vector<std::vector<std::string>>& reads,
    const std::vector<std::pair<absl::CivilMonth, std::string>>& cells) {
  std::vector<PivotCell> out;
  if (reads.empty()) return out;
  WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis.Pipeline(reads));
  for (size_t i = 0; i < replies.size() && i < cells.size(); ++i) {
    WAHANA_ASSIGN_OR_RETURN(auto pairs, NumberPairs(replies[i], reads[i][1]));
    for (auto& [field, count] : pairs) {
      if (count != 0) out.push_back({cells[i].second, cells[i].first, std::move(field), count});
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> NumberPairs(const RedisReply& reply,
                                                                         const std::string& what) {
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() % 2 != 0) {
    return absl::InternalError(absl::StrCat("HGETALL of ", what, ": unexpected reply"));
  }
  std::vector<std::pair<std::string, int64_t>> pairs;
  for (size_t i = 0; i < reply.elements.size(); i += 2) {
    int64_t count = 0;
    if (!absl::SimpleAtoi(reply.elements[i + 1].str, &count)) {
      return absl::InternalError(
          absl::StrCat(what, ": field ", reply.elements[i].str, " is not a number"));
    }
    pairs.emplace_back(reply.elements[i].str, count);
  }
  return pairs;
}

absl::StatusOr<std::vector<PivotCell>> ReadPivotRollups(
    RedisClient& redis, const std::string& key_base, absl::string_view subject,
    const std::vector<std::string>& codes, const std::string& exact_code,
    const std::vector<absl::CivilMonth>& months) {
  std::vector<std::vector<std::string>> reads;
  std::vector<std::pair<absl::CivilMonth, std::string>> cells;  // beside reads
  for (absl::CivilMonth month : months) {
    const std::string text = MonthText(month);
    for (const std::string& code : codes) {
      reads.push_back({"HGETALL", PivotRollupKeyAt(key_base, subject, text, code)});
      cells.emplace_back(month, code);
    }
    if (!exact_code.empty()) {
      reads.push_back({"HGETALL", PivotCellKeyAt(key_base, subject, text, exact_code)});
      cells.emplace_back(month, exact_code);
    }
  }
  return ReadCellHashes(redis, reads, cells);
}

absl::StatusOr<std::vector<PivotCell>> ReadPivotCells(RedisClient& redis,
                                                      const std::string& key_base,
                                                      absl::string_view subject,
                                                      const std::string& prefix,
                                                      const std::vector<absl::CivilMonth>& months) {
  // Two round trips whatever the period: the months' region codes, then their cells.
  std::vector<std::vector<std::string>> list_villages;
  for (absl::CivilMonth month : months) {
    list_villages.push_back(
        {"SMEMBERS", PivotCellVillagesKeyAt(key_base, subject, MonthText(month))});
  }
  std::vector<PivotCell> out;
  if (list_villages.empty()) return out;
  WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> villages, redis.Pipeline(list_villages));
  std::vector<std::vector<std::string>> read_cells;
  std::vector<std::pair<absl::CivilMonth, std::string>> cells;  // beside read_cells
  for (size_t m = 0; m < months.size() && m < villages.size(); ++m) {
    if (villages[m].is_error()) return absl::InternalError("SMEMBERS: " + villages[m].str);
    for (const RedisReply& village : villages[m].elements) {
      if (!RegionWithin(village.str, prefix)) continue;
      read_cells.push_back(
          {"HGETALL", PivotCellKeyAt(key_base, subject, MonthText(months[m]), village.str)});
      cells.emplace_back(months[m], village.str);
    }
  }
  return ReadCellHashes(redis, read_cells, cells);
}

}  // namespace wahana
