#include "reporting/figures_before_link.h"

#include <spdlog/spdlog.h>

#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/bus/atomic_write.h"
#include "common/federation/aggregate_outbox.h"
#include "common/status/status_macros.h"
#include "reporting/rebuild_lease.h"
#include "reporting/record_contribution.h"
#include "reporting/reporting_keys.h"

namespace wahana {
namespace {

using wahana::federation::v1::AggregateChange;

// The lease outlives the reads of a large district by far; renewed before the write.
constexpr absl::Duration kLeaseTtl = absl::Seconds(60);

// Present once the district's figures from before the link were sent (or found not needed).
std::string SentMarkerKey(const std::string& region) {
  return absl::StrCat(ReportingKeyBase(region), "outbox_figures_before_link");
}

// The subjects with pivot cells: the case pivot and each counted record subject.
std::vector<std::string> CellSubjects() {
  std::vector<std::string> subjects = {"case"};
  for (CountedSubject subject :
       {CountedSubject::kBeneficiary, CountedSubject::kInstitution, CountedSubject::kNetwork,
        CountedSubject::kWorker, CountedSubject::kEvent, CountedSubject::kParticipant,
        CountedSubject::kCase}) {
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
std::map<std::string, int64_t> Counts(const RedisReply& reply) {
  std::map<std::string, int64_t> out;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    int64_t value = 0;
    if (absl::SimpleAtoi(reply.elements[i + 1].str, &value) && value != 0) {
      out[reply.elements[i].str] = value;
    }
  }
  return out;
}

// Whether anything was ever added to `stream` (XINFO's entries-added: trims do not lower it).
absl::StatusOr<bool> EverWritten(RedisClient& redis, const std::string& stream) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply exists, redis.Command({"EXISTS", stream}));
  if (exists.integer == 0) return false;
  WAHANA_ASSIGN_OR_RETURN(RedisReply info, redis.Command({"XINFO", "STREAM", stream}));
  for (size_t i = 0; i + 1 < info.elements.size(); i += 2) {
    if (info.elements[i].str == "entries-added") return info.elements[i + 1].integer > 0;
  }
  return absl::InternalError(absl::StrCat("XINFO STREAM ", stream, ": no entries-added"));
}

// Every leaf cell and village tally of `region`, in changes of at most `per_entry` moves each.
absl::StatusOr<std::vector<AggregateChange>> ReadFigures(RedisClient& redis,
                                                         const std::string& region, int per_entry,
                                                         FiguresBeforeLink& counted) {
  const std::string base = ReportingKeyBase(region);
  std::vector<AggregateChange> changes(1);
  auto room = [&]() -> AggregateChange& {
    if (changes.back().cells_size() + changes.back().tallies_size() >= per_entry) {
      changes.emplace_back();
    }
    return changes.back();
  };
  std::set<std::string> case_villages;
  for (const std::string& subject : CellSubjects()) {
    WAHANA_ASSIGN_OR_RETURN(RedisReply months,
                            redis.Command({"SMEMBERS", PivotMonthsKeyAt(base, subject)}));
    for (const std::string& month : Members(months)) {
      WAHANA_ASSIGN_OR_RETURN(
          RedisReply codes,
          redis.Command({"SMEMBERS", PivotCellVillagesKeyAt(base, subject, month)}));
      std::vector<std::vector<std::string>> reads;
      const std::vector<std::string> code_list = Members(codes);
      for (const std::string& code : code_list) {
        reads.push_back({"HGETALL", PivotCellKeyAt(base, subject, month, code)});
      }
      if (reads.empty()) continue;
      WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> cells, redis.Pipeline(reads));
      for (size_t i = 0; i < cells.size(); ++i) {
        std::map<std::string, int64_t> counts = Counts(cells[i]);
        if (subject == "case") case_villages.insert(code_list[i]);
        if (counts.empty()) continue;
        wahana::federation::v1::CellMove* cell = room().add_cells();
        cell->set_subject(subject);
        cell->set_month(month);
        cell->set_code(code_list[i]);
        cell->mutable_deltas()->insert(counts.begin(), counts.end());
        ++counted.cells;
      }
    }
  }
  // A case is tallied in its village (and above, which the province rolls up itself).
  std::vector<std::vector<std::string>> reads;
  for (const std::string& village : case_villages) {
    reads.push_back({"HGETALL", CaseCountsKey(region, village)});
  }
  if (!reads.empty()) {
    WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> tallies, redis.Pipeline(reads));
    size_t i = 0;
    for (const std::string& village : case_villages) {
      std::map<std::string, int64_t> counts = Counts(tallies[i++]);
      if (counts.empty()) continue;
      wahana::federation::v1::TallyMove* tally = room().add_tallies();
      tally->set_code(village);
      tally->mutable_deltas()->insert(counts.begin(), counts.end());
      ++counted.tallies;
    }
  }
  if (changes.back().cells_size() + changes.back().tallies_size() == 0) changes.pop_back();
  return changes;
}

}  // namespace

absl::StatusOr<FiguresBeforeLink> SendFiguresBeforeLink(RedisClient& redis,
                                                        const std::string& region,
                                                        const std::string& outbox,
                                                        absl::Duration wait, int cells_per_entry) {
  FiguresBeforeLink sent;
  const std::string marker = SentMarkerKey(region);
  const absl::Time give_up = absl::Now() + wait;
  std::unique_ptr<RebuildLease> lease;
  while (true) {
    WAHANA_ASSIGN_OR_RETURN(RedisReply done, redis.Command({"EXISTS", marker}));
    if (done.integer == 1) return sent;
    absl::StatusOr<std::unique_ptr<RebuildLease>> taken =
        RebuildLease::Take(redis, region, kLeaseTtl);
    if (taken.ok()) {
      lease = *std::move(taken);
      break;
    }
    if (!absl::IsFailedPrecondition(taken.status()) || absl::Now() >= give_up) {
      return taken.status();
    }
    absl::SleepFor(absl::Milliseconds(500));  // a rebuild, or another replica sending them
  }
  // Released however this ends; a lease left behind would stop the consumers for its TTL.
  struct Releaser {
    RebuildLease& lease;
    ~Releaser() { lease.Release(); }
  } releaser{*lease};

  AtomicWrite write;
  write.RequireAbsent(marker);
  WAHANA_ASSIGN_OR_RETURN(bool linked_before, EverWritten(redis, outbox));
  if (linked_before) {
    spdlog::warn(
        "reporting: {} was written before (linked by an older version): its figures from before "
        "the link are not sent again",
        outbox);
  } else {
    WAHANA_ASSIGN_OR_RETURN(std::vector<AggregateChange> changes,
                            ReadFigures(redis, region, cells_per_entry, sent));
    for (const AggregateChange& change : changes) {
      write.Command({"XADD", outbox, "*", kOutboxTypeField, kOutboxAggregatesType,
                     kOutboxMovesField, AggregateOutboxJson(change)});
    }
    sent.entries = static_cast<int>(changes.size());
  }
  write.Command({"SET", marker, std::to_string(absl::ToUnixMillis(absl::Now()))});
  // Renewed just before the write: no apply can start before it lands.
  WAHANA_RETURN_IF_ERROR(lease->Renew());
  WAHANA_ASSIGN_OR_RETURN(AtomicWriteResult result, write.Execute(redis));
  if (!result.applied) return FiguresBeforeLink{};  // another replica sent them first
  spdlog::info(
      "reporting: sent the figures from before the link to {}: {} cells, {} tallies in {} "
      "entries",
      outbox, sent.cells, sent.tallies, sent.entries);
  return sent;
}

}  // namespace wahana
