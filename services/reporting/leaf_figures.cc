#include "reporting/leaf_figures.h"

#include <iterator>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "common/status/status_macros.h"
#include "reporting/record_contribution.h"
#include "reporting/reporting_keys.h"

namespace wahana {
namespace {

// The subjects with pivot cells: the case pivot and each counted record subject.
std::vector<std::string> CellSubjects(bool records) {
  std::vector<std::string> subjects = {"case"};
  if (!records) return subjects;
  for (CountedSubject subject : CelledSubjects()) {
    subjects.emplace_back(CountedSubjectName(subject));
  }
  return subjects;
}

std::vector<std::string> Members(const RedisReply& reply) {
  std::vector<std::string> out;
  for (const RedisReply& element : reply.elements) out.push_back(element.str);
  return out;
}

// A hash's non-zero integer fields (a counter at 0 moves nothing).
LeafFigures::Counts CountsOf(const RedisReply& reply) {
  LeafFigures::Counts out;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    int64_t value = 0;
    if (absl::SimpleAtoi(reply.elements[i + 1].str, &value) && value != 0) {
      out[reply.elements[i].str] = value;
    }
  }
  return out;
}

LeafFigures::Counts CountsDifference(const LeafFigures::Counts& from,
                                     const LeafFigures::Counts& to) {
  LeafFigures::Counts out = to;
  for (const auto& [field, value] : from) out[field] -= value;
  for (auto it = out.begin(); it != out.end();) {
    it = it->second == 0 ? out.erase(it) : std::next(it);
  }
  return out;
}

template <typename Key>
std::map<Key, LeafFigures::Counts> MapDifference(const std::map<Key, LeafFigures::Counts>& from,
                                                 const std::map<Key, LeafFigures::Counts>& to) {
  std::map<Key, LeafFigures::Counts> out;
  static const LeafFigures::Counts kNone;
  for (const auto& [key, counts] : to) {
    auto before = from.find(key);
    LeafFigures::Counts moved =
        CountsDifference(before == from.end() ? kNone : before->second, counts);
    if (!moved.empty()) out[key] = std::move(moved);
  }
  for (const auto& [key, counts] : from) {
    if (to.count(key) == 0) {
      LeafFigures::Counts moved = CountsDifference(counts, kNone);
      if (!moved.empty()) out[key] = std::move(moved);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<LeafFigures> ReadLeafFigures(
    RedisClient& redis, const std::string& region,
    const std::function<std::string(const std::string&)>& key_of, bool records) {
  const std::string base = ReportingKeyBase(region);
  LeafFigures figures;
  std::set<std::string> case_villages;
  for (const std::string& subject : CellSubjects(records)) {
    WAHANA_ASSIGN_OR_RETURN(RedisReply months,
                            redis.Command({"SMEMBERS", key_of(PivotMonthsKeyAt(base, subject))}));
    for (const std::string& month : Members(months)) {
      WAHANA_ASSIGN_OR_RETURN(
          RedisReply codes,
          redis.Command({"SMEMBERS", key_of(PivotCellVillagesKeyAt(base, subject, month))}));
      const std::vector<std::string> code_list = Members(codes);
      if (code_list.empty()) continue;
      std::vector<std::vector<std::string>> reads;
      for (const std::string& code : code_list) {
        reads.push_back({"HGETALL", key_of(PivotCellKeyAt(base, subject, month, code))});
      }
      WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> cells, redis.Pipeline(reads));
      for (size_t i = 0; i < cells.size(); ++i) {
        if (subject == "case") case_villages.insert(code_list[i]);
        LeafFigures::Counts counts = CountsOf(cells[i]);
        if (!counts.empty()) figures.cells[{subject, month, code_list[i]}] = std::move(counts);
      }
    }
  }
  // A case is tallied in its village (and above, which the receiver rolls up itself).
  if (case_villages.empty()) return figures;
  std::vector<std::vector<std::string>> reads;
  for (const std::string& village : case_villages) {
    reads.push_back({"HGETALL", key_of(CaseCountsKey(region, village))});
  }
  WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> tallies, redis.Pipeline(reads));
  size_t i = 0;
  for (const std::string& village : case_villages) {
    LeafFigures::Counts counts = CountsOf(tallies[i++]);
    if (!counts.empty()) figures.tallies[village] = std::move(counts);
  }
  return figures;
}

LeafFigures FiguresDifference(const LeafFigures& from, const LeafFigures& to) {
  LeafFigures out;
  out.cells = MapDifference(from.cells, to.cells);
  out.tallies = MapDifference(from.tallies, to.tallies);
  return out;
}

std::vector<wahana::federation::v1::AggregateChange> FiguresAsChanges(const LeafFigures& figures,
                                                                      int moves_per_change) {
  std::vector<wahana::federation::v1::AggregateChange> changes;
  auto room = [&]() -> wahana::federation::v1::AggregateChange& {
    if (changes.empty() ||
        changes.back().cells_size() + changes.back().tallies_size() >= moves_per_change) {
      changes.emplace_back();
    }
    return changes.back();
  };
  for (const auto& [where, counts] : figures.cells) {
    wahana::federation::v1::CellMove* cell = room().add_cells();
    cell->set_subject(std::get<0>(where));
    cell->set_month(std::get<1>(where));
    cell->set_code(std::get<2>(where));
    cell->mutable_deltas()->insert(counts.begin(), counts.end());
  }
  for (const auto& [village, counts] : figures.tallies) {
    wahana::federation::v1::TallyMove* tally = room().add_tallies();
    tally->set_code(village);
    tally->mutable_deltas()->insert(counts.begin(), counts.end());
  }
  return changes;
}

}  // namespace wahana
