#include "gateway/gateway_metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace wahana {
namespace {

TEST(GatewayMetricsTest, RendersRequestsByRouteAndStatusAndTheInFlightGauge) {
  ConcurrencyLimiter limiter(10);
  ASSERT_TRUE(limiter.TryAcquire());
  GatewayMetrics metrics(limiter);
  metrics.RecordRequest("/v1/cases/{id}", "GET", 404, 0.002);
  metrics.RecordCall("wahana.cases.v1.CaseService", "GetCase", 5, 0.001);
  metrics.CountShed();
  std::string text = metrics.Render();
  EXPECT_NE(
      text.find(
          R"(wahana_http_requests_total{method="GET",route="/v1/cases/{id}",status="404"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          R"(wahana_http_request_duration_seconds_count{method="GET",route="/v1/cases/{id}",status="404"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("wahana_http_requests_in_flight 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("wahana_http_shed_total 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("wahana_http_rate_limited_total 0\n"), std::string::npos) << text;
  EXPECT_NE(
      text.find(
          R"(wahana_grpc_client_calls_total{code="NOT_FOUND",method="GetCase",service="wahana.cases.v1.CaseService"} 1)"),
      std::string::npos)
      << text;
}

}  // namespace
}  // namespace wahana
