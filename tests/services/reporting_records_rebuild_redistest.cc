// wahana-reporting --rebuild (reports_rebuild.h, contributions_rebuild.h) for the record reports
// against a real Redis: a random mix of registry, event and case changes, each kept as the
// service's record and written as the service's message; the real consumers count them; the
// rebuild, reading the records page by page through a source that answers as the services' List
// calls do, must end with exactly the live answers of every record report, also with messages
// written while it runs, and an old message delivered again afterwards must change nothing.

#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "common/bus/bus_contract.h"
#include "common/bus/consumer_setup.h"
#include "common/bus/envelope.h"
#include "common/bus/group_progress.h"
#include "common/bus/stream_consumer.h"
#include "common/ids/time_ordered_id.h"
#include "reporting/pivot_grouping.h"
#include "reporting/redis_case_counts_store.h"
#include "reporting/redis_contribution_store.h"
#include "reporting/report_specs.h"
#include "reporting/reporting_keys.h"
#include "reporting/reporting_logic.h"
#include "reporting/reports_rebuild.h"
#include "services/reporting_consumers.h"
#include "services/services_test_util.h"
#include "support/redis_server.h"
#include "support/test_principals.h"

namespace wahana::testing {
namespace {

namespace events = wahana::event::v1;
namespace reg = wahana::registry::v1;
using google::protobuf::util::MessageDifferencer;
using wahana::cases::v1::Case;
using wahana::cases::v1::CaseChanged;
using wahana::common::v1::Envelope;
using wahana::reporting::v1::RecordReport;

const std::vector<std::string>& Villages() {
  static const std::vector<std::string> kVillages = {kVillage, "16.06.01.2002", kOtherVillage,
                                                     "16.06.02.2003"};
  return kVillages;
}

// The page a List call answers from `records` (in id order), three at a time so paging is
// exercised: the token is the index of the page's first record.
template <typename Response, typename Record>
Response PageOf(const std::map<std::string, Record>& records, const std::string& token,
                google::protobuf::RepeatedPtrField<Record>* (Response::*field)()) {
  constexpr size_t kPage = 3;
  size_t start = 0;
  if (!token.empty()) EXPECT_TRUE(absl::SimpleAtoi(token, &start)) << token;
  Response page;
  size_t i = 0;
  for (const auto& [id, record] : records) {
    if (i >= start && i < start + kPage) *(page.*field)()->Add() = record;
    ++i;
  }
  if (start + kPage < records.size()) page.set_next_page_token(std::to_string(start + kPage));
  return page;
}

// The services' records as their List calls answer them (archived and withdrawn ones included,
// as the reporting service asks), as the reporting service's principal would read them.
// `when_listing_events` runs once, as the events are first listed (the registry's records listed
// already, the events not yet): writes while the rebuild lists.
class ServiceRecords : public RecordSource, public CaseSource {
 public:
  absl::StatusOr<reg::ListBeneficiariesResponse> Beneficiaries(const std::string& token) override {
    return PageOf(beneficiaries, token, &reg::ListBeneficiariesResponse::mutable_beneficiaries);
  }
  absl::StatusOr<reg::ListInstitutionsResponse> Institutions(const std::string& token) override {
    return PageOf(institutions, token, &reg::ListInstitutionsResponse::mutable_institutions);
  }
  absl::StatusOr<reg::ListNetworksResponse> Networks(const std::string& token) override {
    return PageOf(networks, token, &reg::ListNetworksResponse::mutable_networks);
  }
  absl::StatusOr<reg::ListWorkersResponse> Workers(const std::string& token) override {
    return PageOf(workers, token, &reg::ListWorkersResponse::mutable_workers);
  }
  absl::StatusOr<events::ListEventsResponse> Events(const std::string& token) override {
    if (when_listing_events) std::exchange(when_listing_events, nullptr)();
    return PageOf(events, token, &events::ListEventsResponse::mutable_events);
  }
  absl::StatusOr<events::ListParticipantsResponse> Participants(const std::string& event_id,
                                                                const std::string& token) override {
    return PageOf(participants[event_id], token,
                  &events::ListParticipantsResponse::mutable_participants);
  }
  absl::StatusOr<wahana::cases::v1::ListCasesResponse> ListPage(const std::string& token) override {
    return PageOf(cases, token, &wahana::cases::v1::ListCasesResponse::mutable_cases);
  }

  std::map<std::string, reg::Beneficiary> beneficiaries;
  std::map<std::string, reg::Institution> institutions;
  std::map<std::string, reg::Network> networks;
  std::map<std::string, reg::Worker> workers;
  std::map<std::string, events::Event> events;
  std::map<std::string, std::map<std::string, events::Participant>> participants;  // by event
  std::map<std::string, Case> cases;
  std::function<void()> when_listing_events;
};

class ReportingRecordsRebuildRedisTest : public ::testing::Test {
 protected:
  ReportingRecordsRebuildRedisTest() : redis_(server_.Client()), random_(Seed()) {
    ReportingDeps deps;
    deps.progress = std::make_shared<RedisGroupProgressReader>(*redis_);
    deps.contributions =
        std::make_shared<RedisContributionStore>(*redis_, kRegion, ReportingKeyBase(kRegion));
    deps.now = [] { return absl::FromCivil(absl::CivilDay(2026, 12, 7), absl::UTCTimeZone()); };
    reporting_ = std::make_shared<ReportingLogic>(
        kRegion, std::make_shared<RedisCaseCountsStore>(*redis_, kRegion), std::move(deps));
    consumers_ = ReportingConsumers(*redis_, config_, reporting_, "reporting-rebuild-test");
  }

  static uint32_t Seed() {
    const uint32_t seed = 20261207;
    std::cout << "random seed " << seed << "\n";
    return seed;
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }
  const std::string& AVillage() { return Villages()[Pick(static_cast<int>(Villages().size()))]; }
  // A value of `type` other than the unspecified 0.
  int AValue(const google::protobuf::EnumDescriptor* type) {
    std::vector<int> numbers;
    for (int i = 0; i < type->value_count(); ++i) {
      if (type->value(i)->number() != 0) numbers.push_back(type->value(i)->number());
    }
    return numbers[Pick(static_cast<int>(numbers.size()))];
  }
  google::protobuf::Timestamp AMonth() {
    return google::protobuf::util::TimeUtil::MillisecondsToTimestamp(absl::ToUnixMillis(
        absl::FromCivil(absl::CivilDay(2026, 1 + Pick(11), 10), absl::UTCTimeZone())));
  }
  std::string NextId(const char* kind) { return absl::StrCat(kind, "-", ++ids_); }
  // A record's next version, written into its etag.
  template <typename Record>
  int64_t Bump(Record& record) {
    int64_t version = 0;
    if (!record.etag().empty()) EXPECT_TRUE(absl::SimpleAtoi(record.etag(), &version));
    record.set_etag(std::to_string(++version));
    return version;
  }
  // A random one of `records`' ids; empty when there is none.
  template <typename Record>
  std::string AnId(const std::map<std::string, Record>& records) {
    if (records.empty()) return "";
    auto it = records.begin();
    std::advance(it, Pick(static_cast<int>(records.size())));
    return it->first;
  }

  // Writes `payload` about record `id` at `version` on `writer`'s stream, as that service does,
  // and keeps it for a replay.
  void Publish(const char* writer, const google::protobuf::Message& payload, const std::string& id,
               int64_t version, const std::string& region_code) {
    Envelope envelope = MakeEnvelope(payload, {kRegion, id, version, region_code});
    ASSERT_TRUE(redis_->Command(XaddArgv(ServiceStreamKey(writer, kRegion), envelope)).ok());
    published_.push_back({writer, envelope});
  }

  // The record's next version, written on `writer`'s stream as the message `Changed` carrying it.
  template <typename Changed, typename Record>
  void Write(const char* writer, Record& record, Record* (Changed::*record_in)(),
             const std::string& (Record::*region_of)() const) {
    Changed changed;
    const int64_t version = Bump(record);
    *(changed.*record_in)() = record;
    Publish(writer, changed, record.id(), version, (record.*region_of)());
  }
  void Beneficiary(reg::Beneficiary& b) {
    Write(kRegistryStreamWriter, b, &reg::BeneficiaryChanged::mutable_beneficiary,
          &reg::Beneficiary::village_code);
  }
  void Institution(reg::Institution& i) {
    Write(kRegistryStreamWriter, i, &reg::InstitutionChanged::mutable_institution,
          &reg::Institution::village_code);
  }
  void Network(reg::Network& n) {
    Write(kRegistryStreamWriter, n, &reg::NetworkChanged::mutable_network,
          &reg::Network::village_code);
  }
  void Worker(reg::Worker& w) {
    Write(kRegistryStreamWriter, w, &reg::WorkerChanged::mutable_worker,
          &reg::Worker::village_code);
  }
  void Event(events::Event& e) {
    Write(kEventStreamWriter, e, &events::EventChanged::mutable_event, &events::Event::region_code);
  }
  void Participant(events::Participant& p) {
    Write(kEventStreamWriter, p, &events::ParticipantChanged::mutable_participant,
          &events::Participant::region_code);
  }
  // A case moved to `status` (from its current one; a create when it has none yet).
  void CaseTo(Case& c, wahana::cases::v1::CaseStatus status) {
    CaseChanged changed;
    changed.set_status_before(c.status());
    changed.set_category_before(c.category());
    c.set_status(status);
    const int64_t version = Bump(c);
    *changed.mutable_case_() = c;
    changed.set_status_after(c.status());
    changed.set_category_after(c.category());
    Publish(kCaseStreamWriter, changed, c.id(), version, c.village_code());
  }

  // One random change: a create, an update (often to another village), an archive, an event's
  // status (cancel included), a participant's registration, withdrawal or check-in, a case's
  // create (assigned or not), reassignment or close.
  void RandomChange() {
    ServiceRecords& r = records_;
    switch (Pick(21)) {
      case 0: {
        reg::Beneficiary b;
        b.set_id(NextId("ben"));
        b.set_village_code(AVillage());
        b.set_sex(static_cast<reg::Beneficiary::Sex>(AValue(reg::Beneficiary::Sex_descriptor())));
        b.set_birth_date(absl::StrCat(1940 + Pick(80), "-03-04"));
        for (int k = Pick(3); k > 0; --k) {
          b.add_ppks_categories(static_cast<wahana::common::v1::PpksCategory>(
              AValue(wahana::common::v1::PpksCategory_descriptor())));
        }
        *b.mutable_create_time() = AMonth();
        Beneficiary(r.beneficiaries[b.id()] = b);
        return;
      }
      case 1: {
        const std::string id = AnId(r.beneficiaries);
        if (id.empty()) return;
        r.beneficiaries[id].set_village_code(AVillage());
        Beneficiary(r.beneficiaries[id]);
        return;
      }
      case 2: {
        const std::string id = AnId(r.beneficiaries);
        if (id.empty() || r.beneficiaries[id].archived()) return;
        r.beneficiaries[id].set_archived(true);
        Beneficiary(r.beneficiaries[id]);
        return;
      }
      case 3: {
        reg::Institution i;
        i.set_id(NextId("inst"));
        i.set_village_code(AVillage());
        i.set_kind(
            static_cast<reg::Institution::Kind>(AValue(reg::Institution::Kind_descriptor())));
        i.set_status(
            static_cast<reg::Institution::Status>(AValue(reg::Institution::Status_descriptor())));
        *i.mutable_create_time() = AMonth();
        Institution(r.institutions[i.id()] = i);
        return;
      }
      case 4: {
        const std::string id = AnId(r.institutions);
        if (id.empty()) return;
        r.institutions[id].set_village_code(AVillage());
        r.institutions[id].set_status(
            static_cast<reg::Institution::Status>(AValue(reg::Institution::Status_descriptor())));
        Institution(r.institutions[id]);
        return;
      }
      case 5: {
        const std::string id = AnId(r.institutions);
        if (id.empty() || r.institutions[id].archived()) return;
        r.institutions[id].set_archived(true);
        Institution(r.institutions[id]);
        return;
      }
      case 6: {
        reg::Network n;
        n.set_id(NextId("net"));
        n.set_village_code(AVillage());
        n.set_stage(static_cast<reg::Network::Stage>(AValue(reg::Network::Stage_descriptor())));
        *n.mutable_create_time() = AMonth();
        Network(r.networks[n.id()] = n);
        return;
      }
      case 7: {
        const std::string id = AnId(r.networks);
        if (id.empty()) return;
        if (Pick(2) == 0) {
          r.networks[id].set_archived(true);
        } else {
          r.networks[id].set_village_code(AVillage());
          r.networks[id].set_stage(
              static_cast<reg::Network::Stage>(AValue(reg::Network::Stage_descriptor())));
        }
        Network(r.networks[id]);
        return;
      }
      case 8:
      case 9: {
        reg::Worker w;
        w.set_id(NextId("worker"));
        w.set_village_code(AVillage());
        w.set_kind(static_cast<reg::Worker::Kind>(AValue(reg::Worker::Kind_descriptor())));
        *w.mutable_create_time() = AMonth();
        Worker(r.workers[w.id()] = w);
        return;
      }
      case 10: {
        const std::string id = AnId(r.workers);
        if (id.empty()) return;
        if (Pick(3) == 0) {
          r.workers[id].set_archived(true);
        } else {
          r.workers[id].set_village_code(AVillage());
        }
        Worker(r.workers[id]);
        return;
      }
      case 11:
      case 12: {
        events::Event e;
        e.set_id(NextId("event"));
        // A village, or a subdistrict for an event of all its villages.
        e.set_region_code(Pick(4) == 0 ? AVillage().substr(0, 8) : AVillage());
        e.set_kind(static_cast<events::EventKind>(AValue(events::EventKind_descriptor())));
        e.set_status(
            static_cast<events::Event::Status>(AValue(events::Event::Status_descriptor())));
        *e.mutable_start_time() = AMonth();
        Event(r.events[e.id()] = e);
        return;
      }
      case 13: {
        const std::string id = AnId(r.events);
        if (id.empty()) return;
        r.events[id].set_status(Pick(3) == 0 ? events::Event::CANCELLED
                                             : static_cast<events::Event::Status>(
                                                   AValue(events::Event::Status_descriptor())));
        Event(r.events[id]);
        return;
      }
      case 14: {
        const std::string id = AnId(r.events);
        if (id.empty() || r.events[id].archived()) return;
        r.events[id].set_archived(true);
        Event(r.events[id]);
        return;
      }
      case 15:
      case 16: {
        const std::string event = AnId(r.events);
        if (event.empty()) return;
        events::Participant p;
        p.set_id(NextId("participant"));
        p.set_event_id(event);
        p.set_region_code(AVillage());
        p.set_status(events::Participant::REGISTERED);
        Participant(r.participants[event][p.id()] = p);
        return;
      }
      case 17: {
        const std::string event = AnId(r.participants);
        if (event.empty()) return;
        const std::string id = AnId(r.participants[event]);
        events::Participant& p = r.participants[event][id];
        if (Pick(2) == 0) {
          p.set_status(events::Participant::WITHDRAWN);
        } else {
          *p.mutable_check_in_time() = AMonth();
        }
        Participant(p);
        return;
      }
      case 18: {
        Case c;
        c.set_id(NextId("case"));
        c.set_village_code(AVillage());
        c.set_category(static_cast<wahana::common::v1::PpksCategory>(
            AValue(wahana::common::v1::PpksCategory_descriptor())));
        c.set_kind(static_cast<wahana::cases::v1::CaseKind>(
            AValue(wahana::cases::v1::CaseKind_descriptor())));
        c.set_assignee_worker_id(AnId(r.workers));
        *c.mutable_create_time() = AMonth();
        CaseTo(r.cases[c.id()] = c, wahana::cases::v1::INTAKE);
        return;
      }
      case 19: {
        const std::string id = AnId(r.cases);
        if (id.empty()) return;
        r.cases[id].set_assignee_worker_id(AnId(r.workers));
        CaseTo(r.cases[id], r.cases[id].status());
        return;
      }
      default: {
        const std::string id = AnId(r.cases);
        if (id.empty() || r.cases[id].status() == wahana::cases::v1::CLOSED) return;
        CaseTo(r.cases[id], wahana::cases::v1::CLOSED);
        return;
      }
    }
  }

  void RandomChanges(int n) {
    for (int i = 0; i < n; ++i) ASSERT_NO_FATAL_FAILURE(RandomChange());
  }

  void Drain() { DrainReportingConsumers(*redis_, consumers_); }

  // Every record report by every grouping, of the deployment and of a subdistrict, over every
  // period, and the indicators (KPIs, SPM of two years) of both regions (asOf and lag cleared:
  // they are times).
  using Answers = std::vector<std::shared_ptr<google::protobuf::Message>>;
  Answers Read() {
    Answers answers;
    for (RecordReportKind kind :
         {RecordReportKind::kBeneficiaries, RecordReportKind::kInstitutions,
          RecordReportKind::kNetworks, RecordReportKind::kEvents, RecordReportKind::kWorkers}) {
      for (const std::string& group_by : GroupByValues(RecordReportDefinition(kind).spec)) {
        for (const char* region : {"16.06", "16.06.01"}) {
          wahana::reporting::v1::GetRecordReportRequest request;
          request.set_region(region);
          request.set_group_by(group_by);
          absl::StatusOr<RecordReport> report = reporting_->GetRecordReport(admin_, kind, request);
          EXPECT_TRUE(report.ok()) << report.status();
          if (!report.ok()) continue;
          report->clear_as_of();
          report->clear_lag();
          answers.push_back(std::make_shared<RecordReport>(*report));
        }
      }
    }
    for (const char* region : {"16.06", "16.06.01"}) {
      wahana::reporting::v1::GetKpiReportRequest kpi_request;
      kpi_request.set_region(region);
      absl::StatusOr<wahana::reporting::v1::KpiReport> kpis =
          reporting_->GetKpiReport(admin_, kpi_request);
      EXPECT_TRUE(kpis.ok()) << kpis.status();
      if (kpis.ok()) {
        kpis->clear_as_of();
        kpis->clear_lag();
        answers.push_back(std::make_shared<wahana::reporting::v1::KpiReport>(*kpis));
      }
      for (const char* year : {"2025", "2026"}) {
        wahana::reporting::v1::GetSpmReportRequest spm_request;
        spm_request.set_region(region);
        spm_request.set_year(year);
        absl::StatusOr<wahana::reporting::v1::SpmReport> spm =
            reporting_->GetSpmReport(admin_, spm_request);
        EXPECT_TRUE(spm.ok()) << spm.status();
        if (!spm.ok()) continue;
        spm->clear_as_of();
        spm->clear_lag();
        answers.push_back(std::make_shared<wahana::reporting::v1::SpmReport>(*spm));
      }
    }
    return answers;
  }

  static bool Same(const Answers& a, const Answers& b, std::string* diff) {
    if (a.size() != b.size()) return false;
    MessageDifferencer differ;
    differ.ReportDifferencesToString(diff);
    bool same = true;
    for (size_t i = 0; i < a.size(); ++i) same = differ.Compare(*a[i], *b[i]) && same;
    return same;
  }

  absl::StatusOr<RebuildSummary> Rebuild() {
    return RebuildReports(*redis_, kRegion, OfficeCalendar(), records_, &records_);
  }

  // The first message of every record written again as a new message (a writer's retry arriving
  // late; a new id, so the consumer's dedupe does not drop it): older than what is counted for
  // any record changed since, archived ones included.
  void ReplayFirstMessages() {
    std::set<std::string> seen;
    for (auto [writer, envelope] : std::vector(published_)) {
      if (!seen.insert(envelope.aggregate_id()).second) continue;
      envelope.set_message_id(TimeOrderedIdGenerator::Default().Next());
      ASSERT_TRUE(redis_->Command(XaddArgv(ServiceStreamKey(writer, kRegion), envelope)).ok());
    }
  }

  const Principal admin_ = TestPrincipal(Role::kAdmin, kRegion);
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<ReportingLogic> reporting_;
  ServiceConfig config_ = TestBusConfig();
  std::map<std::string, std::unique_ptr<StreamConsumer>> consumers_;
  ServiceRecords records_;
  std::mt19937 random_;
  int ids_ = 0;
  std::vector<std::pair<const char*, Envelope>> published_;
};

TEST_F(ReportingRecordsRebuildRedisTest, RebuildAfterWipeAndCorruptionEndsWithTheLiveAnswers) {
  ASSERT_NO_FATAL_FAILURE(RandomChanges(300));
  Drain();
  const Answers live = Read();
  ASSERT_NE(static_cast<const RecordReport&>(*live[0]).total(), "0");

  // The beneficiaries' contributions wiped, an event's participants and a cell corrupted, a cell
  // in a region that has no record.
  const std::string base = ReportingKeyBase(kRegion);
  ASSERT_TRUE(redis_->Command({"DEL", CountedRecordsKeyAt(base, "beneficiary")}).ok());
  auto attached = redis_->Command({"KEYS", AttachedTotalsKeyAt(base, "*")});
  ASSERT_TRUE(attached.ok() && !attached->elements.empty());
  ASSERT_TRUE(redis_->Command({"DEL", attached->elements[0].str}).ok());
  auto cells = redis_->Command({"KEYS", PivotCellKeyAt(base, "event", "*", "*")});
  ASSERT_TRUE(cells.ok() && !cells->elements.empty());
  ASSERT_TRUE(redis_->Command({"HINCRBY", cells->elements[0].str, "participants", "4"}).ok());
  ASSERT_TRUE(
      redis_
          ->Command({"HSET", PivotCellKeyAt(base, "network", "2026-02", "16.06.03.2001"), "n", "3"})
          .ok());
  ASSERT_TRUE(
      redis_->Command({"SADD", PivotCellVillagesKeyAt(base, "network", "2026-02"), "16.06.03.2001"})
          .ok());
  std::string diff;
  ASSERT_FALSE(Same(live, Read(), &diff)) << "the corruption changed no answer";

  absl::StatusOr<RebuildSummary> summary = Rebuild();
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_GT(summary->records, 0);
  EXPECT_EQ(summary->skipped, 0);
  diff.clear();
  EXPECT_TRUE(Same(live, Read(), &diff)) << diff;
  EXPECT_EQ(redis_->Command({"EXISTS", PivotCellKeyAt(base, "network", "2026-02", "16.06.03.2001")})
                ->integer,
            0);
  EXPECT_EQ(redis_->Command({"EXISTS", RebuildLeaseKey(kRegion)})->integer, 0);

  // Old messages delivered again: each is at or below its record's rebuilt version.
  ASSERT_NO_FATAL_FAILURE(ReplayFirstMessages());
  Drain();
  diff.clear();
  EXPECT_TRUE(Same(live, Read(), &diff)) << "after the replay: " << diff;
}

TEST_F(ReportingRecordsRebuildRedisTest, MessagesBeforeDuringAndAfterTheRebuildCountOnce) {
  ASSERT_NO_FATAL_FAILURE(RandomChanges(200));
  Drain();
  // Written but not consumed yet: in the records, not in the counters.
  ASSERT_NO_FATAL_FAILURE(RandomChanges(60));

  // While the rebuild lists: more changes, and the registry's consumer reading them (its applies
  // wait for the rebuild's swap, then go to the rebuilt counters).
  std::thread consuming;
  records_.when_listing_events = [&] {
    ASSERT_NO_FATAL_FAILURE(RandomChanges(60));
    EXPECT_EQ(redis_->Command({"EXISTS", RebuildLeaseKey(kRegion)})->integer, 1);
    consuming = std::thread([&] {
      absl::StatusOr<int> handled = consumers_[kRegistryStreamWriter]->PollOnce(50);
      EXPECT_TRUE(handled.ok()) << handled.status();
    });
    ASSERT_NO_FATAL_FAILURE(RandomChanges(30));
  };
  absl::StatusOr<RebuildSummary> summary = Rebuild();
  ASSERT_TRUE(summary.ok()) << summary.status();
  ASSERT_TRUE(consuming.joinable()) << "the rebuild listed no events";
  consuming.join();
  // After it: more still, then everything consumed.
  ASSERT_NO_FATAL_FAILURE(RandomChanges(60));
  Drain();
  const Answers after = Read();

  // Each counted once: the totals are what the records say...
  int64_t beneficiaries = 0;
  for (const auto& [id, b] : records_.beneficiaries) beneficiaries += b.archived() ? 0 : 1;
  EXPECT_EQ(static_cast<const RecordReport&>(*after[0]).total(), std::to_string(beneficiaries));
  // ... and a rebuild now, with everything consumed, changes no answer.
  ASSERT_TRUE(Rebuild().ok());
  std::string diff;
  EXPECT_TRUE(Same(after, Read(), &diff)) << diff;
}

TEST_F(ReportingRecordsRebuildRedisTest, TheStagingStoreDoesNotWaitForTheLeaseTheLiveOneDoes) {
  ASSERT_TRUE(redis_->Command({"SET", RebuildLeaseKey(kRegion), "ours", "PX", "60000"}).ok());
  Contribution counted;
  counted.region = kVillage;
  counted.month = "2026-05";
  counted.fields["n"] = 1;
  RedisContributionStore staging(*redis_, kRegion, StagedKeyBase(kRegion),
                                 RedisContributionStore::Lease::kIgnore);
  absl::StatusOr<bool> applied = staging.Apply(CountedSubject::kNetwork, "net-1", 1, counted);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_TRUE(*applied);
  auto cell = staging.ReadCells(CountedSubject::kNetwork, kRegion, {absl::CivilMonth(2026, 5)});
  ASSERT_TRUE(cell.ok()) << cell.status();
  EXPECT_FALSE(cell->empty());

  // The live store waits while the lease exists, and applies once it is gone.
  RedisContributionStore live(*redis_, kRegion, ReportingKeyBase(kRegion));
  std::thread release([&] {
    absl::SleepFor(absl::Milliseconds(300));
    ASSERT_TRUE(redis_->Command({"DEL", RebuildLeaseKey(kRegion)}).ok());
  });
  const absl::Time start = absl::Now();
  applied = live.Apply(CountedSubject::kNetwork, "net-1", 1, counted);
  release.join();
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_TRUE(*applied);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(250));
}

}  // namespace
}  // namespace wahana::testing
