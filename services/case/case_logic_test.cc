#include "case/case_logic.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "case/case_actions.h"
#include "case/case_fakes.h"
#include "common/bus/envelope.h"
#include "support/record_service_fakes.h"
#include "support/test_principals.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {
namespace {

namespace pb = wahana::cases::v1;
using google::protobuf::util::TimeUtil;
using testing::AdminAs;
using testing::FakeCaseStore;
using testing::FakeKnownSubjects;
using testing::FakeMediationEvents;
using testing::FakeRegistryRecords;
using wahana::cases::v1::Case;
using wahana::cases::v1::CaseChanged;
using wahana::cases::v1::CreateCaseRequest;
using wahana::cases::v1::GetCaseRequest;
using wahana::common::v1::Envelope;

constexpr char kVillage[] = "16.06.01.2001";
constexpr char kSubdistrict[] = "16.06.01";
constexpr char kBeneficiary[] = "01HZX5J6Q0W6Z9V3K8N2M4P7R1";
constexpr char kWorker[] = "01HZX5J6Q0W6Z9V3K8N2M4P7W1";
constexpr char kOtherWorker[] = "01HZX5J6Q0W6Z9V3K8N2M4P7W3";
constexpr char kInstitution[] = "01HZX5J6Q0W6Z9V3K8N2M4P7I1";

class CaseLogicTest : public ::testing::Test {
 protected:
  CaseLogicTest()
      : store_(std::make_shared<FakeCaseStore>()),
        regions_(std::make_shared<StaticRegionDirectory>()),
        registry_(std::make_shared<FakeRegistryRecords>()),
        known_(std::make_shared<FakeKnownSubjects>()) {
    regions_->Add("16.06").Add("16.06.01").Add(kVillage).Add("16.06.02.2002").Add("17.01.01.2001");
    registry_->AddBeneficiary(kBeneficiary);
    registry_->AddWorker(kWorker, {kSubdistrict}, 2);
    registry_->AddWorker(kOtherWorker, {kSubdistrict}, 5);
    registry_->AddInstitution(kInstitution);
    store_->known = known_.get();
    logic_ = MakeLogic(regions_);
  }

  std::unique_ptr<CaseLogic> MakeLogic(std::shared_ptr<RegionDirectory> regions) {
    CaseLogicOptions options;
    options.overdue_days = 30;
    return std::make_unique<CaseLogic>(
        "16.06", store_, std::move(regions), registry_, known_, options, [this] { return now_; },
        nullptr, OfficeCalendar(), events_);
  }

  static CreateCaseRequest ValidRequest() {
    CreateCaseRequest request;
    Case* c = request.mutable_case_();
    c->set_category(wahana::common::v1::ANAK_TELANTAR);
    c->set_kind(wahana::cases::v1::INDIVIDUAL);
    c->set_village_code(kVillage);
    c->set_summary("Anak usia 9 tahun tinggal sendiri setelah orang tua merantau.");
    return request;
  }

  Case Created() {
    absl::StatusOr<Case> c = logic_->CreateCase(AdminAs("operator-1"), ValidRequest());
    EXPECT_TRUE(c.ok()) << c.status();
    return c.value_or(Case());
  }

  void ExpectInvalid(const CreateCaseRequest& request, const std::string& field) {
    size_t published_before = store_->published().size();
    size_t cases_before = store_->records().size();
    auto sequences_before = store_->sequences;
    absl::StatusOr<Case> result = logic_->CreateCase(admin_, request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
    EXPECT_EQ(result.status().message().rfind(field + ":", 0), 0u)
        << "message should start with " << field << ": " << result.status();
    EXPECT_EQ(store_->published().size(), published_before);
    EXPECT_EQ(store_->records().size(), cases_before);
    EXPECT_EQ(store_->sequences, sequences_before) << "no number is taken for a refused case";
  }

  // Expects the create refused exactly as for an unknown id (a reference is a read,
  // reference_access.h): NOT_FOUND "<field>: <kind> <id> not found", nothing written.
  void ExpectUnknownRef(const Principal& caller, const CreateCaseRequest& request,
                        const std::string& field, const std::string& kind, const std::string& id) {
    size_t published_before = store_->published().size();
    size_t cases_before = store_->records().size();
    absl::StatusOr<Case> result = logic_->CreateCase(caller, request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound) << result.status();
    EXPECT_EQ(result.status().message(), absl::StrCat(field, ": ", kind, " ", id, " not found"));
    EXPECT_EQ(store_->published().size(), published_before);
    EXPECT_EQ(store_->records().size(), cases_before);
  }

  // Runs `step` and expects it refused with `code` and a message starting with `field`, with the
  // case, its history and the stream unchanged.
  template <typename Step>
  void ExpectRefused(const std::string& id, Step step, absl::StatusCode code,
                     const std::string& field) {
    const std::string before = store_->records().at(id).SerializeAsString();
    const size_t history = store_->histories[id].size();
    const size_t published = store_->published().size();
    absl::StatusOr<Case> result = step();
    EXPECT_EQ(result.status().code(), code) << result.status();
    EXPECT_EQ(result.status().message().rfind(field + ":", 0), 0u) << result.status();
    EXPECT_EQ(store_->records().at(id).SerializeAsString(), before);
    EXPECT_EQ(store_->histories[id].size(), history) << "history length unchanged";
    EXPECT_EQ(store_->published().size(), published);
  }

  // Runs `step` and expects it refused with `code`, with the case, its history and the stream
  // unchanged.
  template <typename Step>
  void ExpectRefusedWith(const std::string& id, Step step, absl::StatusCode code) {
    const std::string before = store_->records().at(id).SerializeAsString();
    const size_t history = store_->histories[id].size();
    const size_t published = store_->published().size();
    absl::StatusOr<Case> result = step();
    EXPECT_EQ(result.status().code(), code) << result.status();
    EXPECT_EQ(store_->records().at(id).SerializeAsString(), before);
    EXPECT_EQ(store_->histories[id].size(), history);
    EXPECT_EQ(store_->published().size(), published);
  }

  // `request` with the etag of its case as stored now (every step requires the etag as read).
  template <typename Request>
  Request Fresh(Request request) {
    auto found = store_->records().find(request.id());
    if (found != store_->records().end()) request.set_etag(found->second.etag());
    return request;
  }

  // A FIELD_WORKER of the subdistrict acting as registry worker `worker_id`.
  static Principal FieldWorkerOf(const std::string& worker_id) {
    Principal p = testing::TestPrincipal(Role::kFieldWorker, kSubdistrict, "tksk:" + worker_id);
    p.worker_id = worker_id;
    return p;
  }

  // A new case assigned to `worker_id` by an OPERATOR.
  Case AssignedTo(const std::string& worker_id) {
    Case c = Created();
    pb::AssignCaseRequest assign;
    assign.set_id(c.id());
    assign.set_worker_id(worker_id);
    absl::StatusOr<Case> assigned =
        logic_->AssignCase(testing::TestPrincipal(Role::kOperator), Fresh(assign));
    EXPECT_TRUE(assigned.ok()) << assigned.status();
    return assigned.value_or(c);
  }

  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 8, 30, 0), absl::UTCTimeZone());
  const Principal admin_ = testing::TestPrincipal(Role::kAdmin);
  std::shared_ptr<FakeCaseStore> store_;
  std::shared_ptr<StaticRegionDirectory> regions_;
  std::shared_ptr<FakeRegistryRecords> registry_;
  std::shared_ptr<FakeKnownSubjects> known_;
  std::shared_ptr<FakeMediationEvents> events_ = std::make_shared<FakeMediationEvents>();
  std::unique_ptr<CaseLogic> logic_;
};

TEST_F(CaseLogicTest, CreateSetsTheServerFieldsAndIgnoresTheClientsCopies) {
  CreateCaseRequest request = ValidRequest();
  Case* sent = request.mutable_case_();
  sent->set_id("01ARZ3NDEKTSV4RRFFQ69G5FAV");
  sent->set_number("99.99-1999-999999");
  sent->set_status(wahana::cases::v1::CLOSED);
  sent->set_etag("42");
  *sent->mutable_create_time() = TimeUtil::SecondsToTimestamp(1);

  absl::StatusOr<Case> created = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_NE(created->id(), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
  EXPECT_GE(TimeOfId(created->id()), 0);
  EXPECT_EQ(created->number(), "16.06-2026-000001");
  EXPECT_EQ(created->status(), wahana::cases::v1::INTAKE);
  EXPECT_EQ(created->etag(), "1");
  EXPECT_EQ(TimeUtil::TimestampToSeconds(created->create_time()), absl::ToUnixSeconds(now_));
  EXPECT_EQ(created->update_time().SerializeAsString(), created->create_time().SerializeAsString());
  EXPECT_EQ(created->category(), wahana::common::v1::ANAK_TELANTAR);
  EXPECT_EQ(created->kind(), wahana::cases::v1::INDIVIDUAL);
  EXPECT_EQ(created->village_code(), kVillage);
  EXPECT_EQ(created->summary(), request.case_().summary());
  ASSERT_EQ(store_->records().count(created->id()), 1u);
}

TEST_F(CaseLogicTest, CreatePublishesCaseChangedWithTheRoutingFacts) {
  absl::StatusOr<Case> created = logic_->CreateCase(admin_, ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(store_->published().size(), 1u);
  const Envelope& message = store_->published()[0];
  EXPECT_EQ(message.type(), "wahana.cases.v1.CaseChanged");
  EXPECT_EQ(message.origin_region(), "16.06");
  EXPECT_EQ(message.aggregate_id(), created->id());
  EXPECT_EQ(message.aggregate_version(), 1);
  EXPECT_EQ(message.region_code(), kVillage);
  CaseChanged payload;
  ASSERT_TRUE(message.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.case_().SerializeAsString(), created->SerializeAsString());
  EXPECT_EQ(payload.status_before(), pb::CASE_STATUS_UNSPECIFIED);
  EXPECT_EQ(payload.status_after(), pb::INTAKE);
  EXPECT_EQ(payload.category_after(), wahana::common::v1::ANAK_TELANTAR);
  EXPECT_EQ(payload.action().type(), pb::ACTION_CREATE);
  EXPECT_EQ(payload.action().sequence(), 1);
}

TEST_F(CaseLogicTest, NumbersFollowTheSequenceOfTheRegencyAndYear) {
  EXPECT_EQ(logic_->CreateCase(admin_, ValidRequest())->number(), "16.06-2026-000001");
  EXPECT_EQ(logic_->CreateCase(admin_, ValidRequest())->number(), "16.06-2026-000002");
  now_ = absl::FromCivil(absl::CivilSecond(2027, 1, 1, 0, 0, 1), absl::UTCTimeZone());
  EXPECT_EQ(logic_->CreateCase(admin_, ValidRequest())->number(), "16.06-2027-000001");
}

// "Today" and "this year" are the office's (Asia/Jakarta, UTC+7, by default), not UTC's.
TEST_F(CaseLogicTest, TheNumbersYearIsTheOfficesYear) {
  // New Year's Eve 16:30 UTC is 23:30 in Jakarta: still 2026 there.
  now_ = absl::FromCivil(absl::CivilSecond(2026, 12, 31, 16, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(logic_->CreateCase(admin_, ValidRequest())->number(), "16.06-2026-000001");
  // 17:30 UTC is 00:30 on 1 January 2027 in Jakarta: the first case of the new year.
  now_ = absl::FromCivil(absl::CivilSecond(2026, 12, 31, 17, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(logic_->CreateCase(admin_, ValidRequest())->number(), "16.06-2027-000001");
}

TEST_F(CaseLogicTest, ASessionDatedTheOfficesTodayIsRecordedAndTomorrowRefused) {
  // 4 March 17:30 UTC is 5 March 00:30 in Jakarta.
  now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 4, 17, 30, 0), absl::UTCTimeZone());
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_kind(pb::SOCIAL_CONFLICT);
  request.mutable_case_()->add_parties()->set_beneficiary_id(kBeneficiary);
  request.mutable_case_()->add_parties()->set_institution_id(kInstitution);
  absl::StatusOr<Case> c = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(c.ok()) << c.status();
  pb::RecordMediationSessionRequest session;
  session.set_id(c->id());
  session.mutable_session()->set_date("2026-03-06");
  session.set_etag(c->etag());
  ExpectRefused(
      c->id(), [&] { return logic_->RecordMediationSession(AdminAs("w"), session); },
      absl::StatusCode::kInvalidArgument, "session.date");
  EXPECT_EQ(logic_->RecordMediationSession(AdminAs("w"), session).status().message(),
            "session.date: \"2026-03-06\" is in the future");
  session.mutable_session()->set_date("2026-03-05");
  absl::StatusOr<Case> recorded = logic_->RecordMediationSession(AdminAs("w"), session);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->mediation().sessions(0).date(), "2026-03-05");
}

TEST_F(CaseLogicTest, ASessionNamesAMediationEventOfTheCasesRegionThatTheCallerCanRead) {
  CreateCaseRequest request = ValidRequest();  // in 16.06.01.2001
  request.mutable_case_()->set_kind(pb::SOCIAL_CONFLICT);
  request.mutable_case_()->add_parties()->set_beneficiary_id(kBeneficiary);
  request.mutable_case_()->add_parties()->set_institution_id(kInstitution);
  absl::StatusOr<Case> c = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(c.ok()) << c.status();
  auto event = [this](const char* id, wahana::event::v1::EventKind kind, const char* region) {
    wahana::event::v1::Event& e = events_->events[id];
    e.set_id(id);
    e.set_kind(kind);
    e.set_region_code(region);
    e.set_status(wahana::event::v1::Event::PLANNED);
    return id;
  };
  const std::string subdistrict =
      event("01J0000000000000000000MED1", wahana::event::v1::MEDIASI, "16.06.01");
  const std::string training =
      event("01J0000000000000000000TRN1", wahana::event::v1::PELATIHAN, "16.06.01.2001");
  const std::string lais =
      event("01J0000000000000000000MED2", wahana::event::v1::MEDIASI, "16.06.02");
  const std::string unknown = "01J0000000000000000000MED3";
  pb::RecordMediationSessionRequest session;
  session.set_id(c->id());
  session.mutable_session()->set_date("2026-03-01");
  auto with = [&](const std::string& event_id) {
    session.set_etag(store_->records().at(c->id()).etag());
    session.mutable_session()->set_event_id(event_id);
    return session;
  };
  // Unknown, and out of a Sekayu operator's reach: the same 404 naming only the id sent.
  const Principal sekayu = testing::TestPrincipal(Role::kOperator, "16.06.01");
  for (const std::string& id : {unknown, lais}) {
    ExpectRefused(
        c->id(), [&] { return logic_->RecordMediationSession(sekayu, with(id)); },
        absl::StatusCode::kNotFound, "session.eventId");
    EXPECT_EQ(logic_->RecordMediationSession(sekayu, with(id)).status().message(),
              "session.eventId: event " + id + " not found");
  }
  // The regency's admin reads Lais's event, which is not held for this case's region.
  ExpectRefused(
      c->id(), [&] { return logic_->RecordMediationSession(admin_, with(lais)); },
      absl::StatusCode::kInvalidArgument, "session.eventId");
  ExpectRefused(
      c->id(), [&] { return logic_->RecordMediationSession(admin_, with(training)); },
      absl::StatusCode::kInvalidArgument, "session.eventId");
  events_->events[subdistrict].set_status(wahana::event::v1::Event::CANCELLED);
  ExpectRefused(
      c->id(), [&] { return logic_->RecordMediationSession(admin_, with(subdistrict)); },
      absl::StatusCode::kFailedPrecondition, "session.eventId");
  events_->events[subdistrict].set_status(wahana::event::v1::Event::OPEN);
  absl::StatusOr<Case> recorded = logic_->RecordMediationSession(sekayu, with(subdistrict));
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->mediation().sessions(0).event_id(), subdistrict);
  // The event service down: UNAVAILABLE, nothing written.
  events_->unavailable = absl::UnavailableError("event service down");
  ExpectRefusedWith(
      c->id(), [&] { return logic_->RecordMediationSession(admin_, with(subdistrict)); },
      absl::StatusCode::kUnavailable);
}

TEST_F(CaseLogicTest, AReferralIsOverdueFromTheOfficesDayAfterItsDueDate) {
  Case c = Created();
  pb::ReferCaseRequest refer;
  refer.set_id(c.id());
  refer.set_target(pb::REFERRAL_PROVINCE);
  refer.set_reason("membutuhkan rehabilitasi dalam panti");
  refer.set_due_date("2026-03-10");
  refer.set_etag(c.etag());
  ASSERT_TRUE(logic_->ReferCase(AdminAs("worker-1"), refer).ok());
  pb::ListCasesRequest overdue;
  overdue.set_overdue(true);
  // 10 March 16:59 UTC is 23:59 in Jakarta: due today, not overdue.
  now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 16, 59, 0), absl::UTCTimeZone());
  EXPECT_EQ(logic_->ListCases(admin_, overdue)->cases_size(), 0);
  // 17:00 UTC, still 10 March in UTC, is 11 March in Jakarta: overdue.
  now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 17, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(logic_->ListCases(admin_, overdue)->cases_size(), 1);
}

TEST_F(CaseLogicTest, SameRequestIdReturnsTheFirstCaseAndCreatesNothing) {
  CreateCaseRequest request = ValidRequest();
  request.set_request_id("intake-form-7f3a");
  absl::StatusOr<Case> first = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Case> second = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->id(), first->id());
  EXPECT_EQ(second->number(), first->number());
  EXPECT_EQ(store_->records().size(), 1u);
  EXPECT_EQ(store_->published().size(), 1u);
}

TEST_F(CaseLogicTest, RetryWithRequestIdIsAnsweredWhileTheRegistryIsDown) {
  CreateCaseRequest request = ValidRequest();
  request.set_request_id("retry-me");
  absl::StatusOr<Case> first = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  logic_ = MakeLogic(std::make_shared<testing::UnavailableRegionDirectory>());
  absl::StatusOr<Case> retry = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->id(), first->id());
}

TEST_F(CaseLogicTest, RegistryDownIsUnavailableAndWritesNothing) {
  logic_ = MakeLogic(std::make_shared<testing::UnavailableRegionDirectory>());
  absl::StatusOr<Case> created = logic_->CreateCase(admin_, ValidRequest());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(store_->records().empty());
  EXPECT_TRUE(store_->published().empty());
}

TEST_F(CaseLogicTest, CategoryMustBeOneOfTheTwentySixPpks) {
  for (int category : {0, 27, -1}) {
    CreateCaseRequest request = ValidRequest();
    request.mutable_case_()->set_category(static_cast<wahana::common::v1::PpksCategory>(category));
    SCOPED_TRACE(category);
    ExpectInvalid(request, "category");
  }
  for (int category : {1, 26}) {
    CreateCaseRequest request = ValidRequest();
    request.mutable_case_()->set_category(static_cast<wahana::common::v1::PpksCategory>(category));
    EXPECT_TRUE(logic_->CreateCase(admin_, request).ok()) << category;
  }
}

TEST_F(CaseLogicTest, KindIsRequired) {
  for (int kind : {0, 99}) {
    CreateCaseRequest request = ValidRequest();
    request.mutable_case_()->set_kind(static_cast<wahana::cases::v1::CaseKind>(kind));
    SCOPED_TRACE(kind);
    ExpectInvalid(request, "kind");
  }
}

TEST_F(CaseLogicTest, SummaryIsRequiredAndAtMost4000Bytes) {
  for (const std::string& summary :
       {std::string(), std::string(" \n\t "), std::string(4001, 'x')}) {
    CreateCaseRequest request = ValidRequest();
    request.mutable_case_()->set_summary(summary);
    SCOPED_TRACE(summary.size());
    ExpectInvalid(request, "summary");
  }
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_summary(std::string(4000, 'x'));
  EXPECT_TRUE(logic_->CreateCase(admin_, request).ok());
}

TEST_F(CaseLogicTest, VillageCodeMustBeAKnownVillageOfTheDeployment) {
  for (const char* code :
       {"", "16.06.01.2999" /* unknown */, "17.01.01.2001" /* other regency */,
        "16.06.01" /* a subdistrict */, "16.06" /* the regency */, "16.6.1.2001" /* malformed */}) {
    CreateCaseRequest request = ValidRequest();
    request.mutable_case_()->set_village_code(code);
    SCOPED_TRACE(code);
    ExpectInvalid(request, "villageCode");
  }
}

TEST_F(CaseLogicTest, BeneficiaryIdIsOptionalButBounded) {
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id(kBeneficiary);
  EXPECT_TRUE(logic_->CreateCase(admin_, request).ok());
  request.mutable_case_()->set_beneficiary_id(std::string(65, 'B'));
  ExpectInvalid(request, "beneficiaryId");
}

TEST_F(CaseLogicTest, RequestIdIsBounded) {
  CreateCaseRequest request = ValidRequest();
  request.set_request_id(std::string(129, 'r'));
  ExpectInvalid(request, "requestId");
}

TEST_F(CaseLogicTest, GetCaseReturnsTheStoredCase) {
  absl::StatusOr<Case> created = logic_->CreateCase(admin_, ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  GetCaseRequest get;
  get.set_id(created->id());
  absl::StatusOr<Case> read = logic_->GetCase(admin_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), created->SerializeAsString());
}

TEST_F(CaseLogicTest, GetCaseOfAnUnknownIdIsNotFound) {
  GetCaseRequest get;
  get.set_id(TimeOrderedIdGenerator().Next());
  EXPECT_EQ(logic_->GetCase(admin_, get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CaseLogicTest, GetCaseOfAMalformedIdIsInvalidNamingId) {
  for (const char* id : {"", "abc", "16.06-2026-000001", "01ARZ3NDEKTSV4RRFFQ69G5FA!"}) {
    GetCaseRequest get;
    get.set_id(id);
    absl::StatusOr<Case> read = logic_->GetCase(admin_, get);
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument) << id;
    EXPECT_EQ(read.status().message().rfind("id:", 0), 0u) << read.status();
  }
}

TEST_F(CaseLogicTest, ASubjectMustBeInTheRegistry) {
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id("01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");
  ExpectUnknownRef(admin_, request, "beneficiaryId", "beneficiary", "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");
  request = ValidRequest();
  request.mutable_case_()->set_household_id("01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");
  ExpectUnknownRef(admin_, request, "householdId", "household", "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");
  request = ValidRequest();
  request.mutable_case_()->mutable_reporter()->set_kind(pb::Reporter::WORKER);
  ExpectInvalid(request, "reporter.workerId");
  request.mutable_case_()->mutable_reporter()->set_worker_id("01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");
  ExpectUnknownRef(admin_, request, "reporter.workerId", "worker", "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");

  registry_->beneficiaries[kBeneficiary].set_archived(true);
  request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id(kBeneficiary);
  absl::StatusOr<Case> archived = logic_->CreateCase(admin_, request);
  EXPECT_EQ(archived.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(archived.status().message().rfind("beneficiaryId:", 0), 0u) << archived.status();
  EXPECT_TRUE(store_->records().empty());
}

TEST_F(CaseLogicTest, ASocialConflictNeedsTwoKnownParties) {
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_kind(pb::SOCIAL_CONFLICT);
  request.mutable_case_()->add_parties()->set_beneficiary_id(kBeneficiary);
  ExpectInvalid(request, "parties");
  request.mutable_case_()->add_parties()->set_institution_id("01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");
  ExpectUnknownRef(admin_, request, "parties[1].institutionId", "institution",
                   "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");
  request.mutable_case_()->mutable_parties(1)->set_institution_id(kInstitution);
  absl::StatusOr<Case> created = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->parties_size(), 2);
  EXPECT_EQ(created->reporter().kind(), pb::Reporter::ANONYMOUS);
  EXPECT_EQ(created->urgency(), pb::NORMAL);

  CreateCaseRequest individual = ValidRequest();
  individual.mutable_case_()->add_parties()->set_beneficiary_id(kBeneficiary);
  ExpectInvalid(individual, "parties");
}

// The full lifecycle of the issue, with the history folding back to the stored case.
TEST_F(CaseLogicTest, FullLifecycleAndTheFoldedHistoryEqualsTheStoredCase) {
  Case c = Created();
  const std::string id = c.id();
  pb::AssignCaseRequest assign;
  assign.set_id(id);
  assign.set_etag(c.etag());
  assign.set_worker_id(kWorker);
  absl::StatusOr<Case> step = logic_->AssignCase(AdminAs("supervisor-1"), Fresh(assign));
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->assignee_worker_id(), kWorker);
  EXPECT_EQ(step->etag(), "2");

  pb::AssessCaseRequest assess;
  assess.set_id(id);
  assess.set_problem("tidak punya akta kelahiran");
  assess.set_risk_score(65);
  assess.set_needs_outside_panti_rehabilitation(true);
  step = logic_->AssessCase(AdminAs("worker-1"), Fresh(assess));
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->status(), pb::ASSESSMENT);
  EXPECT_TRUE(step->assessment().needs_outside_panti_rehabilitation());

  pb::PlanCaseRequest plan;
  plan.set_id(id);
  pb::PlanGoal* goal = plan.add_goals();
  goal->set_goal("akta kelahiran terbit");
  goal->set_services("pendampingan ke Disdukcapil");
  goal->set_responsible("TKSK Sekayu");
  ASSERT_TRUE(logic_->PlanCase(AdminAs("worker-1"), Fresh(plan)).ok());
  pb::ApprovePlanRequest approve;
  approve.set_id(id);
  step = logic_->ApprovePlan(AdminAs("supervisor-1"), Fresh(approve));
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->status(), pb::INTERVENTION);
  EXPECT_EQ(step->plan().approved_by(), "supervisor-1");

  pb::RecordServiceRequest service;
  service.set_id(id);
  service.mutable_service()->set_spm_service(pb::SPM_ANAK_TELANTAR);
  service.mutable_service()->set_component("akta kelahiran");
  service.mutable_service()->set_date("2026-03-01");
  ASSERT_TRUE(logic_->RecordService(AdminAs("worker-1"), Fresh(service)).ok());
  pb::CaseStepRequest simple;
  simple.set_id(id);
  ASSERT_TRUE(logic_->SimpleStep(AdminAs("worker-1"), Fresh(simple), pb::ACTION_MONITOR).ok());
  ASSERT_TRUE(
      logic_->SimpleStep(AdminAs("worker-1"), Fresh(simple), pb::ACTION_RESUME_INTERVENTION).ok());
  pb::AddCaseNoteRequest note;
  note.set_id(id);
  note.set_text("keluarga menolak kunjungan kedua");
  note.set_confidential(true);
  ASSERT_TRUE(logic_->AddCaseNote(AdminAs("worker-1"), Fresh(note)).ok());
  pb::TerminateCaseRequest terminate;
  terminate.set_id(id);
  terminate.set_termination_reason(pb::GOAL_REACHED);
  ASSERT_TRUE(logic_->TerminateCase(AdminAs("worker-1"), Fresh(terminate)).ok());
  pb::FollowUpCaseRequest follow;
  follow.set_id(id);
  follow.set_follow_up_date("2026-06-01");
  ASSERT_TRUE(logic_->FollowUpCase(AdminAs("worker-1"), Fresh(follow)).ok());
  step = logic_->SimpleStep(AdminAs("supervisor-1"), Fresh(simple), pb::ACTION_CLOSE);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->status(), pb::CLOSED);
  step = logic_->SimpleStep(AdminAs("supervisor-1"), Fresh(simple), pb::ACTION_REOPEN);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->status(), pb::ASSESSMENT);

  // The history: one action per step, with who and when; folding it gives the stored case.
  pb::GetCaseHistoryRequest get_history;
  get_history.set_id(id);
  absl::StatusOr<pb::CaseHistory> history = logic_->GetCaseHistory(admin_, get_history);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->actions_size(), 13);
  EXPECT_EQ(history->actions(0).actor(), "operator-1");
  EXPECT_EQ(history->actions(1).actor(), "supervisor-1");
  EXPECT_EQ(history->actions(1).type(), pb::ACTION_ASSIGN);
  EXPECT_EQ(history->actions(8).note().text(), "keluarga menolak kunjungan kedua");
  std::vector<pb::CaseAction> actions(history->actions().begin(), history->actions().end());
  absl::StatusOr<Case> folded = FoldActions(actions);
  ASSERT_TRUE(folded.ok()) << folded.status();
  EXPECT_EQ(folded->SerializeAsString(), store_->records().at(id).SerializeAsString());

  // One message per action, each with the statuses before and after; confidential text is not
  // on the stream.
  ASSERT_EQ(store_->published().size(), 13u);
  CaseChanged approved;
  ASSERT_TRUE(store_->published()[4].payload().UnpackTo(&approved));
  EXPECT_EQ(approved.status_before(), pb::PLANNING);
  EXPECT_EQ(approved.status_after(), pb::INTERVENTION);
  EXPECT_EQ(store_->published()[4].aggregate_version(), 5);
  CaseChanged noted;
  ASSERT_TRUE(store_->published()[8].payload().UnpackTo(&noted));
  EXPECT_EQ(noted.action().type(), pb::ACTION_ADD_NOTE);
  EXPECT_TRUE(noted.action().note().text().empty());
}

TEST_F(CaseLogicTest, AStepFromTheWrongStatusIsRefusedListingTheAllowedSteps) {
  Case c = Created();
  pb::CaseStepRequest close;
  close.set_id(c.id());
  ExpectRefused(
      c.id(), [&] { return logic_->SimpleStep(AdminAs("x"), Fresh(close), pb::ACTION_CLOSE); },
      absl::StatusCode::kFailedPrecondition, "status");
  absl::Status status = logic_->SimpleStep(AdminAs("x"), Fresh(close), pb::ACTION_CLOSE).status();
  EXPECT_NE(
      status.message().find("allowed steps: :assign, :assess, :refer, :updateReferral, notes"),
      std::string::npos)
      << status;
}

TEST_F(CaseLogicTest, AStaleEtagIsAbortedAndWritesNothing) {
  Case c = Created();
  pb::AddCaseNoteRequest note;
  note.set_id(c.id());
  note.set_text("pertama");
  note.set_etag("1");
  ASSERT_TRUE(logic_->AddCaseNote(AdminAs("a"), Fresh(note)).ok());
  note.set_text("kedua, dari layar lama");
  ExpectRefused(
      c.id(), [&] { return logic_->AddCaseNote(AdminAs("b"), note); }, absl::StatusCode::kAborted,
      "etag");
}

TEST_F(CaseLogicTest, AStepWithoutTheEtagIsInvalidNamingItAndWritesNothing) {
  Case c = Created();
  pb::AddCaseNoteRequest note;
  note.set_id(c.id());
  note.set_text("tanpa etag");
  ExpectRefused(
      c.id(), [&] { return logic_->AddCaseNote(AdminAs("a"), note); },
      absl::StatusCode::kInvalidArgument, "etag");
  pb::CaseStepRequest close;
  close.set_id(c.id());
  EXPECT_EQ(logic_->SimpleStep(AdminAs("a"), close, pb::ACTION_CLOSE).status().message(),
            "etag: required (the etag of the case as read)");
}

TEST_F(CaseLogicTest, BadStepInputNamesTheFieldAndWritesNothing) {
  Case c = Created();
  const std::string id = c.id();
  pb::AssessCaseRequest assess;
  assess.set_id(id);
  assess.set_problem("x");
  assess.set_risk_score(101);
  ExpectRefused(
      id, [&] { return logic_->AssessCase(AdminAs("a"), Fresh(assess)); },
      absl::StatusCode::kInvalidArgument, "riskScore");
  assess.set_risk_score(50);
  assess.set_problem("");
  ExpectRefused(
      id, [&] { return logic_->AssessCase(AdminAs("a"), Fresh(assess)); },
      absl::StatusCode::kInvalidArgument, "problem");
  pb::AssignCaseRequest assign;
  assign.set_id(id);
  ExpectRefused(
      id, [&] { return logic_->AssignCase(AdminAs("a"), Fresh(assign)); },
      absl::StatusCode::kInvalidArgument, "workerId");
  assign.set_worker_id("01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");
  ExpectRefused(
      id, [&] { return logic_->AssignCase(AdminAs("a"), Fresh(assign)); },
      absl::StatusCode::kNotFound, "workerId");
  pb::ReferCaseRequest refer;
  refer.set_id(id);
  refer.set_reason("butuh panti");
  ExpectRefused(
      id, [&] { return logic_->ReferCase(AdminAs("a"), Fresh(refer)); },
      absl::StatusCode::kInvalidArgument, "target");
  refer.set_target(pb::REFERRAL_PROVINCE);
  refer.set_due_date("2026-02-30");
  ExpectRefused(
      id, [&] { return logic_->ReferCase(AdminAs("a"), Fresh(refer)); },
      absl::StatusCode::kInvalidArgument, "dueDate");
  pb::TerminateCaseRequest terminate;
  terminate.set_id(id);
  ExpectRefused(
      id, [&] { return logic_->TerminateCase(AdminAs("a"), Fresh(terminate)); },
      absl::StatusCode::kInvalidArgument, "terminationReason");
}

TEST_F(CaseLogicTest, StepsOnAnUnknownCaseAreNotFound) {
  pb::AddCaseNoteRequest note;
  note.set_id(TimeOrderedIdGenerator().Next());
  note.set_text("x");
  note.set_etag("1");
  EXPECT_EQ(logic_->AddCaseNote(AdminAs("a"), note).status().code(), absl::StatusCode::kNotFound);
  pb::GetCaseHistoryRequest history;
  history.set_id(note.id());
  EXPECT_EQ(logic_->GetCaseHistory(admin_, history).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CaseLogicTest, AssignRefusesAWorkerOverTheCapOrOutsideTheirSubdistricts) {
  // Cap 2: two open cases fill it.
  for (int i = 0; i < 2; ++i) {
    Case c = Created();
    pb::AssignCaseRequest assign;
    assign.set_id(c.id());
    assign.set_worker_id(kWorker);
    ASSERT_TRUE(logic_->AssignCase(AdminAs("s"), Fresh(assign)).ok());
    // Reassigning to the same worker does not count the case twice.
    ASSERT_TRUE(logic_->AssignCase(AdminAs("s"), Fresh(assign)).ok());
  }
  Case third = Created();
  pb::AssignCaseRequest assign;
  assign.set_id(third.id());
  assign.set_worker_id(kWorker);
  ExpectRefused(
      third.id(), [&] { return logic_->AssignCase(AdminAs("s"), Fresh(assign)); },
      absl::StatusCode::kFailedPrecondition, "workerId");
  EXPECT_NE(
      logic_->AssignCase(AdminAs("s"), Fresh(assign)).status().message().find("caseload cap is 2"),
      std::string::npos);

  const std::string elsewhere = "01HZX5J6Q0W6Z9V3K8N2M4P7W2";
  registry_->AddWorker(elsewhere, {"16.06.02"});
  assign.set_worker_id(elsewhere);
  ExpectRefused(
      third.id(), [&] { return logic_->AssignCase(AdminAs("s"), Fresh(assign)); },
      absl::StatusCode::kFailedPrecondition, "workerId");
  EXPECT_NE(
      logic_->AssignCase(AdminAs("s"), Fresh(assign)).status().message().find("does not serve"),
      std::string::npos);

  registry_->AddWorker(elsewhere, {kSubdistrict}).set_active(false);
  ExpectRefused(
      third.id(), [&] { return logic_->AssignCase(AdminAs("s"), Fresh(assign)); },
      absl::StatusCode::kFailedPrecondition, "workerId");
}

TEST_F(CaseLogicTest, RegistryDownMakesAStepUnavailableAndWritesNothing) {
  Case c = Created();
  registry_->unavailable = absl::UnavailableError("registry down");
  pb::AssignCaseRequest assign;
  assign.set_id(c.id());
  assign.set_worker_id(kWorker);
  EXPECT_EQ(logic_->AssignCase(AdminAs("s"), Fresh(assign)).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_->histories[c.id()].size(), 1u);
}

TEST_F(CaseLogicTest, ReferralsAreNumberedAnsweredAndOverdueAfterTheirDueDate) {
  Case c = Created();
  pb::ReferCaseRequest refer;
  refer.set_id(c.id());
  refer.set_target(pb::REFERRAL_PROVINCE);
  refer.set_reason("membutuhkan rehabilitasi dalam panti");
  refer.set_due_date("2026-03-10");
  absl::StatusOr<Case> referred = logic_->ReferCase(AdminAs("worker-1"), Fresh(refer));
  ASSERT_TRUE(referred.ok()) << referred.status();
  ASSERT_EQ(referred->referrals_size(), 1);
  EXPECT_EQ(referred->referrals(0).number(), 1);
  EXPECT_EQ(store_->histories[c.id()].back().referral().number(), 1);

  pb::ListCasesRequest overdue;
  overdue.set_overdue(true);
  EXPECT_EQ(logic_->ListCases(admin_, overdue)->cases_size(), 0);
  now_ += absl::Hours(24 * 10);  // past the due date, but not idle 30 days
  EXPECT_EQ(logic_->ListCases(admin_, overdue)->cases_size(), 1);

  pb::UpdateReferralRequest answer;
  answer.set_id(c.id());
  answer.set_referral_number(1);
  answer.set_status(pb::REFERRAL_COMPLETED);
  ExpectRefused(
      c.id(), [&] { return logic_->UpdateReferral(AdminAs("province"), Fresh(answer)); },
      absl::StatusCode::kFailedPrecondition, "status");
  answer.set_status(pb::REFERRAL_ACCEPTED);
  ASSERT_TRUE(logic_->UpdateReferral(AdminAs("province"), Fresh(answer)).ok());
  answer.set_status(pb::REFERRAL_COMPLETED);
  ASSERT_TRUE(logic_->UpdateReferral(AdminAs("province"), Fresh(answer)).ok());
  EXPECT_EQ(logic_->ListCases(admin_, overdue)->cases_size(), 0)
      << "a completed referral is not due";
}

// The case a province opens from a district's referral (federation), as its case service does.
Case OpenedFromReferral(CaseLogic& logic, FakeCaseStore& store, const std::string& district_case) {
  wahana::federation::v1::InboundReferral inbound;
  inbound.set_origin("16.06");
  inbound.set_sequence("1765000000000-0");
  wahana::federation::v1::ProvinceReferral* referral = inbound.mutable_referral();
  referral->set_case_id(district_case);
  referral->set_case_number("16.06/2026/00007");
  referral->set_referral_number(2);
  referral->set_reason("membutuhkan rehabilitasi dalam panti");
  referral->set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  referral->set_kind(pb::INDIVIDUAL);
  referral->set_village_code(kVillage);
  referral->set_summary("Lansia tinggal sendiri");
  EXPECT_TRUE(
      logic.HandleFederationMessage(MakeEnvelope(inbound, {"16", district_case, 0, kVillage}))
          .ok());
  for (const auto& [id, c] : store.records()) {
    if (c.referred_from().case_id() == district_case) return c;
  }
  ADD_FAILURE() << "no case opened from " << district_case;
  return Case();
}

TEST_F(CaseLogicTest, AProvinceAnswersOnlyTheReferralItsCaseCameFrom) {
  Case plain = Created();
  Case opened = OpenedFromReferral(*logic_, *store_, "district-case-1");
  ASSERT_FALSE(opened.id().empty());
  EXPECT_EQ(opened.referred_from().status(), pb::REFERRAL_SENT);
  EXPECT_EQ(opened.referred_from().referral_number(), 2);

  pb::AnswerReferralRequest answer;
  answer.set_status(pb::REFERRAL_ACCEPTED);
  answer.set_id(plain.id());
  ExpectRefused(
      plain.id(), [&] { return logic_->AnswerReferral(admin_, Fresh(answer)); },
      absl::StatusCode::kFailedPrecondition, "referredFrom");
  answer.set_id(opened.id());
  answer.set_status(pb::REFERRAL_COMPLETED);  // not before it is accepted
  ExpectRefused(
      opened.id(), [&] { return logic_->AnswerReferral(admin_, Fresh(answer)); },
      absl::StatusCode::kFailedPrecondition, "status");
  answer.set_status(pb::REFERRAL_SENT);
  ExpectRefused(
      opened.id(), [&] { return logic_->AnswerReferral(admin_, Fresh(answer)); },
      absl::StatusCode::kInvalidArgument, "status");
  answer.set_status(pb::REFERRAL_ACCEPTED);
  answer.set_answer(std::string(5000, 'x'));
  ExpectRefused(
      opened.id(), [&] { return logic_->AnswerReferral(admin_, Fresh(answer)); },
      absl::StatusCode::kInvalidArgument, "answer");
  // Taking the person on is the office's decision, not a field worker's.
  answer.set_answer("diterima di panti Sosial Tresna Werdha");
  ExpectRefusedWith(
      opened.id(), [&] { return logic_->AnswerReferral(FieldWorkerOf(kWorker), Fresh(answer)); },
      absl::StatusCode::kPermissionDenied);

  answer.set_reason("kapasitas tersedia");
  absl::StatusOr<Case> accepted = logic_->AnswerReferral(admin_, Fresh(answer));
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->referred_from().status(), pb::REFERRAL_ACCEPTED);
  EXPECT_EQ(accepted->referred_from().answer(), "diterima di panti Sosial Tresna Werdha");
  EXPECT_EQ(accepted->status(), opened.status()) << "an answer does not move the case";
  const pb::CaseAction& action = store_->histories[opened.id()].back();
  EXPECT_EQ(action.type(), pb::ACTION_ANSWER_REFERRAL);
  EXPECT_EQ(action.referral().status(), pb::REFERRAL_ACCEPTED);
  CaseChanged changed;
  ASSERT_TRUE(store_->published().back().payload().UnpackTo(&changed));
  EXPECT_EQ(changed.action().type(), pb::ACTION_ANSWER_REFERRAL);
  EXPECT_EQ(changed.case_().referred_from().case_id(), "district-case-1");

  answer.set_status(pb::REFERRAL_REJECTED);  // decided already
  ExpectRefused(
      opened.id(), [&] { return logic_->AnswerReferral(admin_, Fresh(answer)); },
      absl::StatusCode::kFailedPrecondition, "status");
  answer.set_status(pb::REFERRAL_COMPLETED);
  absl::StatusOr<Case> completed = logic_->AnswerReferral(admin_, Fresh(answer));
  ASSERT_TRUE(completed.ok()) << completed.status();
  EXPECT_EQ(completed->referred_from().status(), pb::REFERRAL_COMPLETED);
}

TEST_F(CaseLogicTest, TheProvincesAnswerIsRecordedOnTheReferralOnceClosedCasesIncluded) {
  Case c = Created();
  pb::ReferCaseRequest refer;
  refer.set_id(c.id());
  refer.set_target(pb::REFERRAL_PROVINCE);
  refer.set_reason("membutuhkan rehabilitasi dalam panti");
  ASSERT_TRUE(logic_->ReferCase(admin_, Fresh(refer)).ok());
  refer.set_target(pb::REFERRAL_AGENCY);
  refer.set_agency("Puskesmas Sekayu");
  ASSERT_TRUE(logic_->ReferCase(admin_, Fresh(refer)).ok());

  wahana::federation::v1::InboundReferralAnswer inbound;
  inbound.set_origin("16");
  inbound.set_sequence("1765000000000-0");
  wahana::federation::v1::ReferralAnswer* answer = inbound.mutable_answer();
  answer->set_region("16.06");
  answer->set_case_id(c.id());
  answer->set_referral_number(1);
  answer->set_status(pb::REFERRAL_ACCEPTED);
  answer->set_answer("diterima di panti");
  answer->set_reason("kapasitas tersedia");
  answer->set_province_case_number("16/2026/00003");
  auto deliver = [&] {
    return logic_->HandleFederationMessage(MakeEnvelope(inbound, {"16.06", c.id(), 0, "16.06"}));
  };
  ASSERT_TRUE(deliver().ok());
  const Case& after = store_->records().at(c.id());
  EXPECT_EQ(after.referrals(0).status(), pb::REFERRAL_ACCEPTED);
  EXPECT_EQ(after.referrals(0).answer(), "diterima di panti");
  EXPECT_EQ(after.referrals(1).status(), pb::REFERRAL_SENT);
  const pb::CaseAction& action = store_->histories[c.id()].back();
  EXPECT_EQ(action.type(), pb::ACTION_UPDATE_REFERRAL);
  EXPECT_EQ(action.actor(), "province:16");
  EXPECT_NE(action.reason().find("16/2026/00003"), std::string::npos) << action.reason();
  EXPECT_NE(action.reason().find("kapasitas tersedia"), std::string::npos) << action.reason();

  // Delivered twice (a redelivery): recorded once.
  const size_t history = store_->histories[c.id()].size();
  ASSERT_TRUE(deliver().ok());
  EXPECT_EQ(store_->histories[c.id()].size(), history);

  // The province answers only what was referred to it.
  answer->set_referral_number(2);
  EXPECT_EQ(deliver().code(), absl::StatusCode::kInvalidArgument);
  answer->set_referral_number(3);
  EXPECT_EQ(deliver().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->histories[c.id()].size(), history);

  // The district closes its case once the province has the person; the outcome still arrives.
  pb::AssessCaseRequest assess;
  assess.set_id(c.id());
  assess.set_problem("lansia terlantar");
  ASSERT_TRUE(logic_->AssessCase(admin_, Fresh(assess)).ok());
  pb::TerminateCaseRequest terminate;
  terminate.set_id(c.id());
  terminate.set_termination_reason(pb::TERMINATION_REFERRED);
  ASSERT_TRUE(logic_->TerminateCase(admin_, Fresh(terminate)).ok());
  pb::CaseStepRequest close;
  close.set_id(c.id());
  ASSERT_TRUE(logic_->SimpleStep(admin_, Fresh(close), pb::ACTION_CLOSE).ok());
  answer->set_referral_number(1);
  answer->set_status(pb::REFERRAL_COMPLETED);
  answer->set_answer("selesai direhabilitasi");
  ASSERT_TRUE(deliver().ok());
  EXPECT_EQ(store_->records().at(c.id()).referrals(0).status(), pb::REFERRAL_COMPLETED);
  EXPECT_EQ(store_->records().at(c.id()).status(), pb::CLOSED);
}

TEST_F(CaseLogicTest, ListsFilterByStatusCategoryKindAssigneeAndIdleTime) {
  Case a = Created();
  Case b = Created();
  CreateCaseRequest other = ValidRequest();
  other.mutable_case_()->set_kind(pb::FAMILY);
  other.mutable_case_()->set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  other.mutable_case_()->set_village_code("16.06.02.2002");
  ASSERT_TRUE(logic_->CreateCase(admin_, other).ok());
  pb::AssessCaseRequest assess;
  assess.set_id(a.id());
  assess.set_problem("p");
  ASSERT_TRUE(logic_->AssessCase(AdminAs("w"), Fresh(assess)).ok());
  pb::AssignCaseRequest assign;
  assign.set_id(b.id());
  assign.set_worker_id(kWorker);
  ASSERT_TRUE(logic_->AssignCase(AdminAs("s"), Fresh(assign)).ok());

  auto ids = [&](pb::ListCasesRequest request) {
    absl::StatusOr<pb::ListCasesResponse> listed = logic_->ListCases(admin_, request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> out;
    if (listed.ok()) {
      for (const Case& c : listed->cases()) out.push_back(c.id());
    }
    return out;
  };
  pb::ListCasesRequest request;
  EXPECT_EQ(ids(request).size(), 3u);
  request.set_status(pb::ASSESSMENT);
  EXPECT_EQ(ids(request), std::vector<std::string>{a.id()});
  request = pb::ListCasesRequest();
  request.set_assignee_worker_id(kWorker);
  EXPECT_EQ(ids(request), std::vector<std::string>{b.id()});
  request.set_status(pb::ASSESSMENT);
  EXPECT_TRUE(ids(request).empty());
  request = pb::ListCasesRequest();
  request.set_kind(pb::FAMILY);
  EXPECT_EQ(ids(request).size(), 1u);
  request = pb::ListCasesRequest();
  request.set_category(wahana::common::v1::ANAK_TELANTAR);
  request.set_region(kSubdistrict);
  EXPECT_EQ(ids(request).size(), 2u);
  request.set_region("17.01");  // outside the caller's scope
  EXPECT_EQ(logic_->ListCases(admin_, request).status().code(),
            absl::StatusCode::kPermissionDenied);
  request.set_region("16.6");  // malformed
  EXPECT_EQ(logic_->ListCases(admin_, request).status().code(), absl::StatusCode::kInvalidArgument);

  // Idle for 30 days: overdue; a step makes it current again.
  request = pb::ListCasesRequest();
  request.set_overdue(true);
  EXPECT_TRUE(ids(request).empty());
  now_ += absl::Hours(24 * 31);
  EXPECT_EQ(ids(request).size(), 3u);
  pb::AddCaseNoteRequest note;
  note.set_id(a.id());
  note.set_text("kunjungan");
  ASSERT_TRUE(logic_->AddCaseNote(AdminAs("w"), Fresh(note)).ok());
  EXPECT_EQ(ids(request).size(), 2u);

  // Pages.
  request = pb::ListCasesRequest();
  request.set_page_size(2);
  absl::StatusOr<pb::ListCasesResponse> first = logic_->ListCases(admin_, request);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->cases_size(), 2);
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  EXPECT_EQ(logic_->ListCases(admin_, request)->cases_size(), 1);
  request.set_page_size(501);
  EXPECT_EQ(logic_->ListCases(admin_, request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CaseLogicTest, HistoryIsPaginated) {
  Case c = Created();
  pb::AddCaseNoteRequest note;
  note.set_id(c.id());
  note.set_text("n");
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(logic_->AddCaseNote(AdminAs("w"), Fresh(note)).ok());
  pb::GetCaseHistoryRequest request;
  request.set_id(c.id());
  request.set_page_size(3);
  absl::StatusOr<pb::CaseHistory> first = logic_->GetCaseHistory(admin_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->actions_size(), 3);
  request.set_page_token(first->next_page_token());
  absl::StatusOr<pb::CaseHistory> second = logic_->GetCaseHistory(admin_, request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->actions_size(), 2);
  EXPECT_EQ(second->actions(1).sequence(), 5);
  EXPECT_TRUE(second->next_page_token().empty());
  request.set_id(Created().id());
  EXPECT_EQ(logic_->GetCaseHistory(admin_, request).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "a token of another case's history";
}

TEST_F(CaseLogicTest, MediationIsRecordedOnConflictCases) {
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_kind(pb::SOCIAL_CONFLICT);
  request.mutable_case_()->add_parties()->set_beneficiary_id(kBeneficiary);
  request.mutable_case_()->add_parties()->set_institution_id(kInstitution);
  absl::StatusOr<Case> c = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(c.ok()) << c.status();
  pb::RecordMediationSessionRequest session;
  session.set_id(c->id());
  session.set_mediator_worker_id(kWorker);
  session.mutable_session()->set_date("2026-02-26");
  session.mutable_session()->set_place("balai desa");
  session.mutable_session()->add_attendees("kepala desa");
  ASSERT_TRUE(logic_->RecordMediationSession(AdminAs("w"), Fresh(session)).ok());
  pb::RecordAgreementRequest agreement;
  agreement.set_id(c->id());
  agreement.set_agreement("batas kebun ditandai bersama");
  agreement.set_follow_up_date("2026-04-05");
  absl::StatusOr<Case> agreed = logic_->RecordAgreement(AdminAs("w"), Fresh(agreement));
  ASSERT_TRUE(agreed.ok()) << agreed.status();
  EXPECT_EQ(agreed->mediation().mediator_worker_id(), kWorker);
  EXPECT_EQ(agreed->mediation().sessions_size(), 1);
  EXPECT_EQ(agreed->mediation().follow_up_date(), "2026-04-05");

  Case individual = Created();
  session.set_id(individual.id());
  ExpectRefused(
      individual.id(), [&] { return logic_->RecordMediationSession(AdminAs("w"), Fresh(session)); },
      absl::StatusCode::kFailedPrecondition, "kind");
}

TEST_F(CaseLogicTest, AnArchivedBeneficiaryAnnotatesItsOpenCasesOnce) {
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id(kBeneficiary);
  absl::StatusOr<Case> c = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(c.ok()) << c.status();
  wahana::registry::v1::BeneficiaryChanged changed;
  changed.mutable_beneficiary()->set_id(kBeneficiary);
  changed.set_action("archived");
  changed.set_reason("meninggal dunia");
  Envelope envelope = MakeEnvelope(changed, {"16.06", kBeneficiary, 2, kVillage});
  ASSERT_TRUE(logic_->HandleRegistryMessage(envelope).ok());
  ASSERT_TRUE(logic_->HandleRegistryMessage(envelope).ok());  // a redelivery
  const auto& history = store_->histories[c->id()];
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].type(), pb::ACTION_SUBJECT_ARCHIVED);
  EXPECT_EQ(history[1].actor(), kSystemActor);
  EXPECT_EQ(history[1].registry_message_id(), envelope.message_id());
  EXPECT_TRUE(store_->records().at(c->id()).subject_archived());
  // Only that it was archived: the registry's reason is the beneficiary's, and a reader of the
  // case may not read the beneficiary.
  EXPECT_EQ(history[1].reason(), "the registry archived the subject beneficiary");
  EXPECT_EQ(store_->records().at(c->id()).SerializeAsString().find("meninggal"), std::string::npos);

  changed.set_action("updated");
  EXPECT_TRUE(
      logic_->HandleRegistryMessage(MakeEnvelope(changed, {"16.06", kBeneficiary, 3, kVillage}))
          .ok());
  EXPECT_EQ(store_->histories[c->id()].size(), 2u);
}

// --- The known-subjects projection (known_subjects.h) ---

TEST_F(CaseLogicTest, ASubjectAskedOfTheRegistryIsRememberedWithItsVersion) {
  registry_->beneficiaries[kBeneficiary].set_etag("3");
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id(kBeneficiary);
  ASSERT_TRUE(logic_->CreateCase(admin_, request).ok());
  EXPECT_EQ(registry_->calls, 1);
  auto it = known_->entries.find({SubjectKind::kBeneficiary, kBeneficiary});
  ASSERT_NE(it, known_->entries.end());
  EXPECT_EQ(it->second.version, 3);
  EXPECT_FALSE(it->second.archived);
  EXPECT_EQ(it->second.region, kVillage);

  // The next case naming it does not ask the registry, even while it is down.
  registry_->unavailable = absl::UnavailableError("registry down");
  absl::StatusOr<Case> second = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->beneficiary_id(), kBeneficiary);
  EXPECT_EQ(registry_->calls, 1);
}

TEST_F(CaseLogicTest, AKnownArchivedSubjectIsRefusedWithoutAskingTheRegistry) {
  known_->entries[{SubjectKind::kBeneficiary, kBeneficiary}] = {4, true, kVillage};
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id(kBeneficiary);
  absl::StatusOr<Case> refused = logic_->CreateCase(admin_, request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string expected =
      absl::StrCat("beneficiaryId: beneficiary ", kBeneficiary, " is archived");
  EXPECT_EQ(refused.status().message().rfind(expected, 0), 0u) << refused.status();
  EXPECT_EQ(registry_->calls, 0);
  EXPECT_TRUE(store_->records().empty());
  EXPECT_TRUE(store_->sequences.empty()) << "no number is taken for a refused case";
}

TEST_F(CaseLogicTest, AnUnknownSubjectIsStillCheckedByTheRegistry) {
  // Known: the worker. Not known: the beneficiary, which the registry does not have either.
  known_->entries[{SubjectKind::kWorker, kWorker}] = {1, false, kSubdistrict};
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id("01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");
  request.mutable_case_()->mutable_reporter()->set_kind(pb::Reporter::WORKER);
  request.mutable_case_()->mutable_reporter()->set_worker_id(kWorker);
  ExpectUnknownRef(admin_, request, "beneficiaryId", "beneficiary", "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ");
  EXPECT_EQ(registry_->calls, 1);
  EXPECT_EQ(known_->entries.count({SubjectKind::kBeneficiary, "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ"}), 0u)
      << "a record the registry does not have is not remembered";

  // The registry down: a record not known here cannot be checked.
  registry_->unavailable = absl::UnavailableError("registry down");
  request.mutable_case_()->set_beneficiary_id(kBeneficiary);
  EXPECT_EQ(logic_->CreateCase(admin_, request).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(store_->records().empty());
}

TEST_F(CaseLogicTest, ProjectionDownIsUnavailableAndWritesNothing) {
  known_->unavailable = absl::UnavailableError("redis down");
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id(kBeneficiary);
  EXPECT_EQ(logic_->CreateCase(admin_, request).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(store_->records().empty());
}

TEST_F(CaseLogicTest, RegistryMessagesMoveTheProjectionOn) {
  auto message = [](const std::string& action, bool archived, int64_t version,
                    const std::string& id) {
    wahana::registry::v1::BeneficiaryChanged changed;
    changed.mutable_beneficiary()->set_id(id);
    changed.mutable_beneficiary()->set_archived(archived);
    changed.set_action(action);
    return MakeEnvelope(changed, {"16.06", id, version, kVillage});
  };
  const SubjectRef ref{SubjectKind::kBeneficiary, kBeneficiary};
  // A create or an update of a record not known here adds nothing (imports cost nothing).
  ASSERT_TRUE(logic_->HandleRegistryMessage(message("created", false, 1, kBeneficiary)).ok());
  ASSERT_TRUE(logic_->HandleRegistryMessage(message("updated", false, 2, kBeneficiary)).ok());
  EXPECT_TRUE(known_->entries.empty());
  // An archive is remembered even so; a later restore moves it back, an older message does not.
  ASSERT_TRUE(logic_->HandleRegistryMessage(message("archived", true, 3, kBeneficiary)).ok());
  EXPECT_EQ(*known_->Lookup({ref}), std::vector<SubjectState>{SubjectState::kArchived});
  ASSERT_TRUE(logic_->HandleRegistryMessage(message("updated", false, 2, kBeneficiary)).ok());
  EXPECT_EQ(*known_->Lookup({ref}), std::vector<SubjectState>{SubjectState::kArchived});
  ASSERT_TRUE(logic_->HandleRegistryMessage(message("updated", false, 4, kBeneficiary)).ok());
  EXPECT_EQ(*known_->Lookup({ref}), std::vector<SubjectState>{SubjectState::kLive});

  // Households, institutions and workers too.
  wahana::registry::v1::WorkerChanged worker;
  worker.mutable_worker()->set_id(kWorker);
  worker.mutable_worker()->set_archived(true);
  worker.set_action("archived");
  ASSERT_TRUE(
      logic_->HandleRegistryMessage(MakeEnvelope(worker, {"16.06", kWorker, 2, kVillage})).ok());
  EXPECT_EQ(*known_->Lookup({{SubjectKind::kWorker, kWorker}}),
            std::vector<SubjectState>{SubjectState::kArchived});
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->mutable_reporter()->set_kind(pb::Reporter::WORKER);
  request.mutable_case_()->mutable_reporter()->set_worker_id(kWorker);
  EXPECT_EQ(logic_->CreateCase(admin_, request).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// --- Access (access_policy.h): scope, role, least data ---

using testing::TestPrincipal;

// A reference is a read (reference_access.h): every field of a case naming a registry record, and
// every step naming one, answers a record the caller may not read exactly as an unknown id, whether
// the record comes from the registry or from the known-subjects projection; nothing is written.
TEST_F(CaseLogicTest, EveryReferenceOutsideTheCallersScopeIsAnUnknownId) {
  const std::string person = "01HZX5J6Q0W6Z9V3K8N2M4P7R2";
  const std::string family = "01HZX5J6Q0W6Z9V3K8N2M4P7H2";
  const std::string group = "01HZX5J6Q0W6Z9V3K8N2M4P7I2";
  const std::string tksk = "01HZX5J6Q0W6Z9V3K8N2M4P7W2";
  registry_->AddBeneficiary(person).set_village_code("16.06.02.2002");
  registry_->households[family].set_id(family);
  registry_->households[family].set_village_code("16.06.02.2002");
  registry_->AddInstitution(group).set_village_code("16.06.02.2002");
  registry_->AddWorker(tksk, {"16.06.02", "16.06.01"});
  // Versions, so that the projection remembers them (with their regions).
  registry_->beneficiaries[person].set_etag("1");
  registry_->beneficiaries[kBeneficiary].set_etag("1");
  registry_->households[family].set_etag("1");
  registry_->institutions[group].set_etag("1");
  registry_->institutions[kInstitution].set_etag("1");
  registry_->workers[tksk].set_etag("1");
  const Principal sekayu = TestPrincipal(Role::kOperator, "16.06.01");

  using Edit = std::function<void(Case*)>;
  const struct {
    std::string field, kind, id;
    Edit edit;
  } refs[] = {
      {"beneficiaryId", "beneficiary", person, [&](Case* c) { c->set_beneficiary_id(person); }},
      {"householdId", "household", family, [&](Case* c) { c->set_household_id(family); }},
      {"parties[1].beneficiaryId", "beneficiary", person,
       [&](Case* c) {
         c->set_kind(pb::SOCIAL_CONFLICT);
         c->add_parties()->set_institution_id(kInstitution);
         c->add_parties()->set_beneficiary_id(person);
       }},
      {"parties[0].institutionId", "institution", group,
       [&](Case* c) {
         c->set_kind(pb::SOCIAL_CONFLICT);
         c->add_parties()->set_institution_id(group);
         c->add_parties()->set_beneficiary_id(kBeneficiary);
       }},
      {"reporter.workerId", "worker", tksk,
       [&](Case* c) {
         c->mutable_reporter()->set_kind(pb::Reporter::WORKER);
         c->mutable_reporter()->set_worker_id(tksk);
       }},
      {"reporter.institutionId", "institution", group,
       [&](Case* c) {
         c->mutable_reporter()->set_kind(pb::Reporter::INSTITUTION);
         c->mutable_reporter()->set_institution_id(group);
       }},
  };
  for (int pass = 0; pass < 2; ++pass) {
    // Pass 0 asks the registry; pass 1 finds every record in the projection (the admin's creates
    // remembered them with their regions) and must not ask it.
    for (const auto& ref : refs) {
      SCOPED_TRACE(ref.field);
      CreateCaseRequest request = ValidRequest();
      ref.edit(request.mutable_case_());
      const int calls = registry_->calls;
      ExpectUnknownRef(sekayu, request, ref.field, ref.kind, ref.id);
      if (pass == 1) {
        EXPECT_EQ(registry_->calls, calls) << "answered from the projection";
      }
      // The same request naming no such record: the same answer.
      CreateCaseRequest unknown = ValidRequest();
      ref.edit(unknown.mutable_case_());
      std::string text = unknown.SerializeAsString();
      const std::string missing = "01HZX5J6Q0W6Z9V3K8N2M4P7ZZ";
      for (size_t at = text.find(ref.id); at != std::string::npos; at = text.find(ref.id)) {
        text.replace(at, ref.id.size(), missing);
      }
      ASSERT_TRUE(unknown.ParseFromString(text));
      ExpectUnknownRef(sekayu, unknown, ref.field, ref.kind, missing);
      // Whoever may read it names it.
      if (pass == 0) {
        ASSERT_TRUE(logic_->CreateCase(admin_, request).ok()) << ref.field;
      }
    }
  }
  EXPECT_EQ(known_->entries.at({SubjectKind::kBeneficiary, person}).region, "16.06.02.2002");

  // The steps: an assignee, a referral's institution, a mediator.
  CreateCaseRequest conflict = ValidRequest();
  conflict.mutable_case_()->set_kind(pb::SOCIAL_CONFLICT);
  conflict.mutable_case_()->add_parties()->set_beneficiary_id(kBeneficiary);
  conflict.mutable_case_()->add_parties()->set_institution_id(kInstitution);
  absl::StatusOr<Case> c = logic_->CreateCase(sekayu, conflict);
  ASSERT_TRUE(c.ok()) << c.status();
  pb::AssignCaseRequest assign;
  assign.set_id(c->id());
  assign.set_worker_id(tksk);
  ExpectRefused(
      c->id(), [&] { return logic_->AssignCase(sekayu, Fresh(assign)); },
      absl::StatusCode::kNotFound, "workerId");
  EXPECT_EQ(logic_->AssignCase(sekayu, Fresh(assign)).status().message(),
            absl::StrCat("workerId: worker ", tksk, " not found"));
  pb::ReferCaseRequest refer;
  refer.set_id(c->id());
  refer.set_target(pb::REFERRAL_INSTITUTION);
  refer.set_institution_id(group);
  refer.set_reason("pendampingan");
  ExpectRefused(
      c->id(), [&] { return logic_->ReferCase(sekayu, Fresh(refer)); }, absl::StatusCode::kNotFound,
      "institutionId");
  EXPECT_EQ(logic_->ReferCase(sekayu, Fresh(refer)).status().message(),
            absl::StrCat("institutionId: institution ", group, " not found"));
  pb::RecordMediationSessionRequest session;
  session.set_id(c->id());
  session.mutable_session()->set_date("2026-02-20");
  session.set_mediator_worker_id(tksk);
  ExpectRefused(
      c->id(), [&] { return logic_->RecordMediationSession(sekayu, Fresh(session)); },
      absl::StatusCode::kNotFound, "mediatorWorkerId");
  // The regency's supervisor may read them all.
  const Principal regency = TestPrincipal(Role::kSupervisor, "16.06");
  EXPECT_TRUE(logic_->ReferCase(regency, Fresh(refer)).ok());
  EXPECT_TRUE(logic_->RecordMediationSession(regency, Fresh(session)).ok());
}

TEST_F(CaseLogicTest, ACaseOutsideTheScopeReadsAsAnUnknownOne) {
  Case c = Created();  // in 16.06.01
  const Principal elsewhere = TestPrincipal(Role::kAdmin, "16.06.02");
  GetCaseRequest get;
  get.set_id(c.id());
  absl::StatusOr<Case> read = logic_->GetCase(elsewhere, get);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  GetCaseRequest unknown;
  unknown.set_id("01HZX5J6Q0W6Z9V3K8N2M4P7Q9");
  absl::StatusOr<Case> absent = logic_->GetCase(admin_, unknown);
  ASSERT_EQ(absent.status().code(), absl::StatusCode::kNotFound);
  // The same words as for an id that does not exist.
  EXPECT_EQ(std::string(read.status().message()), absl::StrCat("case ", c.id(), " not found"));
  EXPECT_EQ(std::string(absent.status().message()),
            absl::StrCat("case ", unknown.id(), " not found"));

  pb::GetCaseHistoryRequest history;
  history.set_id(c.id());
  EXPECT_EQ(logic_->GetCaseHistory(elsewhere, history).status().code(),
            absl::StatusCode::kNotFound);
  // Steps on it are as blind: NOT_FOUND, nothing written.
  pb::AddCaseNoteRequest note;
  note.set_id(c.id());
  note.set_text("catatan");
  ExpectRefusedWith(
      c.id(), [&] { return logic_->AddCaseNote(elsewhere, Fresh(note)); },
      absl::StatusCode::kNotFound);
  // A field worker of the right regency but another subdistrict sees nothing either.
  EXPECT_EQ(logic_->GetCase(TestPrincipal(Role::kFieldWorker, "16.06.02"), get).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(logic_->GetCase(TestPrincipal(Role::kFieldWorker, "16.06.01"), get).ok());
}

TEST_F(CaseLogicTest, ListsAreNarrowedToTheScopeAndRefuseADisjointRegion) {
  Case inside = Created();  // 16.06.01
  CreateCaseRequest other = ValidRequest();
  other.mutable_case_()->set_village_code("16.06.02.2002");
  ASSERT_TRUE(logic_->CreateCase(admin_, other).ok());

  const Principal worker = TestPrincipal(Role::kFieldWorker, "16.06.01");
  pb::ListCasesRequest all;
  absl::StatusOr<pb::ListCasesResponse> listed = logic_->ListCases(worker, all);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->cases_size(), 1);
  EXPECT_EQ(listed->cases(0).id(), inside.id());
  pb::ListCasesRequest wider;
  wider.set_region("16.06");
  EXPECT_EQ(logic_->ListCases(worker, wider)->cases_size(), 1) << "narrowed to 16.06.01";
  EXPECT_EQ(logic_->ListCases(admin_, wider)->cases_size(), 2);
  pb::ListCasesRequest disjoint;
  disjoint.set_region("16.06.02");
  EXPECT_EQ(logic_->ListCases(worker, disjoint).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(CaseLogicTest, ACreateOutsideTheScopeOrByALowRoleIsForbiddenAndWritesNothing) {
  for (const Principal& caller :
       {TestPrincipal(Role::kFieldWorker, "16.06.02"), TestPrincipal(Role::kViewer),
        TestPrincipal(Role::kProvinceViewer, "16")}) {
    absl::StatusOr<Case> created = logic_->CreateCase(caller, ValidRequest());
    EXPECT_EQ(created.status().code(), absl::StatusCode::kPermissionDenied)
        << Describe(caller) << ": " << created.status();
  }
  EXPECT_TRUE(store_->records().empty());
  EXPECT_TRUE(store_->published().empty());
  EXPECT_TRUE(store_->sequences.empty()) << "no number is taken for a refused case";
  // The right field worker opens it, and is its actor.
  absl::StatusOr<Case> created = logic_->CreateCase(
      TestPrincipal(Role::kFieldWorker, "16.06.01", "apikey:tksk-1"), ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(store_->histories[created->id()][0].actor(), "apikey:tksk-1");
}

TEST_F(CaseLogicTest, ARetriedCreateAnswersOnlyACallerWhoCouldHaveMadeIt) {
  CreateCaseRequest request = ValidRequest();
  request.set_request_id("intake-7");
  absl::StatusOr<Case> first = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  const size_t cases = store_->histories.size();
  // The same subject, its scope narrowed since to outside the first case's reach: the requestId
  // is taken, as a NIK taken outside the scope is (taken_value.h), naming neither the case nor
  // its village (a 404 used to name the case's id).
  const Principal narrowed = TestPrincipal(Role::kFieldWorker, "16.06.02", admin_.subject);
  absl::StatusOr<Case> replay = logic_->CreateCase(narrowed, request);
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kAlreadyExists) << replay.status();
  EXPECT_EQ(replay.status().message(),
            "requestId: a case with this requestId is already registered outside your region");
  EXPECT_EQ(replay.status().message().find(first->id()), absl::string_view::npos);
  EXPECT_EQ(store_->histories.size(), cases);  // nothing made
  // Also when its own body would be refused before the store is reached.
  CreateCaseRequest refused = request;
  refused.mutable_case_()->set_village_code("16.06.02.2001");
  refused.mutable_case_()->set_summary("");
  replay = logic_->CreateCase(narrowed, refused);
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kAlreadyExists) << replay.status();
  EXPECT_EQ(store_->histories.size(), cases);
  // The key is its caller's own: another principal's "intake-7" makes its own case.
  absl::StatusOr<Case> other =
      logic_->CreateCase(TestPrincipal(Role::kOperator, "16.06", "test:another-operator"), request);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(other->id(), first->id());
  EXPECT_EQ(store_->histories.size(), cases + 1);
}

TEST_F(CaseLogicTest, StepsNeedTheRolesAction) {
  Case c = Created();
  pb::AssessCaseRequest assess;
  assess.set_id(c.id());
  assess.set_etag(c.etag());
  assess.set_problem("anak tidak bersekolah");
  // A VIEWER reads the case but may not change it: 403, not 404.
  ExpectRefusedWith(
      c.id(), [&] { return logic_->AssessCase(TestPrincipal(Role::kViewer), Fresh(assess)); },
      absl::StatusCode::kPermissionDenied);
  // A SYSTEM caller records cases but runs no step.
  ExpectRefusedWith(
      c.id(), [&] { return logic_->AssessCase(TestPrincipal(Role::kSystem), Fresh(assess)); },
      absl::StatusCode::kPermissionDenied);
  // A FIELD_WORKER takes the step on a case assigned to its own worker.
  pb::AssignCaseRequest assign;
  assign.set_id(c.id());
  assign.set_worker_id(kWorker);
  ASSERT_TRUE(logic_->AssignCase(TestPrincipal(Role::kOperator), Fresh(assign)).ok());
  absl::StatusOr<Case> assessed = logic_->AssessCase(FieldWorkerOf(kWorker), Fresh(assess));
  ASSERT_TRUE(assessed.ok()) << assessed.status();

  pb::PlanCaseRequest plan;
  plan.set_id(c.id());
  plan.set_etag(assessed->etag());
  plan.add_goals()->set_goal("kembali bersekolah");
  absl::StatusOr<Case> planned = logic_->PlanCase(TestPrincipal(Role::kOperator), Fresh(plan));
  ASSERT_TRUE(planned.ok()) << planned.status();
  // Only a supervisor (or an admin) approves a plan.
  pb::ApprovePlanRequest approve;
  approve.set_id(c.id());
  approve.set_etag(planned->etag());
  ExpectRefusedWith(
      c.id(), [&] { return logic_->ApprovePlan(TestPrincipal(Role::kOperator), Fresh(approve)); },
      absl::StatusCode::kPermissionDenied);
  ExpectRefusedWith(
      c.id(), [&] { return logic_->ApprovePlan(FieldWorkerOf(kWorker), Fresh(approve)); },
      absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(logic_->ApprovePlan(TestPrincipal(Role::kSupervisor), Fresh(approve)).ok());
}

TEST_F(CaseLogicTest, TheProvinceOpensOnlyCasesReferredToIt) {
  Case c = Created();
  Case kept = Created();
  const Principal province = TestPrincipal(Role::kProvinceViewer, "16");
  GetCaseRequest get;
  get.set_id(c.id());
  EXPECT_EQ(logic_->GetCase(province, get).status().code(), absl::StatusCode::kNotFound);
  pb::ListCasesRequest all;
  EXPECT_EQ(logic_->ListCases(province, all)->cases_size(), 0);

  pb::ReferCaseRequest refer;
  refer.set_id(c.id());
  refer.set_target(pb::REFERRAL_PROVINCE);
  refer.set_reason("membutuhkan rehabilitasi dalam panti");
  ASSERT_TRUE(logic_->ReferCase(admin_, Fresh(refer)).ok());
  absl::StatusOr<Case> read = logic_->GetCase(province, get);
  ASSERT_TRUE(read.ok()) << read.status();
  absl::StatusOr<pb::ListCasesResponse> listed = logic_->ListCases(province, all);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->cases_size(), 1);
  EXPECT_EQ(listed->cases(0).id(), c.id());
  // It reads, it does not act.
  pb::AddCaseNoteRequest note;
  note.set_id(c.id());
  note.set_text("diterima panti");
  ExpectRefusedWith(
      c.id(), [&] { return logic_->AddCaseNote(province, Fresh(note)); },
      absl::StatusCode::kPermissionDenied);
  get.set_id(kept.id());
  EXPECT_EQ(logic_->GetCase(province, get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CaseLogicTest, AViewerGetsNoReporterIdentityAndOnlyPrivilegedRolesReadConfidentialNotes) {
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->mutable_reporter()->set_kind(pb::Reporter::PUBLIC);
  request.mutable_case_()->mutable_reporter()->set_name("Siti Aminah");
  request.mutable_case_()->mutable_reporter()->set_contact("0812-1111-2222");
  absl::StatusOr<Case> c = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->reporter().name(), "Siti Aminah");
  pb::AddCaseNoteRequest note;
  note.set_id(c->id());
  note.set_text("ayah pernah dipidana");
  note.set_confidential(true);
  ASSERT_TRUE(logic_->AddCaseNote(admin_, Fresh(note)).ok());

  const Principal viewer = TestPrincipal(Role::kViewer);
  GetCaseRequest get;
  get.set_id(c->id());
  absl::StatusOr<Case> seen = logic_->GetCase(viewer, get);
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->reporter().kind(), pb::Reporter::PUBLIC);
  EXPECT_EQ(seen->reporter().name(), "");
  EXPECT_EQ(seen->reporter().contact(), "");
  EXPECT_EQ(seen->summary(), c->summary());
  pb::ListCasesRequest all;
  absl::StatusOr<pb::ListCasesResponse> listed = logic_->ListCases(viewer, all);
  ASSERT_TRUE(listed.ok() && listed->cases_size() == 1) << listed.status();
  EXPECT_EQ(listed->cases(0).reporter().name(), "");
  EXPECT_EQ(logic_->GetCase(TestPrincipal(Role::kOperator), get)->reporter().name(), "Siti Aminah");

  pb::GetCaseHistoryRequest history;
  history.set_id(c->id());
  for (Role role : {Role::kViewer, Role::kOperator, Role::kFieldWorker}) {
    const Principal caller = TestPrincipal(role);
    absl::StatusOr<pb::CaseHistory> h = logic_->GetCaseHistory(caller, history);
    ASSERT_TRUE(h.ok()) << RoleName(role) << ": " << h.status();
    ASSERT_EQ(h->actions_size(), 2);
    EXPECT_TRUE(h->actions(1).note().confidential());
    EXPECT_EQ(h->actions(1).note().text(), "") << RoleName(role);
    EXPECT_EQ(h->actions(0).intake().reporter().name(), role == Role::kViewer ? "" : "Siti Aminah");
  }
  for (Role role : {Role::kAdmin, Role::kSupervisor}) {
    absl::StatusOr<pb::CaseHistory> h = logic_->GetCaseHistory(TestPrincipal(role), history);
    ASSERT_TRUE(h.ok()) << h.status();
    EXPECT_EQ(h->actions(1).note().text(), "ayah pernah dipidana") << RoleName(role);
  }
}

TEST_F(CaseLogicTest, CreateIgnoresEveryFieldTheServerSets) {
  CreateCaseRequest request = ValidRequest();
  Case* sent = request.mutable_case_();
  sent->set_assignee_worker_id(kWorker);
  sent->mutable_plan()->set_approved(true);
  sent->mutable_plan()->set_approved_by("me");
  sent->add_referrals()->set_target(pb::REFERRAL_PROVINCE);
  sent->add_services()->set_component("permakanan");
  sent->set_note_count(9);
  sent->set_reopen_count(3);
  sent->set_subject_archived(true);
  sent->set_termination_reason(pb::GOAL_REACHED);
  sent->mutable_assessment()->set_problem("x");
  *sent->mutable_update_time() = TimeUtil::SecondsToTimestamp(1);
  absl::StatusOr<Case> created = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->assignee_worker_id(), "");
  EXPECT_FALSE(created->has_plan());
  EXPECT_EQ(created->referrals_size(), 0);
  EXPECT_EQ(created->services_size(), 0);
  EXPECT_EQ(created->note_count(), 0);
  EXPECT_EQ(created->reopen_count(), 0);
  EXPECT_FALSE(created->subject_archived());
  EXPECT_EQ(created->termination_reason(), pb::TERMINATION_REASON_UNSPECIFIED);
  EXPECT_FALSE(created->has_assessment());
  EXPECT_EQ(created->update_time().SerializeAsString(), created->create_time().SerializeAsString());
}

// Issue 11: a FIELD_WORKER of worker A could :assign worker B's case to A and read B's notes.
TEST_F(CaseLogicTest, OnlyCaseloadManagersAssignAndAFieldWorkerCannotTakeAnothersCase) {
  Case c = AssignedTo(kOtherWorker);
  pb::AssignCaseRequest assign;
  assign.set_id(c.id());
  assign.set_worker_id(kWorker);
  ExpectRefusedWith(
      c.id(), [&] { return logic_->AssignCase(FieldWorkerOf(kWorker), Fresh(assign)); },
      absl::StatusCode::kPermissionDenied);
  absl::StatusOr<Case> refused = logic_->AssignCase(FieldWorkerOf(kWorker), Fresh(assign));
  EXPECT_EQ(refused.status().message(),
            "role FIELD_WORKER may not take :assign (ADMIN, SUPERVISOR, OPERATOR may)");
  // Not even its own case: reassigning is the office's.
  assign.set_worker_id(kOtherWorker);
  ExpectRefusedWith(
      c.id(), [&] { return logic_->AssignCase(FieldWorkerOf(kOtherWorker), Fresh(assign)); },
      absl::StatusCode::kPermissionDenied);
  // VIEWER and SYSTEM read the case, assign none; the other region sees nothing (404).
  for (Role role : {Role::kViewer, Role::kSystem}) {
    ExpectRefusedWith(
        c.id(), [&] { return logic_->AssignCase(TestPrincipal(role), Fresh(assign)); },
        absl::StatusCode::kPermissionDenied);
  }
  ExpectRefusedWith(
      c.id(),
      [&] { return logic_->AssignCase(TestPrincipal(Role::kAdmin, "16.06.02"), Fresh(assign)); },
      absl::StatusCode::kNotFound);
  for (Role role : {Role::kAdmin, Role::kSupervisor, Role::kOperator}) {
    assign.set_worker_id(role == Role::kSupervisor ? kWorker : kOtherWorker);
    absl::StatusOr<Case> done = logic_->AssignCase(TestPrincipal(role), Fresh(assign));
    ASSERT_TRUE(done.ok()) << RoleName(role) << ": " << done.status();
    EXPECT_EQ(store_->records().at(c.id()).assignee_worker_id(), assign.worker_id());
  }
}

TEST_F(CaseLogicTest, AFieldWorkerTakesStepsOnlyOnTheCasesOfItsOwnWorker) {
  Case mine = AssignedTo(kWorker);
  Case theirs = AssignedTo(kOtherWorker);
  Case unassigned = Created();
  pb::AssessCaseRequest assess;
  assess.set_problem("anak tidak bersekolah");
  pb::AddCaseNoteRequest note;
  note.set_text("kunjungan rumah");
  pb::CaseStepRequest close;
  for (const Case* c : {&theirs, &unassigned}) {
    assess.set_id(c->id());
    ExpectRefusedWith(
        c->id(), [&] { return logic_->AssessCase(FieldWorkerOf(kWorker), Fresh(assess)); },
        absl::StatusCode::kPermissionDenied);
    note.set_id(c->id());
    ExpectRefusedWith(
        c->id(), [&] { return logic_->AddCaseNote(FieldWorkerOf(kWorker), Fresh(note)); },
        absl::StatusCode::kPermissionDenied);
  }
  assess.set_id(theirs.id());
  EXPECT_EQ(logic_->AssessCase(FieldWorkerOf(kWorker), Fresh(assess)).status().message(),
            absl::StrCat("role FIELD_WORKER takes :assess only on a case assigned to its own "
                         "worker ",
                         kWorker, "; case ", theirs.id(), " is not"));
  // A FIELD_WORKER with no worker link works on no case.
  assess.set_id(mine.id());
  ExpectRefusedWith(
      mine.id(),
      [&] {
        return logic_->AssessCase(TestPrincipal(Role::kFieldWorker, kSubdistrict), Fresh(assess));
      },
      absl::StatusCode::kPermissionDenied);
  // Its own case: the casework steps go through.
  absl::StatusOr<Case> assessed = logic_->AssessCase(FieldWorkerOf(kWorker), Fresh(assess));
  ASSERT_TRUE(assessed.ok()) << assessed.status();
  note.set_id(mine.id());
  ASSERT_TRUE(logic_->AddCaseNote(FieldWorkerOf(kWorker), Fresh(note)).ok());
  pb::TerminateCaseRequest terminate;
  terminate.set_id(mine.id());
  terminate.set_termination_reason(pb::MOVED);
  ASSERT_TRUE(logic_->TerminateCase(FieldWorkerOf(kWorker), Fresh(terminate)).ok());
  // Closing (and reopening) is the office's, even on its own case.
  close.set_id(mine.id());
  ExpectRefusedWith(
      mine.id(),
      [&] { return logic_->SimpleStep(FieldWorkerOf(kWorker), Fresh(close), pb::ACTION_CLOSE); },
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      logic_->SimpleStep(FieldWorkerOf(kWorker), Fresh(close), pb::ACTION_CLOSE).status().message(),
      "role FIELD_WORKER may not take :close (ADMIN, SUPERVISOR, OPERATOR may)");
  ASSERT_TRUE(
      logic_->SimpleStep(TestPrincipal(Role::kOperator), Fresh(close), pb::ACTION_CLOSE).ok());
  ExpectRefusedWith(
      mine.id(),
      [&] { return logic_->SimpleStep(FieldWorkerOf(kWorker), Fresh(close), pb::ACTION_REOPEN); },
      absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      logic_->SimpleStep(TestPrincipal(Role::kSupervisor), Fresh(close), pb::ACTION_REOPEN).ok());
}

// The texts of the confidential notes of `id`'s history as `caller` reads them, in order.
std::vector<std::string> NoteTexts(CaseLogic& logic, const Principal& caller,
                                   const std::string& id) {
  pb::GetCaseHistoryRequest request;
  request.set_id(id);
  absl::StatusOr<pb::CaseHistory> history = logic.GetCaseHistory(caller, request);
  EXPECT_TRUE(history.ok()) << history.status();
  std::vector<std::string> texts;
  if (!history.ok()) return texts;
  for (const pb::CaseAction& action : history->actions()) {
    if (action.type() == pb::ACTION_ADD_NOTE) texts.push_back(action.note().text());
  }
  return texts;
}

TEST_F(CaseLogicTest, AReassignmentOpensNoEarlierNoteUnlessASupervisorSharesThem) {
  using Texts = std::vector<std::string>;
  Case c = AssignedTo(kOtherWorker);
  EXPECT_EQ(c.assignee_notes_from(), 2);  // the :assign is version 2
  pb::AddCaseNoteRequest note;
  note.set_id(c.id());
  note.set_confidential(true);
  note.set_text("catatan pekerja B");
  ASSERT_TRUE(logic_->AddCaseNote(FieldWorkerOf(kOtherWorker), Fresh(note)).ok());
  EXPECT_EQ(NoteTexts(*logic_, FieldWorkerOf(kOtherWorker), c.id()), Texts{"catatan pekerja B"});
  EXPECT_EQ(NoteTexts(*logic_, FieldWorkerOf(kWorker), c.id()), Texts{""});

  // An OPERATOR moves the case to A: A reads nothing written before, B nothing any more.
  pb::AssignCaseRequest assign;
  assign.set_id(c.id());
  assign.set_worker_id(kWorker);
  absl::StatusOr<Case> moved = logic_->AssignCase(TestPrincipal(Role::kOperator), Fresh(assign));
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->assignee_notes_from(), 4);
  EXPECT_EQ(NoteTexts(*logic_, FieldWorkerOf(kWorker), c.id()), Texts{""});
  EXPECT_EQ(NoteTexts(*logic_, FieldWorkerOf(kOtherWorker), c.id()), Texts{""});
  // What A writes now, A reads; the supervisor reads both.
  note.set_text("catatan pekerja A");
  ASSERT_TRUE(logic_->AddCaseNote(FieldWorkerOf(kWorker), Fresh(note)).ok());
  EXPECT_EQ(NoteTexts(*logic_, FieldWorkerOf(kWorker), c.id()), (Texts{"", "catatan pekerja A"}));
  EXPECT_EQ(NoteTexts(*logic_, TestPrincipal(Role::kSupervisor), c.id()),
            (Texts{"catatan pekerja B", "catatan pekerja A"}));
  EXPECT_EQ(NoteTexts(*logic_, TestPrincipal(Role::kOperator), c.id()), (Texts{"", ""}));

  // Assigning the same worker again changes nothing of what it reads.
  ASSERT_TRUE(logic_->AssignCase(TestPrincipal(Role::kOperator), Fresh(assign)).ok());
  EXPECT_EQ(NoteTexts(*logic_, FieldWorkerOf(kWorker), c.id()), (Texts{"", "catatan pekerja A"}));

  // Only a SUPERVISOR (or ADMIN) opens the earlier notes; an OPERATOR asking is refused whole.
  assign.set_share_earlier_notes(true);
  ExpectRefusedWith(
      c.id(), [&] { return logic_->AssignCase(TestPrincipal(Role::kOperator), Fresh(assign)); },
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(logic_->AssignCase(TestPrincipal(Role::kOperator), Fresh(assign)).status().message(),
            "role OPERATOR may not take shareEarlierNotes (ADMIN, SUPERVISOR may)");
  absl::StatusOr<Case> shared = logic_->AssignCase(TestPrincipal(Role::kSupervisor), Fresh(assign));
  ASSERT_TRUE(shared.ok()) << shared.status();
  EXPECT_EQ(shared->assignee_notes_from(), 0);
  EXPECT_EQ(NoteTexts(*logic_, FieldWorkerOf(kWorker), c.id()),
            (Texts{"catatan pekerja B", "catatan pekerja A"}));
  EXPECT_EQ(NoteTexts(*logic_, FieldWorkerOf(kOtherWorker), c.id()), (Texts{"", ""}));
  // The history says who opened them; the folded history is the stored case.
  pb::GetCaseHistoryRequest get_history;
  get_history.set_id(c.id());
  absl::StatusOr<pb::CaseHistory> history = logic_->GetCaseHistory(admin_, get_history);
  ASSERT_TRUE(history.ok()) << history.status();
  std::vector<pb::CaseAction> actions(history->actions().begin(), history->actions().end());
  ASSERT_FALSE(actions.empty());
  EXPECT_TRUE(actions.back().share_earlier_notes());
  absl::StatusOr<Case> folded = FoldActions(actions);
  ASSERT_TRUE(folded.ok()) << folded.status();
  EXPECT_EQ(folded->assignee_notes_from(), 0);
  EXPECT_EQ(folded->assignee_worker_id(), kWorker);
}

}  // namespace
}  // namespace wahana
