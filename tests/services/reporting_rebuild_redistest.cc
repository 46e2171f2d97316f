// wahana-reporting --rebuild (reports_rebuild.h) against a real Redis: the case service's real
// logic and storage write a random mix of cases, the real consumer counts them, and the rebuild,
// reading the cases page by page through ListCases, must end with exactly the live answers, even
// with messages unconsumed, applied but not acked, or written while it runs.

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "case/case_fakes.h"
#include "case/case_logic.h"
#include "case/redis_case_store.h"
#include "common/auth/bearer_channel.h"
#include "common/bus/bus_contract.h"
#include "common/bus/consumer_setup.h"
#include "common/bus/envelope.h"
#include "common/bus/stream_consumer.h"
#include "common/federation/aggregate_outbox.h"
#include "reporting/figures_before_link.h"
#include "reporting/leaf_figures.h"
#include "reporting/redis_case_counts_store.h"
#include "reporting/reporting_keys.h"
#include "reporting/reporting_logic.h"
#include "reporting/reports_rebuild.h"
#include "services/services_test_util.h"
#include "support/redis_server.h"
#include "support/test_principals.h"

namespace wahana::testing {
namespace {

using google::protobuf::util::MessageDifferencer;
using wahana::cases::v1::Case;

constexpr char kSubdistrict[] = "16.06.01";
const std::vector<std::string>& Villages() {
  static const std::vector<std::string> kVillages = {kVillage, "16.06.01.2002", kOtherVillage,
                                                     "16.06.02.2003"};
  return kVillages;
}

// The case service's ListCases as the rebuild calls it (the gRPC service adds only transport),
// as the reporting service's own principal, in small pages so paging is exercised. `between_pages`
// runs once, after the first page: writes while the rebuild lists.
class ListCasesSource : public CaseSource {
 public:
  explicit ListCasesSource(CaseLogic& cases) : cases_(cases) {}

  absl::StatusOr<wahana::cases::v1::ListCasesResponse> ListPage(
      const std::string& page_token) override {
    if (!page_token.empty() && between_pages) std::exchange(between_pages, nullptr)();
    wahana::cases::v1::ListCasesRequest request;
    request.set_page_size(7);
    request.set_page_token(page_token);
    return cases_.ListCases(ServicePrincipal("reporting", kRegion), request);
  }

  std::function<void()> between_pages;

 private:
  CaseLogic& cases_;
};

// Every answer a reader depends on: the status counts of the deployment, a subdistrict and each
// village, and the pivot of this year by every grouping (asOf and lag cleared: they are times).
struct Answers {
  std::vector<wahana::reporting::v1::CaseCounts> counts;
  std::vector<wahana::reporting::v1::CaseReport> reports;
};

bool SameAnswers(const Answers& a, const Answers& b, std::string* diff) {
  if (a.counts.size() != b.counts.size() || a.reports.size() != b.reports.size()) return false;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(diff);
  for (size_t i = 0; i < a.counts.size(); ++i) {
    if (!differ.Compare(a.counts[i], b.counts[i])) return false;
  }
  for (size_t i = 0; i < a.reports.size(); ++i) {
    if (!differ.Compare(a.reports[i], b.reports[i])) return false;
  }
  return true;
}

class ReportingRebuildRedisTest : public ::testing::Test {
 protected:
  ReportingRebuildRedisTest()
      : redis_(server_.Client()),
        cases_(kRegion, std::make_shared<RedisCaseStore>(*redis_, kRegion), Regions(),
               std::make_shared<FakeRegistryRecords>()),
        // Linked to a province: every counter move also goes to the outbox (what the province
        // has of this district is the sum of the outbox's moves).
        reporting_(std::make_shared<ReportingLogic>(
            kRegion, std::make_shared<RedisCaseCountsStore>(*redis_, kRegion, outbox_))),
        source_(cases_),
        random_(20261207) {
    consumer_ = MakeBusConsumer(
        *redis_, config_, kReportingReadsCases,
        [this](const wahana::common::v1::Envelope& envelope, const std::string& /*entry_id*/) {
          return reporting_->HandleCaseMessage(envelope);
        },
        "reporting-test-1");
  }

  static std::shared_ptr<StaticRegionDirectory> Regions() {
    auto regions = TestRegions();
    for (const std::string& village : Villages()) regions->Add(village);
    return regions;
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }

  // A case in a random village, category and kind, then a random run of its steps: none, assessed
  // (sometimes to another category), terminated, closed, or given a note.
  void RandomCase() {
    static constexpr wahana::common::v1::PpksCategory kCategories[] = {
        wahana::common::v1::ANAK_JALANAN, static_cast<wahana::common::v1::PpksCategory>(8),
        static_cast<wahana::common::v1::PpksCategory>(12)};
    static constexpr wahana::cases::v1::CaseKind kKinds[] = {wahana::cases::v1::INDIVIDUAL,
                                                             wahana::cases::v1::DISASTER};
    wahana::cases::v1::CreateCaseRequest create;
    Case* c = create.mutable_case_();
    c->set_category(kCategories[Pick(3)]);
    c->set_kind(kKinds[Pick(2)]);
    c->set_village_code(Villages()[Pick(static_cast<int>(Villages().size()))]);
    c->set_summary("Laporan warga.");
    absl::StatusOr<Case> created = cases_.CreateCase(admin_, create);
    ASSERT_TRUE(created.ok()) << created.status();
    std::string etag = created->etag();
    const int steps = Pick(5);
    if (steps == 0) return;
    wahana::cases::v1::AssessCaseRequest assess;
    assess.set_id(created->id());
    assess.set_etag(etag);
    assess.set_problem("perlu pendampingan");
    if (Pick(2) == 0) assess.set_confirmed_category(kCategories[Pick(3)]);
    absl::StatusOr<Case> changed = cases_.AssessCase(worker_, assess);
    ASSERT_TRUE(changed.ok()) << changed.status();
    etag = changed->etag();
    if (steps == 4) {
      wahana::cases::v1::AddCaseNoteRequest note;
      note.set_id(created->id());
      note.set_etag(etag);
      note.set_text("kunjungan rumah");
      ASSERT_TRUE(cases_.AddCaseNote(worker_, note).ok());
      return;
    }
    if (steps < 2) return;
    wahana::cases::v1::TerminateCaseRequest terminate;
    terminate.set_id(created->id());
    terminate.set_etag(etag);
    terminate.set_termination_reason(wahana::cases::v1::GOAL_REACHED);
    changed = cases_.TerminateCase(worker_, terminate);
    ASSERT_TRUE(changed.ok()) << changed.status();
    if (steps < 3) return;
    wahana::cases::v1::CaseStepRequest close;
    close.set_id(created->id());
    close.set_etag(changed->etag());
    ASSERT_TRUE(cases_.SimpleStep(worker_, close, wahana::cases::v1::ACTION_CLOSE).ok());
  }

  void RandomCases(int n) {
    for (int i = 0; i < n; ++i) ASSERT_NO_FATAL_FAILURE(RandomCase());
  }

  // Polls the consumer until every entry on the stream is handled and acked (bounded).
  void Drain() { DrainGroup(*redis_, *consumer_, stream_, kReportingReadsCases.group); }

  Answers Read() {
    Answers answers;
    std::vector<std::string> regions = {kRegion, kSubdistrict};
    regions.insert(regions.end(), Villages().begin(), Villages().end());
    for (const std::string& region : regions) {
      wahana::reporting::v1::GetCaseCountsRequest request;
      request.set_region(region);
      auto counts = reporting_->GetCaseCounts(admin_, request);
      EXPECT_TRUE(counts.ok()) << counts.status();
      answers.counts.push_back(counts.ok() ? *counts : wahana::reporting::v1::CaseCounts());
    }
    const std::string year = std::to_string(OfficeCalendar().Today(absl::Now()).year());
    for (const char* group_by : {"category", "status", "kind", "region", "month"}) {
      for (const std::string& region : {std::string(kRegion), std::string(kSubdistrict)}) {
        wahana::reporting::v1::GetCaseReportRequest request;
        request.set_region(region);
        request.set_period(year);
        request.set_group_by(group_by);
        auto report = reporting_->GetCaseReport(admin_, request);
        EXPECT_TRUE(report.ok()) << report.status();
        if (!report.ok()) continue;
        report->clear_as_of();
        report->clear_lag();
        answers.reports.push_back(*report);
      }
    }
    return answers;
  }

  // The answers computed from the case records alone (ListCases), for the deployment's counts.
  std::map<int, int64_t> StatusesListed() {
    std::map<int, int64_t> statuses;
    std::string token;
    do {
      wahana::cases::v1::ListCasesRequest request;
      request.set_page_size(500);
      request.set_page_token(token);
      auto page = cases_.ListCases(admin_, request);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const Case& c : page->cases()) ++statuses[c.status()];
      token = page->next_page_token();
    } while (!token.empty());
    return statuses;
  }

  absl::StatusOr<RebuildSummary> Rebuild() {
    return RebuildReports(*redis_, kRegion, OfficeCalendar(), source_, nullptr);
  }

  // What a province that received every outbox entry holds of this district, at the leaf.
  LeafFigures ProvincesCopy() {
    LeafFigures copy;
    auto entries = redis_->Command({"XRANGE", outbox_, "-", "+"});
    EXPECT_TRUE(entries.ok()) << entries.status();
    for (const RedisReply& entry : entries->elements) {
      const std::vector<RedisReply>& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str != "moves") continue;
        auto change = ParseAggregateOutboxJson(fields[i + 1].str);
        EXPECT_TRUE(change.ok()) << change.status();
        for (const auto& cell : change->cells()) {
          for (const auto& [field, delta] : cell.deltas()) {
            copy.cells[{cell.subject(), cell.month(), cell.code()}][field] += delta;
          }
        }
        for (const auto& tally : change->tallies()) {
          for (const auto& [field, delta] : tally.deltas())
            copy.tallies[tally.code()][field] += delta;
        }
      }
    }
    return FiguresDifference(LeafFigures(), copy);  // zeros left out
  }

  LeafFigures Live() {
    auto live = ReadLeafFigures(
        *redis_, kRegion, [](const std::string& key) { return key; }, false);
    EXPECT_TRUE(live.ok()) << live.status();
    return live.ok() ? *live : LeafFigures();
  }

  const std::string outbox_ = OutboxStreamKey("reporting", kRegion);
  const std::string stream_ = CaseStreamKey(kRegion);
  const Principal admin_ = TestPrincipal(Role::kAdmin, kRegion);
  const Principal worker_ = AdminAs("worker-1");
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  CaseLogic cases_;
  std::shared_ptr<ReportingLogic> reporting_;
  ListCasesSource source_;
  std::mt19937 random_;
  ServiceConfig config_ = TestBusConfig();
  std::unique_ptr<StreamConsumer> consumer_;
};

TEST_F(ReportingRebuildRedisTest, RebuildAfterWipeAndCorruptionEndsWithTheLiveAnswers) {
  ASSERT_NO_FATAL_FAILURE(RandomCases(40));
  Drain();
  const Answers live = Read();
  ASSERT_EQ(live.counts[0].total(), 40);

  // One village's counters wiped, one tally and one cell corrupted, a region that has no case.
  ASSERT_TRUE(redis_->Command({"DEL", CaseCountsKey(kRegion, kVillage)}).ok());
  ASSERT_TRUE(redis_->Command({"HINCRBY", CaseCountsKey(kRegion, kRegion), "total", "7"}).ok());
  ASSERT_TRUE(redis_->Command({"HSET", CaseCountsKey(kRegion, "16.06.03"), "1", "3"}).ok());
  auto months = redis_->Command({"KEYS", "reporting:{16.06}:case_cells:*"});
  ASSERT_TRUE(months.ok() && !months->elements.empty());
  ASSERT_TRUE(redis_->Command({"HINCRBY", months->elements[0].str, "status:1", "5"}).ok());
  std::string diff;
  ASSERT_FALSE(SameAnswers(live, Read(), &diff)) << "the corruption changed no answer";

  absl::StatusOr<RebuildSummary> summary = Rebuild();
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->cases, 40);
  EXPECT_EQ(summary->unapplied, 0);
  diff.clear();
  EXPECT_TRUE(SameAnswers(live, Read(), &diff)) << diff;
  EXPECT_EQ(redis_->Command({"EXISTS", CaseCountsKey(kRegion, "16.06.03")})->integer, 0);
  EXPECT_EQ(redis_->Command({"EXISTS", RebuildLeaseKey(kRegion)})->integer, 0);
}

TEST_F(ReportingRebuildRedisTest, ALinkedDistrictsRebuildTellsItsProvinceWhatItMoved) {
  ASSERT_NO_FATAL_FAILURE(RandomCases(6));
  Drain();
  // Linked now: what it counted so far goes first.
  ASSERT_TRUE(SendFiguresBeforeLink(*redis_, kRegion, outbox_).ok());
  ASSERT_NO_FATAL_FAILURE(RandomCases(14));
  Drain();
  ASSERT_EQ(ProvincesCopy().cells, Live().cells);
  ASSERT_EQ(ProvincesCopy().tallies, Live().tallies);

  // A case whose message was lost before the consumer applied it: in neither the district's
  // counters nor the province's copy.
  ASSERT_NO_FATAL_FAILURE(RandomCases(1));
  auto last = redis_->Command({"XREVRANGE", stream_, "+", "-", "COUNT", "1"});
  ASSERT_TRUE(last.ok() && !last->elements.empty());
  ASSERT_TRUE(redis_->Command({"XDEL", stream_, last->elements[0].elements[0].str}).ok());
  Drain();
  const int64_t before = redis_->Command({"XLEN", outbox_})->integer;

  RebuildOptions options;
  options.outbox = outbox_;
  absl::StatusOr<RebuildSummary> summary =
      RebuildReports(*redis_, kRegion, OfficeCalendar(), source_, nullptr, options);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->cases, 21);
  EXPECT_GE(summary->outbox_entries, 1);
  EXPECT_EQ(redis_->Command({"XLEN", outbox_})->integer, before + summary->outbox_entries);
  EXPECT_EQ(ProvincesCopy().cells, Live().cells) << "the province moves as the district did";
  EXPECT_EQ(ProvincesCopy().tallies, Live().tallies);
  EXPECT_EQ(Read().counts[0].total(), 21);

  // A rebuild that changes nothing sends nothing.
  summary = RebuildReports(*redis_, kRegion, OfficeCalendar(), source_, nullptr, options);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->outbox_entries, 0);
}

TEST_F(ReportingRebuildRedisTest, RebuildFromNothingEndsWithTheLiveAnswers) {
  ASSERT_NO_FATAL_FAILURE(RandomCases(25));
  Drain();
  const Answers live = Read();
  auto keys = redis_->Command({"KEYS", CaseCountersPattern(kRegion)});
  ASSERT_TRUE(keys.ok() && !keys->elements.empty());
  for (const RedisReply& key : keys->elements) ASSERT_TRUE(redis_->Command({"DEL", key.str}).ok());
  std::string diff;
  ASSERT_FALSE(SameAnswers(live, Read(), &diff));
  for (int run = 0; run < 2; ++run) {
    absl::StatusOr<RebuildSummary> summary = Rebuild();
    ASSERT_TRUE(summary.ok()) << summary.status();
    diff.clear();
    EXPECT_TRUE(SameAnswers(live, Read(), &diff)) << "run " << run << ": " << diff;
  }
}

TEST_F(ReportingRebuildRedisTest, MessagesBeforeDuringAndAfterTheRebuildCountOnce) {
  ASSERT_NO_FATAL_FAILURE(RandomCases(20));
  Drain();
  // Written but not consumed yet: in the records, not in the counters.
  ASSERT_NO_FATAL_FAILURE(RandomCases(10));
  // The newest of them applied but not acked (a crash between the effect and the ack).
  auto last = redis_->Command({"XREVRANGE", stream_, "+", "-", "COUNT", "1"});
  ASSERT_TRUE(last.ok() && last->elements.size() == 1);
  std::vector<std::string> fields;
  for (const RedisReply& f : last->elements[0].elements[1].elements) fields.push_back(f.str);
  absl::StatusOr<wahana::common::v1::Envelope> newest = ParseEntryFields(fields);
  ASSERT_TRUE(newest.ok()) << newest.status();
  ASSERT_TRUE(reporting_->HandleCaseMessage(*newest).ok());

  // While the rebuild lists: more cases and steps, and the consumer reading them (its applies
  // wait for the rebuild's swap, then go to the rebuilt counters).
  std::thread consuming;
  source_.between_pages = [&] {
    ASSERT_NO_FATAL_FAILURE(RandomCases(10));
    EXPECT_EQ(redis_->Command({"EXISTS", RebuildLeaseKey(kRegion)})->integer, 1);
    consuming = std::thread([&] {
      absl::StatusOr<int> handled = consumer_->PollOnce(50);
      EXPECT_TRUE(handled.ok()) << handled.status();
    });
    ASSERT_NO_FATAL_FAILURE(RandomCases(5));
  };
  absl::StatusOr<RebuildSummary> summary = Rebuild();
  ASSERT_TRUE(summary.ok()) << summary.status();
  consuming.join();
  EXPECT_GT(summary->unapplied, 0);
  // After it: more still.
  ASSERT_NO_FATAL_FAILURE(RandomCases(5));
  Drain();

  // Every case and step counted once: the counts equal what the records say.
  const std::map<int, int64_t> listed = StatusesListed();
  const Answers after = Read();
  int64_t listed_total = 0;
  for (const auto& [status, n] : listed) listed_total += n;
  EXPECT_EQ(listed_total, 50);
  EXPECT_EQ(after.counts[0].total(), listed_total);
  for (const auto& row : after.counts[0].by_status()) {
    auto it = listed.find(row.status());
    EXPECT_EQ(row.count(), it == listed.end() ? 0 : it->second) << "status " << row.status();
  }
  // And a rebuild now, with everything consumed, changes no answer.
  ASSERT_TRUE(Rebuild().ok());
  std::string diff;
  EXPECT_TRUE(SameAnswers(after, Read(), &diff)) << diff;
}

TEST_F(ReportingRebuildRedisTest, SecondRebuildWhileOneHoldsTheLeaseIsRefused) {
  ASSERT_TRUE(redis_->Command({"SET", RebuildLeaseKey(kRegion), "other", "PX", "60000"}).ok());
  absl::StatusOr<RebuildSummary> summary = Rebuild();
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kFailedPrecondition) << summary.status();
}

}  // namespace
}  // namespace wahana::testing
