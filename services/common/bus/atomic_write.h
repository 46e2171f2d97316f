#pragma once
// A state change and its stream messages, written in one atomic step (one Lua script).
//
// Guards are checked first, all of them, before anything is written; when one fails nothing is
// written and the result names it. Then the commands run in order. The script validates the shape
// of its input before the first write, and every command is one this project builds (HSET, SET,
// ZADD, XADD ...) on keys of the project's own types, so a partial write could only come from Redis
// running out of memory mid-script — which Redis refuses before the script starts (maxmemory).
//
// Every key a write touches must share one hash tag (the regency, "{16.06}") so the script stays
// within one Redis Cluster slot.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/bus/envelope.h"
#include "common/redis/redis_client.h"

namespace wahana {

struct AtomicWriteResult {
  // False when a guard failed; then nothing was written.
  bool applied = false;
  // The index (in the order they were added) of the failed guard, and the value it found.
  int failed_guard = -1;
  std::string found;
  bool found_nil = true;
  // One reply per command when applied (for XADD: the stream entry id).
  std::vector<RedisReply> replies;
};

class AtomicWrite {
 public:
  // Guard: `key` must not exist.
  AtomicWrite& RequireAbsent(const std::string& key);
  // Guard: hash `key` field `field` must equal `value` (an absent field never equals).
  AtomicWrite& RequireHashField(const std::string& key, const std::string& field,
                                const std::string& value);
  // Any write command, as an argument vector whose second element is its key.
  AtomicWrite& Command(std::vector<std::string> argv);
  // Appends `envelope` to `stream`.
  AtomicWrite& Publish(const std::string& stream, const wahana::common::v1::Envelope& envelope);

  // Runs the script. Errors: UNAVAILABLE (Redis unreachable), INTERNAL (a command failed).
  absl::StatusOr<AtomicWriteResult> Execute(RedisClient& redis) const;

 private:
  struct Guard {
    std::string kind;  // "absent" | "hfield"
    std::string key, field, value;
  };
  std::vector<Guard> guards_;
  std::vector<std::vector<std::string>> commands_;
};

}  // namespace wahana
