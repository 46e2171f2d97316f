#include "reporting/figures_before_link.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/bus/atomic_write.h"
#include "common/federation/aggregate_outbox.h"
#include "common/status/status_macros.h"
#include "reporting/leaf_figures.h"
#include "reporting/rebuild_lease.h"
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

}  // namespace

absl::StatusOr<bool> FiguresBeforeLinkSent(RedisClient& redis, const std::string& region) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply done, redis.Command({"EXISTS", SentMarkerKey(region)}));
  return done.integer == 1;
}

absl::StatusOr<FiguresBeforeLink> SendFiguresBeforeLink(RedisClient& redis,
                                                        const std::string& region,
                                                        const std::string& outbox,
                                                        absl::Duration wait, int cells_per_entry) {
  FiguresBeforeLink sent;
  const std::string marker = SentMarkerKey(region);
  const absl::Time give_up = absl::Now() + wait;
  std::unique_ptr<RebuildLease> lease;
  while (true) {
    WAHANA_ASSIGN_OR_RETURN(bool done, FiguresBeforeLinkSent(redis, region));
    if (done) return sent;
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
    WAHANA_ASSIGN_OR_RETURN(
        LeafFigures figures,
        ReadLeafFigures(redis, region, [](const std::string& key) { return key; }));
    sent.cells = static_cast<int>(figures.cells.size());
    sent.tallies = static_cast<int>(figures.tallies.size());
    const std::vector<AggregateChange> changes = FiguresAsChanges(figures, cells_per_entry);
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
