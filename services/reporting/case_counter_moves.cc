#include "reporting/case_counter_moves.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "common/region/region_code.h"
#include "reporting/report_period.h"
#include "reporting/reporting_keys.h"

namespace wahana {
namespace {

using wahana::cases::v1::CaseChanged;

}  // namespace

std::vector<std::string> PrefixesUpTo(const std::string& code, const std::string& scope) {
  std::vector<std::string> prefixes;
  for (std::string prefix = code; !prefix.empty() && RegionWithin(prefix, scope);
       prefix = ParentRegionCode(prefix)) {
    prefixes.push_back(prefix);
  }
  return prefixes;
}

absl::string_view CaseDimensionName(CaseDimension dimension) {
  switch (dimension) {
    case CaseDimension::kStatus:
      return "status";
    case CaseDimension::kCategory:
      return "category";
    case CaseDimension::kKind:
      return "kind";
  }
  return "unknown";
}

std::string CellField(CaseDimension dimension, int number) {
  return absl::StrCat(CaseDimensionName(dimension), ":", number);
}

CounterWrites CaseCounterWrites(const std::string& region, const CaseCounterMoves& moves) {
  return AggregateChangeWrites(region, CaseAggregateChange(moves));
}

wahana::federation::v1::AggregateChange CaseAggregateChange(const CaseCounterMoves& moves) {
  wahana::federation::v1::AggregateChange change;
  if (!moves.cell_moves.empty()) {
    wahana::federation::v1::CellMove* cell = change.add_cells();
    cell->set_subject("case");
    cell->set_month(MonthText(moves.intake_month));
    cell->set_code(moves.village);
    for (const auto& [field, delta] : moves.cell_moves) (*cell->mutable_deltas())[field] += delta;
  }
  if (!moves.tally_moves.empty()) {
    wahana::federation::v1::TallyMove* tally = change.add_tallies();
    tally->set_code(moves.village);
    for (const auto& [field, delta] : moves.tally_moves) {
      (*tally->mutable_deltas())[field] += delta;
    }
  }
  return change;
}

CounterWrites AggregateChangeWrites(const std::string& region,
                                    const wahana::federation::v1::AggregateChange& change) {
  CounterWrites writes;
  const std::string base = ReportingKeyBase(region);
  for (const wahana::federation::v1::TallyMove& tally : change.tallies()) {
    for (const std::string& prefix : PrefixesUpTo(tally.code(), region)) {
      for (const auto& [field, delta] : tally.deltas()) {
        writes.increments.emplace_back(CaseCountsKey(region, prefix), field, delta);
      }
    }
  }
  for (const wahana::federation::v1::CellMove& cell : change.cells()) {
    const std::vector<std::string> prefixes = PrefixesUpTo(cell.code(), region);
    for (const auto& [field, delta] : cell.deltas()) {
      writes.increments.emplace_back(
          PivotCellKeyAt(base, cell.subject(), cell.month(), cell.code()), field, delta);
      // The cell's code and every region above it sum the cell.
      for (const std::string& prefix : prefixes) {
        writes.increments.emplace_back(PivotRollupKeyAt(base, cell.subject(), cell.month(), prefix),
                                       field, delta);
      }
    }
    writes.set_members.emplace_back(PivotCellVillagesKeyAt(base, cell.subject(), cell.month()),
                                    cell.code());
    writes.set_members.emplace_back(PivotMonthsKeyAt(base, cell.subject()), cell.month());
  }
  return writes;
}

absl::StatusOr<CaseCounterMoves> CaseCounterMovesOf(const CaseChanged& changed,
                                                    const std::string& region,
                                                    const OfficeCalendar& calendar,
                                                    absl::string_view message_id) {
  CaseCounterMoves moves;
  const bool created = changed.status_before() == wahana::cases::v1::CASE_STATUS_UNSPECIFIED;
  const bool status_moved = changed.status_before() != changed.status_after();
  const bool category_moved = !created && changed.category_before() != changed.category_after();
  // Most actions (notes, services, referrals) change nothing counted.
  if (!status_moved && !category_moved) return moves;

  const wahana::cases::v1::Case& c = changed.case_();
  const std::string& village = c.village_code();
  if (!ParseRegionCode(village, "villageCode").ok() || !RegionWithin(village, region)) {
    return absl::InvalidArgumentError(absl::StrCat("message ", message_id, ": case ", c.id(),
                                                   " has region \"", village, "\", not within ",
                                                   region));
  }
  if (!c.has_create_time()) {
    return absl::InvalidArgumentError(
        absl::StrCat("message ", message_id, ": case ", c.id(), " has no create_time"));
  }
  moves.prefixes = PrefixesUpTo(village, region);
  moves.village = village;
  moves.intake_month = OfficeMonth(
      calendar, absl::FromUnixMillis(
                    google::protobuf::util::TimeUtil::TimestampToMilliseconds(c.create_time())));

  const int after = static_cast<int>(changed.status_after());
  const int before = static_cast<int>(changed.status_before());
  if (created) {
    moves.tally_moves = {{std::to_string(after), 1}, {"total", 1}};
    moves.cell_moves = {{CellField(CaseDimension::kStatus, after), 1},
                        {CellField(CaseDimension::kCategory, changed.category_after()), 1},
                        {CellField(CaseDimension::kKind, c.kind()), 1}};
    return moves;
  }
  if (status_moved) {
    moves.tally_moves = {{std::to_string(after), 1}, {std::to_string(before), -1}};
    moves.cell_moves = {{CellField(CaseDimension::kStatus, after), 1},
                        {CellField(CaseDimension::kStatus, before), -1}};
  }
  if (category_moved) {
    moves.cell_moves.push_back({CellField(CaseDimension::kCategory, changed.category_after()), 1});
    moves.cell_moves.push_back(
        {CellField(CaseDimension::kCategory, changed.category_before()), -1});
  }
  return moves;
}

}  // namespace wahana
