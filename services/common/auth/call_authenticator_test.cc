#include "common/auth/call_authenticator.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/bearer_channel.h"
#include "wahana/testing/v1/echo.grpc.pb.h"

namespace wahana {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";

// Answers the caller's subject, or the authentication failure.
class WhoAmI final : public testing::v1::EchoService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const testing::v1::EchoRequest* request,
                                 testing::v1::EchoResponse* response) override {
    auto* reactor = context->DefaultReactor();
    absl::StatusOr<Principal> principal = PrincipalOf(*context);
    if (!principal.ok()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                   std::string(principal.status().message())));
    } else {
      response->set_message(Describe(*principal));
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }
};

class CallAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    verifier_ = *TokenVerifier::Create(kSecret);
    minter_ = *TokenMinter::Create(kSecret, absl::Minutes(5));
  }

  void Serve(bool with_authenticator) {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    if (with_authenticator) InstallCallAuthentication(builder, verifier_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }
  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }

  grpc::Status Call(const std::shared_ptr<grpc::Channel>& channel, std::string* answer,
                    const std::multimap<std::string, std::string>& metadata = {}) {
    auto stub = testing::v1::EchoService::NewStub(channel);
    grpc::ClientContext context;
    for (const auto& [k, v] : metadata) context.AddMetadata(k, v);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    testing::v1::EchoRequest request;
    testing::v1::EchoResponse response;
    grpc::Status status = stub->Echo(&context, request, &response);
    *answer = response.message();
    return status;
  }

  std::shared_ptr<const TokenVerifier> verifier_;
  std::shared_ptr<const TokenMinter> minter_;
  WhoAmI service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(CallAuthenticatorTest, AuthorizedChannelCallsAsItsPrincipal) {
  Serve(true);
  auto source = std::make_shared<TokenSource>(minter_, ServicePrincipal("case", "16.06"));
  std::string answer;
  grpc::Status status =
      Call(CreateAuthorizedChannel(Address(), grpc::ChannelArguments(), source), &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer, "service:case (SYSTEM, 16.06)");
}

TEST_F(CallAuthenticatorTest, TheWorkerLinkReachesTheHandler) {
  Serve(true);
  Principal worker{"apikey:0123456789abcdef", "Siti", Role::kFieldWorker, "16.06.01"};
  worker.worker_id = "01JD8X6Q0W3G7M2K9V5T4R1N8B";
  auto source = std::make_shared<TokenSource>(minter_, worker);
  std::string answer;
  grpc::Status status =
      Call(CreateAuthorizedChannel(Address(), grpc::ChannelArguments(), source), &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer,
            "apikey:0123456789abcdef (FIELD_WORKER, 16.06.01, worker 01JD8X6Q0W3G7M2K9V5T4R1N8B)");
}

TEST_F(CallAuthenticatorTest, MissingOrBadTokenIsUnauthenticated) {
  Serve(true);
  auto channel = grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
  std::string answer;
  grpc::Status none = Call(channel, &answer);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(none.error_message(), "credentials required"));
  grpc::Status bad = Call(channel, &answer, {{"authorization", "Bearer not.a.token"}});
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status basic = Call(channel, &answer, {{"authorization", "Basic dXNlcjpwdw=="}});
  EXPECT_EQ(basic.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto other_secret = *TokenMinter::Create(kSecret + "-other", absl::Minutes(5));
  grpc::Status foreign =
      Call(channel, &answer,
           {{"authorization", "Bearer " + *other_secret->Mint(ServicePrincipal("x", "16.06"))}});
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(CallAuthenticatorTest, ForgedVerdictMetadataIsIgnored) {
  for (bool with_authenticator : {true, false}) {
    Serve(with_authenticator);
    auto channel = grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
    std::string answer;
    grpc::Status status =
        Call(channel, &answer, {{kVerifiedPrincipalMetadata, "5:admin0:5:ADMIN2:16"}});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << with_authenticator;
    server_->Shutdown();
    server_.reset();
  }
}

TEST_F(CallAuthenticatorTest, HealthCheckStaysOpen) {
  Serve(true);
  auto channel = grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Slice empty("", 0);
  grpc::ByteBuffer request(&empty, 1), response;
  absl::Mutex mu;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   absl::MutexLock lock(&mu);
                   status = s;
                   done = true;
                 });
  absl::MutexLock lock(&mu);
  mu.Await(absl::Condition(&done));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST(BearerTokenTest, ParsesTheScheme) {
  EXPECT_EQ(*BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(*BearerToken("bearer   abc "), "abc");
  EXPECT_FALSE(BearerToken("Bearer ").ok());
  EXPECT_FALSE(BearerToken("abc").ok());
  EXPECT_FALSE(BearerToken("Basic abc").ok());
}

}  // namespace
}  // namespace wahana
