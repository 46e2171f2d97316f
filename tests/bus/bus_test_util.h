#pragma once
// Small helpers shared by the bus tests.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/bus/envelope.h"
#include "common/redis/redis_client.h"
#include "gtest/gtest.h"
#include "wahana/testing/v1/echo.pb.h"

namespace wahana::testing {

// A message with an EchoRequest payload about `aggregate_id`.
inline wahana::common::v1::Envelope TestEnvelope(const std::string& text,
                                                 const std::string& aggregate_id = "agg-1") {
  wahana::testing::v1::EchoRequest payload;
  payload.set_message(text);
  MessageFacts facts;
  facts.origin_region = "16.06";
  facts.aggregate_id = aggregate_id;
  facts.aggregate_version = 1;
  facts.region_code = "16.06.01.2001";
  return MakeEnvelope(payload, facts);
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

// The string elements of an array reply.
inline std::vector<std::string> Strings(const RedisReply& reply) {
  std::vector<std::string> out;
  for (const RedisReply& e : reply.elements) out.push_back(e.str);
  return out;
}

// The value of `field` in a flat field/value list, or "<absent>".
inline std::string FieldValue(const std::vector<std::string>& fields, const std::string& field) {
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i] == field) return fields[i + 1];
  }
  return "<absent>";
}

}  // namespace wahana::testing
