// Authentication through the whole suite as processes: every route but the probes needs
// credentials (401 with WWW-Authenticate otherwise), API keys and tokens both work, API keys are
// managed through the API by an ADMIN only, revoking is immediate, services reached directly over
// gRPC refuse calls without a token, the bootstrap key's file is private, and the CLI links only
// FIELD_WORKER keys to a registry worker.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "common/auth/bearer_channel.h"
#include "support/redis_inspection.h"
#include "support/suite.h"
#include "support/suite_test.h"
#include "support/test_auth.h"
#include "wahana/registry/v1/registry.grpc.pb.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

class AuthE2eTest : public SuiteTest {
 protected:
  static HttpResponse Anonymous(const std::string& method, const std::string& target,
                                const std::map<std::string, std::string>& headers = {}) {
    return suite_->CallAnonymously(method, target, "", headers);
  }
  static HttpResponse As(const std::string& secret, const std::string& method,
                         const std::string& target, const std::string& body = "") {
    return suite_->Call(method, target, body, {{"Authorization", "Bearer " + secret}});
  }
  static void Expect401(const HttpResponse& r) {
    EXPECT_EQ(r.status, 401) << r.body;
    ASSERT_EQ(r.headers.count("www-authenticate"), 1u);
    EXPECT_EQ(r.headers.at("www-authenticate").rfind("Bearer", 0), 0u);
    json body = Suite::Json(r);
    EXPECT_EQ(body["code"], 16) << r.body;
    EXPECT_TRUE(body["message"].is_string());
  }
  // Creates a key through the API as the bootstrap admin; the reply body.
  static json CreateKey(const std::string& name, const std::string& role,
                        const std::string& scope) {
    HttpResponse r = suite_->Call(
        "POST", "/v1/apiKeys", json{{"name", name}, {"role", role}, {"regionScope", scope}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return Suite::Json(r);
  }
};

TEST_F(AuthE2eTest, ProbesStayOpen) {
  EXPECT_EQ(Anonymous("GET", "/healthz").status, 200);
  EXPECT_EQ(Anonymous("GET", "/readyz").status, 200);
}

TEST_F(AuthE2eTest, NoCredentialsIs401) {
  Expect401(Anonymous("GET", "/v1/regions/16.06"));
  Expect401(Anonymous("POST", "/v1/cases"));
  // Unknown paths too: without credentials nothing about the API is told.
  Expect401(Anonymous("GET", "/v1/nothing-here"));
  Expect401(Anonymous("GET", "/v1/apiKeys"));
}

TEST_F(AuthE2eTest, BadCredentialsAre401AndNeverEchoed) {
  const std::string fake_key = "wk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  for (const auto& headers : std::vector<std::map<std::string, std::string>>{
           {{"Authorization", "Bearer " + fake_key}},
           {{"X-Api-Key", fake_key}},
           {{"Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"}},
           {{"Authorization", "Basic YWRtaW46YWRtaW4="}},
           {{"Authorization", suite_->admin_key()}},  // no scheme
       }) {
    HttpResponse r = Anonymous("GET", "/v1/regions/16.06", headers);
    Expect401(r);
    EXPECT_EQ(r.body.find("AAAAAAAAAAAA"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("c2lnbmF0dXJl"), std::string::npos) << r.body;
  }
}

TEST_F(AuthE2eTest, GoodKeyOrTokenIs200) {
  EXPECT_EQ(suite_->Call("GET", "/v1/regions/16.06").status, 200);
  EXPECT_EQ(Anonymous("GET", "/v1/regions/16.06", {{"X-Api-Key", suite_->admin_key()}}).status,
            200);
  // A JWT signed with the deployment's secret (what an outside HS256 issuer would send).
  Principal viewer{"sso:rina", "Rina", Role::kViewer, "16.06"};
  EXPECT_EQ(As(TestToken(viewer), "GET", "/v1/regions/16.06").status, 200);
}

TEST_F(AuthE2eTest, DirectGrpcWithoutTokenIsUnauthenticated) {
  const std::string address = suite_->GrpcAddress("registry");
  registry::v1::GetRegionRequest request;
  request.set_code("16.06");
  {
    auto stub = registry::v1::RegistryService::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    registry::v1::Region region;
    grpc::Status status = stub->GetRegion(&context, request, &region);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  }
  {
    // An API key is for the gateway; services take tokens only.
    auto stub = registry::v1::RegistryService::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.AddMetadata("authorization", suite_->AdminAuthorization());
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    registry::v1::Region region;
    EXPECT_EQ(stub->GetRegion(&context, request, &region).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    auto stub = registry::v1::RegistryService::NewStub(AuthorizedTestChannel(address));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    registry::v1::Region region;
    grpc::Status status = stub->GetRegion(&context, request, &region);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(region.code(), "16.06");
  }
}

TEST_F(AuthE2eTest, BootstrapFileIsPrivateAndBootstrapHappensOnce) {
  struct stat st {};
  ASSERT_EQ(::stat(suite_->admin_token_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::string again = suite_->redis().dir() + "/admin-again.token";
  std::string command = "WAHANA_REDIS_PORT=" + std::to_string(suite_->redis().port()) + " " +
                        WAHANA_API_KEYS_BIN + " bootstrap --out=" + again + " >/dev/null 2>&1";
  int rc = std::system(command.c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 3);
  EXPECT_NE(::stat(again.c_str(), &st), 0) << "no file is left behind";
}

// `wahana-api-keys create --worker=<id>`: only a FIELD_WORKER key takes a link (form checked,
// exit 1 otherwise); the link is stored and shown by `list` and by the API.
TEST_F(AuthE2eTest, CliLinksOnlyFieldWorkerKeysToAWorker) {
  const std::string worker = "01JD8X6Q0W3G7M2K9V5T4R1N8B";
  auto run = [](const std::string& args, std::string* output) {
    std::string command = "WAHANA_REDIS_PORT=" + std::to_string(suite_->redis().port()) + " " +
                          WAHANA_API_KEYS_BIN + " " + args + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return -1;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output->append(buffer);
    return WEXITSTATUS(::pclose(pipe));
  };
  std::string refused;
  EXPECT_EQ(run("create --name=x --role=OPERATOR --scope=16.06.01 --worker=" + worker, &refused),
            1);
  EXPECT_NE(refused.find("--worker"), std::string::npos) << refused;
  std::string malformed;
  EXPECT_EQ(run("create --name=x --role=FIELD_WORKER --scope=16.06.01 --worker=ahmad", &malformed),
            1);
  std::string created;
  ASSERT_EQ(
      run("create --name=Ahmad --role=FIELD_WORKER --scope=16.06.01 --worker=" + worker, &created),
      0)
      << created;
  EXPECT_NE(created.find("worker " + worker), std::string::npos) << created;
  std::string listed;
  ASSERT_EQ(run("list", &listed), 0);
  EXPECT_NE(listed.find("worker " + worker), std::string::npos) << listed;
  // The key works at the gateway, and the API lists its link.
  const std::string marker = "secret (shown once): ";
  const size_t at = created.find(marker);
  ASSERT_NE(at, std::string::npos) << created;
  std::string secret = created.substr(at + marker.size());
  secret = secret.substr(0, secret.find('\n'));
  EXPECT_EQ(As(secret, "GET", "/v1/regions/16.06").status, 200);
  HttpResponse keys = suite_->Call("GET", "/v1/apiKeys");
  ASSERT_EQ(keys.status, 200) << keys.body;
  EXPECT_NE(keys.body.find("\"workerId\":\"" + worker + "\""), std::string::npos) << keys.body;
}

TEST_F(AuthE2eTest, AdminManagesKeysThroughTheApi) {
  json created = CreateKey("Operator Sungai Lilin", "OPERATOR", "16.06.01");
  const std::string secret = created["secret"];
  const std::string id = created["key"]["id"];
  EXPECT_EQ(secret.rfind("wk_" + id + "_", 0), 0u);
  EXPECT_EQ(created["key"]["role"], "OPERATOR");
  EXPECT_EQ(created["key"]["regionScope"], "16.06.01");
  EXPECT_EQ(As(secret, "GET", "/v1/regions/16.06").status, 200);

  // The secret is shown once: the list has none, and Redis holds only its hash.
  HttpResponse listed = suite_->Call("GET", "/v1/apiKeys");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.body.find(secret.substr(20)), std::string::npos);
  EXPECT_NE(listed.body.find(id), std::string::npos);
  auto redis = suite_->redis().Client();
  for (const std::string& key : Keys(*redis, "auth:*")) {
    absl::StatusOr<RedisReply> type = redis->Command({"TYPE", key});
    if (!type.ok() || type->str != "hash") continue;
    absl::StatusOr<RedisReply> fields = redis->Command({"HGETALL", key});
    ASSERT_TRUE(fields.ok());
    for (const RedisReply& e : fields->elements) {
      EXPECT_EQ(e.str.find(secret.substr(20)), std::string::npos);
    }
  }

  // Revoked: 401 at once, record kept.
  HttpResponse revoked = suite_->Call("DELETE", "/v1/apiKeys/" + id);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(Suite::Json(revoked)["revoked"], true);
  Expect401(As(secret, "GET", "/v1/regions/16.06"));
  EXPECT_NE(suite_->Call("GET", "/v1/apiKeys").body.find(id), std::string::npos);
}

// POST /v1/tokens: an API key exchanged for an RS256 token (OAuth 2.0 client credentials) that
// the services take; the shared secret every service holds makes no ADMIN they take.
TEST_F(AuthE2eTest, AnApiKeyBuysATokenTheServicesTake) {
  auto token_request = [](const std::string& client_id, const std::string& secret,
                          const std::string& form = "grant_type=client_credentials") {
    return suite_->CallAnonymously(
        "POST", "/v1/tokens", form,
        {{"Content-Type", "application/x-www-form-urlencoded"},
         {"Authorization", "Basic " + absl::Base64Escape(client_id + ":" + secret)}});
  };
  auto get_region = [](const std::string& token) {
    auto stub = registry::v1::RegistryService::NewStub(
        grpc::CreateChannel(suite_->GrpcAddress("registry"), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    registry::v1::GetRegionRequest request;
    request.set_code("16.06");
    registry::v1::Region region;
    return stub->GetRegion(&context, request, &region);
  };
  const std::string key = suite_->admin_key();
  const std::string key_id = std::vector<std::string>(absl::StrSplit(key, '_'))[1];

  HttpResponse issued = token_request(key_id, key);
  ASSERT_EQ(issued.status, 200) << issued.body;
  EXPECT_EQ(issued.headers["cache-control"], "no-store");
  json answer = Suite::Json(issued);
  EXPECT_EQ(answer["token_type"], "Bearer");
  EXPECT_EQ(answer["expires_in"], 300);
  const std::string token = answer["access_token"];
  grpc::Status called = get_region(token);
  EXPECT_TRUE(called.ok()) << called.error_message();
  // The token is for the services: the gateway takes the key itself.
  EXPECT_EQ(As(token, "GET", "/v1/regions/16.06").status, 401);

  // Wrong secret, wrong id, a revoked key: 401 invalid_client alike.
  json other = CreateKey("Soon revoked", "VIEWER", "16.06");
  const std::string other_secret = other["secret"];
  const std::string other_id = other["key"]["id"];
  ASSERT_EQ(token_request(other_id, other_secret).status, 200);
  ASSERT_EQ(suite_->Call("DELETE", "/v1/apiKeys/" + other_id).status, 200);
  for (const HttpResponse& r :
       {token_request(key_id, key.substr(0, key.size() - 2) + "xx"), token_request(other_id, key),
        token_request(other_id, other_secret)}) {
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(Suite::Json(r)["error"], "invalid_client") << r.body;
    EXPECT_EQ(r.headers.count("www-authenticate"), 1u);
  }
  HttpResponse grant = token_request(key_id, key, "grant_type=password");
  EXPECT_EQ(grant.status, 400);
  EXPECT_EQ(Suite::Json(grant)["error"], "unsupported_grant_type");

  // What a service could forge with the shared secret: an HS256 ADMIN, refused.
  auto shared = TokenMinter::Create(kTestTokenSecret, absl::Minutes(5));
  ASSERT_TRUE(shared.ok());
  EXPECT_FALSE((*shared)->Mint(TestAdmin()).ok());
  EXPECT_EQ(get_region(*(*shared)->Mint(ServicePrincipal("registry", "16.06"))).error_code(),
            grpc::StatusCode::OK);
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  EXPECT_EQ(get_region(parts[0] + "." + parts[1] + "." + parts[2].substr(0, 10) + "AAAA" +
                       parts[2].substr(14))
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // The key the services verify with, published.
  HttpResponse jwks = suite_->CallAnonymously("GET", "/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200);
  json jwk = Suite::Json(jwks)["keys"][0];
  EXPECT_EQ(jwk["kty"], "RSA");
  EXPECT_EQ(jwk["alg"], "RS256");
  EXPECT_EQ(jwk["kid"], TestTokenMinter()->kid());
  EXPECT_NE(jwks.headers["cache-control"], "no-store");
}

TEST_F(AuthE2eTest, NonAdminCannotManageKeys) {
  json viewer = CreateKey("Viewer", "VIEWER", "16.06");
  const std::string secret = viewer["secret"];
  HttpResponse r =
      As(secret, "POST", "/v1/apiKeys", R"({"name":"mine","role":"ADMIN","regionScope":"16.06"})");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Suite::Json(r)["code"], 7);
  EXPECT_EQ(As(secret, "GET", "/v1/apiKeys").status, 403);
  EXPECT_EQ(As(secret, "DELETE", "/v1/apiKeys/" + viewer["key"]["id"].get<std::string>()).status,
            403);
}

TEST_F(AuthE2eTest, BadKeyRequestsAre400NamingTheField) {
  struct Case {
    std::string body;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"name":"x","role":"ROOT","regionScope":"16.06"})", "role"},
           {R"({"name":"x","regionScope":"16.06"})", "role"},
           {R"({"name":"x","role":"VIEWER","regionScope":"17.01"})", "regionScope"},
           {R"({"name":"x","role":"VIEWER","regionScope":"16"})", "regionScope"},
           {R"({"name":"x","role":"VIEWER","regionScope":"16.0"})", "regionScope"},
           {R"({"role":"VIEWER","regionScope":"16.06"})", "name"},
       }) {
    HttpResponse r = suite_->Call("POST", "/v1/apiKeys", c.body);
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.body;
    EXPECT_NE(Suite::Json(r)["message"].get<std::string>().find(c.field), std::string::npos)
        << r.body;
  }
  EXPECT_EQ(suite_->Call("DELETE", "/v1/apiKeys/0123456789abcdef").status, 404);
}

}  // namespace
}  // namespace wahana::testing
