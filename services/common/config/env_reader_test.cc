#include "common/config/env_reader.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace wahana {
namespace {

EnvReader ReaderOf(const std::map<std::string, std::string>& env) {
  return EnvReader([env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(EnvReaderTest, UnsetVariablesTakeTheDocumentedDefault) {
  EnvReader reader = ReaderOf({});
  EXPECT_EQ(reader.RegionCode("WAHANA_REGION"), "16.06");
  EXPECT_EQ(reader.Port("WAHANA_HTTP_PORT", 1), 8080);
  EXPECT_TRUE(reader.Finish().ok());
}

TEST(EnvReaderTest, EveryBadValueIsReportedByName) {
  EnvReader reader = ReaderOf({{"WAHANA_REGION", "16.06.01"},
                               {"WAHANA_HTTP_PORT", "80x"},
                               {"WAHANA_REDIS_POOL_SIZE", "0"},
                               {"WAHANA_LOG_FORMAT", "xml"}});
  reader.RegionCode("WAHANA_REGION");
  reader.Port("WAHANA_HTTP_PORT", 1);
  reader.Int("WAHANA_REDIS_POOL_SIZE", 1, 256);
  reader.OneOf("WAHANA_LOG_FORMAT", {"text", "json"});
  absl::Status status = reader.Finish();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::string message(status.message());
  EXPECT_NE(message.find("WAHANA_REGION=\"16.06.01\""), std::string::npos) << message;
  EXPECT_NE(message.find("WAHANA_HTTP_PORT=\"80x\""), std::string::npos) << message;
  EXPECT_NE(message.find("WAHANA_REDIS_POOL_SIZE=\"0\": must be between 1 and 256"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("WAHANA_LOG_FORMAT=\"xml\": must be one of text, json"), std::string::npos)
      << message;
}

TEST(EnvReaderTest, MalformedRegionIsRejected) {
  EnvReader reader = ReaderOf({{"WAHANA_REGION", "16-06"}});
  reader.RegionCode("WAHANA_REGION");
  EXPECT_EQ(reader.Finish().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EnvReaderTest, ServiceAddressesBecomeTargetsAndBadOnesAreReportedByName) {
  EnvReader reader = ReaderOf({{"WAHANA_CASE_ADDR", "127.0.0.1:20052,127.0.0.1:20056"},
                               {"WAHANA_EVENT_ADDR", "127.0.0.1:20053,"}});
  EXPECT_EQ(reader.ServiceTarget("WAHANA_REGISTRY_ADDR"), "127.0.0.1:20051");  // the default
  EXPECT_EQ(reader.ServiceTarget("WAHANA_CASE_ADDR"), "ipv4:127.0.0.1:20052,127.0.0.1:20056");
  EXPECT_EQ(reader.ServiceTarget("WAHANA_ECHO_ADDR"), "");  // empty on purpose: unrouted
  reader.ServiceTarget("WAHANA_EVENT_ADDR");
  absl::Status status = reader.Finish();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(
      status.message().find("WAHANA_EVENT_ADDR=\"127.0.0.1:20053,\": entry 2 of the list is empty"),
      std::string::npos)
      << status.message();
}

TEST(EnvReaderTest, UndocumentedSettingIsAProgrammingError) {
  EnvReader reader = ReaderOf({});
  reader.String("WAHANA_NO_SUCH_SETTING");
  EXPECT_NE(reader.Finish().message().find("not a documented setting"), std::string::npos);
}

}  // namespace
}  // namespace wahana
