// The case service's logic and Redis storage together, and its gRPC face, against a real Redis.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "case/case_grpc_service.h"
#include "case/case_keys.h"
#include "case/case_logic.h"
#include "case/redis_case_store.h"
#include "services/services_test_util.h"
#include "support/redis_server.h"

namespace wahana::testing {
namespace {

using wahana::cases::v1::Case;
using wahana::cases::v1::CaseCreated;
using wahana::cases::v1::CreateCaseRequest;
using wahana::cases::v1::GetCaseRequest;

CreateCaseRequest ValidRequest(const std::string& village = kVillage) {
  CreateCaseRequest request;
  Case* c = request.mutable_case_();
  c->set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  c->set_kind(wahana::cases::v1::INDIVIDUAL);
  c->set_village_code(village);
  c->set_summary("Lansia 78 tahun hidup sendiri, tidak ada keluarga yang merawat.");
  return request;
}

class CaseRedisTest : public ::testing::Test {
 protected:
  CaseRedisTest()
      : redis_(server_.Client()),
        store_(std::make_shared<RedisCaseStore>(*redis_, kRegion)),
        logic_(
            std::make_shared<CaseLogic>(kRegion, store_, TestRegions(), [this] { return now_; })) {}

  const std::string stream_ = CaseStreamKey(kRegion);
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 5, 4, 9, 0, 0), absl::UTCTimeZone());
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<RedisCaseStore> store_;
  std::shared_ptr<CaseLogic> logic_;
};

TEST_F(CaseRedisTest, CreateStoresTheRecordAndItsCaseCreatedMessage) {
  absl::StatusOr<Case> created = logic_->CreateCase(ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();

  // The record, read back from Redis.
  auto pb = redis_->Command({"HGET", CaseKeys(kRegion).Record(created->id()), "pb"});
  ASSERT_TRUE(pb.ok()) << pb.status();
  Case stored;
  ASSERT_TRUE(stored.ParseFromString(pb->str));
  EXPECT_EQ(stored.SerializeAsString(), created->SerializeAsString());
  EXPECT_EQ(stored.number(), "16.06-2026-000001");
  EXPECT_EQ(stored.status(), wahana::cases::v1::INTAKE);
  auto etag = redis_->Command({"HGET", CaseKeys(kRegion).Record(created->id()), "etag"});
  ASSERT_TRUE(etag.ok());
  EXPECT_EQ(etag->str, "1");

  // The message, read back from the stream.
  std::vector<wahana::common::v1::Envelope> messages = StreamMessages(*redis_, stream_);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].type(), "wahana.cases.v1.CaseCreated");
  EXPECT_EQ(messages[0].origin_region(), kRegion);
  EXPECT_EQ(messages[0].aggregate_id(), created->id());
  EXPECT_EQ(messages[0].aggregate_version(), 1);
  EXPECT_EQ(messages[0].region_code(), kVillage);
  CaseCreated payload;
  ASSERT_TRUE(messages[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.case_().SerializeAsString(), created->SerializeAsString());

  // And through GetCase.
  GetCaseRequest get;
  get.set_id(created->id());
  absl::StatusOr<Case> read = logic_->GetCase(get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), created->SerializeAsString());
}

TEST_F(CaseRedisTest, SameRequestIdTwiceCreatesOneCaseAndOneMessage) {
  CreateCaseRequest request = ValidRequest();
  request.set_request_id("tksk-sekayu-0001");
  absl::StatusOr<Case> first = logic_->CreateCase(request);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Case> second = logic_->CreateCase(request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(Keys(*redis_, "case:{16.06}:case:*").size(), 1u);
  EXPECT_EQ(StreamLength(*redis_, stream_), 1);
  auto ttl = redis_->Command({"TTL", CaseKeys(kRegion).Request("tksk-sekayu-0001")});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0) << "a requestId is remembered for a while, not forever";
}

// Two creates with one requestId that both got past the look-up (a race): the atomic write's
// guard lets only the first write anything.
TEST_F(CaseRedisTest, RacingCreatesWithOneRequestIdWriteOnce) {
  Case a = ValidRequest().case_();
  a.set_id(TimeOrderedIdGenerator::Default().Next());
  Case b = a;
  b.set_id(TimeOrderedIdGenerator::Default().Next());
  auto message = [](const Case& c) {
    CaseCreated payload;
    *payload.mutable_case_() = c;
    return MakeEnvelope(payload, {kRegion, c.id(), 1, c.village_code()});
  };
  absl::StatusOr<CreateResult<Case>> first = store_->Create(a, message(a), "race");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->created);
  absl::StatusOr<CreateResult<Case>> second = store_->Create(b, message(b), "race");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->stored.id(), a.id());
  EXPECT_EQ(StreamLength(*redis_, stream_), 1);
  EXPECT_EQ(Keys(*redis_, "case:{16.06}:case:*").size(), 1u);
}

TEST_F(CaseRedisTest, RefusedCasesWriteNothing) {
  struct Bad {
    const char* field;
    std::function<void(Case*)> spoil;
  };
  std::vector<Bad> bad = {
      {"villageCode", [](Case* c) { c->set_village_code("16.06.01.2999"); }},  // unknown
      {"villageCode", [](Case* c) { c->set_village_code("17.01.01.2001"); }},  // other regency
      {"villageCode", [](Case* c) { c->set_village_code("16.06.01"); }},       // not a village
      {"category", [](Case* c) { c->set_category(wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED); }},
      {"category",
       [](Case* c) { c->set_category(static_cast<wahana::common::v1::PpksCategory>(27)); }},
      {"kind", [](Case* c) { c->set_kind(wahana::cases::v1::CASE_KIND_UNSPECIFIED); }},
      {"summary", [](Case* c) { c->set_summary(std::string(4001, 's')); }},
  };
  for (const Bad& b : bad) {
    CreateCaseRequest request = ValidRequest();
    request.set_request_id("refused");
    b.spoil(request.mutable_case_());
    absl::StatusOr<Case> result = logic_->CreateCase(request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << b.field;
    EXPECT_EQ(result.status().message().rfind(std::string(b.field) + ":", 0), 0u)
        << result.status();
  }
  EXPECT_EQ(StreamLength(*redis_, stream_), 0);
  EXPECT_TRUE(Keys(*redis_, "case:*").empty()) << "no record, request key or sequence";
}

TEST_F(CaseRedisTest, NumbersIncreaseWithinTheYear) {
  absl::StatusOr<Case> first = logic_->CreateCase(ValidRequest());
  absl::StatusOr<Case> second = logic_->CreateCase(ValidRequest(kOtherVillage));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->number(), "16.06-2026-000001");
  EXPECT_EQ(second->number(), "16.06-2026-000002");
  EXPECT_LT(first->id(), second->id()) << "ids sort by creation";
  EXPECT_EQ(StreamLength(*redis_, stream_), 2);
}

TEST_F(CaseRedisTest, GetCaseOfAnUnknownOrMalformedId) {
  GetCaseRequest get;
  get.set_id(TimeOrderedIdGenerator::Default().Next());
  EXPECT_EQ(logic_->GetCase(get).status().code(), absl::StatusCode::kNotFound);
  get.set_id("case-1");
  EXPECT_EQ(logic_->GetCase(get).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CaseRedisTest, RedisDownIsUnavailable) {
  server_.Kill();
  absl::StatusOr<Case> created = logic_->CreateCase(ValidRequest());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kUnavailable) << created.status();
}

// The gRPC face: a server on a free port with the real logic and storage.
TEST_F(CaseRedisTest, GrpcServiceAnswersWithTheLogicsStatus) {
  WorkerPool pool(2, 16);
  CaseGrpcService service(logic_, pool);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto stub = wahana::cases::v1::CaseService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));

  auto deadline = [] { return std::chrono::system_clock::now() + std::chrono::seconds(10); };
  Case created;
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    grpc::Status status = stub->CreateCase(&context, ValidRequest(), &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(created.number(), "16.06-2026-000001");
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    GetCaseRequest get;
    get.set_id(created.id());
    Case read;
    grpc::Status status = stub->GetCase(&context, get, &read);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    CreateCaseRequest bad = ValidRequest();
    bad.mutable_case_()->clear_kind();
    Case ignored;
    grpc::Status status = stub->CreateCase(&context, bad, &ignored);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message().rfind("kind:", 0), 0u) << status.error_message();
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    GetCaseRequest get;
    get.set_id(TimeOrderedIdGenerator::Default().Next());
    Case ignored;
    EXPECT_EQ(stub->GetCase(&context, get, &ignored).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
}

}  // namespace
}  // namespace wahana::testing
