#pragma once
// Consumes one Redis stream as a member of a consumer group, with at-least-once delivery and
// effectively-once effect:
//   - on start, the consumer first re-reads its own pending entries (a restart after a crash),
//     then new ones (XREADGROUP ... >), blocking up to `block_ms`;
//   - entries pending on any consumer for longer than `claim_idle_ms` are taken over (XAUTOCLAIM),
//     so a consumer that died without acking does not strand its messages;
//   - the handler runs; on OK the entry is acknowledged (XACK) — only after the effect is stored;
//     on a transient error (UNAVAILABLE, ABORTED, ...) it stays pending and is delivered again
//     later;
//   - a permanent failure (IsPermanentFailure: the handler says the message itself is wrong), an
//     entry that cannot be parsed (poison), and an entry delivered `max_deliveries` times without
//     success are copied to `<stream>:dead` (DeadLetterStreamKey, bus_contract.h) with the reason
//     and acknowledged: a permanent failure after its first delivery, as no retry can mend it;
//   - a message id already handled by this group (recorded for `dedupe_ttl_s`) is acknowledged
//     without calling the handler again, so a redelivery after a crash between effect and XACK has
//     no second effect. Handlers that write to Redis should also be idempotent on the message id.
//     The marker is `<stream>:done:<group>:<message id>` (same hash tag as the stream), set
//     together with the XACK in one script; a dead-letter copy and its XACK are one script too.
//   - when Redis goes away the thread logs once and retries with a growing backoff (up to 5 s).
//
// A failed entry is retried when it has been idle `claim_idle_ms` (XAUTOCLAIM), which is the
// retry delay. The delivery count is Redis's (XPENDING): a delivery that crashed the process
// counts too, so a message that kills its consumer ends in the dead-letter stream as well.
//
// Thread-safety: Start() spawns one thread; Stop() joins it. The handler runs on that thread.
// PollOnce() is for callers that do not Start(); do not mix the two on one object.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "common/bus/bus_contract.h"
#include "common/redis/redis_client.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

struct StreamConsumerOptions {
  std::string stream;    // e.g. "case:{16.06}:stream"
  std::string group;     // one group per consuming service, e.g. "reporting"
  std::string consumer;  // unique per process, e.g. "reporting-<hostname>-<pid>"
  int batch_size = 64;
  int block_ms = 1000;
  int claim_idle_ms = 30000;
  int max_deliveries = 5;
  int dedupe_ttl_s = 7 * 24 * 3600;
  // Every so often (every 1000 acks or 60 s) entries every group has consumed are trimmed while
  // the stream is longer than this (see stream_trimmer.h).
  int64_t max_len = 1000000;
};

// True for a handler's error that no redelivery can mend: the message itself is wrong
// (INVALID_ARGUMENT: an unparseable payload, a field out of range) or can never apply
// (FAILED_PRECONDITION). Such a message is dead-lettered at once; any other error (UNAVAILABLE,
// ABORTED, DEADLINE_EXCEEDED, INTERNAL, ...) is retried up to max_deliveries.
bool IsPermanentFailure(const absl::Status& status);

class StreamConsumer {
 public:
  // The handler gets the parsed envelope and the stream entry id. OK means "effect stored".
  using Handler = std::function<absl::Status(const wahana::common::v1::Envelope& envelope,
                                             const std::string& entry_id)>;

  // `redis` is used for acks and bookkeeping; blocking reads use a connection of their own,
  // opened with the same options.
  StreamConsumer(RedisClient& redis, StreamConsumerOptions options, Handler handler);
  ~StreamConsumer();  // Stop()s

  // Creates the group if missing (at the stream's start, "0", so no earlier message is skipped),
  // then starts the consuming thread. UNAVAILABLE when Redis cannot be reached.
  absl::Status Start();
  // Finishes the message in hand, then returns. Idempotent.
  void Stop();

  // One round of work without a thread (for tests and tools): reclaims idle entries, reads up to
  // one batch (own pending first), handles them. Returns how many entries were handled or
  // dead-lettered.
  absl::StatusOr<int> PollOnce(int block_ms);

  // The dead-letter stream of `stream`.
  static std::string DeadLetterStream(const std::string& stream) {
    return DeadLetterStreamKey(stream);
  }

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wahana
