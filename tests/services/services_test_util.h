#pragma once
// Helpers shared by the service tests against a real Redis: a fixed regional directory, polling
// with a deadline, draining a consumer group, and (support/redis_inspection.h) reading back stream
// messages and keys.

#include <chrono>
#include <memory>
#include <thread>

#include "absl/status/statusor.h"
#include "common/bus/stream_consumer.h"
#include "common/process/service_config.h"
#include "common/redis/redis_client.h"
#include "common/region/region_directory.h"
#include "gtest/gtest.h"
#include "support/redis_inspection.h"

namespace wahana::testing {

// The deployment these tests run as, and a few of its regions (Musi Banyuasin).
inline constexpr char kRegion[] = "16.06";
inline constexpr char kVillage[] = "16.06.01.2001";       // a desa in Sekayu
inline constexpr char kOtherVillage[] = "16.06.02.2001";  // a desa in another kecamatan

inline std::shared_ptr<StaticRegionDirectory> TestRegions() {
  auto regions = std::make_shared<StaticRegionDirectory>();
  regions->Add("16")
      .Add("16.06")
      .Add("16.06.01")
      .Add("16.06.02")
      .Add(kVillage)
      .Add(kOtherVillage)
      .Add("17")
      .Add("17.01")
      .Add("17.01.01")
      .Add("17.01.01.2001");
  return regions;
}

// Calls `condition` until it is true or `deadline` has passed; returns its last value.
template <typename Condition>
bool PollUntil(Condition condition,
               std::chrono::milliseconds deadline = std::chrono::milliseconds(10000)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// The settings a test's bus consumer runs with: this deployment, 5 deliveries before the
// dead-letter stream, a 30 s claim idle time (no reclaim inside a test), streams left untrimmed.
inline ServiceConfig TestBusConfig() {
  ServiceConfig config;
  config.region = kRegion;
  config.bus_max_deliveries = 5;
  config.bus_claim_idle_ms = 30000;
  config.stream_maxlen = 1000000;
  return config;
}

// Whether consumer group `group` has been delivered every entry of `stream` and acked them all.
inline bool GroupCaughtUp(RedisClient& redis, const std::string& stream, const std::string& group) {
  auto last = redis.Command({"XREVRANGE", stream, "+", "-", "COUNT", "1"});
  auto groups = redis.Command({"XINFO", "GROUPS", stream});
  if (!last.ok() || !groups.ok()) return false;
  std::string last_id = last->elements.empty() ? "0-0" : last->elements[0].elements[0].str;
  for (const RedisReply& info : groups->elements) {
    std::string name, last_delivered;
    int64_t pending = -1;
    for (size_t i = 0; i + 1 < info.elements.size(); i += 2) {
      const std::string& key = info.elements[i].str;
      if (key == "name") name = info.elements[i + 1].str;
      if (key == "last-delivered-id") last_delivered = info.elements[i + 1].str;
      if (key == "pending") pending = info.elements[i + 1].integer;
    }
    if (name == group) return last_delivered == last_id && pending == 0;
  }
  return false;
}

// Polls `consumer` until its `group` has caught up with `stream` (GroupCaughtUp), within
// PollUntil's deadline; a test failure otherwise.
inline void DrainGroup(RedisClient& redis, StreamConsumer& consumer, const std::string& stream,
                       const std::string& group) {
  ASSERT_TRUE(PollUntil([&] {
    absl::StatusOr<int> handled = consumer.PollOnce(50);
    EXPECT_TRUE(handled.ok()) << handled.status();
    return GroupCaughtUp(redis, stream, group);
  })) << "the consumer did not ack every entry in time";
}

}  // namespace wahana::testing
