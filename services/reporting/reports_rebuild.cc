#include "reporting/reports_rebuild.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/bus/bus_contract.h"
#include "common/bus/envelope.h"
#include "common/federation/aggregate_outbox.h"
#include "common/status/status_macros.h"
#include "common/storage/record_store.h"
#include "reporting/case_counter_moves.h"
#include "reporting/contributions_rebuild.h"
#include "reporting/figures_before_link.h"
#include "reporting/leaf_figures.h"
#include "reporting/rebuild_lease.h"
#include "reporting/report_period.h"
#include "reporting/reporting_keys.h"
#include "reporting/rollup_backfill.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

using wahana::cases::v1::Case;
using wahana::cases::v1::CaseChanged;

constexpr int kBatch = 1000;               // entries, keys or commands per round trip
constexpr int kMovesPerOutboxEntry = 500;  // cells and tallies in one outbox entry

// The counters being built, by live key.
class BuiltCounters {
 public:
  explicit BuiltCounters(std::string region) : region_(std::move(region)) {}

  // Adds `moves` `sign` times (+1 a listed case, -1 a change not yet applied).
  void Add(const CaseCounterMoves& moves, int sign) {
    const CounterWrites writes = CaseCounterWrites(region_, moves);
    for (const auto& [key, field, delta] : writes.increments) hashes_[key][field] += sign * delta;
    for (const auto& [key, member] : writes.set_members) sets_[key].insert(member);
  }

  // The commands writing every counter under its staged key.
  std::vector<std::vector<std::string>> StagingCommands() const {
    std::vector<std::vector<std::string>> commands;
    for (const auto& [key, fields] : hashes_) {
      std::vector<std::string> hset = {"HSET", StagedKey(region_, key)};
      for (const auto& [field, count] : fields) {
        if (count == 0) continue;
        hset.push_back(field);
        hset.push_back(std::to_string(count));
      }
      if (hset.size() > 2) commands.push_back(std::move(hset));
    }
    for (const auto& [key, members] : sets_) {
      std::vector<std::string> sadd = {"SADD", StagedKey(region_, key)};
      sadd.insert(sadd.end(), members.begin(), members.end());
      commands.push_back(std::move(sadd));
    }
    return commands;
  }

 private:
  const std::string region_;
  std::map<std::string, std::map<std::string, int64_t>> hashes_;
  std::map<std::string, std::set<std::string>> sets_;
};

absl::Status RunPipeline(RedisClient& redis,
                         const std::vector<std::vector<std::string>>& commands) {
  for (size_t i = 0; i < commands.size(); i += kBatch) {
    std::vector<std::vector<std::string>> batch(
        commands.begin() + i, commands.begin() + std::min(commands.size(), i + kBatch));
    WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis.Pipeline(batch));
    for (const RedisReply& reply : replies) {
      if (reply.is_error()) return absl::InternalError(absl::StrCat("rebuild: ", reply.str));
    }
  }
  return absl::OkStatus();
}

// The envelope of an XRANGE row [id, [field, value, ...]].
absl::StatusOr<wahana::common::v1::Envelope> EntryEnvelope(const RedisReply& row) {
  if (row.elements.size() != 2) return absl::InternalError("XRANGE: unexpected reply");
  std::vector<std::string> fields;
  for (const RedisReply& field : row.elements[1].elements) fields.push_back(field.str);
  return ParseEntryFields(fields);
}

// The reporting group's last-delivered id and pending entry ids on `stream` ("0-0" and none when
// the stream or the group does not exist yet: every entry is unconsumed).
absl::Status ReadGroup(RedisClient& redis, const std::string& stream, std::string* last_delivered,
                       std::vector<std::string>* pending) {
  *last_delivered = "0-0";
  WAHANA_ASSIGN_OR_RETURN(RedisReply exists, redis.Command({"EXISTS", stream}));
  if (exists.integer == 0) return absl::OkStatus();
  WAHANA_ASSIGN_OR_RETURN(RedisReply groups, redis.Command({"XINFO", "GROUPS", stream}));
  bool found = false;
  for (const RedisReply& group : groups.elements) {
    std::string name, last;
    for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
      if (group.elements[i].str == "name") name = group.elements[i + 1].str;
      if (group.elements[i].str == "last-delivered-id") last = group.elements[i + 1].str;
    }
    if (name == kReportingReadsCases.group) {
      *last_delivered = last;
      found = true;
    }
  }
  if (!found) return absl::OkStatus();
  std::string start = "-";
  for (;;) {
    WAHANA_ASSIGN_OR_RETURN(
        RedisReply rows, redis.Command({"XPENDING", stream, kReportingReadsCases.group, start, "+",
                                        std::to_string(kBatch)}));
    for (const RedisReply& row : rows.elements) {
      if (!row.elements.empty()) pending->push_back(row.elements[0].str);
    }
    if (rows.elements.size() < static_cast<size_t>(kBatch)) return absl::OkStatus();
    start = absl::StrCat("(", pending->back());
  }
}

// The stream entries the reporting group has not acked: its pending ones, then every entry after
// its last-delivered id.
absl::StatusOr<std::vector<wahana::common::v1::Envelope>> UnackedMessages(
    RedisClient& redis, const std::string& stream) {
  std::string last_delivered;
  std::vector<std::string> pending;
  WAHANA_RETURN_IF_ERROR(ReadGroup(redis, stream, &last_delivered, &pending));
  std::vector<RedisReply> rows;
  std::vector<std::vector<std::string>> reads;
  for (const std::string& id : pending) reads.push_back({"XRANGE", stream, id, id});
  for (size_t i = 0; i < reads.size(); i += kBatch) {
    std::vector<std::vector<std::string>> batch(reads.begin() + i,
                                                reads.begin() + std::min(reads.size(), i + kBatch));
    WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis.Pipeline(batch));
    for (RedisReply& reply : replies) {
      // A pending entry trimmed away or deleted has no content left to count.
      for (RedisReply& row : reply.elements) rows.push_back(std::move(row));
    }
  }
  std::string start = absl::StrCat("(", last_delivered);
  for (;;) {
    WAHANA_ASSIGN_OR_RETURN(RedisReply page, redis.Command({"XRANGE", stream, start, "+", "COUNT",
                                                            std::to_string(kBatch)}));
    for (RedisReply& row : page.elements) rows.push_back(std::move(row));
    if (page.elements.size() < static_cast<size_t>(kBatch)) break;
    start = absl::StrCat("(", rows.back().elements[0].str);
  }
  std::vector<wahana::common::v1::Envelope> envelopes;
  for (const RedisReply& row : rows) {
    WAHANA_ASSIGN_OR_RETURN(wahana::common::v1::Envelope envelope, EntryEnvelope(row));
    envelopes.push_back(std::move(envelope));
  }
  return envelopes;
}

class Rebuild {
 public:
  Rebuild(RedisClient& redis, std::string region, const OfficeCalendar& calendar,
          CaseSource& source, RecordSource* records, const RebuildOptions& options)
      : redis_(redis),
        region_(std::move(region)),
        calendar_(calendar),
        source_(source),
        records_(records),
        options_(options),
        built_(region_),
        contributions_(region_, CountingRules{calendar_, options.case_overdue_days}) {}

  absl::StatusOr<RebuildSummary> Run() {
    WAHANA_ASSIGN_OR_RETURN(lease_, RebuildLease::Take(redis_, region_, options_.lease));
    absl::StatusOr<RebuildSummary> summary = BuildAndSwap();
    // A failed rebuild gives the consumer back at once (the staged keys are cleared next time).
    if (!summary.ok()) lease_->Release();
    return summary;
  }

 private:
  absl::Status Renew() { return lease_->Renew(); }

  absl::StatusOr<RebuildSummary> BuildAndSwap() {
    WAHANA_RETURN_IF_ERROR(ListCases());
    if (records_ != nullptr) {
      WAHANA_RETURN_IF_ERROR(contributions_.ListRecords(*records_, [this] { return Renew(); }));
      summary_.records = contributions_.records();
      summary_.skipped += contributions_.skipped();
    }
    if (options_.after_listing) options_.after_listing();
    WAHANA_RETURN_IF_ERROR(Renew());
    WAHANA_RETURN_IF_ERROR(SubtractUnapplied());
    WAHANA_RETURN_IF_ERROR(Stage());
    WAHANA_RETURN_IF_ERROR(Renew());
    WAHANA_RETURN_IF_ERROR(Swap());
    return summary_;
  }

  // Counts every listed case as a create of it as listed: the live path's rule, in one place.
  absl::Status ListCases() {
    std::string page_token;
    do {
      WAHANA_ASSIGN_OR_RETURN(wahana::cases::v1::ListCasesResponse page,
                              source_.ListPage(page_token));
      for (const Case& c : page.cases()) {
        CaseChanged created;
        *created.mutable_case_() = c;
        created.set_status_after(c.status());
        created.set_category_after(c.category());
        absl::StatusOr<CaseCounterMoves> moves =
            CaseCounterMovesOf(created, region_, calendar_, absl::StrCat("case ", c.id()));
        std::optional<int64_t> version = VersionOfEtag(c.etag());
        if (!moves.ok() || !version.has_value()) {
          spdlog::warn("rebuild: case {} not counted: {}", c.id(),
                       moves.ok() ? "etag is not a version" : moves.status().ToString());
          ++summary_.skipped;
          continue;
        }
        built_.Add(*moves, +1);
        // Its caseload share too, as the live path counts it after its moves.
        if (records_ != nullptr) contributions_.AddCase(c, *version);
        listed_version_[c.id()] = *version;
        ++summary_.cases;
      }
      page_token = page.next_page_token();
      WAHANA_RETURN_IF_ERROR(Renew());
    } while (!page_token.empty());
    return absl::OkStatus();
  }

  // Takes out the listed changes the consumer has not applied: it applies them after the swap.
  absl::Status SubtractUnapplied() {
    WAHANA_ASSIGN_OR_RETURN(std::vector<wahana::common::v1::Envelope> unacked,
                            UnackedMessages(redis_, CaseStreamKey(region_)));
    std::vector<const wahana::common::v1::Envelope*> listed;
    std::set<std::string> seen;  // a message appended twice is one message
    for (const auto& envelope : unacked) {
      if (envelope.type() != CaseChanged::descriptor()->full_name()) continue;
      auto it = listed_version_.find(envelope.aggregate_id());
      if (it == listed_version_.end() || envelope.aggregate_version() > it->second) continue;
      if (seen.insert(envelope.message_id()).second) listed.push_back(&envelope);
    }
    std::vector<std::vector<std::string>> marks;
    for (const auto* envelope : listed) {
      marks.push_back({"EXISTS", AppliedMessageKey(region_, envelope->message_id())});
    }
    std::vector<RedisReply> applied;
    for (size_t i = 0; i < marks.size(); i += kBatch) {
      std::vector<std::vector<std::string>> batch(
          marks.begin() + i, marks.begin() + std::min(marks.size(), i + kBatch));
      WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(batch));
      applied.insert(applied.end(), replies.begin(), replies.end());
    }
    for (size_t i = 0; i < listed.size() && i < applied.size(); ++i) {
      if (applied[i].integer > 0) continue;  // applied (a crash before its ack): in A
      CaseChanged changed;
      if (!listed[i]->payload().UnpackTo(&changed)) continue;  // the consumer dead-letters it
      absl::StatusOr<CaseCounterMoves> moves =
          CaseCounterMovesOf(changed, region_, calendar_, listed[i]->message_id());
      if (!moves.ok()) continue;  // likewise
      built_.Add(*moves, -1);
      ++summary_.unapplied;
    }
    return absl::OkStatus();
  }

  // Writes the new counters under staged keys, after clearing what a failed rebuild left there.
  absl::Status Stage() {
    WAHANA_ASSIGN_OR_RETURN(std::vector<std::string> leftovers,
                            ScanKeys(redis_, StagedKeysPattern(region_)));
    std::vector<std::vector<std::string>> commands;
    for (const std::string& key : leftovers) commands.push_back({"DEL", key});
    WAHANA_RETURN_IF_ERROR(RunPipeline(redis_, commands));
    WAHANA_RETURN_IF_ERROR(Renew());
    WAHANA_RETURN_IF_ERROR(RunPipeline(redis_, built_.StagingCommands()));
    if (records_ != nullptr) {
      WAHANA_RETURN_IF_ERROR(contributions_.Stage(redis_, [this] { return Renew(); }));
    }
    return absl::OkStatus();
  }

  absl::Status Swap() {
    // The live keys cannot change meanwhile: the consumer waits for the lease.
    std::vector<std::string> patterns = {CaseCountersPattern(region_)};
    if (records_ != nullptr) {
      for (std::string& pattern : contributions_.LivePatterns()) patterns.push_back(pattern);
    }
    std::vector<std::string> live;
    for (const std::string& pattern : patterns) {
      WAHANA_ASSIGN_OR_RETURN(std::vector<std::string> keys, ScanKeys(redis_, pattern));
      live.insert(live.end(), keys.begin(), keys.end());
    }
    WAHANA_ASSIGN_OR_RETURN(std::vector<std::string> staged,
                            ScanKeys(redis_, StagedKeysPattern(region_)));
    summary_.keys = static_cast<int64_t>(staged.size());
    WAHANA_ASSIGN_OR_RETURN(std::vector<std::string> moves, MovesForTheProvince());
    WAHANA_RETURN_IF_ERROR(Renew());
    return lease_->SwapIn(live, staged, moves.empty() ? "" : options_.outbox, moves);
  }

  // A linked district whose province has its figures: what the swap moves at the leaf, as
  // outbox entries (none when the rebuild changed nothing the province has).
  absl::StatusOr<std::vector<std::string>> MovesForTheProvince() {
    std::vector<std::string> moves;
    if (options_.outbox.empty()) return moves;
    WAHANA_ASSIGN_OR_RETURN(bool sent, FiguresBeforeLinkSent(redis_, region_));
    if (!sent) return moves;  // the figures it sends when first linked will be the rebuilt ones
    const bool records = records_ != nullptr;
    WAHANA_ASSIGN_OR_RETURN(
        LeafFigures before,
        ReadLeafFigures(
            redis_, region_, [](const std::string& key) { return key; }, records));
    WAHANA_ASSIGN_OR_RETURN(
        LeafFigures after,
        ReadLeafFigures(
            redis_, region_, [this](const std::string& key) { return StagedKey(region_, key); },
            records));
    for (const wahana::federation::v1::AggregateChange& change :
         FiguresAsChanges(FiguresDifference(before, after), kMovesPerOutboxEntry)) {
      moves.push_back(AggregateOutboxJson(change));
    }
    summary_.outbox_entries = static_cast<int64_t>(moves.size());
    return moves;
  }

  RedisClient& redis_;
  const std::string region_;
  const OfficeCalendar& calendar_;
  CaseSource& source_;
  RecordSource* const records_;
  const RebuildOptions& options_;
  std::unique_ptr<RebuildLease> lease_;
  BuiltCounters built_;
  ContributionsRebuild contributions_;
  std::map<std::string, int64_t> listed_version_;  // case id -> version listed
  RebuildSummary summary_;
};

}  // namespace

absl::StatusOr<RebuildSummary> RebuildReports(RedisClient& redis, const std::string& region,
                                              const OfficeCalendar& calendar, CaseSource& source,
                                              RecordSource* records,
                                              const RebuildOptions& options) {
  return Rebuild(redis, region, calendar, source, records, options).Run();
}

}  // namespace wahana
