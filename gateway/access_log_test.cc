#include "gateway/access_log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace wahana {
namespace {

TEST(AccessLogTest, MasksQueryValuesKeepsNames) {
  EXPECT_EQ(MaskQuery("nik=3201234567890001&pageSize=10"), "nik=*&pageSize=*");
  EXPECT_EQ(MaskQuery("flag&&x="), "flag=*&x=*");
  EXPECT_EQ(MaskQuery(""), "");
}

TEST(AccessLogTest, LineIsOneJsonObjectWithEveryField) {
  AccessLogEntry entry;
  entry.method = "GET";
  entry.target = "/v1/beneficiaries:lookup?nik=3201234567890001";
  entry.route = "/v1/beneficiaries:lookup";
  entry.status = 200;
  entry.duration_ms = 1.23456;
  entry.bytes_in = 0;
  entry.bytes_out = 77;
  entry.request_id = "req-1";
  entry.client = "10.0.0.7";
  std::string line = AccessLogLine(entry);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find("3201234567890001"), std::string::npos) << line;
  nlohmann::json parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["type"], "access");
  EXPECT_EQ(parsed["method"], "GET");
  EXPECT_EQ(parsed["path"], "/v1/beneficiaries:lookup");
  EXPECT_EQ(parsed["query"], "nik=*");
  EXPECT_EQ(parsed["route"], "/v1/beneficiaries:lookup");
  EXPECT_EQ(parsed["status"], 200);
  EXPECT_DOUBLE_EQ(parsed["durationMs"].get<double>(), 1.234);
  EXPECT_EQ(parsed["bytesOut"], 77);
  EXPECT_EQ(parsed["requestId"], "req-1");
  EXPECT_EQ(parsed["client"], "10.0.0.7");
  EXPECT_FALSE(parsed.contains("principal"));
  EXPECT_TRUE(parsed["time"].get<std::string>().size() == 24) << parsed["time"];
}

TEST(AccessLogTest, ClientTextCannotBreakTheLine) {
  AccessLogEntry entry;
  entry.method = "GET";
  entry.target = "/v1/x\"\n\xff";
  std::string line = AccessLogLine(entry);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NO_THROW(nlohmann::json::parse(line));
}

}  // namespace
}  // namespace wahana
