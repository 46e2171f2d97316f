#include "federation_backlog.h"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/ids/time_ordered_id.h"
#include "reporting/case_counter_moves.h"
#include "reporting/redis_case_counts_store.h"

namespace wahana::bench {
namespace {

constexpr int kSubdistricts = 5;
constexpr int kVillagesEach = 10;
constexpr long kChangesPerCase = 5;
constexpr int kCategories = 25;
constexpr int kBacklogYear = 2026;

}  // namespace

std::vector<std::string> BacklogVillages(const std::string& district) {
  std::vector<std::string> villages;
  for (int s = 1; s <= kSubdistricts; ++s) {
    for (int v = 1; v <= kVillagesEach; ++v) {
      char code[32];
      std::snprintf(code, sizeof code, "%s.%02d.%04d", district.c_str(), s, 2000 + v);
      villages.push_back(code);
    }
  }
  return villages;
}

CaseCounterMoves BacklogChange(const std::string& district,
                               const std::vector<std::string>& villages, int year, long n) {
  const long c = n / kChangesPerCase;
  const int step = static_cast<int>(n % kChangesPerCase);
  const long count = static_cast<long>(villages.size());
  CaseCounterMoves moves;
  moves.village = villages[c % count];
  moves.prefixes = PrefixesUpTo(moves.village, district);
  moves.intake_month = absl::CivilMonth(year, 1 + (c / count) % 12);
  const int category = 1 + static_cast<int>(c % kCategories);
  if (step == 0) {
    const int kind = 1 + static_cast<int>((c / kCategories) % 2);
    moves.tally_moves = {{"1", 1}, {"total", 1}};
    moves.cell_moves = {{CellField(CaseDimension::kStatus, 1), 1},
                        {CellField(CaseDimension::kCategory, category), 1},
                        {CellField(CaseDimension::kKind, kind), 1}};
    return moves;
  }
  // Status `step` (INTAKE = 1 ...) moves to the next.
  moves.tally_moves = {{std::to_string(step + 1), 1}, {std::to_string(step), -1}};
  moves.cell_moves = {{CellField(CaseDimension::kStatus, step + 1), 1},
                      {CellField(CaseDimension::kStatus, step), -1}};
  if (step == 1 && c % 4 == 0) {
    moves.cell_moves.push_back(
        {CellField(CaseDimension::kCategory, category % kCategories + 1), 1});
    moves.cell_moves.push_back({CellField(CaseDimension::kCategory, category), -1});
  }
  return moves;
}

absl::Status WriteBacklog(RedisClient& redis, const std::string& district,
                          const std::string& outbox, long count, int threads) {
  const std::vector<std::string> villages = BacklogVillages(district);
  RedisCaseCountsStore store(redis, district, outbox);
  // Runs of whole cases, so each case's changes reach the outbox in order.
  const long cases = (count + kChangesPerCase - 1) / kChangesPerCase;
  const long cases_each = (cases + threads - 1) / threads;
  absl::Mutex mu;
  absl::Status first_error;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    const long begin = std::min(count, t * cases_each * kChangesPerCase);
    const long end = std::min(count, (t + 1) * cases_each * kChangesPerCase);
    workers.emplace_back([&, begin, end] {
      for (long n = begin; n < end; ++n) {
        absl::StatusOr<bool> applied =
            store.Apply(TimeOrderedIdGenerator::Default().Next(),
                        BacklogChange(district, villages, kBacklogYear, n));
        absl::Status status = applied.ok() && !*applied
                                  ? absl::InternalError(absl::StrCat("change ", n, " not applied"))
                                  : applied.status();
        if (!status.ok()) {
          absl::MutexLock lock(&mu);
          if (first_error.ok()) first_error = status;
          return;
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return first_error;
}

}  // namespace wahana::bench
