#pragma once
// How far a consumer group has got through its stream, for answers that must say how fresh they
// are (the reporting service's `asOf` and `lag`, its status page):
//
//   lag           entries not yet applied: not yet delivered to the group, plus delivered and not
//                 yet acknowledged (a handler acks only after its effect is stored)
//   pending       delivered and not yet acknowledged
//   dead_letters  entries this group moved to "<stream>:dead" (stream_consumer.h)
//   oldest_unapplied  the stream time of the oldest entry not yet applied (its id's milliseconds);
//                 absent when everything is applied
//
// GroupProgressReader is the interface (a fake in logic tests); RedisGroupProgressReader reads
// XINFO GROUPS, XPENDING and the dead-letter stream. Thread-safe.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_reply.h"

namespace wahana {

struct GroupProgress {
  std::string stream;
  std::string group;
  int64_t lag = 0;
  int64_t pending = 0;
  int64_t dead_letters = 0;
  std::optional<absl::Time> oldest_unapplied;
};

// One group's entry of an XINFO GROUPS reply; a field Redis did not give is nullopt.
// Shared with the /metrics gauges (stream_lag.h) so both read Redis's answer the same way.
struct GroupInfo {
  std::string last_delivered_id;
  std::optional<int64_t> pending;
  std::optional<int64_t> lag;  // Redis 7 leaves it nil when it cannot tell (after XDEL)
};

// The entry of `group` in an XINFO GROUPS `reply`; nullopt when the group is not in it.
std::optional<GroupInfo> FindGroupInfo(const RedisReply& reply, const std::string& group);

// The time a stream entry id ("1764201234567-0") was written; nullopt for a malformed id.
std::optional<absl::Time> StreamIdTime(const std::string& entry_id);

class GroupProgressReader {
 public:
  virtual ~GroupProgressReader() = default;
  // The progress of `group` on `stream`. A stream or group that does not exist yet has applied
  // nothing and has nothing to apply (all zero). UNAVAILABLE when Redis cannot be reached.
  virtual absl::StatusOr<GroupProgress> Read(const std::string& stream,
                                             const std::string& group) = 0;
};

class RedisGroupProgressReader : public GroupProgressReader {
 public:
  // `redis` must outlive the reader.
  explicit RedisGroupProgressReader(RedisClient& redis) : redis_(redis) {}

  absl::StatusOr<GroupProgress> Read(const std::string& stream, const std::string& group) override;

 private:
  RedisClient& redis_;
};

}  // namespace wahana
