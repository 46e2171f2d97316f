// The reporting service against a real Redis: CaseChanged messages written by the real case
// storage, consumed with the real StreamConsumer, counted in Redis, read with GetCaseCounts.

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <memory>

#include "case/case_fakes.h"
#include "case/case_logic.h"
#include "case/redis_case_store.h"
#include "common/bus/bus_contract.h"
#include "common/bus/consumer_setup.h"
#include "common/bus/group_progress.h"
#include "common/bus/stream_consumer.h"
#include "common/region/region_directory.h"
#include "reporting/redis_case_counts_store.h"
#include "reporting/report_period.h"
#include "reporting/reporting_keys.h"
#include "reporting/reporting_logic.h"
#include "services/services_test_util.h"
#include "support/redis_server.h"
#include "support/test_principals.h"

namespace wahana::testing {
namespace {

using wahana::cases::v1::Case;
using wahana::cases::v1::CaseChanged;
using wahana::reporting::v1::CaseCounts;
using wahana::reporting::v1::GetCaseCountsRequest;

class ReportingRedisTest : public ::testing::Test {
 protected:
  ReportingRedisTest()
      : admin_(TestPrincipal(Role::kAdmin, kRegion)),
        redis_(server_.Client()),
        cases_(kRegion, std::make_shared<RedisCaseStore>(*redis_, kRegion), TestRegions(),
               std::make_shared<FakeRegistryRecords>()),
        counts_store_(std::make_shared<RedisCaseCountsStore>(*redis_, kRegion)),
        reporting_(std::make_shared<ReportingLogic>(kRegion, counts_store_, Deps(*redis_))) {
    consumer_ = MakeBusConsumer(
        *redis_, config_, kReportingReadsCases,
        [this](const wahana::common::v1::Envelope& envelope, const std::string& /*entry_id*/) {
          return reporting_->HandleCaseMessage(envelope);
        },
        "reporting-test-1");
  }

  static ReportingDeps Deps(RedisClient& redis) {
    ReportingDeps deps;
    deps.progress = std::make_shared<RedisGroupProgressReader>(redis);
    deps.regions = std::make_shared<StaticRegionDirectory>(
        StaticRegionDirectory().Add("16.06.01", "Sekayu").Add("16.06.02", "Lais"));
    return deps;
  }

  Case CreateCase(const std::string& village) {
    wahana::cases::v1::CreateCaseRequest request;
    Case* c = request.mutable_case_();
    c->set_category(wahana::common::v1::ANAK_JALANAN);
    c->set_kind(wahana::cases::v1::INDIVIDUAL);
    c->set_village_code(village);
    c->set_summary("Anak jalanan di simpang pasar.");
    absl::StatusOr<Case> created = cases_.CreateCase(admin_, request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : Case();
  }

  // Polls the consumer until every entry on the stream is handled and acked (bounded).
  void Drain() { DrainGroup(*redis_, *consumer_, stream_, kReportingReadsCases.group); }

  CaseCounts Counts(const std::string& region) {
    GetCaseCountsRequest request;
    request.set_region(region);
    absl::StatusOr<CaseCounts> counts = reporting_->GetCaseCounts(admin_, request);
    EXPECT_TRUE(counts.ok()) << counts.status();
    return counts.ok() ? *counts : CaseCounts();
  }

  static int64_t IntakeCount(const CaseCounts& counts) {
    for (const auto& row : counts.by_status()) {
      if (row.status() == wahana::cases::v1::INTAKE) return row.count();
    }
    return -1;
  }

  static wahana::common::v1::Envelope CaseCreatedMessage(const std::string& village) {
    CaseChanged created;
    created.mutable_case_()->set_id(TimeOrderedIdGenerator::Default().Next());
    created.mutable_case_()->set_status(wahana::cases::v1::INTAKE);
    created.mutable_case_()->set_village_code(village);
    created.set_status_after(wahana::cases::v1::INTAKE);
    *created.mutable_case_()->mutable_create_time() =
        google::protobuf::util::TimeUtil::GetCurrentTime();
    return MakeEnvelope(created, {kRegion, created.case_().id(), 1, village});
  }

  const std::string stream_ = CaseStreamKey(kRegion);
  const Principal admin_;
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  CaseLogic cases_;
  std::shared_ptr<RedisCaseCountsStore> counts_store_;
  std::shared_ptr<ReportingLogic> reporting_;
  ServiceConfig config_ = TestBusConfig();
  std::unique_ptr<StreamConsumer> consumer_;
};

TEST_F(ReportingRedisTest, CountsCasesCreatedByTheCaseService) {
  CreateCase(kVillage);
  CreateCase(kOtherVillage);
  ASSERT_EQ(StreamLength(*redis_, stream_), 2);
  Drain();

  CaseCounts all = Counts("");
  EXPECT_EQ(all.region(), kRegion);
  EXPECT_EQ(all.total(), 2);
  EXPECT_EQ(IntakeCount(all), 2);
  EXPECT_EQ(Counts("16.06").total(), 2);
  EXPECT_EQ(Counts("16.06.01").total(), 1);
  EXPECT_EQ(Counts(kVillage).total(), 1);
  EXPECT_EQ(Counts("16.06.02").total(), 1);
  EXPECT_EQ(Counts("16.06.03").total(), 0);

  // Stored in reporting's own keys, by status number.
  auto intake = redis_->Command({"HGET", CaseCountsKey(kRegion, "16.06"), "1"});
  ASSERT_TRUE(intake.ok());
  EXPECT_EQ(intake->str, "2");
}

TEST_F(ReportingRedisTest, RegionOutsideTheScopeIsForbiddenAndOutsideTheDeploymentInvalid) {
  GetCaseCountsRequest request;
  request.set_region("17.01");
  EXPECT_EQ(reporting_->GetCaseCounts(admin_, request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(reporting_->GetCaseCounts(TestPrincipal(Role::kProvinceViewer, "17"), request)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ReportingRedisTest, SameMessageOnTheStreamTwiceCountsOnce) {
  wahana::common::v1::Envelope message = CaseCreatedMessage(kVillage);
  ASSERT_TRUE(redis_->Command(XaddArgv(stream_, message)).ok());
  ASSERT_TRUE(redis_->Command(XaddArgv(stream_, message)).ok());
  Drain();
  EXPECT_EQ(Counts("").total(), 1);
}

// The effect was stored but the ack was lost (a crash between the two): the consumer delivers the
// entry again and the counters must not move twice.
TEST_F(ReportingRedisTest, RedeliveryAfterTheEffectCountsOnce) {
  wahana::common::v1::Envelope message = CaseCreatedMessage(kVillage);
  ASSERT_TRUE(redis_->Command(XaddArgv(stream_, message)).ok());
  ASSERT_TRUE(reporting_->HandleCaseMessage(message).ok());  // the first delivery's effect
  Drain();                                                   // the redelivery
  EXPECT_EQ(Counts("").total(), 1);
  EXPECT_EQ(Counts(kVillage).total(), 1);
}

TEST_F(ReportingRedisTest, StoreAppliesAMessageIdOnce) {
  CaseCounterMoves moves;
  moves.prefixes = {kVillage, "16.06.01", "16.06"};
  moves.tally_moves = {{"1", 1}, {"total", 1}};
  moves.village = kVillage;
  moves.intake_month = absl::CivilMonth(2026, 11);
  moves.cell_moves = {{"status:1", 1}, {"kind:1", 1}};
  absl::StatusOr<bool> first = counts_store_->Apply("m-1", moves);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(*first);
  absl::StatusOr<bool> again = counts_store_->Apply("m-1", moves);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(*again);
  absl::StatusOr<CaseTally> tally = counts_store_->Read("16.06");
  ASSERT_TRUE(tally.ok()) << tally.status();
  EXPECT_EQ(tally->total, 1);
  EXPECT_EQ(tally->by_status[wahana::cases::v1::INTAKE], 1);
  auto cell = redis_->Command({"HGETALL", CaseCellKey(kRegion, "2026-11", kVillage)});
  ASSERT_TRUE(cell.ok());
  ASSERT_EQ(cell->elements.size(), 4u);
  EXPECT_EQ(cell->elements[1].str, "1");
  EXPECT_EQ(cell->elements[3].str, "1");
  auto villages = redis_->Command({"SMEMBERS", CaseCellVillagesKey(kRegion, "2026-11")});
  ASSERT_TRUE(villages.ok());
  ASSERT_EQ(villages->elements.size(), 1u);
  EXPECT_EQ(villages->elements[0].str, kVillage);
  auto ttl = redis_->Command({"TTL", AppliedMessageKey(kRegion, "m-1")});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0);
}

// Cases written by the real case service, one message replayed and one of a type reporting does
// not know: the pivot counts each case once, the unknown type is counted and acked, nothing is
// dead-lettered, and every answer says it is fresh.
TEST_F(ReportingRedisTest, PivotCountsEachCaseOnceAndSkipsUnknownTypes) {
  CreateCase(kVillage);
  CreateCase(kVillage);
  CreateCase(kOtherVillage);
  // The case service's first message again (a writer's retry, a replay): counted once.
  auto first = redis_->Command({"XRANGE", stream_, "-", "+", "COUNT", "1"});
  ASSERT_TRUE(first.ok());
  std::vector<std::string> replay = {"XADD", stream_, "*"};
  for (const RedisReply& field : first->elements[0].elements[1].elements) {
    replay.push_back(field.str);
  }
  ASSERT_TRUE(redis_->Command(replay).ok());
  wahana::cases::v1::GetCaseRequest unknown;
  unknown.set_id(TimeOrderedIdGenerator::Default().Next());
  ASSERT_TRUE(
      redis_
          ->Command(XaddArgv(stream_, MakeEnvelope(unknown, {kRegion, unknown.id(), 1, kVillage})))
          .ok());

  wahana::reporting::v1::GetCaseReportRequest request;
  request.set_period(MonthText(OfficeMonth(OfficeCalendar(), absl::Now())));
  request.set_group_by("region");
  absl::StatusOr<wahana::reporting::v1::CaseReport> before =
      reporting_->GetCaseReport(admin_, request);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->lag(), 5);
  EXPECT_EQ(before->total(), "0");

  Drain();
  absl::StatusOr<wahana::reporting::v1::CaseReport> report =
      reporting_->GetCaseReport(admin_, request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->lag(), 0);
  ASSERT_EQ(report->rows_size(), 2);
  EXPECT_EQ(report->rows(0).key(), "16.06.01");
  EXPECT_EQ(report->rows(0).label(), "Sekayu");
  EXPECT_EQ(report->rows(0).count(), "2");
  EXPECT_EQ(report->rows(1).key(), "16.06.02");
  EXPECT_EQ(report->rows(1).count(), "1");
  EXPECT_EQ(report->total(), "3");
  // The regency's total is the sum of its subdistricts' and of the status tallies.
  EXPECT_EQ(Counts("16.06").total(), 3);

  absl::StatusOr<wahana::reporting::v1::ReportingStatus> status =
      reporting_->GetReportingStatus(admin_, {});
  ASSERT_TRUE(status.ok()) << status.status();
  ASSERT_EQ(status->consumers_size(), 1);
  const auto& consumer = status->consumers(0);
  EXPECT_EQ(consumer.stream(), stream_);
  EXPECT_EQ(consumer.group(), "reporting");
  EXPECT_EQ(consumer.lag(), 0);
  EXPECT_EQ(consumer.pending(), 0);
  EXPECT_EQ(consumer.dead_letters(), 0);
  EXPECT_EQ(consumer.skipped().at("wahana.cases.v1.GetCaseRequest"), 1);
  EXPECT_FALSE(consumer.has_oldest_unapplied_time());
}

TEST_F(ReportingRedisTest, StatusCountsTheGroupsDeadLetters) {
  wahana::common::v1::Envelope broken = CaseCreatedMessage("17.01.01.2001");  // not this region
  ASSERT_TRUE(redis_->Command(XaddArgv(stream_, broken)).ok());
  Drain();
  absl::StatusOr<wahana::reporting::v1::ReportingStatus> status =
      reporting_->GetReportingStatus(admin_, {});
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->consumers(0).dead_letters(), 1);
  EXPECT_EQ(status->consumers(0).lag(), 0);
}

TEST_F(ReportingRedisTest, CountsFollowTheStatusChangesOfTheCaseService) {
  Case c = CreateCase(kVillage);
  wahana::cases::v1::AssessCaseRequest assess;
  assess.set_id(c.id());
  assess.set_etag(c.etag());
  assess.set_problem("tidak bersekolah");
  absl::StatusOr<Case> assessed = cases_.AssessCase(AdminAs("worker-1"), assess);
  ASSERT_TRUE(assessed.ok()) << assessed.status();
  wahana::cases::v1::AddCaseNoteRequest note;
  note.set_id(c.id());
  note.set_etag(assessed->etag());
  note.set_text("kunjungan rumah");
  ASSERT_TRUE(cases_.AddCaseNote(AdminAs("worker-1"), note).ok());
  ASSERT_EQ(StreamLength(*redis_, stream_), 3);
  Drain();

  CaseCounts all = Counts("16.06.01");
  EXPECT_EQ(all.total(), 1);
  EXPECT_EQ(IntakeCount(all), 0);
  int64_t assessment = -1;
  for (const auto& row : all.by_status()) {
    if (row.status() == wahana::cases::v1::ASSESSMENT) assessment = row.count();
  }
  EXPECT_EQ(assessment, 1);
}

}  // namespace
}  // namespace wahana::testing
