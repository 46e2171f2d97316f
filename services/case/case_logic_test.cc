#include "case/case_logic.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <map>
#include <utility>

#include "support/record_service_fakes.h"

namespace wahana {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::cases::v1::Case;
using wahana::cases::v1::CaseCreated;
using wahana::cases::v1::CreateCaseRequest;
using wahana::cases::v1::GetCaseRequest;
using wahana::common::v1::Envelope;

// Keeps cases, requestIds, sequences and published messages in memory.
class FakeCaseStore : public testing::InMemoryRecordStore<Case, CaseStore> {
 public:
  absl::StatusOr<int64_t> NextSequence(const std::string& regency, int year) override {
    return ++sequences[{regency, year}];
  }

  std::map<std::pair<std::string, int>, int64_t> sequences;
};

constexpr char kVillage[] = "16.06.01.2001";

class CaseLogicTest : public ::testing::Test {
 protected:
  CaseLogicTest()
      : store_(std::make_shared<FakeCaseStore>()),
        regions_(std::make_shared<StaticRegionDirectory>()) {
    regions_->Add("16.06").Add("16.06.01").Add(kVillage).Add("16.06.02.2002").Add("17.01.01.2001");
    logic_ = MakeLogic(regions_);
  }

  std::unique_ptr<CaseLogic> MakeLogic(std::shared_ptr<RegionDirectory> regions) {
    return std::make_unique<CaseLogic>("16.06", store_, std::move(regions),
                                       [this] { return now_; });
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

  void ExpectInvalid(const CreateCaseRequest& request, const std::string& field) {
    size_t published_before = store_->published.size();
    size_t cases_before = store_->records.size();
    auto sequences_before = store_->sequences;
    absl::StatusOr<Case> result = logic_->CreateCase(request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
    EXPECT_EQ(result.status().message().rfind(field + ":", 0), 0u)
        << "message should start with " << field << ": " << result.status();
    EXPECT_EQ(store_->published.size(), published_before);
    EXPECT_EQ(store_->records.size(), cases_before);
    EXPECT_EQ(store_->sequences, sequences_before) << "no number is taken for a refused case";
  }

  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 8, 30, 0), absl::UTCTimeZone());
  std::shared_ptr<FakeCaseStore> store_;
  std::shared_ptr<StaticRegionDirectory> regions_;
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

  absl::StatusOr<Case> created = logic_->CreateCase(request);
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
  ASSERT_EQ(store_->records.count(created->id()), 1u);
}

TEST_F(CaseLogicTest, CreatePublishesCaseCreatedWithTheRoutingFacts) {
  absl::StatusOr<Case> created = logic_->CreateCase(ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(store_->published.size(), 1u);
  const Envelope& message = store_->published[0];
  EXPECT_EQ(message.type(), "wahana.cases.v1.CaseCreated");
  EXPECT_EQ(message.origin_region(), "16.06");
  EXPECT_EQ(message.aggregate_id(), created->id());
  EXPECT_EQ(message.aggregate_version(), 1);
  EXPECT_EQ(message.region_code(), kVillage);
  CaseCreated payload;
  ASSERT_TRUE(message.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.case_().SerializeAsString(), created->SerializeAsString());
}

TEST_F(CaseLogicTest, NumbersFollowTheSequenceOfTheRegencyAndYear) {
  EXPECT_EQ(logic_->CreateCase(ValidRequest())->number(), "16.06-2026-000001");
  EXPECT_EQ(logic_->CreateCase(ValidRequest())->number(), "16.06-2026-000002");
  now_ = absl::FromCivil(absl::CivilSecond(2027, 1, 1, 0, 0, 1), absl::UTCTimeZone());
  EXPECT_EQ(logic_->CreateCase(ValidRequest())->number(), "16.06-2027-000001");
}

TEST_F(CaseLogicTest, SameRequestIdReturnsTheFirstCaseAndCreatesNothing) {
  CreateCaseRequest request = ValidRequest();
  request.set_request_id("intake-form-7f3a");
  absl::StatusOr<Case> first = logic_->CreateCase(request);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Case> second = logic_->CreateCase(request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->id(), first->id());
  EXPECT_EQ(second->number(), first->number());
  EXPECT_EQ(store_->records.size(), 1u);
  EXPECT_EQ(store_->published.size(), 1u);
}

TEST_F(CaseLogicTest, RetryWithRequestIdIsAnsweredWhileTheRegistryIsDown) {
  CreateCaseRequest request = ValidRequest();
  request.set_request_id("retry-me");
  absl::StatusOr<Case> first = logic_->CreateCase(request);
  ASSERT_TRUE(first.ok()) << first.status();
  logic_ = MakeLogic(std::make_shared<testing::UnavailableRegionDirectory>());
  absl::StatusOr<Case> retry = logic_->CreateCase(request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->id(), first->id());
}

TEST_F(CaseLogicTest, RegistryDownIsUnavailableAndWritesNothing) {
  logic_ = MakeLogic(std::make_shared<testing::UnavailableRegionDirectory>());
  absl::StatusOr<Case> created = logic_->CreateCase(ValidRequest());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(store_->records.empty());
  EXPECT_TRUE(store_->published.empty());
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
    EXPECT_TRUE(logic_->CreateCase(request).ok()) << category;
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
  EXPECT_TRUE(logic_->CreateCase(request).ok());
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
  request.mutable_case_()->set_beneficiary_id("01HZX5J6Q0W6Z9V3K8N2M4P7R1");
  EXPECT_TRUE(logic_->CreateCase(request).ok());
  request.mutable_case_()->set_beneficiary_id(std::string(65, 'B'));
  ExpectInvalid(request, "beneficiaryId");
}

TEST_F(CaseLogicTest, RequestIdIsBounded) {
  CreateCaseRequest request = ValidRequest();
  request.set_request_id(std::string(129, 'r'));
  ExpectInvalid(request, "requestId");
}

TEST_F(CaseLogicTest, GetCaseReturnsTheStoredCase) {
  absl::StatusOr<Case> created = logic_->CreateCase(ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  GetCaseRequest get;
  get.set_id(created->id());
  absl::StatusOr<Case> read = logic_->GetCase(get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), created->SerializeAsString());
}

TEST_F(CaseLogicTest, GetCaseOfAnUnknownIdIsNotFound) {
  GetCaseRequest get;
  get.set_id(TimeOrderedIdGenerator().Next());
  EXPECT_EQ(logic_->GetCase(get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CaseLogicTest, GetCaseOfAMalformedIdIsInvalidNamingId) {
  for (const char* id : {"", "abc", "16.06-2026-000001", "01ARZ3NDEKTSV4RRFFQ69G5FA!"}) {
    GetCaseRequest get;
    get.set_id(id);
    absl::StatusOr<Case> read = logic_->GetCase(get);
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument) << id;
    EXPECT_EQ(read.status().message().rfind("id:", 0), 0u) << read.status();
  }
}

}  // namespace
}  // namespace wahana
