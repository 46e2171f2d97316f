#pragma once
// A record's change, its index entries and its stream messages, written in one atomic step (one
// Lua script): AtomicWrite (common/bus/atomic_write.h) plus the guards and commands of chunked
// indexes (lex_index.h) and exact-value indexes (exact_index.h). Guards are all checked before anything is written; when one fails
// nothing is written and the result names it (AtomicWriteResult, as AtomicWrite's).
//
// Every key must share one hash tag (the regency, "{16.06}").

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/bus/atomic_write.h"
#include "common/redis/redis_client.h"
#include "common/storage/lex_index.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

class RecordWrite {
 public:
  // Guard: `key` must not exist (any type). When it does, `found` is its value if it is a string,
  // "" otherwise.
  RecordWrite& RequireAbsent(const std::string& key);
  // Guard: hash `key` field `field` must equal `value` (an absent field never equals; `found_nil`
  // tells it was absent).
  RecordWrite& RequireHashField(const std::string& key, const std::string& field,
                                const std::string& value);
  // Guard: no record other than `id` holds `value` in the exact index `index` (exact_index.h).
  // When one does, `found` is its id: the value's holder.
  RecordWrite& RequireUnclaimed(const std::string& index, absl::string_view value,
                                const std::string& id);
  // Any write command, as an argument vector whose second element is its key.
  RecordWrite& Command(std::vector<std::string> argv);
  // Adds / removes `member` of index `dir` (replies 1 when it changed the index, else 0).
  RecordWrite& IndexAdd(const std::string& dir, const std::string& member);
  RecordWrite& IndexRemove(const std::string& dir, const std::string& member);
  // Adds / removes `id` as a holder of `value` in the exact index `index` (exact_index.h).
  RecordWrite& ExactIndexAdd(const std::string& index, const std::string& value,
                             const std::string& id);
  RecordWrite& ExactIndexRemove(const std::string& index, const std::string& value,
                                const std::string& id);
  // Appends `envelope` to `stream`.
  RecordWrite& Publish(const std::string& stream, const wahana::common::v1::Envelope& envelope);

  // Runs the script. Errors: UNAVAILABLE (Redis unreachable), INTERNAL (a command failed).
  absl::StatusOr<AtomicWriteResult> Execute(RedisClient& redis) const;

 private:
  struct Guard {
    std::string kind;  // "absent" | "hfield" | "unclaimed"
    std::string a, b, c, d, e;
  };
  std::vector<Guard> guards_;
  std::vector<std::vector<std::string>> commands_;
};

}  // namespace wahana
