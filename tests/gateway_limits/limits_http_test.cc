// The gateway's limits and operational endpoints over real HTTP, in one process: fake
// RegistryService and EchoService servers on free ports, the gateway's HTTP server in front.
// The echo fake can hold a call until the test releases it, which makes shedding deterministic.

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gateway/gateway.h"
#include "gateway/http_server.h"
#include "gateway_limits/fake_registry.h"
#include "support/grpc_callback_queue.h"
#include "support/http_client.h"
#include "wahana/registry/v1/registry.grpc.pb.h"
#include "wahana/testing/v1/echo.grpc.pb.h"

namespace wahana {
namespace {

using nlohmann::json;
using testing::HttpCall;
using Reply = testing::HttpResponse;

// Echoes; a message "hold" waits until Release() (bounded), so a call stays in flight.
class HoldingEcho final : public testing::v1::EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext*, const testing::v1::EchoRequest* request,
                    testing::v1::EchoResponse* response) override {
    if (request->message() == "hold") {
      absl::MutexLock lock(&mu_);
      ++held_;
      mu_.AwaitWithTimeout(absl::Condition(&released_), absl::Seconds(10));
      --held_;
    }
    response->set_message(request->message());
    return grpc::Status::OK;
  }
  bool WaitHeld(int n) {
    absl::MutexLock lock(&mu_);
    auto held = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return held_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&held), absl::Seconds(10));
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }

 private:
  absl::Mutex mu_;
  int held_ ABSL_GUARDED_BY(mu_) = 0;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
};

class GatewayLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wahana::testing::HoldGrpcCallbackQueue();  // before the first gateway: see the header
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &grpc_port_);
    builder.RegisterService(&registry_);
    builder.RegisterService(&echo_);
    grpc_server_ = builder.BuildAndStart();
    ASSERT_NE(grpc_port_, 0);
  }

  void Start(LimitsConfig limits) {
    std::string address = absl::StrCat("127.0.0.1:", grpc_port_);
    GatewayConfig config;
    config.http_port = 0;
    config.max_body_bytes = 4096;
    config.rpc_deadline_ms = 5000;
    config.backends = {{"wahana.registry.v1.RegistryService", address},
                       {"wahana.testing.v1.EchoService", address}};
    config.limits = std::move(limits);
    auto gateway = Gateway::Create(config);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = std::move(gateway).value();
    HttpServerOptions options;
    options.port = 0;
    options.max_body_bytes = config.max_body_bytes;
    auto server = HttpServer::Start(options, *gateway_);
    ASSERT_TRUE(server.ok()) << server.status();
    http_ = std::move(server).value();
  }

  void TearDown() override {
    echo_.Release();
    if (http_) http_->Stop();
    http_.reset();
    gateway_.reset();
    if (grpc_server_) {
      grpc_server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
      grpc_server_->Wait();
    }
  }

  Reply Call(const std::string& method, const std::string& target, const std::string& body = "",
             const std::map<std::string, std::string>& headers = {}) {
    std::map<std::string, std::string> all = headers;
    if (!body.empty()) all.emplace("Content-Type", "application/json");
    return HttpCall(http_->port(), method, target, body, all);
  }

  static void ExpectSecurityHeaders(const Reply& reply) {
    EXPECT_EQ(Header(reply, "x-content-type-options"), "nosniff");
    EXPECT_EQ(Header(reply, "cache-control"), "no-store");
    EXPECT_EQ(Header(reply, "x-frame-options"), "DENY");
    EXPECT_EQ(Header(reply, "content-security-policy"),
              "default-src 'none'; frame-ancestors 'none'");
    EXPECT_EQ(Header(reply, "referrer-policy"), "no-referrer");
  }

  static std::string Header(const Reply& reply, const std::string& lower_name) {
    auto it = reply.headers.find(lower_name);
    return it == reply.headers.end() ? "<absent>" : it->second;
  }

  testing::RegencyRegistry registry_;
  HoldingEcho echo_;
  int grpc_port_ = 0;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<HttpServer> http_;
};

TEST_F(GatewayLimitsTest, SecurityHeadersOnEveryResponse) {
  Start({});
  ExpectSecurityHeaders(Call("GET", "/v1/regions/16.06"));  // a service's answer
  ExpectSecurityHeaders(Call("GET", "/v1/nothing"));        // the gateway's 404
  ExpectSecurityHeaders(Call("GET", "/healthz"));
  ExpectSecurityHeaders(Call("GET", "/metrics"));
  Reply too_big = Call("POST", "/v1/echo", std::string(5000, ' '));  // the HTTP server's 413
  EXPECT_EQ(too_big.status, 413);
  ExpectSecurityHeaders(too_big);
}

TEST_F(GatewayLimitsTest, JsonNestedTooDeepIs400NamingTheLimit) {
  LimitsConfig limits;
  limits.max_json_depth = 32;
  Start(limits);
  std::string deep = std::string(33, '[') + std::string(33, ']');
  Reply reply = Call("POST", "/v1/echo", R"({"message":"x","extra":)" + deep + "}");
  EXPECT_EQ(reply.status, 400) << reply.body;
  json body = json::parse(reply.body);
  EXPECT_EQ(body["code"], 3);
  EXPECT_NE(body["message"].get<std::string>().find("32 levels"), std::string::npos) << reply.body;
  // Within the limit the body reaches the service.
  EXPECT_EQ(Call("POST", "/v1/echo", R"({"message":"[[[[{{{{"})").status, 200);
}

TEST_F(GatewayLimitsTest, RateLimitAnswers429WithRetryAfterOnceTheBurstIsSpent) {
  LimitsConfig limits;
  limits.rate_per_second = 1;
  limits.rate_burst = 3;
  Start(limits);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call("GET", "/v1/regions/16.06").status, 200) << i;
  Reply limited = Call("GET", "/v1/regions/16.06");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(Header(limited, "retry-after"), "1");
  json body = json::parse(limited.body);
  EXPECT_EQ(body["code"], 8);  // RESOURCE_EXHAUSTED
  ExpectSecurityHeaders(limited);
  // Probes and the metrics scrape are never limited.
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
  Reply metrics = Call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("wahana_http_rate_limited_total 1\n"), std::string::npos)
      << metrics.body;
}

TEST_F(GatewayLimitsTest, BeyondTheInFlightCapRequestsAreShedWith503) {
  LimitsConfig limits;
  limits.max_in_flight = 1;
  Start(limits);
  auto held = std::async(std::launch::async,
                         [&] { return Call("POST", "/v1/echo", R"({"message":"hold"})"); });
  ASSERT_TRUE(echo_.WaitHeld(1));
  Reply shed = Call("GET", "/v1/regions/16.06");
  EXPECT_EQ(shed.status, 503) << shed.body;
  EXPECT_EQ(Header(shed, "retry-after"), "1");
  EXPECT_EQ(json::parse(shed.body)["code"], 14);   // UNAVAILABLE
  EXPECT_EQ(Call("GET", "/healthz").status, 200);  // probes are not counted
  Reply metrics = Call("GET", "/metrics");
  EXPECT_NE(metrics.body.find("wahana_http_shed_total 1\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("wahana_http_requests_in_flight 1\n"), std::string::npos)
      << metrics.body;

  echo_.Release();
  EXPECT_EQ(held.get().status, 200);
  EXPECT_EQ(Call("GET", "/v1/regions/16.06").status, 200);  // the slot is free again
}

TEST_F(GatewayLimitsTest, CorsIsOffByDefault) {
  Start({});
  Reply reply = Call("OPTIONS", "/v1/regions/16.06", "",
                     {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(Header(reply, "access-control-allow-origin"), "<absent>");
  Reply get = Call("GET", "/v1/regions/16.06", "", {{"Origin", "https://app.example"}});
  EXPECT_EQ(Header(get, "access-control-allow-origin"), "<absent>");
}

TEST_F(GatewayLimitsTest, CorsPreflightAndResponsesForListedOriginsOnly) {
  LimitsConfig limits;
  limits.cors_origins = "https://app.example, https://other.example";
  Start(limits);
  Reply preflight = Call("OPTIONS", "/v1/regions/16.06", "",
                         {{"Origin", "https://app.example"},
                          {"Access-Control-Request-Method", "GET"},
                          {"Access-Control-Request-Headers", "authorization"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(Header(preflight, "access-control-allow-origin"), "https://app.example");
  EXPECT_NE(Header(preflight, "access-control-allow-headers").find("Authorization"),
            std::string::npos);
  EXPECT_NE(Header(preflight, "access-control-allow-methods").find("PATCH"), std::string::npos);
  EXPECT_EQ(Header(preflight, "access-control-max-age"), "600");
  EXPECT_EQ(Header(preflight, "vary"), "Origin");

  Reply refused =
      Call("OPTIONS", "/v1/regions/16.06", "",
           {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(Header(refused, "access-control-allow-origin"), "<absent>");

  Reply listed = Call("GET", "/v1/regions/16.06", "", {{"Origin", "https://app.example"}});
  EXPECT_EQ(listed.status, 200);
  EXPECT_EQ(Header(listed, "access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(Header(listed, "vary"), "Origin");
  Reply other = Call("GET", "/v1/regions/16.06", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(Header(other, "access-control-allow-origin"), "<absent>");
  EXPECT_EQ(Header(other, "vary"), "Origin");
}

TEST_F(GatewayLimitsTest, MetricsCountRequestsByRouteTemplateAndStatus) {
  Start({});
  ASSERT_EQ(Call("GET", "/v1/regions/16.06").status, 200);
  ASSERT_EQ(Call("GET", "/v1/regions/16.07").status, 200);
  ASSERT_EQ(Call("GET", "/v1/nothing").status, 404);
  Reply metrics = Call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(Header(metrics, "content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.body;
  EXPECT_NE(
      text.find(
          R"(wahana_http_requests_total{method="GET",route="/v1/regions/{code}",status="200"} 2)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(R"(wahana_http_requests_total{method="GET",route="unmatched",status="404"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          R"(wahana_http_request_duration_seconds_bucket{method="GET",route="/v1/regions/{code}",status="200",le="+Inf"} 2)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          R"(wahana_grpc_client_calls_total{code="OK",method="GetRegion",service="wahana.registry.v1.RegistryService"} 2)"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find("16.06"), std::string::npos) << "raw paths must not become labels";
}

TEST_F(GatewayLimitsTest, OpenApiDocumentListsTheRoutedServices) {
  Start({});
  Reply reply = Call("GET", "/openapi.json");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(Header(reply, "content-type"), "application/json");
  json doc = json::parse(reply.body);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_TRUE(doc["paths"]["/v1/regions/{code}"].contains("get"));
  EXPECT_TRUE(doc["paths"]["/v1/echo"].contains("post"));
  EXPECT_FALSE(doc["paths"].contains("/v1/cases"));  // no case backend configured here
}

}  // namespace
}  // namespace wahana
