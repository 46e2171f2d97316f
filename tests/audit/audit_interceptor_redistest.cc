// The audit interceptor on a real gRPC server (1.51) with a private Redis: each call to an
// audited service leaves one entry (who, role, what record, action, outcome, request id, from
// where) before its answer leaves; a read fails closed when the trail cannot be written, a write
// keeps its status; AuditService shows a subject's entries to supervisors in scope only.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "common/audit/audit_chain.h"
#include "common/audit/audit_interceptor.h"
#include "common/audit/audit_service.h"
#include "common/audit/audit_trail.h"
#include "common/audit/audit_verify.h"
#include "common/audit/forwarded_address.h"
#include "common/auth/call_authenticator.h"
#include "support/redis_server.h"
#include "support/test_auth.h"
#include "support/test_principals.h"
#include "wahana/cases/v1/case.grpc.pb.h"

namespace wahana {
namespace {

using cases::v1::Case;
using cases::v1::CaseService;
using testing::TestPrincipal;

constexpr char kKey[] = "audit-interceptor-test-key";

// A case service that knows one case, C1 in village 16.06.01.2001, and whose lists return C1
// and C2 (in 16.06.02.2002, another subdistrict).
class FakeCaseService final : public CaseService::CallbackService {
 public:
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* context,
                                    const cases::v1::GetCaseRequest* request,
                                    Case* response) override {
    auto* reactor = context->DefaultReactor();
    if (request->id() != "C1") {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "case not found"));
    } else {
      response->set_id("C1");
      response->set_village_code("16.06.01.2001");
      response->set_summary("a confidential summary");
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }

  grpc::ServerUnaryReactor* CreateCase(grpc::CallbackServerContext* context,
                                       const cases::v1::CreateCaseRequest* request,
                                       Case* response) override {
    *response = request->case_();
    response->set_id("C9");
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor* ListCases(grpc::CallbackServerContext* context,
                                      const cases::v1::ListCasesRequest* request,
                                      cases::v1::ListCasesResponse* response) override {
    Case* c1 = response->add_cases();
    c1->set_id("C1");
    c1->set_village_code("16.06.01.2001");
    Case* c2 = response->add_cases();
    c2->set_id("C2");
    c2->set_village_code("16.06.02.2002");
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class AuditInterceptorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = redis_server_.Client();
    trail_ = std::make_shared<AuditTrail>(*redis_, "case", "16.06", kKey);
    worker_pool_ = std::make_unique<WorkerPool>(2, 100);
    audit_service_ = std::make_unique<AuditGrpcService>(
        std::make_shared<const AuditReader>(*redis_, "case", "16.06"), *worker_pool_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&cases_);
    builder.RegisterService(audit_service_.get());
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(MakeCallAuthenticationFactory(testing::TestTokenVerifier()));
    creators.push_back(MakeAuditInterceptorFactory(
        trail_, {{"wahana.cases.v1.CaseService", {"cases", "wahana.cases.v1.Case"}}}));
    builder.experimental().SetInterceptorCreators(std::move(creators));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  void TearDown() override {
    server_->Shutdown();
    trail_->Stop();
  }

  std::unique_ptr<CaseService::Stub> Cases(const Principal& principal) {
    return CaseService::NewStub(
        testing::AuthorizedTestChannel(absl::StrCat("127.0.0.1:", port_), principal));
  }

  grpc::Status ListEntries(const Principal& principal, const std::string& subject,
                           audit::v1::ListAuditEntriesResponse* response) {
    auto stub = audit::v1::AuditService::NewStub(
        testing::AuthorizedTestChannel(absl::StrCat("127.0.0.1:", port_), principal));
    grpc::ClientContext context;
    audit::v1::ListAuditEntriesRequest request;
    request.set_subject(subject);
    return stub->ListAuditEntries(&context, request, response);
  }

  std::vector<audit::v1::AuditEntry> Entries() {
    std::vector<audit::v1::AuditEntry> entries;
    auto range = redis_->Command({"XRANGE", "case:{16.06}:audit", "-", "+"});
    EXPECT_TRUE(range.ok());
    for (const RedisReply& m : range->elements) {
      const auto& pairs = m.elements[1].elements;
      for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
        if (pairs[i].str == "entry") entries.emplace_back().ParseFromString(pairs[i + 1].str);
      }
    }
    return entries;
  }

  testing::RedisServer redis_server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<AuditTrail> trail_;
  std::unique_ptr<WorkerPool> worker_pool_;
  std::unique_ptr<AuditGrpcService> audit_service_;
  FakeCaseService cases_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  const Principal operator_ = TestPrincipal(Role::kOperator, "16.06", "test:operator");
  const Principal supervisor_ = TestPrincipal(Role::kSupervisor, "16.06", "test:supervisor");
};

TEST_F(AuditInterceptorTest, ReadIsAuditedBeforeItsAnswerLeaves) {
  auto stub = Cases(operator_);
  grpc::ClientContext context;
  context.AddMetadata("x-request-id", "req-123");
  cases::v1::GetCaseRequest request;
  request.set_id("C1");
  Case response;
  ASSERT_TRUE(stub->GetCase(&context, request, &response).ok());
  EXPECT_EQ(response.id(), "C1");
  // No polling: the answer came after the entry was written.
  std::vector<audit::v1::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  const audit::v1::AuditEntry& e = entries[0];
  EXPECT_EQ(e.sequence(), 1);
  EXPECT_EQ(e.principal_id(), "test:operator");
  EXPECT_EQ(e.role(), "OPERATOR");
  EXPECT_EQ(e.region_scope(), "16.06");
  EXPECT_EQ(e.subject(), "cases/C1");
  EXPECT_EQ(e.record_region(), "16.06.01.2001");
  EXPECT_EQ(e.action(), "GetCase");
  EXPECT_EQ(e.outcome_code(), "OK");
  EXPECT_EQ(e.request_id(), "req-123");
  EXPECT_EQ(e.service(), "case");
  EXPECT_NE(e.client_address().find("127.0.0.1"), std::string::npos) << e.client_address();
  EXPECT_EQ(e.client_address(), e.peer());
  EXPECT_GT(e.time().seconds(), 0);
}

TEST_F(AuditInterceptorTest, RefusedReadIsAuditedWithItsOutcome) {
  auto stub = Cases(operator_);
  grpc::ClientContext context;
  cases::v1::GetCaseRequest request;
  request.set_id("C404");
  Case response;
  EXPECT_EQ(stub->GetCase(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  std::vector<audit::v1::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].subject(), "cases/C404");
  EXPECT_EQ(entries[0].outcome_code(), "NOT_FOUND");
  EXPECT_EQ(entries[0].outcome_message(), "case not found");
}

// A direct gRPC caller can send any x-forwarded-for: without the gateway's proof it records the
// peer; with the proof made for the call's own token and that address, the forwarded address.
TEST_F(AuditInterceptorTest, ForwardedForIsTrustedOnlyWithTheGatewaysProof) {
  auto stub = CaseService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials()));
  const std::string token = testing::TestToken(operator_);
  const std::string other_token = testing::TestToken(supervisor_);
  const std::string& key = trail_->forwarding_key();
  struct Attempt {
    const char* name;
    std::string proof;  // "" sends none
  };
  const std::vector<Attempt> untrusted = {
      {"no proof", ""},
      {"proof of another address", ForwardedProof(key, token, "198.51.100.1")},
      {"proof for another token", ForwardedProof(key, other_token, "203.0.113.7")},
      {"proof under another key", ForwardedProof("not-the-key", token, "203.0.113.7")},
  };
  for (const Attempt& c : untrusted) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    context.AddMetadata("x-forwarded-for", "203.0.113.7");
    if (!c.proof.empty()) context.AddMetadata(kForwardedProofMetadata, c.proof);
    cases::v1::GetCaseRequest request;
    request.set_id("C1");
    cases::v1::Case response;
    ASSERT_TRUE(stub->GetCase(&context, request, &response).ok()) << c.name;
  }
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    context.AddMetadata("x-forwarded-for", "203.0.113.7");
    context.AddMetadata(kForwardedProofMetadata, ForwardedProof(key, token, "203.0.113.7"));
    cases::v1::GetCaseRequest request;
    request.set_id("C1");
    cases::v1::Case response;
    ASSERT_TRUE(stub->GetCase(&context, request, &response).ok());
  }
  std::vector<audit::v1::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), untrusted.size() + 1);
  for (size_t i = 0; i < untrusted.size(); ++i) {
    EXPECT_EQ(entries[i].client_address(), entries[i].peer()) << untrusted[i].name;
    EXPECT_NE(entries[i].peer().find("127.0.0.1"), std::string::npos);
  }
  EXPECT_EQ(entries.back().client_address(), "203.0.113.7");
  EXPECT_NE(entries.back().peer().find("127.0.0.1"), std::string::npos);
}

TEST_F(AuditInterceptorTest, CreateAndListNameTheirRecords) {
  auto stub = Cases(operator_);
  {
    grpc::ClientContext context;
    cases::v1::CreateCaseRequest request;
    request.mutable_case_()->set_village_code("16.06.02.2002");
    Case response;
    ASSERT_TRUE(stub->CreateCase(&context, request, &response).ok());
  }
  {
    grpc::ClientContext context;
    cases::v1::ListCasesRequest request;
    request.set_region("16.06.01");
    request.set_status(cases::v1::INTAKE);
    request.set_page_size(10);
    cases::v1::ListCasesResponse response;
    ASSERT_TRUE(stub->ListCases(&context, request, &response).ok());
  }
  std::vector<audit::v1::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].subject(), "cases/C9");
  EXPECT_EQ(entries[0].record_region(), "16.06.02.2002");
  EXPECT_EQ(entries[0].action(), "CreateCase");
  EXPECT_EQ(entries[1].subject(), "cases?region=16.06.01&status=INTAKE");
  EXPECT_EQ(entries[1].action(), "ListCases");
  ASSERT_EQ(entries[1].returned_subjects_size(), 2);
  EXPECT_EQ(entries[1].returned_subjects(0), "cases/C1");
  // Each returned record's region, for readers to judge it by.
  ASSERT_EQ(entries[1].returned_regions_size(), 2);
  EXPECT_EQ(entries[1].returned_regions(0), "16.06.01.2001");
  EXPECT_EQ(entries[1].returned_regions(1), "16.06.02.2002");
  auto index = redis_->Command({"LLEN", "case:{16.06}:audit:subject:cases/C2"});
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->integer, 1);
}

TEST_F(AuditInterceptorTest, ReadFailsClosedAndWriteKeepsItsStatusWithoutTheTrail) {
  // Break the trail only: the stream key becomes a string, so XADD fails (WRONGTYPE).
  ASSERT_TRUE(redis_->Command({"SET", "case:{16.06}:audit", "not a stream"}).ok());
  auto stub = Cases(operator_);
  {
    grpc::ClientContext context;
    cases::v1::GetCaseRequest request;
    request.set_id("C1");
    Case response;
    grpc::Status status = stub->GetCase(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(status.error_message(), "audit trail unavailable");
    EXPECT_EQ(response.ByteSizeLong(), 0u) << response.DebugString();  // no record leaked
  }
  {
    grpc::ClientContext context;
    cases::v1::CreateCaseRequest request;
    Case response;
    EXPECT_TRUE(stub->CreateCase(&context, request, &response).ok());
    EXPECT_EQ(response.id(), "C9");
  }
  EXPECT_EQ(trail_->failures(), 2);
}

TEST_F(AuditInterceptorTest, ConcurrentCallsShareBatchesAndKeepTheChain) {
  constexpr int kThreads = 8, kCalls = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto stub = Cases(operator_);
      for (int i = 0; i < kCalls; ++i) {
        grpc::ClientContext context;
        cases::v1::GetCaseRequest request;
        request.set_id("C1");
        Case response;
        if (!stub->GetCase(&context, request, &response).ok()) failed.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  absl::StatusOr<AuditVerification> v =
      VerifyAuditTrail(*redis_, AuditKeys("case", "16.06"), AuditChain(kKey));
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << DescribeVerification(*v);
  EXPECT_EQ(v->entries, kThreads * kCalls);
}

TEST_F(AuditInterceptorTest, SupervisorListsASubjectsEntries) {
  auto stub = Cases(operator_);
  for (const char* id : {"C1", "C404"}) {
    grpc::ClientContext context;
    cases::v1::GetCaseRequest request;
    request.set_id(id);
    Case response;
    (void)stub->GetCase(&context, request, &response);
  }
  audit::v1::ListAuditEntriesResponse response;
  grpc::Status status = ListEntries(supervisor_, "cases/C1", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.entries_size(), 1);
  EXPECT_EQ(response.entries(0).principal_id(), "test:operator");
  EXPECT_EQ(response.entries(0).action(), "GetCase");

  // In scope: the subdistrict of the case's village; out of scope: another subdistrict.
  EXPECT_TRUE(
      ListEntries(TestPrincipal(Role::kSupervisor, "16.06.01"), "cases/C1", &response).ok());
  EXPECT_EQ(
      ListEntries(TestPrincipal(Role::kSupervisor, "16.06.02"), "cases/C1", &response).error_code(),
      grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(
      ListEntries(TestPrincipal(Role::kSupervisor, "16.07"), "cases/C404", &response).error_code(),
      grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ListEntries(operator_, "cases/C1", &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ListEntries(supervisor_, "cases/none", &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ListEntries(supervisor_, "", &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Reading the audit is not itself a case call: still two entries.
  EXPECT_EQ(Entries().size(), 2u);
}

// A list names records of two subdistricts: a supervisor of one sees the entry under its own
// record, without the other's id; a regency supervisor sees both.
TEST_F(AuditInterceptorTest, ReturnedRecordsOutsideTheScopeAreNotShown) {
  {
    auto stub = Cases(operator_);
    grpc::ClientContext context;
    cases::v1::ListCasesRequest request;
    cases::v1::ListCasesResponse response;
    ASSERT_TRUE(stub->ListCases(&context, request, &response).ok());
  }
  audit::v1::ListAuditEntriesResponse response;
  const Principal sekayu = TestPrincipal(Role::kSupervisor, "16.06.01");
  ASSERT_TRUE(ListEntries(sekayu, "cases/C1", &response).ok());
  ASSERT_EQ(response.entries_size(), 1);
  EXPECT_EQ(response.entries(0).action(), "ListCases");
  EXPECT_EQ(response.entries(0).subject(), "cases");  // the list's filter: none
  EXPECT_EQ(std::vector<std::string>(response.entries(0).returned_subjects().begin(),
                                     response.entries(0).returned_subjects().end()),
            std::vector<std::string>{"cases/C1"});
  EXPECT_EQ(response.entries(0).returned_regions_size(), 1);
  EXPECT_EQ(response.DebugString().find("C2"), std::string::npos) << response.DebugString();
  EXPECT_EQ(ListEntries(sekayu, "cases/C2", &response).error_code(), grpc::StatusCode::NOT_FOUND);

  const Principal lais = TestPrincipal(Role::kSupervisor, "16.06.02");
  ASSERT_TRUE(ListEntries(lais, "cases/C2", &response).ok());
  ASSERT_EQ(response.entries_size(), 1);
  EXPECT_EQ(response.entries(0).returned_subjects_size(), 1);
  EXPECT_EQ(response.entries(0).returned_subjects(0), "cases/C2");

  ASSERT_TRUE(ListEntries(supervisor_, "cases/C1", &response).ok());
  ASSERT_EQ(response.entries_size(), 1);
  EXPECT_EQ(response.entries(0).returned_subjects_size(), 2);
}

// The index only finds entries: each is judged by what it says itself. An index list naming an
// entry about another record, or an entry that put the record in another subdistrict, shows
// nothing of them.
TEST_F(AuditInterceptorTest, EntriesAreJudgedByTheirOwnSubjectAndRegion) {
  auto stub = Cases(operator_);
  {
    grpc::ClientContext context;
    cases::v1::GetCaseRequest request;
    request.set_id("C1");
    Case response;
    ASSERT_TRUE(stub->GetCase(&context, request, &response).ok());
  }
  {
    grpc::ClientContext context;
    cases::v1::CreateCaseRequest request;
    request.mutable_case_()->set_village_code("16.06.02.2002");
    Case response;
    ASSERT_TRUE(stub->CreateCase(&context, request, &response).ok());  // cases/C9, in 16.06.02
  }
  // An entry about C1 recorded in another subdistrict (the case moved, say).
  audit::v1::AuditEntry moved;
  moved.set_subject("cases/C1");
  moved.set_record_region("16.06.02.2002");
  moved.set_action("GetCase");
  moved.set_principal_id("test:elsewhere");
  ASSERT_TRUE(trail_->AppendAndWait(moved).ok());
  // C1's index edited to list C9's entry too.
  auto c9 = redis_->Command({"LRANGE", "case:{16.06}:audit:subject:cases/C9", "0", "-1"});
  ASSERT_TRUE(c9.ok());
  ASSERT_EQ(c9->elements.size(), 1u);
  ASSERT_TRUE(
      redis_->Command({"RPUSH", "case:{16.06}:audit:subject:cases/C1", c9->elements[0].str}).ok());

  audit::v1::ListAuditEntriesResponse response;
  ASSERT_TRUE(
      ListEntries(TestPrincipal(Role::kSupervisor, "16.06.01"), "cases/C1", &response).ok());
  ASSERT_EQ(response.entries_size(), 1) << response.DebugString();
  EXPECT_EQ(response.entries(0).principal_id(), "test:operator");
  EXPECT_EQ(response.entries(0).subject(), "cases/C1");
  EXPECT_EQ(response.DebugString().find("C9"), std::string::npos);
  EXPECT_EQ(response.DebugString().find("elsewhere"), std::string::npos);
  // The regency's supervisor reads both of C1's entries, still not C9's under C1.
  ASSERT_TRUE(ListEntries(supervisor_, "cases/C1", &response).ok());
  ASSERT_EQ(response.entries_size(), 2) << response.DebugString();
  EXPECT_EQ(response.DebugString().find("C9"), std::string::npos);
}

// A stream message may hold a field name twice: the reader shows no message with two entries
// (wahana-audit verify names it), whichever copy is the real one.
TEST_F(AuditInterceptorTest, AMessageHoldingTwoEntriesIsNotShown) {
  auto stub = Cases(operator_);
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    cases::v1::GetCaseRequest request;
    request.set_id("C1");
    Case response;
    ASSERT_TRUE(stub->GetCase(&context, request, &response).ok());
  }
  // The first message rebuilt with a forged entry (another principal) before the real one.
  auto range = redis_->Command({"XRANGE", "case:{16.06}:audit", "-", "+"});
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->elements.size(), 2u);
  std::vector<audit::v1::AuditEntry> real = Entries();
  audit::v1::AuditEntry forged = real[0];
  forged.set_principal_id("test:forged");
  ASSERT_TRUE(redis_->Command({"DEL", "case:{16.06}:audit"}).ok());
  for (size_t i = 0; i < range->elements.size(); ++i) {
    std::vector<std::string> xadd = {"XADD", "case:{16.06}:audit",
                                     range->elements[i].elements[0].str};
    if (i == 0) {
      xadd.push_back("entry");
      xadd.push_back(forged.SerializeAsString());
    }
    for (const RedisReply& field : range->elements[i].elements[1].elements) {
      xadd.push_back(field.str);
    }
    ASSERT_TRUE(redis_->Command(xadd).ok());
  }

  audit::v1::ListAuditEntriesResponse response;
  ASSERT_TRUE(ListEntries(supervisor_, "cases/C1", &response).ok());
  ASSERT_EQ(response.entries_size(), 1) << response.DebugString();
  EXPECT_EQ(response.entries(0).sequence(), 2);
  EXPECT_EQ(response.DebugString().find("test:forged"), std::string::npos);
}

TEST_F(AuditInterceptorTest, EntriesComeInPages) {
  auto stub = Cases(operator_);
  for (int i = 0; i < 5; ++i) {
    grpc::ClientContext context;
    cases::v1::GetCaseRequest request;
    request.set_id("C1");
    Case response;
    ASSERT_TRUE(stub->GetCase(&context, request, &response).ok());
  }
  auto audit = audit::v1::AuditService::NewStub(
      testing::AuthorizedTestChannel(absl::StrCat("127.0.0.1:", port_), supervisor_));
  std::vector<int64_t> sequences;
  std::string token;
  do {
    grpc::ClientContext context;
    audit::v1::ListAuditEntriesRequest request;
    request.set_subject("cases/C1");
    request.set_page_size(2);
    request.set_page_token(token);
    audit::v1::ListAuditEntriesResponse response;
    ASSERT_TRUE(audit->ListAuditEntries(&context, request, &response).ok());
    for (const auto& e : response.entries()) sequences.push_back(e.sequence());
    token = response.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(sequences, (std::vector<int64_t>{1, 2, 3, 4, 5}));  // oldest first
}

}  // namespace
}  // namespace wahana
