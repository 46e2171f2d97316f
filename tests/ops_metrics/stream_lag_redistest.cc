#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <string>

#include "common/bus/stream_lag.h"
#include "support/redis_server.h"

namespace wahana {
namespace {

std::string Text(const StreamLagCollector& collector) {
  return prometheus::TextSerializer().Serialize(collector.Collect());
}

TEST(StreamLagTest, ReportsLagAndPendingOfWatchedGroups) {
  testing::RedisServer server;
  auto redis = server.Client();
  const std::string stream = "case:{16.06}:stream";
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(redis->Command({"XADD", stream, "*", "n", std::to_string(i)}).ok());
  }
  ASSERT_TRUE(redis->Command({"XGROUP", "CREATE", stream, "reporting", "0"}).ok());
  ASSERT_TRUE(redis->Command({"XGROUP", "CREATE", stream, "other", "$"}).ok());
  // Two delivered, one of them acknowledged.
  auto read = redis->Command(
      {"XREADGROUP", "GROUP", "reporting", "c1", "COUNT", "2", "STREAMS", stream, ">"});
  ASSERT_TRUE(read.ok());
  std::string first_id = read->elements[0].elements[1].elements[0].elements[0].str;
  ASSERT_TRUE(redis->Command({"XACK", stream, "reporting", first_id}).ok());

  StreamLagCollector collector(*redis);
  collector.Watch(stream, "reporting");
  std::string text = Text(collector);
  EXPECT_NE(
      text.find(R"(wahana_stream_group_lag{group="reporting",stream="case:{16.06}:stream"} 3)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(R"(wahana_stream_group_pending{group="reporting",stream="case:{16.06}:stream"} 1)"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find(R"(group="other")"), std::string::npos) << "only watched groups";
}

TEST(StreamLagTest, UnknownStreamsAndAnAbsentRedisAreLeftOut) {
  testing::RedisServer server;
  auto redis = server.Client();
  StreamLagCollector collector(*redis);
  collector.Watch("registry:{16.06}:stream", "case");
  std::string text = Text(collector);
  EXPECT_EQ(text.find("registry:{16.06}"), std::string::npos) << text;
  server.Kill();
  EXPECT_NO_THROW(Text(collector));
}

}  // namespace
}  // namespace wahana
