// The limits and operations of issue 4 through the whole suite as processes: the request id
// reaches a service and is in its log lines, the gateway's access log and /metrics record a real
// call, security headers and CORS on real answers, the rate limit's 429, and the 429 of an address
// that spent its failed authentications.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "support/suite.h"
#include "support/test_auth.h"

namespace wahana::testing {
namespace {

constexpr char kOrigin[] = "https://app.dinsos.example";

class GatewayLimitsE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite({{"WAHANA_LOG_LEVEL", "debug"},
                        {"WAHANA_LOG_FORMAT", "text"},
                        {"WAHANA_CORS_ORIGINS", kOrigin},
                        {"WAHANA_RATE_LIMIT_PER_SECOND", "1"},
                        {"WAHANA_RATE_LIMIT_BURST", "5"},
                        {"WAHANA_AUTH_FAILURES_PER_MINUTE", "3"}});
    started_ = suite_->Start();
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(started_) << "the suite did not start"; }

  static HttpResponse Call(const std::string& method, const std::string& target,
                           const std::map<std::string, std::string>& headers = {}) {
    return suite_->Call(method, target, "", headers);  // as the bootstrap ADMIN
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // True once `file` (in the suite's directory) contains `needle`; polls up to 10 s, since a
  // process writes its log asynchronously to our reading it.
  static bool LogContains(const std::string& file, const std::string& needle) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (ReadFile(suite_->redis().dir() + "/" + file).find(needle) != std::string::npos) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  static Suite* suite_;
  static bool started_;
};

Suite* GatewayLimitsE2eTest::suite_ = nullptr;
bool GatewayLimitsE2eTest::started_ = false;

TEST_F(GatewayLimitsE2eTest, RequestIdReachesTheServiceLogAndTheAccessLog) {
  HttpResponse reply = Call("GET", "/v1/regions/16.06", {{"X-Request-Id", "e2e-trace-0001"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.headers["x-request-id"], "e2e-trace-0001");
  EXPECT_TRUE(LogContains("registry.log", "request_id=e2e-trace-0001"))
      << ReadFile(suite_->redis().dir() + "/registry.log").substr(0, 4000);
  // The access log line: JSON, with the route template.
  EXPECT_TRUE(LogContains("gateway.log", R"("requestId":"e2e-trace-0001")"));
  std::string log = ReadFile(suite_->redis().dir() + "/gateway.log");
  std::istringstream lines(log);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    if (line.find(R"("type":"access")") == std::string::npos ||
        line.find("e2e-trace-0001") == std::string::npos) {
      continue;
    }
    nlohmann::json entry = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(entry.is_discarded()) << line;
    EXPECT_EQ(entry["route"], "/v1/regions/{code}");
    EXPECT_EQ(entry["status"], 200);
    EXPECT_EQ(entry["client"], "127.0.0.1");
    EXPECT_TRUE(entry.contains("principal")) << line;
    found = true;
  }
  EXPECT_TRUE(found) << log.substr(0, 4000);
}

TEST_F(GatewayLimitsE2eTest, MetricsShowTheCallByRoute) {
  ASSERT_EQ(Call("GET", "/v1/regions/16.06.01").status, 200);
  HttpResponse metrics = Call("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(
      metrics.body.find(
          R"(wahana_http_requests_total{method="GET",route="/v1/regions/{code}",status="200"})"),
      std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("wahana_http_requests_in_flight"), std::string::npos);
}

TEST_F(GatewayLimitsE2eTest, SecurityHeadersAndCorsOnRealAnswers) {
  HttpResponse reply = Call("GET", "/v1/regions/16.06", {{"Origin", kOrigin}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(reply.headers["cache-control"], "no-store");
  EXPECT_EQ(reply.headers["x-frame-options"], "DENY");
  EXPECT_EQ(reply.headers["access-control-allow-origin"], kOrigin);
  HttpResponse preflight =
      Call("OPTIONS", "/v1/cases",
           {{"Origin", kOrigin},
            {"Access-Control-Request-Method", "POST"},
            {"Access-Control-Request-Headers", "authorization, content-type"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.headers["access-control-allow-origin"], kOrigin);
  EXPECT_NE(preflight.headers["access-control-allow-headers"].find("Authorization"),
            std::string::npos);
}

// The gateway binary reads WAHANA_AUTH_FAILURES_PER_MINUTE and counts by the socket peer (every
// call here comes from 127.0.0.1). Principals that authenticated before keep working.
TEST_F(GatewayLimitsE2eTest, FailedAuthenticationsFromOneAddressGet429) {
  auto bearer = [](const std::string& subject) {
    return std::map<std::string, std::string>{
        {"Authorization", "Bearer " + TestToken(Principal{subject, "", Role::kOperator, "16.06"})}};
  };
  ASSERT_EQ(suite_->CallAnonymously("GET", "/v1/regions/16.06", "", bearer("e2e:office")).status,
            200);
  const std::map<std::string, std::string> wrong = {
      {"X-Api-Key", "wk_0123456789abcdef_notarealsecretnotarealsecret"}};
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(suite_->CallAnonymously("GET", "/v1/regions/16.06", "", wrong).status, 401) << i;
  }
  HttpResponse limited = suite_->CallAnonymously("GET", "/v1/regions/16.06", "", wrong);
  ASSERT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.headers["retry-after"], "20");  // 3 a minute: one back every 20 s
  EXPECT_EQ(nlohmann::json::parse(limited.body, nullptr, false)["code"], 8);

  EXPECT_EQ(suite_->CallAnonymously("GET", "/v1/regions/16.06", "", bearer("e2e:office")).status,
            200)
      << "a principal the address had keeps working";
  EXPECT_EQ(suite_->CallAnonymously("GET", "/v1/regions/16.06", "", bearer("e2e:new")).status, 429)
      << "a new one waits, as a guess would";
  HttpResponse metrics = Call("GET", "/metrics");
  EXPECT_NE(metrics.body.find("wahana_http_auth_failures_limited_total 2"), std::string::npos)
      << metrics.body.substr(0, 2000);
}

// Last: it spends the bucket.
TEST_F(GatewayLimitsE2eTest, RateLimitAnswers429WithRetryAfter) {
  HttpResponse limited;
  for (int i = 0; i < 20 && limited.status != 429; ++i) limited = Call("GET", "/v1/regions/16.06");
  ASSERT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.headers["retry-after"], "1");
  nlohmann::json body = nlohmann::json::parse(limited.body, nullptr, false);
  EXPECT_EQ(body["code"], 8);
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace wahana::testing
