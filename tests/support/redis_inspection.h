#pragma once
// Reading back what a test's code wrote to its private Redis: stream messages and keys.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/bus/envelope.h"
#include "common/redis/redis_client.h"
#include "common/storage/record_keys.h"
#include "gtest/gtest.h"

namespace wahana::testing {

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

// Every key of the server with its value as DUMP serialises it (type, value, stream entries and
// groups): two snapshots are equal when nothing was written in between, byte for byte.
inline std::map<std::string, std::string> RedisSnapshot(RedisClient& redis) {
  std::map<std::string, std::string> out;
  auto keys = redis.Command({"KEYS", "*"});
  EXPECT_TRUE(keys.ok()) << keys.status();
  if (!keys.ok()) return out;
  for (const RedisReply& key : keys->elements) {
    auto dump = redis.Command({"DUMP", key.str});
    EXPECT_TRUE(dump.ok()) << dump.status();
    if (dump.ok()) out[key.str] = dump->str;
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

// The entries of the exact index (exact_index.h) at hash `key` as "<value>|<id>", sorted: what
// the chunked indexes' members look like, so tests compare either the same way.
inline std::vector<std::string> ExactIndexMembers(RedisClient& redis, const std::string& key) {
  std::vector<std::string> out;
  auto reply = redis.Command({"HGETALL", key});
  EXPECT_TRUE(reply.ok()) << reply.status();
  if (!reply.ok()) return out;
  for (size_t i = 0; i + 1 < reply->elements.size(); i += 2) {
    const std::string& value = reply->elements[i].str;
    const std::string& ids = reply->elements[i + 1].str;
    size_t start = 0;
    while (start < ids.size()) {
      size_t space = ids.find(' ', start);
      if (space == std::string::npos) space = ids.size();
      out.push_back(value + "|" + ids.substr(start, space - start));
      start = space + 1;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The members of the index `name` of a store with `keys` ("live", "live:kind=PKK",
// "unique:nik", "lookup:duplicate"), sorted: a chunked list's members, or for "unique:"/"lookup:"
// names the exact index's entries in the same "<value>|<id>" form.
inline std::vector<std::string> StoreIndexMembers(RedisClient& redis, const RecordKeys& keys,
                                                  const std::string& name) {
  for (absl::string_view layout : {"unique", "lookup"}) {
    if (absl::StartsWith(name, absl::StrCat(layout, ":"))) {
      return ExactIndexMembers(
          redis, keys.Index(absl::StrCat(layout, "-ids:", name.substr(layout.size() + 1))));
    }
  }
  std::vector<std::string> out;
  const std::string dir = keys.Index(name);
  auto bounds = redis.Command({"ZRANGE", dir, "0", "-1"});
  EXPECT_TRUE(bounds.ok()) << bounds.status();
  if (!bounds.ok()) return out;
  for (const RedisReply& bound : bounds->elements) {
    auto members = redis.Command({"ZRANGE", absl::StrCat(dir, "|", bound.str), "0", "-1"});
    EXPECT_TRUE(members.ok()) << members.status();
    if (!members.ok()) continue;
    for (const RedisReply& m : members->elements) out.push_back(m.str);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace wahana::testing
