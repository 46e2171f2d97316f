#pragma once
// Helpers shared by the service tests against a real Redis: reading back stream messages and keys,
// a fixed regional directory, polling with a deadline.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/bus/envelope.h"
#include "common/redis/redis_client.h"
#include "common/region/region_directory.h"
#include "gtest/gtest.h"

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

// XLEN of `stream` (0 when it does not exist).
inline int64_t StreamLength(RedisClient& redis, const std::string& stream) {
  auto reply = redis.Command({"XLEN", stream});
  EXPECT_TRUE(reply.ok()) << reply.status();
  return reply.ok() ? reply->integer : -1;
}

// Every message on `stream`, oldest first, parsed from its `envelope` field.
inline std::vector<wahana::common::v1::Envelope> StreamMessages(RedisClient& redis,
                                                                const std::string& stream) {
  std::vector<wahana::common::v1::Envelope> out;
  auto reply = redis.Command({"XRANGE", stream, "-", "+"});
  EXPECT_TRUE(reply.ok()) << reply.status();
  if (!reply.ok()) return out;
  for (const RedisReply& entry : reply->elements) {
    std::vector<std::string> fields;
    for (const RedisReply& f : entry.elements.at(1).elements) fields.push_back(f.str);
    auto envelope = ParseEntryFields(fields);
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    if (envelope.ok()) out.push_back(*envelope);
  }
  return out;
}

// The keys matching `pattern` (KEYS is fine on a test server).
inline std::vector<std::string> Keys(RedisClient& redis, const std::string& pattern) {
  std::vector<std::string> out;
  auto reply = redis.Command({"KEYS", pattern});
  EXPECT_TRUE(reply.ok()) << reply.status();
  if (reply.ok()) {
    for (const RedisReply& e : reply->elements) out.push_back(e.str);
  }
  return out;
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

}  // namespace wahana::testing
