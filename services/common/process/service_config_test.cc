#include "common/process/service_config.h"

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

// The reader's complaints about WAHANA_METRICS_PORT alone (other settings, such as the token
// secret, are not given here).
std::string MetricsPortErrors(const EnvReader& reader) {
  std::string message(reader.Finish().message());
  return message.find("WAHANA_METRICS_PORT") == std::string::npos ? "" : message;
}

TEST(ServiceConfigTest, EachServiceHasItsOwnMetricsPortByDefault) {
  int expected = 9451;
  for (const char* process : {"registry", "case", "event", "reporting"}) {
    EnvReader reader = ReaderOf({});
    ServiceConfig config = ReadServiceConfig(reader, process, 20051);
    EXPECT_EQ(config.metrics_port, expected++) << process;
    EXPECT_EQ(MetricsPortErrors(reader), "");
  }
}

TEST(ServiceConfigTest, MetricsPortIsSetOrTurnedOff) {
  EnvReader set = ReaderOf({{"WAHANA_METRICS_PORT", "19452"}});
  EXPECT_EQ(ReadServiceConfig(set, "case", 20052).metrics_port, 19452);
  EXPECT_EQ(MetricsPortErrors(set), "");

  EnvReader off = ReaderOf({{"WAHANA_METRICS_PORT", "0"}});
  EXPECT_EQ(ReadServiceConfig(off, "case", 20052).metrics_port, 0);
  EXPECT_EQ(MetricsPortErrors(off), "");
}

TEST(ServiceConfigTest, BadMetricsPortIsReportedByName) {
  for (const char* value : {"65536", "-1", "metrics"}) {
    EnvReader reader = ReaderOf({{"WAHANA_METRICS_PORT", value}});
    ReadServiceConfig(reader, "event", 20053);
    EXPECT_NE(MetricsPortErrors(reader).find(std::string("WAHANA_METRICS_PORT=\"") + value + "\""),
              std::string::npos)
        << value;
  }
}

TEST(ServiceConfigTest, TheOfficeCalendarIsJakartaUnlessSet) {
  EnvReader unset = ReaderOf({});
  EXPECT_EQ(ReadServiceConfig(unset, "case", 20052).calendar.name(), "Asia/Jakarta");
  EXPECT_EQ(std::string(unset.Finish().message()).find("WAHANA_TIME_ZONE"), std::string::npos);

  for (const char* zone : {"Asia/Makassar", "Asia/Jayapura"}) {
    EnvReader set = ReaderOf({{"WAHANA_TIME_ZONE", zone}});
    EXPECT_EQ(ReadServiceConfig(set, "registry", 20051).calendar.name(), zone);
    EXPECT_EQ(std::string(set.Finish().message()).find("WAHANA_TIME_ZONE"), std::string::npos);
  }
}

// Any zone but Indonesia's three stops the process (RunService exits 2 on a Finish() error) with
// a message naming the variable.
TEST(ServiceConfigTest, AnotherTimeZoneIsReportedByName) {
  for (const char* zone : {"UTC", "Europe/Amsterdam", "Asia/Bangkok", "WIB", "+07:00"}) {
    EnvReader reader = ReaderOf({{"WAHANA_TIME_ZONE", zone}});
    ReadServiceConfig(reader, "event", 20053);
    const std::string message(reader.Finish().message());
    EXPECT_NE(message.find(std::string("WAHANA_TIME_ZONE=\"") + zone +
                           "\": must be one of Asia/Jakarta, Asia/Makassar, Asia/Jayapura"),
              std::string::npos)
        << message;
  }
}

}  // namespace
}  // namespace wahana
