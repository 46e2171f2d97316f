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
  // A write that draws a number (RecordWrite::DrawNumber, common/storage/record_write.h): the
  // number drawn, 0 when none was (a guard failed first). `number_too_wide` when it had more
  // digits than its slots hold: then nothing else was written (applied false, failed_guard -1)
  // and the number stays taken.
  int64_t number = 0;
  bool number_too_wide = false;
};

class AtomicWrite {
 public:
  // Guard: `key` must not exist.
  AtomicWrite& RequireAbsent(const std::string& key);
  // Guard: hash `key` field `field` must equal `value` (an absent field never equals).
  AtomicWrite& RequireHashField(const std::string& key, const std::string& field,
                                const std::string& value);
  // Guard: hash `key` field `field` must hold a value matching `pattern`, a Lua pattern
  // (string.find: anchor it with ^ and $ to match the whole value; "" accepts any value, so the
  // field need only exist). When it fails, `found` is the value (`found_nil`: the field is absent).
  AtomicWrite& RequireHashFieldMatches(const std::string& key, const std::string& field,
                                       const std::string& pattern);
  // Guard: hash `key` must have the field `field`, whatever its value.
  AtomicWrite& RequireHashFieldExists(const std::string& key, const std::string& field) {
    return RequireHashFieldMatches(key, field, "");
  }
  // Any write command, as an argument vector whose second element is its key.
  AtomicWrite& Command(std::vector<std::string> argv);
  // Appends `envelope` to `stream`.
  AtomicWrite& Publish(const std::string& stream, const wahana::common::v1::Envelope& envelope);

  // Runs the script. Errors: UNAVAILABLE (Redis unreachable), INTERNAL (a command failed).
  absl::StatusOr<AtomicWriteResult> Execute(RedisClient& redis) const;

 private:
  struct Guard {
    std::string kind;  // "absent" | "hfield" | "hmatch"
    std::string key, field, value;
  };
  std::vector<Guard> guards_;
  std::vector<std::vector<std::string>> commands_;
};

}  // namespace wahana
