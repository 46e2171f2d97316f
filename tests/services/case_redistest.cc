// The case service's logic and Redis storage together, and its gRPC face, against a real Redis.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "case/case_actions.h"
#include "case/case_fakes.h"
#include "case/case_grpc_service.h"
#include "case/case_keys.h"
#include "case/case_logic.h"
#include "case/redis_case_store.h"
#include "case/redis_known_subjects.h"
#include "common/bus/bus_contract.h"
#include "common/bus/consumer_setup.h"
#include "common/bus/stream_consumer.h"
#include "common/process/service_config.h"
#include "common/storage/record_requests.h"
#include "services/services_test_util.h"
#include "support/redis_server.h"
#include "support/test_auth.h"
#include "support/test_principals.h"

namespace wahana::testing {
namespace {

using wahana::cases::v1::Case;
using wahana::cases::v1::CaseAction;
using wahana::cases::v1::CaseChanged;
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
        registry_(std::make_shared<FakeRegistryRecords>()),
        known_(std::make_shared<RedisKnownSubjects>(*redis_, kRegion)),
        logic_(std::make_shared<CaseLogic>(kRegion, store_, TestRegions(), registry_, known_,
                                           CaseLogicOptions(), [this] { return now_; })) {}

  // The history of case `id` as stored in Redis.
  std::vector<CaseAction> StoredHistory(const std::string& id) {
    auto reply = redis_->Command({"LRANGE", CaseHistoryKey(kRegion, id), "0", "-1"});
    EXPECT_TRUE(reply.ok()) << reply.status();
    std::vector<CaseAction> out;
    if (!reply.ok()) return out;
    for (const RedisReply& e : reply->elements) {
      out.emplace_back();
      EXPECT_TRUE(out.back().ParseFromString(e.str));
    }
    return out;
  }

  // `request` with the etag of its case as stored now (every step requires the etag as read).
  template <typename Request>
  Request Fresh(Request request) {
    request.set_etag(StoredCase(request.id()).etag());
    return request;
  }

  Case StoredCase(const std::string& id) {
    auto pb = redis_->Command({"HGET", CaseKeys(kRegion).Record(id), "pb"});
    Case stored;
    EXPECT_TRUE(pb.ok() && stored.ParseFromString(pb->str));
    return stored;
  }

  const Principal admin_ = TestPrincipal(Role::kAdmin, kRegion);
  const std::string stream_ = CaseStreamKey(kRegion);
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 5, 4, 9, 0, 0), absl::UTCTimeZone());
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<RedisCaseStore> store_;
  std::shared_ptr<FakeRegistryRecords> registry_;
  std::shared_ptr<RedisKnownSubjects> known_;
  std::shared_ptr<CaseLogic> logic_;
};

TEST_F(CaseRedisTest, CreateStoresTheRecordItsFirstActionAndItsMessage) {
  absl::StatusOr<Case> created = logic_->CreateCase(admin_, ValidRequest());
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
  EXPECT_EQ(messages[0].type(), "wahana.cases.v1.CaseChanged");
  EXPECT_EQ(messages[0].origin_region(), kRegion);
  EXPECT_EQ(messages[0].aggregate_id(), created->id());
  EXPECT_EQ(messages[0].aggregate_version(), 1);
  EXPECT_EQ(messages[0].region_code(), kVillage);
  CaseChanged payload;
  ASSERT_TRUE(messages[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.case_().SerializeAsString(), created->SerializeAsString());
  EXPECT_EQ(payload.status_after(), wahana::cases::v1::INTAKE);

  // The history: the create action, which folds to the stored case.
  std::vector<CaseAction> history = StoredHistory(created->id());
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].type(), wahana::cases::v1::ACTION_CREATE);
  EXPECT_EQ(FoldActions(history)->SerializeAsString(), stored.SerializeAsString());

  // And through GetCase.
  GetCaseRequest get;
  get.set_id(created->id());
  absl::StatusOr<Case> read = logic_->GetCase(admin_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), created->SerializeAsString());
}

TEST_F(CaseRedisTest, SameRequestIdTwiceCreatesOneCaseAndOneMessage) {
  CreateCaseRequest request = ValidRequest();
  request.set_request_id("tksk-sekayu-0001");
  absl::StatusOr<Case> first = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Case> second = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(Keys(*redis_, "case:{16.06}:case:*").size(), 1u);
  EXPECT_EQ(StreamLength(*redis_, stream_), 1);
  auto ttl = redis_->Command(
      {"TTL", CaseKeys(kRegion).Request(CallersRequestKey(admin_, "tksk-sekayu-0001"))});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0) << "a requestId is remembered for a while, not forever";
}

// A builder of a new case `c` for the store (as CaseLogic's: the message's id made once).
NewCaseBuilder BuilderOf(const Case& c) {
  const wahana::common::v1::Envelope envelope =
      MakeEnvelope(CaseChanged(), {kRegion, c.id(), 1, c.village_code()});
  return [c, envelope](const std::string& number) -> absl::StatusOr<NewCase> {
    NewCase made;
    made.c = c;
    made.c.set_number(number);
    made.opened.set_sequence(1);
    made.opened.set_type(wahana::cases::v1::ACTION_CREATE);
    *made.opened.mutable_intake() = made.c;
    CaseChanged payload;
    *payload.mutable_case_() = made.c;
    made.created = envelope;
    made.created.mutable_payload()->PackFrom(payload);
    return made;
  };
}

Case NewCaseRecord() {
  Case c = ValidRequest().case_();
  c.set_id(TimeOrderedIdGenerator::Default().Next());
  c.set_etag("1");
  return c;
}

// Two creates with one requestId that both got past the look-up (a race): the atomic write's
// guard lets only the first write anything, and the second takes no number.
TEST_F(CaseRedisTest, RacingCreatesWithOneRequestIdWriteOnce) {
  Case a = NewCaseRecord();
  Case b = NewCaseRecord();
  absl::StatusOr<CaseCreated> first = store_->Create("16.06", 2026, {}, "race", BuilderOf(a));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->result.created);
  EXPECT_EQ(first->result.stored.number(), "16.06-2026-000001");
  absl::StatusOr<CaseCreated> second = store_->Create("16.06", 2026, {}, "race", BuilderOf(b));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->result.created);
  EXPECT_EQ(second->result.stored.id(), a.id());
  EXPECT_EQ(second->result.stored.number(), "16.06-2026-000001");
  EXPECT_EQ(StreamLength(*redis_, stream_), 1);
  EXPECT_EQ(Keys(*redis_, "case:{16.06}:case:*").size(), 1u);
  EXPECT_EQ(Keys(*redis_, "case:{16.06}:history:*").size(), 1u);
  EXPECT_EQ(StoredHistory(a.id()).size(), 1u);
  auto sequence = redis_->Command({"GET", CaseSequenceKey(kRegion, "16.06", 2026)});
  ASSERT_TRUE(sequence.ok());
  EXPECT_EQ(sequence->str, "1") << "the retry took no number";
}

// The number is drawn inside the create's own write: the record, its first action and its message
// all carry it, and a create whose subjects are known is one call to Redis.
TEST_F(CaseRedisTest, ACreateIsOneRoundTripAndItsNumberIsEverywhere) {
  const std::string beneficiary = "01HZX5J6Q0W6Z9V3K8N2M4P7R1";
  ASSERT_TRUE(
      known_->Remember({SubjectKind::kBeneficiary, beneficiary}, 1, false, "16.06.01.2001", false)
          .ok());
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id(beneficiary);
  ASSERT_TRUE(logic_->CreateCase(admin_, request).ok());  // Redis caches the script
  ASSERT_TRUE(redis_->Command({"CONFIG", "RESETSTAT"}).ok());
  absl::StatusOr<Case> created = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(created.ok()) << created.status();
  auto info = redis_->Command({"INFO", "commandstats"});
  ASSERT_TRUE(info.ok());
  // One script call; the commands it ran (HGET of the projection, INCR, ...) count inside it.
  EXPECT_NE(info->str.find("cmdstat_evalsha:calls=1,"), std::string::npos) << info->str;
  EXPECT_NE(info->str.find("cmdstat_incr:calls=1,"), std::string::npos) << info->str;
  EXPECT_EQ(info->str.find("cmdstat_eval:"), std::string::npos) << info->str;
  EXPECT_EQ(info->str.find("cmdstat_get:"), std::string::npos) << info->str;
  EXPECT_EQ(info->str.find("cmdstat_hmget:"), std::string::npos) << info->str;
  EXPECT_EQ(registry_->calls, 0);

  const std::string number = "16.06-2026-000002";
  EXPECT_EQ(created->number(), number);
  EXPECT_EQ(StoredCase(created->id()).number(), number);
  std::vector<CaseAction> history = StoredHistory(created->id());
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].intake().number(), number);
  std::vector<wahana::common::v1::Envelope> messages = StreamMessages(*redis_, stream_);
  ASSERT_EQ(messages.size(), 2u);
  CaseChanged payload;
  ASSERT_TRUE(messages[1].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.case_().number(), number);
  EXPECT_EQ(payload.action().intake().number(), number);
  EXPECT_EQ(payload.case_().SerializeAsString(), created->SerializeAsString());
}

// Past 999999 cases in a year the number grows a digit: the create is written a second time with
// it in place, the number still drawn once.
TEST_F(CaseRedisTest, ANumberPastSixDigitsIsStillUniqueAndEverywhere) {
  ASSERT_TRUE(redis_->Command({"SET", CaseSequenceKey(kRegion, "16.06", 2026), "999998"}).ok());
  absl::StatusOr<Case> last = logic_->CreateCase(admin_, ValidRequest());
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->number(), "16.06-2026-999999");
  absl::StatusOr<Case> wide = logic_->CreateCase(admin_, ValidRequest());
  ASSERT_TRUE(wide.ok()) << wide.status();
  EXPECT_EQ(wide->number(), "16.06-2026-1000000");
  EXPECT_EQ(StoredCase(wide->id()).SerializeAsString(), wide->SerializeAsString());
  std::vector<CaseAction> history = StoredHistory(wide->id());
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].intake().number(), "16.06-2026-1000000");
  std::vector<wahana::common::v1::Envelope> messages = StreamMessages(*redis_, stream_);
  ASSERT_EQ(messages.size(), 2u);
  CaseChanged payload;
  ASSERT_TRUE(messages[1].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.case_().number(), "16.06-2026-1000000");
  absl::StatusOr<Case> next = logic_->CreateCase(admin_, ValidRequest());
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->number(), "16.06-2026-1000001");
}

// A builder that does not make the same create twice (a fresh message id each call) cannot be
// numbered in the write: INTERNAL, nothing written, no number taken.
TEST_F(CaseRedisTest, ANonDeterministicBuilderWritesNothing) {
  Case c = NewCaseRecord();
  NewCaseBuilder fresh = [c](const std::string& number) -> absl::StatusOr<NewCase> {
    return BuilderOf(c)(number);
  };
  absl::StatusOr<CaseCreated> created = store_->Create("16.06", 2026, {}, "", fresh);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInternal) << created.status();
  EXPECT_TRUE(Keys(*redis_, "case:*").empty());
}

// A subject the projection does not know, or knows archived, refuses the write (nothing written,
// no number taken) and says which and why.
TEST_F(CaseRedisTest, SubjectsNotKnownLiveRefuseTheWrite) {
  const SubjectRef live{SubjectKind::kBeneficiary, "01HZX5J6Q0W6Z9V3K8N2M4P7R1"};
  const SubjectRef archived{SubjectKind::kWorker, "01HZX5J6Q0W6Z9V3K8N2M4P7W1"};
  const SubjectRef unknown{SubjectKind::kHousehold, "01HZX5J6Q0W6Z9V3K8N2M4P7H1"};
  ASSERT_TRUE(known_->Remember(live, 3, false, "16.06.01.2001", false).ok());
  ASSERT_TRUE(known_->Remember(archived, 2, true, "16.06.01.2001", false).ok());
  absl::StatusOr<CaseCreated> refused =
      store_->Create("16.06", 2026, {live, archived, unknown}, "r-1", BuilderOf(NewCaseRecord()));
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->refused_subject, 1);
  EXPECT_EQ(refused->refused_state, SubjectState::kArchived);
  refused = store_->Create("16.06", 2026, {live, unknown}, "r-1", BuilderOf(NewCaseRecord()));
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->refused_subject, 1);
  EXPECT_EQ(refused->refused_state, SubjectState::kUnknown);
  EXPECT_EQ(Keys(*redis_, "case:{16.06}:case:*").size(), 0u);
  EXPECT_EQ(Keys(*redis_, "case:{16.06}:seq:*").size(), 0u) << "no number taken";
  EXPECT_EQ(Keys(*redis_, "case:{16.06}:request:*").size(), 0u);
  EXPECT_EQ(StreamLength(*redis_, stream_), 0);

  absl::StatusOr<CaseCreated> created =
      store_->Create("16.06", 2026, {live}, "r-1", BuilderOf(NewCaseRecord()));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->refused_subject, -1);
  EXPECT_TRUE(created->result.created);
  EXPECT_EQ(created->result.stored.number(), "16.06-2026-000001");
}

// The page of a history comes back as the actions stored, whatever their size (the script frames
// each entry with its length), with the case; an unknown case is NOT_FOUND.
TEST_F(CaseRedisTest, AHistoryPageReadsBackEveryEntryWithItsCase) {
  absl::StatusOr<Case> created = logic_->CreateCase(admin_, ValidRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  std::vector<CaseAction> stored = StoredHistory(created->id());
  for (size_t size : {10u, 200u, 20000u}) {
    CaseAction action;
    action.set_sequence(static_cast<int64_t>(stored.size()) + 1);
    action.set_type(wahana::cases::v1::ACTION_ADD_NOTE);
    action.mutable_note()->set_text(std::string(size, 'n'));
    ASSERT_TRUE(
        redis_
            ->Command({"RPUSH", CaseHistoryKey(kRegion, created->id()), action.SerializeAsString()})
            .ok());
    stored.push_back(action);
  }
  Case c;
  wahana::cases::v1::CaseHistory page;
  ASSERT_TRUE(store_->GetWithHistory(created->id(), 0, 10, &c, &page).ok());
  EXPECT_EQ(c.SerializeAsString(), created->SerializeAsString());
  ASSERT_EQ(page.actions_size(), 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(page.actions(i).SerializeAsString(), stored[i].SerializeAsString()) << i;
  }
  wahana::cases::v1::CaseHistory tail;
  ASSERT_TRUE(store_->GetWithHistory(created->id(), 2, 1, &c, &tail).ok());
  ASSERT_EQ(tail.actions_size(), 1);
  EXPECT_EQ(tail.actions(0).note().text().size(), 200u);
  ASSERT_TRUE(store_->GetWithHistory(created->id(), 0, 0, &c, nullptr).ok());
  EXPECT_EQ(store_->GetWithHistory("01HZX5J6Q0W6Z9V3K8N2M4P7ZZ", 0, 10, &c, &tail).code(),
            absl::StatusCode::kNotFound);

  // A corrupt entry is INTERNAL, not a short page.
  ASSERT_TRUE(redis_->Command({"RPUSH", CaseHistoryKey(kRegion, created->id()), "\xff\xff"}).ok());
  wahana::cases::v1::CaseHistory corrupt;
  EXPECT_EQ(store_->GetWithHistory(created->id(), 0, 10, &c, &corrupt).code(),
            absl::StatusCode::kInternal);
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
    absl::StatusOr<Case> result = logic_->CreateCase(admin_, request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << b.field;
    EXPECT_EQ(result.status().message().rfind(std::string(b.field) + ":", 0), 0u)
        << result.status();
  }
  EXPECT_EQ(StreamLength(*redis_, stream_), 0);
  EXPECT_TRUE(Keys(*redis_, "case:*").empty()) << "no record, request key or sequence";
}

TEST_F(CaseRedisTest, NumbersIncreaseWithinTheYear) {
  absl::StatusOr<Case> first = logic_->CreateCase(admin_, ValidRequest());
  absl::StatusOr<Case> second = logic_->CreateCase(admin_, ValidRequest(kOtherVillage));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->number(), "16.06-2026-000001");
  EXPECT_EQ(second->number(), "16.06-2026-000002");
  EXPECT_LT(first->id(), second->id()) << "ids sort by creation";
  EXPECT_EQ(StreamLength(*redis_, stream_), 2);
}

TEST_F(CaseRedisTest, GetCaseOfAnUnknownOrMalformedId) {
  GetCaseRequest get;
  get.set_id(TimeOrderedIdGenerator::Default().Next());
  EXPECT_EQ(logic_->GetCase(admin_, get).status().code(), absl::StatusCode::kNotFound);
  get.set_id("case-1");
  EXPECT_EQ(logic_->GetCase(admin_, get).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CaseRedisTest, RedisDownIsUnavailable) {
  server_.Kill();
  absl::StatusOr<Case> created = logic_->CreateCase(admin_, ValidRequest());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kUnavailable) << created.status();
}

// The gRPC face: a server on a free port with the real logic and storage.
TEST_F(CaseRedisTest, GrpcServiceAnswersWithTheLogicsStatus) {
  WorkerPool pool(2, 16);
  CaseGrpcService service(logic_, pool);
  int port = 0;
  std::unique_ptr<grpc::Server> server =
      wahana::testing::StartAuthenticatedTestServer(service, &port);
  ASSERT_NE(server, nullptr);
  auto stub = wahana::cases::v1::CaseService::NewStub(
      wahana::testing::AuthorizedTestChannel(absl::StrCat("127.0.0.1:", port)));

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
    // The actor is the verified caller: a name the client claims in metadata counts for nothing.
    // (An OPERATOR: a FIELD_WORKER writes only on the cases assigned to its worker.)
    auto worker = wahana::cases::v1::CaseService::NewStub(
        AuthorizedTestChannel(absl::StrCat("127.0.0.1:", port),
                              TestPrincipal(Role::kOperator, "16.06.01", "apikey:tksk-sekayu")));
    grpc::ClientContext context;
    context.set_deadline(deadline());
    context.AddMetadata("x-wahana-actor", "someone-else");
    wahana::cases::v1::AddCaseNoteRequest note;
    note.set_id(created.id());
    note.set_text("kunjungan pertama");
    note.set_etag(created.etag());
    Case noted;
    grpc::Status status = worker->AddCaseNote(&context, note, &noted);
    ASSERT_TRUE(status.ok()) << status.error_message();
    std::vector<CaseAction> history = StoredHistory(created.id());
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].actor(), TestAdmin().subject);
    EXPECT_EQ(history[1].actor(), "apikey:tksk-sekayu");
    created = noted;
  }
  {
    // Another subdistrict's worker finds nothing; a viewer reads but may not write; no token at
    // all is refused before any work.
    auto elsewhere = wahana::cases::v1::CaseService::NewStub(AuthorizedTestChannel(
        absl::StrCat("127.0.0.1:", port), TestPrincipal(Role::kFieldWorker, "16.06.02")));
    auto viewer = wahana::cases::v1::CaseService::NewStub(
        AuthorizedTestChannel(absl::StrCat("127.0.0.1:", port), TestPrincipal(Role::kViewer)));
    auto anonymous = wahana::cases::v1::CaseService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
    GetCaseRequest get;
    get.set_id(created.id());
    Case ignored;
    grpc::ClientContext c1, c2, c3, c4;
    for (grpc::ClientContext* c : {&c1, &c2, &c3, &c4}) c->set_deadline(deadline());
    EXPECT_EQ(elsewhere->GetCase(&c1, get, &ignored).error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(viewer->GetCase(&c2, get, &ignored).error_code(), grpc::StatusCode::OK);
    wahana::cases::v1::AddCaseNoteRequest note;
    note.set_id(created.id());
    note.set_text("x");
    note.set_etag(created.etag());
    EXPECT_EQ(viewer->AddCaseNote(&c3, note, &ignored).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(anonymous->GetCase(&c4, get, &ignored).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(StoredHistory(created.id()).size(), 2u);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    wahana::cases::v1::CaseStepRequest close;
    close.set_id(created.id());
    close.set_etag(StoredCase(created.id()).etag());
    Case ignored;
    grpc::Status status = stub->CloseCase(&context, close, &ignored);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(status.error_message().find("allowed steps"), std::string::npos);
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

// Every step is one atomic write: the case, one history entry, the index entries and one message.
TEST_F(CaseRedisTest, EveryStepAppendsOneActionWithTheSnapshotAndItsMessage) {
  registry_->AddWorker("01HZX5J6Q0W6Z9V3K8N2M4P7W1", {"16.06.01"});
  absl::StatusOr<Case> c = logic_->CreateCase(AdminAs("operator-1"), ValidRequest());
  ASSERT_TRUE(c.ok()) << c.status();
  const std::string id = c->id();
  wahana::cases::v1::AssignCaseRequest assign;
  assign.set_id(id);
  assign.set_worker_id("01HZX5J6Q0W6Z9V3K8N2M4P7W1");
  ASSERT_TRUE(logic_->AssignCase(AdminAs("supervisor-1"), Fresh(assign)).ok());
  wahana::cases::v1::AssessCaseRequest assess;
  assess.set_id(id);
  assess.set_problem("hidup sendiri");
  assess.set_risk_score(80);
  ASSERT_TRUE(logic_->AssessCase(AdminAs("worker-1"), Fresh(assess)).ok());
  wahana::cases::v1::PlanCaseRequest plan;
  plan.set_id(id);
  plan.add_goals()->set_goal("permakanan harian");
  ASSERT_TRUE(logic_->PlanCase(AdminAs("worker-1"), Fresh(plan)).ok());
  wahana::cases::v1::ApprovePlanRequest approve;
  approve.set_id(id);
  ASSERT_TRUE(logic_->ApprovePlan(AdminAs("supervisor-1"), Fresh(approve)).ok());
  wahana::cases::v1::RecordServiceRequest service;
  service.set_id(id);
  service.mutable_service()->set_spm_service(wahana::cases::v1::SPM_LANJUT_USIA_TELANTAR);
  service.mutable_service()->set_component("permakanan");
  service.mutable_service()->set_date("2026-05-04");
  ASSERT_TRUE(logic_->RecordService(AdminAs("worker-1"), Fresh(service)).ok());
  wahana::cases::v1::TerminateCaseRequest terminate;
  terminate.set_id(id);
  terminate.set_termination_reason(wahana::cases::v1::GOAL_REACHED);
  ASSERT_TRUE(logic_->TerminateCase(AdminAs("worker-1"), Fresh(terminate)).ok());
  wahana::cases::v1::CaseStepRequest close;
  close.set_id(id);
  absl::StatusOr<Case> closed =
      logic_->SimpleStep(AdminAs("s"), Fresh(close), wahana::cases::v1::ACTION_CLOSE);
  ASSERT_TRUE(closed.ok()) << closed.status();

  Case stored = StoredCase(id);
  EXPECT_EQ(stored.SerializeAsString(), closed->SerializeAsString());
  EXPECT_EQ(stored.status(), wahana::cases::v1::CLOSED);
  std::vector<CaseAction> history = StoredHistory(id);
  ASSERT_EQ(history.size(), 8u);
  EXPECT_EQ(stored.etag(), "8");
  absl::StatusOr<Case> folded = FoldActions(history);
  ASSERT_TRUE(folded.ok()) << folded.status();
  EXPECT_EQ(folded->SerializeAsString(), stored.SerializeAsString());

  std::vector<wahana::common::v1::Envelope> messages = StreamMessages(*redis_, stream_);
  ASSERT_EQ(messages.size(), 8u);
  for (size_t i = 0; i < messages.size(); ++i) {
    EXPECT_EQ(messages[i].aggregate_version(), static_cast<int64_t>(i + 1));
    CaseChanged changed;
    ASSERT_TRUE(messages[i].payload().UnpackTo(&changed));
    EXPECT_EQ(changed.action().sequence(), static_cast<int64_t>(i + 1));
  }
  CaseChanged last;
  ASSERT_TRUE(messages.back().payload().UnpackTo(&last));
  EXPECT_EQ(last.status_before(), wahana::cases::v1::TERMINATED);
  EXPECT_EQ(last.status_after(), wahana::cases::v1::CLOSED);

  // Read back through the logic, paginated.
  wahana::cases::v1::GetCaseHistoryRequest get_history;
  get_history.set_id(id);
  get_history.set_page_size(5);
  absl::StatusOr<wahana::cases::v1::CaseHistory> page = logic_->GetCaseHistory(admin_, get_history);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->actions_size(), 5);
  get_history.set_page_token(page->next_page_token());
  page = logic_->GetCaseHistory(admin_, get_history);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->actions_size(), 3);
  EXPECT_EQ(page->actions(2).actor(), "s");

  // The closed case left the worker's open caseload but stays on their list.
  wahana::cases::v1::ListCasesRequest list;
  list.set_assignee_worker_id("01HZX5J6Q0W6Z9V3K8N2M4P7W1");
  EXPECT_EQ(logic_->ListCases(admin_, list)->cases_size(), 1);
  list.set_status(wahana::cases::v1::CLOSED);
  EXPECT_EQ(logic_->ListCases(admin_, list)->cases_size(), 1);
  list.set_status(wahana::cases::v1::INTAKE);
  EXPECT_EQ(logic_->ListCases(admin_, list)->cases_size(), 0);
  // By status alone (a view of its own), within a region.
  wahana::cases::v1::ListCasesRequest by_status;
  by_status.set_region("16.06.01");
  by_status.set_status(wahana::cases::v1::CLOSED);
  absl::StatusOr<wahana::cases::v1::ListCasesResponse> closed_cases =
      logic_->ListCases(admin_, by_status);
  ASSERT_TRUE(closed_cases.ok()) << closed_cases.status();
  ASSERT_EQ(closed_cases->cases_size(), 1);
  EXPECT_EQ(closed_cases->cases(0).id(), id);
  by_status.set_status(wahana::cases::v1::INTAKE);
  EXPECT_EQ(logic_->ListCases(admin_, by_status)->cases_size(), 0);
}

// A write based on a stale version is refused inside the atomic write: nothing of it lands.
TEST_F(CaseRedisTest, AStaleWriteLandsNothing) {
  absl::StatusOr<Case> c = logic_->CreateCase(admin_, ValidRequest());
  ASSERT_TRUE(c.ok()) << c.status();
  wahana::cases::v1::AddCaseNoteRequest note;
  note.set_id(c->id());
  note.set_text("a");
  ASSERT_TRUE(logic_->AddCaseNote(AdminAs("x"), Fresh(note)).ok());

  // A second operator still holds version 1.
  CaseAction action;
  action.set_sequence(2);
  action.set_type(wahana::cases::v1::ACTION_ADD_NOTE);
  action.mutable_note()->set_text("b");
  absl::StatusOr<Case> updated = ApplyAction(*c, action);
  ASSERT_TRUE(updated.ok()) << updated.status();
  absl::StatusOr<Case> written = store_->Append(
      *updated, action, "1", MakeEnvelope(CaseChanged(), {kRegion, c->id(), 2, c->village_code()}));
  EXPECT_EQ(written.status().code(), absl::StatusCode::kAborted) << written.status();
  EXPECT_EQ(StoredHistory(c->id()).size(), 2u);
  EXPECT_EQ(StoredCase(c->id()).etag(), "2");
  EXPECT_EQ(StreamLength(*redis_, stream_), 2);

  // Through the logic: a stale etag is ABORTED; a wrong step is FAILED_PRECONDITION. Neither
  // changes the history.
  note.set_etag("1");
  EXPECT_EQ(logic_->AddCaseNote(AdminAs("x"), note).status().code(), absl::StatusCode::kAborted);
  wahana::cases::v1::CaseStepRequest close;
  close.set_id(c->id());
  close.set_etag("2");
  EXPECT_EQ(
      logic_->SimpleStep(AdminAs("x"), close, wahana::cases::v1::ACTION_CLOSE).status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(StoredHistory(c->id()).size(), 2u);
  EXPECT_EQ(StreamLength(*redis_, stream_), 2);
}

// The registry consumer: an archived beneficiary annotates its open case, once.
TEST_F(CaseRedisTest, ArchivedBeneficiaryOnTheRegistryStreamAnnotatesItsCases) {
  const std::string beneficiary = "01HZX5J6Q0W6Z9V3K8N2M4P7R1";
  registry_->AddBeneficiary(beneficiary);
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id(beneficiary);
  absl::StatusOr<Case> c = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(c.ok()) << c.status();

  wahana::registry::v1::BeneficiaryChanged changed;
  changed.mutable_beneficiary()->set_id(beneficiary);
  changed.set_action("archived");
  wahana::common::v1::Envelope message = MakeEnvelope(changed, {kRegion, beneficiary, 2, kVillage});
  const std::string registry_stream = RegistryStreamKey(kRegion);
  ASSERT_TRUE(redis_->Command(XaddArgv(registry_stream, message)).ok());
  ASSERT_TRUE(redis_->Command(XaddArgv(registry_stream, message)).ok());  // a duplicate
  ServiceConfig config;
  config.region = kRegion;
  std::unique_ptr<StreamConsumer> consumer = MakeBusConsumer(
      *redis_, config, kCaseReadsRegistry,
      [this](const wahana::common::v1::Envelope& envelope, const std::string& /*entry_id*/) {
        return logic_->HandleRegistryMessage(envelope);
      },
      "case-test-1");
  ASSERT_TRUE(PollUntil([&] {
    absl::StatusOr<int> handled = consumer->PollOnce(50);
    EXPECT_TRUE(handled.ok()) << handled.status();
    return StoredHistory(c->id()).size() >= 2 && handled.ok() && *handled == 0;
  }));
  std::vector<CaseAction> history = StoredHistory(c->id());
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].type(), wahana::cases::v1::ACTION_SUBJECT_ARCHIVED);
  EXPECT_TRUE(StoredCase(c->id()).subject_archived());
}

// The known-subjects projection in Redis: versions only move forward, whichever feed is first.
TEST_F(CaseRedisTest, KnownSubjectsKeepTheNewestVersion) {
  const SubjectRef b{SubjectKind::kBeneficiary, "01HZX5J6Q0W6Z9V3K8N2M4P7R1"};
  const SubjectRef w{SubjectKind::kWorker, "01HZX5J6Q0W6Z9V3K8N2M4P7W1"};
  auto states = known_->Lookup({b, w});
  ASSERT_TRUE(states.ok()) << states.status();
  EXPECT_EQ(*states, (std::vector<SubjectState>{SubjectState::kUnknown, SubjectState::kUnknown}));

  ASSERT_TRUE(known_->Remember(b, 2, false, "", /*only_if_known=*/true).ok());
  EXPECT_EQ(known_->Lookup({b})->at(0), SubjectState::kUnknown);
  ASSERT_TRUE(known_->Remember(b, 3, true, "", false).ok());
  ASSERT_TRUE(known_->Remember(b, 2, false, "", false).ok());  // older: ignored
  ASSERT_TRUE(known_->Remember(w, 1, false, "", false).ok());
  EXPECT_EQ(*known_->Lookup({b, w}),
            (std::vector<SubjectState>{SubjectState::kArchived, SubjectState::kLive}));
  ASSERT_TRUE(known_->Remember(b, 4, false, "", true).ok());  // a restore
  EXPECT_EQ(known_->Lookup({b})->at(0), SubjectState::kLive);
  auto stored =
      redis_->Command({"HGET", KnownSubjectsKey(kRegion, SubjectKind::kBeneficiary), b.id});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->str, "4:L");
  EXPECT_EQ(known_->Remember(b, 0, false, "", false).code(), absl::StatusCode::kInternal);
}

// A create remembers what the registry answered, and the next one asks Redis only.
TEST_F(CaseRedisTest, ACreateAsksTheRegistryOncePerSubject) {
  const std::string beneficiary = "01HZX5J6Q0W6Z9V3K8N2M4P7R1";
  registry_->AddBeneficiary(beneficiary).set_etag("1");
  CreateCaseRequest request = ValidRequest();
  request.mutable_case_()->set_beneficiary_id(beneficiary);
  ASSERT_TRUE(logic_->CreateCase(admin_, request).ok());
  registry_->unavailable = absl::UnavailableError("registry down");
  absl::StatusOr<Case> second = logic_->CreateCase(admin_, request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(registry_->calls, 1);

  // The registry archives it: the stream says so, and the next create is refused from Redis.
  wahana::registry::v1::BeneficiaryChanged changed;
  changed.mutable_beneficiary()->set_id(beneficiary);
  changed.mutable_beneficiary()->set_archived(true);
  changed.mutable_beneficiary()->set_village_code(kVillage);  // the projection keeps the region
  changed.set_action("archived");
  wahana::common::v1::Envelope archived =
      MakeEnvelope(changed, {kRegion, beneficiary, 2, kVillage});
  ASSERT_TRUE(logic_->HandleRegistryMessage(archived).ok());
  EXPECT_EQ(logic_->CreateCase(admin_, request).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(registry_->calls, 1);
}

// Every step of a case as a client sends it, with valid fields, for case `id` at `etag`.
using StepCall =
    std::function<absl::StatusOr<Case>(CaseLogic&, const std::string& id, const std::string& etag)>;
std::vector<std::pair<std::string, StepCall>> EveryStep() {
  namespace pb = wahana::cases::v1;
  const Principal caller = AdminAs("worker-1");
  std::vector<std::pair<std::string, StepCall>> steps;
  steps.emplace_back(":assign",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::AssignCaseRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.set_worker_id("01HZX5J6Q0W6Z9V3K8N2M4P7W1");
                       return logic.AssignCase(caller, r);
                     });
  steps.emplace_back(":assess",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::AssessCaseRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.set_problem("tidak ada yang merawat");
                       return logic.AssessCase(caller, r);
                     });
  steps.emplace_back(":plan",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::PlanCaseRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.add_goals()->set_goal("makan teratur");
                       return logic.PlanCase(caller, r);
                     });
  steps.emplace_back(":approvePlan",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::ApprovePlanRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       return logic.ApprovePlan(caller, r);
                     });
  for (pb::CaseActionType type :
       {pb::ACTION_MONITOR, pb::ACTION_RESUME_INTERVENTION, pb::ACTION_CLOSE, pb::ACTION_REOPEN}) {
    steps.emplace_back(pb::CaseActionType_Name(type),
                       [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                         pb::CaseStepRequest r;
                         r.set_id(id);
                         r.set_etag(etag);
                         return logic.SimpleStep(caller, r, type);
                       });
  }
  steps.emplace_back(":recordService",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::RecordServiceRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.mutable_service()->set_spm_service(pb::SPM_LANJUT_USIA_TELANTAR);
                       r.mutable_service()->set_component("permakanan");
                       r.mutable_service()->set_date("2026-05-04");
                       return logic.RecordService(caller, r);
                     });
  steps.emplace_back(":refer",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::ReferCaseRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.set_target(pb::REFERRAL_AGENCY);
                       r.set_agency("Disdukcapil");
                       r.set_reason("belum punya NIK");
                       return logic.ReferCase(caller, r);
                     });
  steps.emplace_back(":updateReferral",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::UpdateReferralRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.set_referral_number(1);
                       r.set_status(pb::REFERRAL_ACCEPTED);
                       return logic.UpdateReferral(caller, r);
                     });
  steps.emplace_back(":terminate",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::TerminateCaseRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.set_termination_reason(pb::GOAL_REACHED);
                       return logic.TerminateCase(caller, r);
                     });
  steps.emplace_back(":followUp",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::FollowUpCaseRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.set_follow_up_date("2026-06-01");
                       return logic.FollowUpCase(caller, r);
                     });
  steps.emplace_back("/notes",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::AddCaseNoteRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.set_text("kunjungan rumah");
                       return logic.AddCaseNote(caller, r);
                     });
  steps.emplace_back(":recordMediationSession",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::RecordMediationSessionRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.mutable_session()->set_date("2026-05-04");
                       return logic.RecordMediationSession(caller, r);
                     });
  steps.emplace_back(":recordAgreement",
                     [=](CaseLogic& logic, const std::string& id, const std::string& etag) {
                       pb::RecordAgreementRequest r;
                       r.set_id(id);
                       r.set_etag(etag);
                       r.set_agreement("damai");
                       return logic.RecordAgreement(caller, r);
                     });
  return steps;
}

// Every step needs the etag of the case as read: without one it is INVALID_ARGUMENT naming etag
// (the gateway's 400), with a stale one ABORTED (409); either way Redis is left as it was.
TEST_F(CaseRedisTest, EveryStepRequiresTheEtagAsReadAndWritesNothingWithoutIt) {
  absl::StatusOr<Case> c = logic_->CreateCase(admin_, ValidRequest());
  ASSERT_TRUE(c.ok()) << c.status();
  wahana::cases::v1::AddCaseNoteRequest note;
  note.set_id(c->id());
  note.set_text("a");
  ASSERT_TRUE(logic_->AddCaseNote(AdminAs("x"), Fresh(note)).ok());  // etag "2" now
  // The record's hash as stored: {pb, etag}.
  auto stored = [&] {
    std::vector<std::string> fields;
    auto reply = redis_->Command({"HGETALL", CaseKeys(kRegion).Record(c->id())});
    EXPECT_TRUE(reply.ok()) << reply.status();
    if (reply.ok()) {
      for (const RedisReply& e : reply->elements) fields.push_back(e.str);
    }
    return fields;
  };
  const std::vector<std::string> before = stored();
  ASSERT_EQ(before.size(), 4u);

  const std::vector<std::pair<std::string, StepCall>> steps = EveryStep();
  EXPECT_EQ(steps.size(), 16u);
  for (const auto& [name, step] : steps) {
    SCOPED_TRACE(name);
    absl::StatusOr<Case> missing = step(*logic_, c->id(), "");
    EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument) << missing.status();
    EXPECT_EQ(missing.status().message(), "etag: required (the etag of the case as read)");
    absl::StatusOr<Case> stale = step(*logic_, c->id(), "1");
    EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted) << stale.status();
    EXPECT_EQ(stale.status().message().rfind("etag:", 0), 0u) << stale.status();
  }
  EXPECT_EQ(stored(), before);
  EXPECT_EQ(StoredHistory(c->id()).size(), 2u);
  EXPECT_EQ(StreamLength(*redis_, stream_), 2);
}

// The bus contract names the stream the case service writes (its consumers read it from there).
TEST_F(CaseRedisTest, TheBusContractNamesTheStreamCasesAreWrittenTo) {
  EXPECT_EQ(CaseStreamKey(kRegion), CaseKeys(kRegion).Stream());
  EXPECT_EQ(CaseStreamKey(kRegion), absl::StrCat("case:{", kRegion, "}:stream"));
  ASSERT_TRUE(logic_->CreateCase(admin_, ValidRequest()).ok());
  EXPECT_EQ(StreamLength(*redis_, CaseStreamKey(kRegion)), 1);
}

}  // namespace
}  // namespace wahana::testing
