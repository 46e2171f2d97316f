// The limit on failed authentications per client address (gateway/auth_failure_limiter.h) over
// real HTTP, in one process: a fake RegistryService on a free port, the gateway's HTTP server in
// front of it authenticating tokens (HS256, no Redis: API keys are not offered here). The client
// address is the socket peer: requests from 127.0.0.2 come from another address than those from
// 127.0.0.1.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/auth/token.h"
#include "gateway/gateway.h"
#include "gateway/http_server.h"
#include "gateway_limits/fake_registry.h"
#include "support/grpc_callback_queue.h"
#include "support/http_client.h"
#include "support/test_auth.h"
#include "wahana/registry/v1/registry.grpc.pb.h"

namespace wahana {
namespace {

using nlohmann::json;
using Reply = testing::HttpResponse;

constexpr char kSecret[] = "auth-failures-test-secret-0123456789abcdef";
constexpr char kTarget[] = "/v1/regions/16.06";

// One GET on a fresh connection to 127.0.0.1:`port` whose source address is `source`.
Reply GetFrom(const std::string& source, int port, const std::string& target,
              const std::map<std::string, std::string>& headers) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  using boost::asio::ip::tcp;
  Reply reply;
  try {
    boost::asio::io_context io;
    tcp::socket socket(io);
    socket.open(tcp::v4());
    socket.bind(tcp::endpoint(boost::asio::ip::make_address(source), 0));
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                 static_cast<unsigned short>(port)));
    http::request<http::string_body> request(http::verb::get, target, 11);
    request.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) request.set(name, value);
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    reply.status = static_cast<int>(response.result_int());
    reply.body = response.body();
    for (const auto& field : response) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(field.value());
    }
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "HTTP from " << source << ": " << e.what();
  }
  return reply;
}

class AuthFailuresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wahana::testing::HoldGrpcCallbackQueue();  // before the first gateway: see the header
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &grpc_port_);
    builder.RegisterService(&registry_);
    grpc_server_ = builder.BuildAndStart();
    ASSERT_NE(grpc_port_, 0);
    auto minter = TokenMinter::CreateRs256(testing::kTestTokenSigningKeyPem, absl::Minutes(5));
    ASSERT_TRUE(minter.ok()) << minter.status();
    minter_ = *minter;
  }

  void Start(int64_t failures_per_minute) {
    GatewayConfig config;
    config.http_port = 0;
    config.rpc_deadline_ms = 5000;
    config.backends = {
        {"wahana.registry.v1.RegistryService", absl::StrCat("127.0.0.1:", grpc_port_)}};
    config.limits.auth_failures_per_minute = failures_per_minute;
    auto verifier =
        TokenVerifier::Create(TokenVerifierKeys{kSecret, testing::kTestTokenPublicKeyPem, ""});
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    GatewayAuth auth;
    // Tokens only: nothing here looks like an API key, so no key store is needed.
    auth.authenticator = std::make_shared<RequestAuthenticator>(nullptr, *verifier);
    auth.minter = minter_;
    auto gateway = Gateway::Create(config, {}, std::move(auth));
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = std::move(gateway).value();
    HttpServerOptions options;
    options.port = 0;
    options.max_body_bytes = 4096;
    auto server = HttpServer::Start(options, *gateway_);
    ASSERT_TRUE(server.ok()) << server.status();
    http_ = std::move(server).value();
  }

  void TearDown() override {
    if (http_) http_->Stop();
    http_.reset();
    gateway_.reset();
    if (grpc_server_) {
      grpc_server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
      grpc_server_->Wait();
    }
  }

  std::map<std::string, std::string> Bearer(const std::string& subject) {
    auto token = minter_->Mint(Principal{subject, "", Role::kOperator, "16.06"});
    EXPECT_TRUE(token.ok()) << token.status();
    return {{"Authorization", "Bearer " + token.value_or("")}};
  }
  static std::map<std::string, std::string> Wrong(int i) {
    return {{"Authorization", absl::StrCat("Bearer guess-", i)}};
  }

  Reply Get(const std::map<std::string, std::string>& headers) {
    return testing::HttpCall(http_->port(), "GET", kTarget, "", headers);
  }

  double Metric(const std::string& name) {
    Reply metrics = testing::HttpCall(http_->port(), "GET", "/metrics");
    size_t at = metrics.body.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(metrics.body.substr(at + name.size() + 2));
  }

  static std::string Header(const Reply& reply, const std::string& lower_name) {
    auto it = reply.headers.find(lower_name);
    return it == reply.headers.end() ? "<absent>" : it->second;
  }

  testing::RegencyRegistry registry_;
  int grpc_port_ = 0;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::shared_ptr<const TokenMinter> minter_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<HttpServer> http_;
};

TEST_F(AuthFailuresTest, BeyondNFailuresAMinuteFailuresGet429WithRetryAfter) {
  Start(3);
  for (int i = 0; i < 3; ++i) {
    Reply refused = Get(Wrong(i));
    ASSERT_EQ(refused.status, 401) << i << ": " << refused.body;
    EXPECT_EQ(Header(refused, "www-authenticate"), "Bearer realm=\"wahana\"");
  }
  Reply limited = Get(Wrong(3));
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(Header(limited, "retry-after"), "20");  // 3 a minute: one back every 20 s
  EXPECT_EQ(Header(limited, "www-authenticate"), "<absent>");
  json body = json::parse(limited.body);
  EXPECT_EQ(body["code"], 8);  // RESOURCE_EXHAUSTED
  EXPECT_NE(body["message"].get<std::string>().find("WAHANA_AUTH_FAILURES_PER_MINUTE"),
            std::string::npos);
  EXPECT_EQ(Get(Wrong(4)).status, 429);
  EXPECT_EQ(Metric("wahana_http_auth_failures_limited_total"), 2);
  // A request offering no credentials guesses nothing: still 401, not counted.
  EXPECT_EQ(Get({}).status, 401);
  EXPECT_EQ(Metric("wahana_http_auth_failures_limited_total"), 2);
}

TEST_F(AuthFailuresTest, AValidPrincipalOfTheAddressKeepsWorking) {
  Start(3);
  ASSERT_EQ(Get(Bearer("sso:operator-sekayu")).status, 200);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Get(Wrong(i)).status, 401);
  ASSERT_EQ(Get(Wrong(3)).status, 429);

  Reply valid = Get(Bearer("sso:operator-sekayu"));
  EXPECT_EQ(valid.status, 200) << valid.body;
  EXPECT_EQ(json::parse(valid.body)["name"], "Kabupaten Musi Banyuasin");
}

TEST_F(AuthFailuresTest, APrincipalNewToALimitedAddressLooksLikeAFailure) {
  Start(3);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Get(Wrong(i)).status, 401);
  Reply wrong = Get(Wrong(3));
  Reply right = Get(Bearer("sso:admin-guessed"));
  EXPECT_EQ(right.status, 429) << "a right guess must not stand out: " << right.body;
  EXPECT_EQ(json::parse(right.body)["message"], json::parse(wrong.body)["message"]);
  EXPECT_EQ(Header(right, "retry-after"), Header(wrong, "retry-after"));
}

TEST_F(AuthFailuresTest, AnotherAddressIsUnaffected) {
  Start(3);
  for (int i = 0; i < 4; ++i) Get(Wrong(i));
  ASSERT_EQ(Get(Wrong(9)).status, 429);

  EXPECT_EQ(GetFrom("127.0.0.2", http_->port(), kTarget, Wrong(10)).status, 401);
  Reply valid = GetFrom("127.0.0.2", http_->port(), kTarget, Bearer("sso:admin"));
  EXPECT_EQ(valid.status, 200) << valid.body;
}

TEST_F(AuthFailuresTest, ZeroTurnsTheLimitOff) {
  Start(0);
  for (int i = 0; i < 50; ++i) ASSERT_EQ(Get(Wrong(i)).status, 401) << i;
  EXPECT_EQ(Get(Bearer("sso:someone")).status, 200);
  EXPECT_EQ(Metric("wahana_http_auth_failures_limited_total"), 0);
}

}  // namespace
}  // namespace wahana
