#include "common/federation/aggregate_outbox.h"

#include <map>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/region/region_code.h"
#include "nlohmann/json.hpp"

namespace wahana {
namespace {

using wahana::federation::v1::AggregateChange;
using wahana::federation::v1::CellMove;
using wahana::federation::v1::TallyMove;

nlohmann::json DeltasJson(const google::protobuf::Map<std::string, int64_t>& deltas) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [field, delta] : deltas) out[field] = delta;
  return out;
}

absl::Status ReadDeltas(const nlohmann::json& json, absl::string_view what,
                        google::protobuf::Map<std::string, int64_t>* deltas) {
  if (!json.is_object()) return absl::InvalidArgumentError(absl::StrCat(what, ": not an object"));
  for (const auto& [field, delta] : json.items()) {
    // Lua's cjson writes every number as a double: accept whole ones.
    if (!delta.is_number() || (delta.is_number_float() &&
                               delta.get<double>() != static_cast<double>(delta.get<int64_t>()))) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": ", field, " is not a whole number"));
    }
    (*deltas)[field] = delta.get<int64_t>();
  }
  return absl::OkStatus();
}

// A list that Lua may have written as an empty object.
bool IsEmptyOrList(const nlohmann::json& json) {
  return json.is_array() || (json.is_object() && json.empty());
}

bool IsMonthText(absl::string_view month) {
  if (month.size() != 7 || month[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (!absl::ascii_isdigit(month[i])) return false;
  }
  return month.substr(5) >= "01" && month.substr(5) <= "12";
}

bool IsSubjectName(absl::string_view subject) {
  if (subject.empty() || subject.size() > 32) return false;
  for (char c : subject) {
    if (!absl::ascii_islower(c) && c != '_') return false;
  }
  return true;
}

absl::Status CheckDeltas(const google::protobuf::Map<std::string, int64_t>& deltas,
                         absl::string_view what) {
  for (const auto& [field, delta] : deltas) {
    bool printable = !field.empty() && field.size() <= 64;
    for (char c : field) printable = printable && absl::ascii_isgraph(c);
    if (!printable) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": field \"", field, "\" is not 1-64 printable characters"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckCode(absl::string_view code, absl::string_view region, absl::string_view what) {
  if (!ParseRegionCode(code, "code").ok()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": \"", code, "\" is not a region code"));
  }
  if (!RegionWithin(code, region)) {
    return absl::PermissionDeniedError(
        absl::StrCat(what, ": region ", code, " is outside the origin's region ", region));
  }
  return absl::OkStatus();
}

}  // namespace

std::string AggregateOutboxJson(const AggregateChange& change) {
  nlohmann::json out = nlohmann::json::object();
  if (change.cells_size() > 0) {
    nlohmann::json cells = nlohmann::json::array();
    for (const CellMove& cell : change.cells()) {
      cells.push_back({cell.subject(), cell.month(), cell.code(), DeltasJson(cell.deltas())});
    }
    out["c"] = std::move(cells);
  }
  if (change.tallies_size() > 0) {
    nlohmann::json tallies = nlohmann::json::array();
    for (const TallyMove& tally : change.tallies()) {
      tallies.push_back({tally.code(), DeltasJson(tally.deltas())});
    }
    out["t"] = std::move(tallies);
  }
  return out.dump();
}

absl::StatusOr<AggregateChange> ParseAggregateOutboxJson(absl::string_view text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return absl::InvalidArgumentError("moves: not a JSON object");
  AggregateChange change;
  if (json.contains("c")) {
    const nlohmann::json& cells = json["c"];
    if (!IsEmptyOrList(cells)) return absl::InvalidArgumentError("moves.c: not a list");
    for (const nlohmann::json& cell : cells) {
      if (!cell.is_array() || cell.size() != 4 || !cell[0].is_string() || !cell[1].is_string() ||
          !cell[2].is_string()) {
        return absl::InvalidArgumentError("moves.c: a cell is not [subject, month, code, deltas]");
      }
      CellMove* move = change.add_cells();
      move->set_subject(cell[0].get<std::string>());
      move->set_month(cell[1].get<std::string>());
      move->set_code(cell[2].get<std::string>());
      auto status = ReadDeltas(cell[3], "moves.c", move->mutable_deltas());
      if (!status.ok()) return status;
    }
  }
  if (json.contains("t")) {
    const nlohmann::json& tallies = json["t"];
    if (!IsEmptyOrList(tallies)) return absl::InvalidArgumentError("moves.t: not a list");
    for (const nlohmann::json& tally : tallies) {
      if (!tally.is_array() || tally.size() != 2 || !tally[0].is_string()) {
        return absl::InvalidArgumentError("moves.t: a tally is not [code, deltas]");
      }
      TallyMove* move = change.add_tallies();
      move->set_code(tally[0].get<std::string>());
      auto status = ReadDeltas(tally[1], "moves.t", move->mutable_deltas());
      if (!status.ok()) return status;
    }
  }
  return change;
}

void AggregateChangeSum::Add(const AggregateChange& more) {
  for (const CellMove& cell : more.cells()) {
    auto& deltas = cells_[{cell.subject(), cell.month(), cell.code()}];
    for (const auto& [field, delta] : cell.deltas()) deltas[field] += delta;
  }
  for (const TallyMove& tally : more.tallies()) {
    auto& deltas = tallies_[tally.code()];
    for (const auto& [field, delta] : tally.deltas()) deltas[field] += delta;
  }
}

AggregateChange AggregateChangeSum::Result() const {
  AggregateChange out;
  for (const auto& [where, deltas] : cells_) {
    CellMove move;
    std::tie(*move.mutable_subject(), *move.mutable_month(), *move.mutable_code()) = where;
    for (const auto& [field, delta] : deltas) {
      if (delta != 0) (*move.mutable_deltas())[field] = delta;
    }
    if (!move.deltas().empty()) *out.add_cells() = std::move(move);
  }
  for (const auto& [code, deltas] : tallies_) {
    TallyMove move;
    move.set_code(code);
    for (const auto& [field, delta] : deltas) {
      if (delta != 0) (*move.mutable_deltas())[field] = delta;
    }
    if (!move.deltas().empty()) *out.add_tallies() = std::move(move);
  }
  return out;
}

void AddAggregateChange(const AggregateChange& more, AggregateChange* sum) {
  AggregateChangeSum total;
  total.Add(*sum);
  total.Add(more);
  *sum = total.Result();
}

absl::Status CheckAggregateChange(const AggregateChange& change, absl::string_view region,
                                  absl::string_view what) {
  for (const CellMove& cell : change.cells()) {
    if (!IsSubjectName(cell.subject())) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": subject \"", cell.subject(), "\" is not a lowercase word"));
    }
    if (!IsMonthText(cell.month())) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": month \"", cell.month(), "\" is not YYYY-MM"));
    }
    auto status = CheckCode(cell.code(), region, what);
    if (status.ok()) status = CheckDeltas(cell.deltas(), what);
    if (!status.ok()) return status;
  }
  for (const TallyMove& tally : change.tallies()) {
    auto status = CheckCode(tally.code(), region, what);
    if (status.ok()) status = CheckDeltas(tally.deltas(), what);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace wahana
