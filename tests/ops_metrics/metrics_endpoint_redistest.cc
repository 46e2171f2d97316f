#include <gtest/gtest.h>

#include <string>

#include "common/process/metrics_endpoint.h"
#include "support/http_client.h"
#include "support/redis_server.h"

namespace wahana {
namespace {

TEST(MetricsEndpointTest, ServesTheWatchedGroupsAndRefusesATakenPort) {
  testing::RedisServer server;
  auto redis = server.Client();
  ASSERT_TRUE(
      redis->Command({"XGROUP", "CREATE", "case:{16.06}:stream", "reporting", "$", "MKSTREAM"})
          .ok());
  MetricsEndpoint endpoint(*redis);
  endpoint.WatchStreamLag("case:{16.06}:stream", "reporting");
  const int port = testing::FreePort();
  ASSERT_TRUE(endpoint.Serve("127.0.0.1", port).ok());
  EXPECT_EQ(endpoint.port(), port);

  testing::HttpResponse scraped = testing::HttpCall(port, "GET", "/metrics");
  EXPECT_EQ(scraped.status, 200);
  EXPECT_NE(scraped.body.find(
                R"(wahana_stream_group_pending{group="reporting",stream="case:{16.06}:stream"} 0)"),
            std::string::npos)
      << scraped.body;
  EXPECT_EQ(testing::HttpCall(port, "GET", "/").status, 404);

  MetricsEndpoint second(*redis);
  absl::Status taken = second.Serve("127.0.0.1", port);
  EXPECT_EQ(taken.code(), absl::StatusCode::kUnavailable) << taken;
  EXPECT_EQ(second.port(), 0);
}

TEST(MetricsEndpointTest, PortZeroServesNothing) {
  testing::RedisServer server;
  auto redis = server.Client();
  MetricsEndpoint endpoint(*redis);
  EXPECT_TRUE(endpoint.Serve("127.0.0.1", 0).ok());
  EXPECT_EQ(endpoint.port(), 0);
}

}  // namespace
}  // namespace wahana
