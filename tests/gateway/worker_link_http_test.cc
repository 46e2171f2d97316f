// A FIELD_WORKER principal's registry worker link through the gateway, in one process over real
// HTTP: a private Redis holds the API keys, fake RegistryService and WorkerService run on a gRPC
// server that authenticates calls as every service does, and the gateway (with its in-process
// ApiKeyService) sits in front. Covers: POST /v1/apiKeys with workerId (stored, listed, the worker
// asked of the registry as the creating ADMIN, 400/404/503 naming workerId), and the link reaching
// a backend in the token the gateway mints, from an API key and from a token alike; a token
// linking a worker to another role is 401.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <jwt.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/call_authenticator.h"
#include "common/auth/token.h"
#include "gateway/api_keys/api_key_store.h"
#include "gateway/api_keys/in_process_api_keys.h"
#include "gateway/api_keys/worker_directory.h"
#include "gateway/gateway.h"
#include "gateway/http_server.h"
#include "support/grpc_callback_queue.h"
#include "support/http_client.h"
#include "support/redis_server.h"
#include "support/test_auth.h"
#include "wahana/registry/v1/registry.grpc.pb.h"
#include "wahana/registry/v1/worker.grpc.pb.h"

namespace wahana {
namespace {

using nlohmann::json;
using Reply = testing::HttpResponse;

constexpr char kSecret[] = "worker-link-test-secret-0123456789abcdef";
constexpr char kWorkerId[] = "01JD8X6Q0W3G7M2K9V5T4R1N8B";     // works in Sekayu (16.06.01)
constexpr char kElsewhereId[] = "01JD8X6Q0W3G7M2K9V5T4R1N8C";  // works in 16.06.02
constexpr char kUnknownId[] = "01JD8X6Q0W3G7M2K9V5T4R1N8Z";

// Answers GetRegion with the verified caller as the backend sees it: Describe() in `name`.
class WhoAmIRegistry final : public registry::v1::RegistryService::Service {
 public:
  grpc::Status GetRegion(grpc::ServerContext* context,
                         const registry::v1::GetRegionRequest* request,
                         registry::v1::Region* region) override {
    absl::StatusOr<Principal> caller = PrincipalOf(*context);
    if (!caller.ok()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          std::string(caller.status().message()));
    }
    region->set_code(request->code());
    region->set_name(Describe(*caller));
    return grpc::Status::OK;
  }
};

// Two workers, and who asked for them; `down` answers UNAVAILABLE.
class FakeWorkerService final : public registry::v1::WorkerService::Service {
 public:
  grpc::Status GetWorker(grpc::ServerContext* context,
                         const registry::v1::GetWorkerRequest* request,
                         registry::v1::Worker* worker) override {
    absl::StatusOr<Principal> caller = PrincipalOf(*context);
    if (!caller.ok()) return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token");
    absl::MutexLock lock(&mu_);
    askers_.push_back(Describe(*caller));
    if (down_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "registry storage down");
    worker->set_id(request->id());
    if (request->id() == kWorkerId) {
      worker->set_village_code("16.06.01.2001");
      worker->add_subdistrict_codes("16.06.01");
    } else if (request->id() == kElsewhereId) {
      worker->set_village_code("16.06.02.2001");
      worker->add_subdistrict_codes("16.06.02");
    } else {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "worker " + request->id() + " not found");
    }
    return grpc::Status::OK;
  }
  void set_down(bool down) {
    absl::MutexLock lock(&mu_);
    down_ = down;
  }
  std::vector<std::string> askers() {
    absl::MutexLock lock(&mu_);
    return askers_;
  }

 private:
  absl::Mutex mu_;
  bool down_ = false;
  std::vector<std::string> askers_;
};

class WorkerLinkHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wahana::testing::HoldGrpcCallbackQueue();  // before the first gateway: see the header
    auto verifier =
        TokenVerifier::Create(TokenVerifierKeys{kSecret, testing::kTestTokenPublicKeyPem, ""});
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *verifier;
    auto minter = TokenMinter::CreateRs256(testing::kTestTokenSigningKeyPem, absl::Minutes(5));
    ASSERT_TRUE(minter.ok()) << minter.status();
    minter_ = *minter;

    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &grpc_port_);
    builder.RegisterService(&registry_);
    builder.RegisterService(&workers_);
    InstallCallAuthentication(builder, verifier_);
    grpc_server_ = builder.BuildAndStart();
    ASSERT_NE(grpc_port_, 0);
    const std::string address = absl::StrCat("127.0.0.1:", grpc_port_);

    redis_ = redis_server_.Client();
    store_ = std::make_shared<ApiKeyStore>(*redis_, "16.06");
    auto admin = store_->Bootstrap("16.06");
    ASSERT_TRUE(admin.ok()) << admin.status();
    admin_secret_ = admin->secret;
    admin_subject_ = "apikey:" + admin->record.id;

    auto directory = std::make_shared<GrpcWorkerDirectory>(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()), minter_,
        std::chrono::seconds(5));
    auto api_keys = InProcessApiKeys::Start(store_, verifier_, directory, "16.06");
    ASSERT_TRUE(api_keys.ok()) << api_keys.status();
    api_keys_ = std::move(api_keys).value();

    GatewayConfig config;
    config.http_port = 0;
    config.rpc_deadline_ms = 5000;
    config.backends = {{"wahana.registry.v1.RegistryService", address},
                       {"wahana.registry.v1.WorkerService", address}};
    std::vector<std::unique_ptr<Backend>> extra;
    extra.push_back(api_keys_->MakeBackend());
    GatewayAuth auth;
    auth.authenticator =
        std::make_shared<RequestAuthenticator>(store_, verifier_, directory, "16.06");
    auth.minter = minter_;
    auto gateway = Gateway::Create(config, std::move(extra), std::move(auth));
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = std::move(gateway).value();
    HttpServerOptions options;
    options.port = 0;
    auto server = HttpServer::Start(options, *gateway_);
    ASSERT_TRUE(server.ok()) << server.status();
    http_ = std::move(server).value();
  }

  void TearDown() override {
    if (http_) http_->Stop();
    http_.reset();
    gateway_.reset();
    if (api_keys_) api_keys_->Shutdown();
    if (grpc_server_) {
      grpc_server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
      grpc_server_->Wait();
    }
  }

  Reply As(const std::string& credential, const std::string& method, const std::string& target,
           const std::string& body = "") {
    return testing::HttpCall(
        http_->port(), method, target, body,
        {{"Authorization", "Bearer " + credential}, {"Content-Type", "application/json"}});
  }
  Reply CreateKey(const json& body) {
    return As(admin_secret_, "POST", "/v1/apiKeys", body.dump());
  }
  static json Json(const Reply& r) { return json::parse(r.body, nullptr, false); }
  static void ExpectNamesWorkerId(const Reply& r, int status) {
    EXPECT_EQ(r.status, status) << r.body;
    json body = Json(r);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body.value("message", "").rfind("workerId: ", 0), 0u) << r.body;
  }
  // The caller as the backend saw it.
  std::string SeenByBackend(const std::string& credential) {
    Reply r = As(credential, "GET", "/v1/regions/16.06");
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).value("name", "");
  }

  testing::RedisServer redis_server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<ApiKeyStore> store_;
  std::shared_ptr<const TokenVerifier> verifier_;
  std::shared_ptr<const TokenMinter> minter_;
  WhoAmIRegistry registry_;
  FakeWorkerService workers_;
  int grpc_port_ = 0;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<InProcessApiKeys> api_keys_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<HttpServer> http_;
  std::string admin_secret_;
  std::string admin_subject_;
};

TEST_F(WorkerLinkHttpTest, AFieldWorkerKeyCarriesItsWorkerToTheBackends) {
  Reply created = CreateKey({{"name", "Siti (TKSK Sekayu)"},
                             {"role", "FIELD_WORKER"},
                             {"regionScope", "16.06.01"},
                             {"workerId", kWorkerId}});
  ASSERT_EQ(created.status, 200) << created.body;
  json key = Json(created)["key"];
  EXPECT_EQ(key["workerId"], kWorkerId);
  const std::string secret = Json(created)["secret"];
  // The registry was asked, as the ADMIN creating the key.
  ASSERT_EQ(workers_.askers().size(), 1u);
  EXPECT_EQ(workers_.askers()[0].rfind(admin_subject_ + " (ADMIN, 16.06", 0), 0u)
      << workers_.askers()[0];

  Reply listed = As(admin_secret_, "GET", "/v1/apiKeys");
  ASSERT_EQ(listed.status, 200) << listed.body;
  bool found = false;
  const json keys = Json(listed)["keys"];
  for (const json& k : keys) {
    if (k["id"] == key["id"]) {
      found = true;
      EXPECT_EQ(k["workerId"], kWorkerId);
    } else {
      EXPECT_EQ(k["workerId"], "") << k.dump();  // the bootstrap ADMIN's
    }
  }
  EXPECT_TRUE(found) << listed.body;

  EXPECT_EQ(SeenByBackend(secret),
            absl::StrCat("apikey:", key["id"].get<std::string>(),
                         " (FIELD_WORKER, 16.06.01, worker ", kWorkerId, ")"));
  // A key without a link reaches the backend without one.
  Reply plain =
      CreateKey({{"name", "Budi"}, {"role", "FIELD_WORKER"}, {"regionScope", "16.06.01"}});
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(Json(plain)["key"]["workerId"], "");
  EXPECT_EQ(SeenByBackend(Json(plain)["secret"]).find("worker"), std::string::npos);
}

TEST_F(WorkerLinkHttpTest, ATokensWorkerClaimReachesTheBackends) {
  Principal worker{"sso:siti", "Siti", Role::kFieldWorker, "16.06.01"};
  worker.worker_id = kWorkerId;
  auto token = minter_->Mint(worker);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(SeenByBackend(*token),
            absl::StrCat("sso:siti (FIELD_WORKER, 16.06.01, worker ", kWorkerId, ")"));
}

// A token's worker claim is checked in the registry as an API key's workerId is, asked as the
// token's principal: an unknown worker, or one working outside the token's scope, is 401.
TEST_F(WorkerLinkHttpTest, ATokensWorkerClaimIsCheckedInTheRegistryLikeAKeysWorkerId) {
  for (const std::string& id :
       {std::string(kElsewhereId), std::string("01JD8X6Q0W3G7M2K9V5T4R1N8Z")}) {
    Principal worker{"sso:mallory", "", Role::kFieldWorker, "16.06.01"};
    worker.worker_id = id;
    auto token = minter_->Mint(worker);
    ASSERT_TRUE(token.ok()) << token.status();
    Reply refused = As(*token, "GET", "/v1/regions/16.06");
    EXPECT_EQ(refused.status, 401) << id << ": " << refused.body;
    EXPECT_NE(refused.body.find("worker claim"), std::string::npos) << refused.body;
  }
  // The good link is asked once, then remembered (a minute): one registry call for two requests.
  Principal siti{"sso:siti", "", Role::kFieldWorker, "16.06.01"};
  siti.worker_id = kWorkerId;
  auto token = minter_->Mint(siti);
  ASSERT_TRUE(token.ok());
  const size_t asked_before = workers_.askers().size();
  EXPECT_EQ(As(*token, "GET", "/v1/regions/16.06").status, 200);
  EXPECT_EQ(As(*token, "GET", "/v1/regions/16.06").status, 200);
  EXPECT_EQ(workers_.askers().size(), asked_before + 1);
  // A registry that cannot answer is 503, not a pass.
  Principal other = siti;
  other.subject = "sso:other";
  other.region_scope = "16.06";
  auto other_token = minter_->Mint(other);
  ASSERT_TRUE(other_token.ok());
  workers_.set_down(true);
  EXPECT_EQ(As(*other_token, "GET", "/v1/regions/16.06").status, 503);
  workers_.set_down(false);
}

TEST_F(WorkerLinkHttpTest, ATokenLinkingAWorkerToAnotherRoleIs401) {
  jwt_t* jwt = nullptr;
  ASSERT_EQ(jwt_new(&jwt), 0);
  jwt_add_grant(jwt, "sub", "sso:mallory");
  jwt_add_grant(jwt, "role", "OPERATOR");
  jwt_add_grant(jwt, "scope", "16.06");
  jwt_add_grant(jwt, "worker", kWorkerId);
  jwt_add_grant_int(jwt, "exp", static_cast<long>(absl::ToUnixSeconds(absl::Now()) + 300));
  // Signed by the issuer key, so only the link is wrong.
  jwt_add_header(jwt, "kid", minter_->kid().c_str());
  const std::string key = testing::kTestTokenSigningKeyPem;
  jwt_set_alg(jwt, JWT_ALG_RS256, reinterpret_cast<const unsigned char*>(key.data()),
              static_cast<int>(key.size()));
  char* encoded = jwt_encode_str(jwt);
  ASSERT_NE(encoded, nullptr);
  std::string token(encoded);
  std::free(encoded);
  jwt_free(jwt);
  Reply r = As(token, "GET", "/v1/regions/16.06");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(Json(r)["code"], 16) << r.body;
}

TEST_F(WorkerLinkHttpTest, BadWorkerLinksAreRefusedNamingWorkerId) {
  // Another role, or not an id: 400 without asking the registry.
  ExpectNamesWorkerId(CreateKey({{"name", "x"},
                                 {"role", "OPERATOR"},
                                 {"regionScope", "16.06.01"},
                                 {"workerId", kWorkerId}}),
                      400);
  ExpectNamesWorkerId(CreateKey({{"name", "x"},
                                 {"role", "FIELD_WORKER"},
                                 {"regionScope", "16.06.01"},
                                 {"workerId", "worker-7"}}),
                      400);
  EXPECT_TRUE(workers_.askers().empty());
  // Unknown to the registry: 404.
  ExpectNamesWorkerId(CreateKey({{"name", "x"},
                                 {"role", "FIELD_WORKER"},
                                 {"regionScope", "16.06.01"},
                                 {"workerId", kUnknownId}}),
                      404);
  // Works outside the key's scope: 400.
  ExpectNamesWorkerId(CreateKey({{"name", "x"},
                                 {"role", "FIELD_WORKER"},
                                 {"regionScope", "16.06.01"},
                                 {"workerId", kElsewhereId}}),
                      400);
  // The registry cannot answer: 503.
  workers_.set_down(true);
  ExpectNamesWorkerId(CreateKey({{"name", "x"},
                                 {"role", "FIELD_WORKER"},
                                 {"regionScope", "16.06.01"},
                                 {"workerId", kWorkerId}}),
                      503);
  // None of them was stored: the bootstrap key is the only one.
  auto keys = store_->List();
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->size(), 1u);
}

}  // namespace
}  // namespace wahana
