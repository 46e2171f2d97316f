// The reporting service's record reports against a real Redis: registry, event and case messages
// (the services' own payload types in their envelopes) written to the streams, consumed with the
// real StreamConsumer, counted by contribution (redis_contribution_store.h), read with
// GetRecordReport.

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "common/bus/bus_contract.h"
#include "common/bus/consumer_setup.h"
#include "common/bus/envelope.h"
#include "common/bus/group_progress.h"
#include "common/bus/stream_consumer.h"
#include "common/ids/time_ordered_id.h"
#include "reporting/rebuild_lease.h"  // ScanKeys
#include "reporting/redis_case_counts_store.h"
#include "reporting/redis_contribution_store.h"
#include "reporting/reporting_keys.h"
#include "reporting/reporting_logic.h"
#include "reporting/rollup_backfill.h"
#include "services/reporting_consumers.h"
#include "services/services_test_util.h"
#include "support/redis_server.h"
#include "support/test_principals.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/event/v1/event.pb.h"
#include "wahana/registry/v1/beneficiary.pb.h"
#include "wahana/registry/v1/institution.pb.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana::testing {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::common::v1::Envelope;
using wahana::event::v1::Event;
using wahana::event::v1::EventChanged;
using wahana::event::v1::Participant;
using wahana::event::v1::ParticipantChanged;
using wahana::registry::v1::Institution;
using wahana::registry::v1::InstitutionChanged;
using wahana::reporting::v1::GetRecordReportRequest;
using wahana::reporting::v1::RecordReport;

constexpr char kMay2026[] = "2026-05-12T02:00:00Z";

google::protobuf::Timestamp At(const char* rfc3339) {
  google::protobuf::Timestamp time;
  EXPECT_TRUE(TimeUtil::FromString(rfc3339, &time));
  return time;
}

class ReportingRecordsRedisTest : public ::testing::Test {
 protected:
  ReportingRecordsRedisTest()
      : admin_(TestPrincipal(Role::kAdmin, kRegion)),
        redis_(server_.Client()),
        contributions_(
            std::make_shared<RedisContributionStore>(*redis_, kRegion, ReportingKeyBase(kRegion))) {
    ReportingDeps deps;
    deps.progress = std::make_shared<RedisGroupProgressReader>(*redis_);
    deps.contributions = contributions_;
    deps.now = [] { return absl::FromCivil(absl::CivilDay(2026, 12, 7), absl::UTCTimeZone()); };
    reporting_ = std::make_shared<ReportingLogic>(
        kRegion, std::make_shared<RedisCaseCountsStore>(*redis_, kRegion), std::move(deps));
    consumers_ = ReportingConsumers(*redis_, config_, reporting_, "reporting-records-test");
  }

  // Writes `payload` about record `id` at `version` on `writer`'s stream, as that service does.
  void Publish(const char* writer, const google::protobuf::Message& payload, const std::string& id,
               int64_t version, const std::string& region_code) {
    Envelope envelope = MakeEnvelope(payload, {kRegion, id, version, region_code});
    ASSERT_TRUE(redis_
                    ->Command({"XADD", ServiceStreamKey(writer, kRegion), "*", "envelope",
                               envelope.SerializeAsString()})
                    .ok());
  }

  void Drain() { DrainReportingConsumers(*redis_, consumers_); }

  RecordReport Report(RecordReportKind kind, const std::string& region, const std::string& group_by,
                      const std::string& period = "") {
    GetRecordReportRequest request;
    request.set_region(region);
    request.set_group_by(group_by);
    request.set_period(period);
    absl::StatusOr<RecordReport> report = reporting_->GetRecordReport(admin_, kind, request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : RecordReport();
  }

  static std::string Row(const RecordReport& report, const std::string& key,
                         const std::string& total = "") {
    for (const auto& row : report.rows()) {
      if (row.key() != key) continue;
      if (total.empty()) return row.count();
      auto it = row.totals().find(total);
      return it == row.totals().end() ? "absent" : it->second;
    }
    return "no row";
  }

  static Institution AnInstitution(const std::string& village, Institution::Status status) {
    Institution institution;
    institution.set_id("inst-1");
    institution.set_kind(Institution::KARANG_TARUNA);
    institution.set_status(status);
    institution.set_village_code(village);
    *institution.mutable_create_time() = At(kMay2026);
    return institution;
  }

  static Event AnEvent(const std::string& region, Event::Status status) {
    Event event;
    event.set_id("event-1");
    event.set_kind(wahana::event::v1::SOSIALISASI);
    event.set_status(status);
    event.set_region_code(region);
    *event.mutable_start_time() = At(kMay2026);
    return event;
  }

  static ParticipantChanged AParticipant(const std::string& id, Participant::Status status,
                                         bool checked_in) {
    ParticipantChanged changed;
    Participant* participant = changed.mutable_participant();
    participant->set_id(id);
    participant->set_event_id("event-1");
    participant->set_status(status);
    if (checked_in) *participant->mutable_check_in_time() = At(kMay2026);
    return changed;
  }

  const Principal admin_;
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<RedisContributionStore> contributions_;
  std::shared_ptr<ReportingLogic> reporting_;
  ServiceConfig config_ = TestBusConfig();
  std::map<std::string, std::unique_ptr<StreamConsumer>> consumers_;
};

TEST_F(ReportingRecordsRedisTest, ARecordMovesWithItsChangesAndAnOldMessageChangesNothing) {
  InstitutionChanged created;
  *created.mutable_institution() = AnInstitution(kVillage, Institution::ACTIVE);
  Publish(kRegistryStreamWriter, created, "inst-1", 1, kVillage);
  // Moved to another subdistrict and made inactive: no "before" needed in the message.
  InstitutionChanged moved;
  *moved.mutable_institution() = AnInstitution(kOtherVillage, Institution::INACTIVE);
  Publish(kRegistryStreamWriter, moved, "inst-1", 2, kOtherVillage);
  // The first message again (a writer's retry): older than what is counted.
  Publish(kRegistryStreamWriter, created, "inst-1", 1, kVillage);
  Drain();

  RecordReport by_region = Report(RecordReportKind::kInstitutions, "16.06", "region");
  EXPECT_EQ(by_region.total(), "1");
  EXPECT_EQ(Row(by_region, "16.06.01"), "no row");
  EXPECT_EQ(Row(by_region, "16.06.02"), "1");
  RecordReport by_status = Report(RecordReportKind::kInstitutions, "16.06", "status");
  EXPECT_EQ(Row(by_status, "ACTIVE"), "0");
  EXPECT_EQ(Row(by_status, "INACTIVE"), "1");
  // Its month: registered in May 2026; another year's report does not count it.
  EXPECT_EQ(Report(RecordReportKind::kInstitutions, "16.06", "kind", "2026-05").total(), "1");
  EXPECT_EQ(Report(RecordReportKind::kInstitutions, "16.06", "kind", "2025").total(), "0");

  InstitutionChanged archived;
  *archived.mutable_institution() = AnInstitution(kOtherVillage, Institution::INACTIVE);
  archived.mutable_institution()->set_archived(true);
  Publish(kRegistryStreamWriter, archived, "inst-1", 3, kOtherVillage);
  Drain();
  EXPECT_EQ(Report(RecordReportKind::kInstitutions, "16.06", "kind").total(), "0");
  // Nothing left behind in the cells: the counters that reached zero are gone.
  auto cell =
      redis_->Command({"HGETALL", PivotCellKey(kRegion, "institution", "2026-05", kOtherVillage)});
  ASSERT_TRUE(cell.ok());
  EXPECT_TRUE(cell->elements.empty());
}

TEST_F(ReportingRecordsRedisTest, AnEventCountsItsParticipantsWhateverTheOrderTheyCome) {
  // A participant counted before its event is: its totals wait on the event.
  Publish(kEventStreamWriter, AParticipant("p-1", Participant::REGISTERED, false), "p-1", 1,
          kVillage);
  EventChanged created;
  *created.mutable_event() = AnEvent(kVillage, Event::OPEN);
  Publish(kEventStreamWriter, created, "event-1", 1, kVillage);
  Publish(kEventStreamWriter, AParticipant("p-2", Participant::REGISTERED, false), "p-2", 1,
          kVillage);
  Publish(kEventStreamWriter, AParticipant("p-2", Participant::REGISTERED, true), "p-2", 2,
          kVillage);
  Publish(kEventStreamWriter, AParticipant("p-3", Participant::REGISTERED, false), "p-3", 1,
          kVillage);
  Publish(kEventStreamWriter, AParticipant("p-3", Participant::WITHDRAWN, false), "p-3", 2,
          kVillage);
  Drain();

  RecordReport kind = Report(RecordReportKind::kEvents, "16.06", "kind", "2026");
  EXPECT_EQ(kind.total(), "1");
  EXPECT_EQ(kind.totals().at("participants"), "2");
  EXPECT_EQ(kind.totals().at("checkedIn"), "1");
  EXPECT_EQ(Row(kind, "SOSIALISASI"), "1");
  EXPECT_EQ(Row(kind, "SOSIALISASI", "participants"), "2");
  EXPECT_EQ(Row(kind, "SOSIALISASI", "checkedIn"), "1");
  EXPECT_EQ(Row(kind, "PELATIHAN", "participants"), "0");

  // Moved to the regency as a whole and to June: its participants move with it.
  EventChanged moved;
  *moved.mutable_event() = AnEvent(kRegion, Event::OPEN);
  *moved.mutable_event()->mutable_start_time() = At("2026-06-02T02:00:00Z");
  Publish(kEventStreamWriter, moved, "event-1", 2, kRegion);
  Drain();
  RecordReport by_region = Report(RecordReportKind::kEvents, "16.06", "region", "2026");
  ASSERT_EQ(by_region.rows_size(), 1);
  EXPECT_EQ(by_region.rows(0).key(), "16.06");
  EXPECT_EQ(by_region.rows(0).totals().at("participants"), "2");
  RecordReport by_month = Report(RecordReportKind::kEvents, "16.06", "month", "2026");
  EXPECT_EQ(Row(by_month, "2026-05", "participants"), "0");
  EXPECT_EQ(Row(by_month, "2026-06", "participants"), "2");

  // Cancelled: no longer counted, nor its participants.
  EventChanged cancelled;
  *cancelled.mutable_event() = AnEvent(kRegion, Event::CANCELLED);
  Publish(kEventStreamWriter, cancelled, "event-1", 3, kRegion);
  Drain();
  RecordReport after = Report(RecordReportKind::kEvents, "16.06", "kind", "2026");
  EXPECT_EQ(after.total(), "0");
  EXPECT_EQ(after.totals().at("participants"), "0");
}

TEST_F(ReportingRecordsRedisTest, AWorkerCarriesTheOpenCasesAssignedToThem) {
  for (const char* id : {"worker-1", "worker-2"}) {
    wahana::registry::v1::WorkerChanged worker;
    worker.mutable_worker()->set_id(id);
    worker.mutable_worker()->set_kind(wahana::registry::v1::Worker::TKSK);
    worker.mutable_worker()->set_village_code(kVillage);
    *worker.mutable_worker()->mutable_create_time() = At(kMay2026);
    Publish(kRegistryStreamWriter, worker, id, 1, kVillage);
  }
  auto case_message = [](const std::string& worker, wahana::cases::v1::CaseStatus status) {
    wahana::cases::v1::CaseChanged changed;
    changed.mutable_case_()->set_id("case-1");
    changed.mutable_case_()->set_village_code(kVillage);
    changed.mutable_case_()->set_assignee_worker_id(worker);
    changed.mutable_case_()->set_status(status);
    *changed.mutable_case_()->mutable_create_time() = At(kMay2026);
    changed.set_status_before(status);  // no status move: only the caseload changes
    changed.set_status_after(status);
    return changed;
  };
  Publish(kCaseStreamWriter, case_message("worker-1", wahana::cases::v1::INTERVENTION), "case-1", 2,
          kVillage);
  Drain();
  absl::StatusOr<std::map<std::string, int64_t>> first =
      contributions_->ReadAttached({CountedSubject::kWorker, "worker-1"});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)["openCases"], 1);
  EXPECT_EQ(Report(RecordReportKind::kWorkers, "16.06", "kind").totals().at("openCases"), "1");

  // Reassigned, then closed: the first worker's caseload goes, the second's comes and goes.
  Publish(kCaseStreamWriter, case_message("worker-2", wahana::cases::v1::INTERVENTION), "case-1", 3,
          kVillage);
  Drain();
  EXPECT_EQ(contributions_->ReadAttached({CountedSubject::kWorker, "worker-1"})->count("openCases"),
            0u);
  EXPECT_EQ((*contributions_->ReadAttached({CountedSubject::kWorker, "worker-2"}))["openCases"], 1);
  Publish(kCaseStreamWriter, case_message("worker-2", wahana::cases::v1::CLOSED), "case-1", 4,
          kVillage);
  Drain();
  RecordReport workers = Report(RecordReportKind::kWorkers, "16.06", "kind");
  EXPECT_EQ(workers.total(), "2");
  EXPECT_EQ(Row(workers, "TKSK"), "2");
  EXPECT_EQ(Row(workers, "TKSK", "openCases"), "0");
}

TEST_F(ReportingRecordsRedisTest, BeneficiariesByAgeBandSexAndCategoryAndBadInputNamed) {
  auto beneficiary = [](const std::string& id, const std::string& birth_date,
                        std::vector<wahana::common::v1::PpksCategory> categories) {
    wahana::registry::v1::BeneficiaryChanged changed;
    auto* b = changed.mutable_beneficiary();
    b->set_id(id);
    b->set_sex(wahana::registry::v1::Beneficiary::FEMALE);
    b->set_birth_date(birth_date);
    b->set_village_code(kVillage);
    for (auto category : categories) b->add_ppks_categories(category);
    *b->mutable_create_time() = At(kMay2026);
    return changed;
  };
  Publish(kRegistryStreamWriter,
          beneficiary("b-1", "1950-02-01",
                      {wahana::common::v1::LANJUT_USIA_TELANTAR,
                       wahana::common::v1::PENYANDANG_DISABILITAS}),
          "b-1", 1, kVillage);
  Publish(kRegistryStreamWriter, beneficiary("b-2", "2015-08-17", {}), "b-2", 1, kVillage);
  Drain();
  RecordReport age = Report(RecordReportKind::kBeneficiaries, "16.06", "ageBand");
  EXPECT_EQ(age.total(), "2");
  EXPECT_EQ(Row(age, "60+"), "1");
  EXPECT_EQ(Row(age, "5-17"), "1");
  RecordReport category = Report(RecordReportKind::kBeneficiaries, "16.06", "category");
  EXPECT_EQ(Row(category, "LANJUT_USIA_TELANTAR"), "1");
  EXPECT_EQ(Row(category, "PENYANDANG_DISABILITAS"), "1");
  EXPECT_EQ(Row(category, "PPKS_CATEGORY_UNSPECIFIED"), "1");
  EXPECT_EQ(category.total(), "2");  // b-1 is in two rows, once in the total
  EXPECT_EQ(Row(Report(RecordReportKind::kBeneficiaries, "16.06", "sex"), "FEMALE"), "2");

  // A viewer sees a village's small counts as "<5".
  GetRecordReportRequest request;
  request.set_region("16.06.01");
  request.set_group_by("sex");
  absl::StatusOr<RecordReport> viewed = reporting_->GetRecordReport(
      TestPrincipal(Role::kViewer, kRegion), RecordReportKind::kBeneficiaries, request);
  ASSERT_TRUE(viewed.ok()) << viewed.status();
  EXPECT_EQ(viewed->total(), "<5");

  request.set_group_by("stage");
  absl::StatusOr<RecordReport> bad =
      reporting_->GetRecordReport(admin_, RecordReportKind::kBeneficiaries, request);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("groupBy"), std::string::npos) << bad.status();
  EXPECT_NE(bad.status().message().find("ageBand"), std::string::npos) << bad.status();
  request.set_group_by("sex");
  request.set_period("2026-13");
  EXPECT_EQ(reporting_->GetRecordReport(admin_, RecordReportKind::kBeneficiaries, request)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ReportingRecordsRedisTest, AMessageFromOutsideTheDeploymentIsADeadLetterNotACount) {
  InstitutionChanged outside;
  *outside.mutable_institution() = AnInstitution("17.01.01.2001", Institution::ACTIVE);
  Publish(kRegistryStreamWriter, outside, "inst-1", 1, "17.01.01.2001");
  Drain();
  EXPECT_EQ(Report(RecordReportKind::kInstitutions, "16.06", "kind").total(), "0");
  EXPECT_EQ(StreamLength(*redis_, DeadLetterStreamKey(RegistryStreamKey(kRegion))), 1);
}

// Counters written before the roll-ups existed: a report reads the roll-ups, so without them it
// answers zeros; at start the service recomputes them from the cells, once.
TEST_F(ReportingRecordsRedisTest, CountersOfAnOlderVersionGetTheirRollUpsAtStart) {
  InstitutionChanged first;
  *first.mutable_institution() = AnInstitution(kVillage, Institution::ACTIVE);
  Publish(kRegistryStreamWriter, first, "inst-1", 1, kVillage);
  InstitutionChanged second;
  *second.mutable_institution() = AnInstitution(kOtherVillage, Institution::INACTIVE);
  second.mutable_institution()->set_id("inst-2");
  Publish(kRegistryStreamWriter, second, "inst-2", 1, kOtherVillage);
  Drain();
  RecordReport live = Report(RecordReportKind::kInstitutions, "16.06", "status");
  ASSERT_EQ(live.total(), "2");

  // What an older version left: the cells and their sets, no roll-ups, no mark.
  auto rollups = ScanKeys(*redis_, "reporting:{16.06}:*_cell_rollup:*");
  ASSERT_TRUE(rollups.ok()) << rollups.status();
  ASSERT_FALSE(rollups->empty());
  for (const std::string& key : *rollups) ASSERT_TRUE(redis_->Command({"DEL", key}).ok());
  ASSERT_TRUE(redis_->Command({"DEL", "reporting:{16.06}:rollup_version"}).ok());
  EXPECT_EQ(Report(RecordReportKind::kInstitutions, "16.06", "status").total(), "0");

  ASSERT_TRUE(AddMissingRollups(*redis_, kRegion).ok());
  RecordReport restored = Report(RecordReportKind::kInstitutions, "16.06", "status");
  EXPECT_EQ(restored.SerializeAsString().size(), live.SerializeAsString().size());
  EXPECT_EQ(restored.total(), "2");
  EXPECT_EQ(Row(restored, "ACTIVE"), "1");
  EXPECT_EQ(Row(restored, "INACTIVE"), "1");
  EXPECT_EQ(Report(RecordReportKind::kInstitutions, "16.06.02", "kind").total(), "1");
  // Once: a second start leaves them alone (the mark).
  ASSERT_TRUE(redis_->Command({"DEL", (*rollups)[0]}).ok());
  ASSERT_TRUE(AddMissingRollups(*redis_, kRegion).ok());
  auto exists = redis_->Command({"EXISTS", (*rollups)[0]});
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->integer, 0);
}

// Several consumers of the reporting group side by side (as the service runs them, and as
// replicas do): each case's messages may be applied in any order by any of them, and every count
// ends as one consumer would leave it.
TEST_F(ReportingRecordsRedisTest, SeveralConsumersSideBySideCountEveryMessageOnce) {
  std::vector<std::map<std::string, std::unique_ptr<StreamConsumer>>> side_by_side;
  for (int n = 0; n < 3; ++n) {
    side_by_side.push_back(
        ReportingConsumers(*redis_, config_, reporting_, absl::StrCat("reporting-parallel-", n)));
    for (auto& [writer, consumer] : side_by_side.back()) ASSERT_TRUE(consumer->Start().ok());
  }
  constexpr int kCases = 120;
  for (int i = 0; i < kCases; ++i) {
    wahana::cases::v1::CaseChanged changed;
    wahana::cases::v1::Case* c = changed.mutable_case_();
    c->set_id(absl::StrCat("case-", i));
    c->set_village_code(i % 2 == 0 ? kVillage : kOtherVillage);
    c->set_kind(wahana::cases::v1::INDIVIDUAL);
    c->set_status(wahana::cases::v1::INTAKE);
    c->set_assignee_worker_id("worker-1");
    *c->mutable_create_time() = At(kMay2026);
    *c->mutable_update_time() = At(kMay2026);
    changed.set_status_after(wahana::cases::v1::INTAKE);
    Publish(kCaseStreamWriter, changed, c->id(), 1, c->village_code());
    // Every third case closed right after: its two messages may be applied in either order.
    if (i % 3 == 0) {
      changed.set_status_before(wahana::cases::v1::INTAKE);
      c->set_status(wahana::cases::v1::CLOSED);
      changed.set_status_after(wahana::cases::v1::CLOSED);
      Publish(kCaseStreamWriter, changed, c->id(), 2, c->village_code());
    }
  }
  ASSERT_TRUE(PollUntil(
      [&] { return GroupCaughtUp(*redis_, CaseStreamKey(kRegion), kReportingReadsCases.group); },
      std::chrono::seconds(30)));
  for (auto& consumers : side_by_side) {
    for (auto& [writer, consumer] : consumers) consumer->Stop();
  }

  wahana::reporting::v1::GetCaseCountsRequest counts_request;
  counts_request.set_region("16.06");
  absl::StatusOr<wahana::reporting::v1::CaseCounts> counts =
      reporting_->GetCaseCounts(admin_, counts_request);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->total(), kCases);
  wahana::reporting::v1::GetKpiReportRequest kpi_request;
  kpi_request.set_region("16.06");
  absl::StatusOr<wahana::reporting::v1::KpiReport> kpis =
      reporting_->GetKpiReport(admin_, kpi_request);
  ASSERT_TRUE(kpis.ok()) << kpis.status();
  EXPECT_EQ(kpis->cases(), std::to_string(kCases));
  EXPECT_EQ(kpis->closed_cases(), std::to_string(kCases / 3));
  EXPECT_EQ(kpis->open_cases(), std::to_string(kCases - kCases / 3));
  EXPECT_EQ((*contributions_->ReadAttached({CountedSubject::kWorker, "worker-1"}))["openCases"],
            kCases - kCases / 3);
}

}  // namespace
}  // namespace wahana::testing
