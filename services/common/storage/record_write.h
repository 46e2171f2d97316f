#pragma once
// A record's change, its index entries and its stream messages, written in one atomic step (one
// Lua script): AtomicWrite (common/bus/atomic_write.h) plus the guards and commands of chunked
// indexes (lex_index.h) and exact-value indexes (exact_index.h). Guards are all checked before
// anything is written; when one fails nothing is written and the result names it
// (AtomicWriteResult, as AtomicWrite's).
//
// A write may also draw a number (DrawNumber): once every guard passed, a counter is INCRed and
// its value written into the commands' bytes where the write's caller left placeholder digits, so
// a record numbered from a sequence (a case number) is stored in the same round trip.
//
// Every key must share one hash tag (the regency, "{16.06}").

#include <cstdint>
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
  // Guard: hash `key` field `field` must hold a value matching `pattern`, a Lua pattern
  // (string.find: anchor it with ^ and $ to match the whole value; "" accepts any value, so the
  // field need only exist). When it fails, `found` is the value (`found_nil`: the field is absent);
  // GuardError names the key and field.
  RecordWrite& RequireHashFieldMatches(const std::string& key, const std::string& field,
                                       const std::string& pattern);
  // Guard: hash `key` must have the field `field`, whatever its value.
  RecordWrite& RequireHashFieldExists(const std::string& key, const std::string& field) {
    return RequireHashFieldMatches(key, field, "");
  }
  // Guard: no record other than `id` holds `value` in the exact index `index` (exact_index.h).
  // When one does, `found` is its id: the value's holder.
  RecordWrite& RequireUnclaimed(const std::string& index, absl::string_view value,
                                const std::string& id);
  // Guard: the integer at string `counter` (absent: 0) plus `adding` must be at most the limit:
  // `limit`, or when `limit_key` is not empty the integer in hash `limit_key` field
  // `limit_field`. A limit of 0 or less, or an absent limit field, is no limit. When it fails,
  // `found` is the counter's value before this write.
  RecordWrite& RequireCountWithin(const std::string& counter, int64_t adding, int64_t limit,
                                  const std::string& limit_key = "",
                                  const std::string& limit_field = "");
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

  // Where a drawn number's digits go: `width` bytes at `offset` of argument `arg` (0: the command
  // name) of the `command`-th command (in the order they were added).
  struct NumberSlot {
    int command = 0;
    int arg = 0;
    size_t offset = 0;
    bool operator==(const NumberSlot& o) const {
      return command == o.command && arg == o.arg && offset == o.offset;
    }
  };
  // Numbers the write: once every guard passed and before the first command, INCRs the counter
  // `counter` and writes its value, zero-padded to `width` (1-9) digits, over the placeholder
  // digits at each of `slots` (NumberSlotsOf). The result's `number` is the value. A value of more
  // than `width` digits writes nothing else (`number_too_wide`): the caller writes again with the
  // number in place, and the value stays taken (numbers may have gaps, never duplicates).
  RecordWrite& DrawNumber(const std::string& counter, int width, std::vector<NumberSlot> slots);
  // The placeholder digits of a number `width` (1-9) long: variant 0 "0123...", variant 1
  // "1234..." (each digit one more, so every placeholder byte differs between the two).
  static std::string NumberPlaceholder(int width, int variant);
  // The slots of a drawn number, from the same write built twice: `a` with the placeholder of
  // variant 0 wherever the number's digits go, `b` with variant 1. INTERNAL when the two differ
  // anywhere else (their guards, their shape, other bytes): the build was not deterministic.
  static absl::StatusOr<std::vector<NumberSlot>> NumberSlotsOf(const RecordWrite& a,
                                                               const RecordWrite& b, int width);

  // The arguments of the `command`-th command added (0-based; the caller keeps it in range).
  const std::vector<std::string>& CommandArgs(int command) const { return commands_.at(command); }

  // FAILED_PRECONDITION naming the failed guard's key (and field) and what it found, for a
  // result of this write that failed a guard. Callers that map a guard to their own contract
  // (a stale etag, a taken value) use failed_guard instead.
  absl::Status GuardError(const AtomicWriteResult& result) const;

  // Runs the script. Errors: UNAVAILABLE (Redis unreachable), INTERNAL (a command failed).
  absl::StatusOr<AtomicWriteResult> Execute(RedisClient& redis) const;

 private:
  struct Guard {
    std::string kind;  // "absent" | "hfield" | "hmatch" | "unclaimed" | "count"
    std::string a, b, c, d, e;
  };
  std::vector<Guard> guards_;
  std::vector<std::vector<std::string>> commands_;
  std::string counter_;  // DrawNumber's; empty when the write draws none
  int number_width_ = 0;
  std::vector<NumberSlot> slots_;
};

}  // namespace wahana
