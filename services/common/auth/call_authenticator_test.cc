#include "common/auth/call_authenticator.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "absl/base/thread_annotations.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/bearer_channel.h"
#include "wahana/testing/v1/echo.grpc.pb.h"

namespace wahana {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";

// A fresh RSA 2048 private key in PEM.
std::string NewRsaKey() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, n);
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

// The issuer key (the gateway's) and another one, made once.
const std::string& IssuerKey() {
  static const std::string* key = new std::string(NewRsaKey());
  return *key;
}
const std::string& OtherKey() {
  static const std::string* key = new std::string(NewRsaKey());
  return *key;
}

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
    issuer_ = *TokenMinter::CreateRs256(IssuerKey(), absl::Minutes(5));
    TokenVerifierKeys keys;
    keys.hs256_secret = kSecret;
    keys.issuer_public_key_pem = issuer_->public_key_pem();
    verifier_ = *TokenVerifier::Create(std::move(keys));
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
  std::shared_ptr<const TokenMinter> minter_;  // HS256, the services' shared secret
  std::shared_ptr<const TokenMinter> issuer_;  // RS256, the gateway's key
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
  auto source = std::make_shared<TokenSource>(issuer_, worker);
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

// An HS256 token signed with the secret every service holds, for an ADMIN.
std::string Hs256Admin(const std::string& key) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_add_grant(jwt, "sub", "forged:admin");
  jwt_add_grant(jwt, "role", "ADMIN");
  jwt_add_grant(jwt, "scope", "16");
  jwt_add_grant_int(jwt, "exp", static_cast<long>(absl::ToUnixSeconds(absl::Now()) + 300));
  jwt_set_alg(jwt, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(key.data()),
              static_cast<int>(key.size()));
  char* out = jwt_encode_str(jwt);
  std::string token = out ? out : "";
  std::free(out);
  jwt_free(jwt);
  return token;
}

// A service holds the shared secret and the issuer's public key only: neither makes a token for
// anyone but a service.
TEST_F(CallAuthenticatorTest, OnlyTheIssuerKeyMakesAnAdmin) {
  Serve(true);
  auto channel = grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
  const Principal admin{"apikey:0123456789abcdef", "Dinsos", Role::kAdmin, "16.06"};
  std::string answer;

  grpc::Status issued =
      Call(channel, &answer, {{"authorization", "Bearer " + *issuer_->Mint(admin)}});
  ASSERT_TRUE(issued.ok()) << issued.error_message();
  EXPECT_EQ(answer, "apikey:0123456789abcdef (ADMIN, 16.06)");

  // The shared secret signs an ADMIN: refused, and the minter will not make one.
  grpc::Status hs256 = Call(channel, &answer, {{"authorization", "Bearer " + Hs256Admin(kSecret)}});
  EXPECT_EQ(hs256.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(hs256.error_message(), "services only")) << hs256.error_message();
  EXPECT_EQ(minter_->Mint(admin).status().code(), absl::StatusCode::kInvalidArgument);

  // Another RSA key, even naming the issuer's kid: refused.
  auto other = *TokenMinter::CreateRs256(OtherKey(), absl::Minutes(5));
  grpc::Status foreign =
      Call(channel, &answer, {{"authorization", "Bearer " + *other->Mint(admin)}});
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  std::string token = *other->Mint(admin);
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  std::string header = absl::WebSafeBase64Escape(
      absl::StrCat(R"({"alg":"RS256","typ":"JWT","kid":")", issuer_->kid(), R"("})"));
  grpc::Status relabelled =
      Call(channel, &answer,
           {{"authorization", absl::StrCat("Bearer ", header, ".", parts[1], ".", parts[2])}});
  EXPECT_EQ(relabelled.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  // Algorithm confusion: HS256 with the issuer's public key (which every service holds) as the
  // secret.
  grpc::Status confused = Call(
      channel, &answer, {{"authorization", "Bearer " + Hs256Admin(issuer_->public_key_pem())}});
  EXPECT_EQ(confused.error_code(), grpc::StatusCode::UNAUTHENTICATED);
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
