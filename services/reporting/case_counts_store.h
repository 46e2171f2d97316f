#pragma once
// Where the reporting service keeps its case counters: the interface the reporting logic depends
// on (RedisCaseCountsStore in production, an in-memory fake in the logic's tests).
//
// Two sets of counters, moved together by one message:
//   - the status tally of every region prefix (GetCaseCounts): {status: count, total};
//   - the pivot cells (GetCaseReport): per village and intake month, one counter per dimension
//     value ("status:4", "category:8", "kind:1"). A region's count is the sum of its villages'
//     cells on query, so a regency's total is exactly the sum of its subdistricts', and a query
//     costs what the villages and months asked for cost, whatever the number of cases.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "reporting/pivot_cells.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {

// The counts under one region prefix.
struct CaseTally {
  std::map<wahana::cases::v1::CaseStatus, int64_t> by_status;  // statuses with a count only
  int64_t total = 0;                                           // cases ever created
};

// What one case message moves. Fields are "<number>" and "total" in a tally, "<dimension>:<number>"
// in a cell (case_cells.h names them).
struct CaseCounterMoves {
  std::vector<std::string> prefixes;                         // the tallies to move
  std::vector<std::pair<std::string, int64_t>> tally_moves;  // field, delta: on every prefix
  std::string village;                                       // the case's cell ...
  absl::CivilMonth intake_month;                             // ... in the month of its intake
  std::vector<std::pair<std::string, int64_t>> cell_moves;   // field, delta

  bool empty() const { return tally_moves.empty() && cell_moves.empty(); }
};

class CaseCountsStore {
 public:
  virtual ~CaseCountsStore() = default;

  // Applies `moves` at most once per `message_id`: every counter and the "applied" mark move
  // together or not at all. Returns true when applied now, false when the message had been
  // applied before (nothing changed).
  virtual absl::StatusOr<bool> Apply(const std::string& message_id,
                                     const CaseCounterMoves& moves) = 0;

  // Counts a message of `type` on `stream` that this service does not know, at most once per
  // `message_id` (so the count is of messages, not deliveries). True when counted now.
  virtual absl::StatusOr<bool> RecordSkipped(const std::string& message_id,
                                             const std::string& stream,
                                             const std::string& type) = 0;

  // The tally under `prefix` (all zero when nothing was counted there).
  virtual absl::StatusOr<CaseTally> Read(const std::string& prefix) = 0;

  // Every non-zero counter of the cells of the villages under `prefix` in `months`.
  virtual absl::StatusOr<std::vector<PivotCell>> ReadCells(
      const std::string& prefix, const std::vector<absl::CivilMonth>& months) = 0;

  // The roll-ups of the cells at each of `codes` and the cells placed at `exact_code` itself
  // (pivot_cells.h ReadPivotRollups) in `months`.
  virtual absl::StatusOr<std::vector<PivotCell>> ReadRollups(
      const std::vector<std::string>& codes, const std::string& exact_code,
      const std::vector<absl::CivilMonth>& months) = 0;

  // The skipped messages of `stream`, by type.
  virtual absl::StatusOr<std::map<std::string, int64_t>> ReadSkipped(const std::string& stream) = 0;

  // All errors: UNAVAILABLE when storage cannot be reached, INTERNAL for corrupt data.
};

}  // namespace wahana
