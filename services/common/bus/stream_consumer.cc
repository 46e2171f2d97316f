#include "common/bus/stream_consumer.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <set>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/bus/envelope.h"
#include "common/bus/stream_trimmer.h"
#include "common/status/status_macros.h"
#include "spdlog/spdlog.h"

namespace wahana {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kTrimEveryAcks = 1000;
constexpr int kMinBlockMs = 10;
constexpr auto kTrimInterval = std::chrono::seconds(60);
constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::seconds(5);

// KEYS[1] stream, KEYS[2] done marker; ARGV group, entry id, ttl seconds.
// The marker and the ack are one step: a crash leaves either both (no redelivery) or neither
// (redelivery, which the handler tolerates by contract).
const LuaScript& AckDoneScript() {
  static const LuaScript kScript(R"lua(
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
)lua");
  return kScript;
}

// KEYS[1] stream, KEYS[2] dead-letter stream; ARGV group, entry id, reason, original fields...
// Acks first: when the entry is no longer pending (another consumer finished it meanwhile) there
// is nothing to dead-letter, and no duplicate copy is made.
const LuaScript& DeadLetterScript() {
  static const LuaScript kScript(R"lua(
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
local args = {'XADD', KEYS[2], '*'}
for i = 4, #ARGV do args[#args + 1] = ARGV[i] end
args[#args + 1] = 'reason'
args[#args + 1] = ARGV[3]
args[#args + 1] = 'source_entry_id'
args[#args + 1] = ARGV[2]
args[#args + 1] = 'group'
args[#args + 1] = ARGV[1]
redis.call(unpack(args))
return 1
)lua");
  return kScript;
}

struct Entry {
  std::string id;
  bool deleted = false;  // pending, but removed from the stream (fields are nil)
  std::vector<std::string> fields;
};

// One entry of an XREADGROUP / XAUTOCLAIM reply: [id, [field, value, ...] | nil].
absl::StatusOr<Entry> ToEntry(const RedisReply& reply) {
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() != 2 ||
      reply.elements[0].type != RedisReply::Type::kString) {
    return absl::InternalError("stream consumer: malformed stream entry in reply");
  }
  Entry entry;
  entry.id = reply.elements[0].str;
  const RedisReply& fields = reply.elements[1];
  if (fields.type != RedisReply::Type::kArray) {
    entry.deleted = true;
    return entry;
  }
  entry.fields.reserve(fields.elements.size());
  for (const RedisReply& f : fields.elements) entry.fields.push_back(f.str);
  return entry;
}

absl::StatusOr<std::vector<Entry>> ToEntries(const RedisReply& list) {
  std::vector<Entry> entries;
  if (list.type != RedisReply::Type::kArray) return entries;
  entries.reserve(list.elements.size());
  for (const RedisReply& e : list.elements) {
    WAHANA_ASSIGN_OR_RETURN(Entry entry, ToEntry(e));
    entries.push_back(std::move(entry));
  }
  return entries;
}

bool IsNoGroup(const absl::Status& status) {
  return absl::StrContains(status.message(), "NOGROUP");
}

}  // namespace

bool IsPermanentFailure(const absl::Status& status) {
  return absl::IsInvalidArgument(status) || absl::IsFailedPrecondition(status);
}

class StreamConsumer::Impl {
 public:
  Impl(RedisClient& redis, StreamConsumerOptions options, Handler handler)
      : redis_(redis), options_(std::move(options)), handler_(std::move(handler)) {}

  ~Impl() { Stop(); }

  absl::Status Start() {
    if (thread_.joinable())
      return absl::FailedPreconditionError("stream consumer: already started");
    WAHANA_RETURN_IF_ERROR(EnsureGroup());
    {
      absl::MutexLock lock(&mu_);
      stop_ = false;
    }
    thread_ = std::thread([this] { Run(); });
    return absl::OkStatus();
  }

  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

  absl::StatusOr<int> PollOnce(int block_ms) {
    WAHANA_RETURN_IF_ERROR(EnsureGroup());
    int handled = 0;
    absl::StatusOr<int> step = Reclaim();
    if (step.ok()) {
      handled += *step;
      step = ReadAndHandle(block_ms);
      if (step.ok()) handled += *step;
    }
    if (!step.ok()) {
      if (IsNoGroup(step.status())) group_ready_ = false;  // the stream was deleted: recreate
      return step.status();
    }
    MaybeTrim();
    return handled;
  }

 private:
  std::string DoneKey(const std::string& message_id) const {
    return absl::StrCat(options_.stream, ":done:", options_.group, ":", message_id);
  }

  bool StopRequested() {
    absl::MutexLock lock(&mu_);
    return stop_;
  }

  absl::Status EnsureGroup() {
    if (group_ready_) return absl::OkStatus();
    auto created =
        redis_.Command({"XGROUP", "CREATE", options_.stream, options_.group, "0", "MKSTREAM"});
    if (!created.ok() && !absl::StrContains(created.status().message(), "BUSYGROUP")) {
      return created.status();
    }
    group_ready_ = true;
    // A (re)start: re-read our own pending entries first.
    own_pending_cursor_ = "0";
    reading_own_pending_ = true;
    return absl::OkStatus();
  }

  // The reading connection, (re)opened when needed, with a timeout longer than the block.
  absl::StatusOr<RedisConnection*> Reader(int block_ms) {
    if (reader_ != nullptr && reader_->broken()) reader_.reset();
    if (reader_ == nullptr) {
      WAHANA_ASSIGN_OR_RETURN(reader_, RedisConnection::Open(redis_.options()));
      reader_timeout_ms_ = redis_.options().timeout_ms;
      // Redis may have restarted: our pending entries may have been read by nobody since.
      own_pending_cursor_ = "0";
      reading_own_pending_ = true;
    }
    int wanted = std::max(block_ms, 0) + redis_.options().timeout_ms;
    if (wanted != reader_timeout_ms_) {
      WAHANA_RETURN_IF_ERROR(reader_->SetTimeoutMs(wanted));
      reader_timeout_ms_ = wanted;
    }
    return reader_.get();
  }

  // Takes over entries idle longer than claim_idle_ms, from any consumer (ourselves included:
  // that is how a failed entry is retried).
  absl::StatusOr<int> Reclaim() {
    WAHANA_ASSIGN_OR_RETURN(
        RedisReply reply,
        redis_.Command({"XAUTOCLAIM", options_.stream, options_.group, options_.consumer,
                        std::to_string(options_.claim_idle_ms), autoclaim_cursor_, "COUNT",
                        std::to_string(options_.batch_size)}));
    if (reply.type != RedisReply::Type::kArray || reply.elements.size() < 2) {
      return absl::InternalError("stream consumer: unexpected XAUTOCLAIM reply");
    }
    autoclaim_cursor_ = reply.elements[0].str;
    WAHANA_ASSIGN_OR_RETURN(std::vector<Entry> entries, ToEntries(reply.elements[1]));
    return HandleBatch(entries, /*fresh=*/false);
  }

  absl::StatusOr<int> ReadAndHandle(int block_ms) {
    if (reading_own_pending_) {
      WAHANA_ASSIGN_OR_RETURN(std::vector<Entry> entries, Read(own_pending_cursor_, 0));
      if (!entries.empty()) {
        own_pending_cursor_ = entries.back().id;
        return HandleBatch(entries, /*fresh=*/false);
      }
      reading_own_pending_ = false;  // all caught up: from now on, new entries only
    }
    WAHANA_ASSIGN_OR_RETURN(std::vector<Entry> entries, Read(">", block_ms));
    return HandleBatch(entries, /*fresh=*/true);
  }

  // XREADGROUP from `id` ("0"-based history of our own pending entries, or ">" for new ones).
  absl::StatusOr<std::vector<Entry>> Read(const std::string& id, int block_ms) {
    WAHANA_ASSIGN_OR_RETURN(RedisConnection * reader, Reader(block_ms));
    std::vector<std::string> argv = {"XREADGROUP",   "GROUP",
                                     options_.group, options_.consumer,
                                     "COUNT",        std::to_string(options_.batch_size)};
    // BLOCK 0 would mean "forever", so 0 means no BLOCK.
    if (block_ms > 0) argv.insert(argv.end(), {"BLOCK", std::to_string(block_ms)});
    argv.insert(argv.end(), {"STREAMS", options_.stream, id});
    WAHANA_ASSIGN_OR_RETURN(RedisReply reply, reader->Command(argv));
    // [[stream, [entry, ...]]], or nil when the block timed out.
    if (reply.type == RedisReply::Type::kArray && !reply.elements.empty()) {
      const RedisReply& stream = reply.elements[0];
      if (stream.type == RedisReply::Type::kArray && stream.elements.size() == 2) {
        return ToEntries(stream.elements[1]);
      }
    }
    return std::vector<Entry>{};
  }

  // `fresh`: read with '>', so this is the first delivery; otherwise the count comes from Redis.
  absl::StatusOr<int> HandleBatch(const std::vector<Entry>& entries, bool fresh) {
    if (entries.empty()) return 0;
    // Parse everything, then fetch the dedupe markers and delivery counts in one round trip.
    std::vector<absl::StatusOr<wahana::common::v1::Envelope>> parsed;
    parsed.reserve(entries.size());
    std::vector<std::vector<std::string>> lookups;
    for (const Entry& entry : entries) {
      parsed.push_back(entry.deleted ? absl::NotFoundError("deleted")
                                     : ParseEntryFields(entry.fields));
      if (!parsed.back().ok()) continue;
      lookups.push_back({"EXISTS", DoneKey(parsed.back()->message_id())});
      if (!fresh) {
        lookups.push_back({"XPENDING", options_.stream, options_.group, entry.id, entry.id, "1"});
      }
    }
    std::vector<RedisReply> looked_up;
    if (!lookups.empty()) {
      WAHANA_ASSIGN_OR_RETURN(looked_up, redis_.Pipeline(lookups));
    }

    int handled = 0;
    size_t next_lookup = 0;
    // Message ids handled in this batch: their markers were not there when looked up above.
    std::set<std::string> done_here;
    for (size_t i = 0; i < entries.size(); ++i) {
      // Stop() finishes the message in hand; the rest stay pending for the next start.
      if (in_thread_ && StopRequested()) break;
      const Entry& entry = entries[i];
      if (entry.deleted) {
        // Trimmed or deleted while pending: nothing to handle, only the PEL slot to free.
        WAHANA_RETURN_IF_ERROR(
            redis_.Command({"XACK", options_.stream, options_.group, entry.id}).status());
        continue;
      }
      if (!parsed[i].ok()) {
        WAHANA_RETURN_IF_ERROR(
            DeadLetter(entry, absl::StrCat("poison: ", parsed[i].status().message())));
        ++handled;
        continue;
      }
      const wahana::common::v1::Envelope& envelope = *parsed[i];
      const RedisReply& exists = looked_up.at(next_lookup++);
      int64_t deliveries = 1;
      if (!fresh) {
        const RedisReply& pending = looked_up.at(next_lookup++);
        if (pending.is_error()) return RedisErrorToStatus(pending.str);
        if (pending.type != RedisReply::Type::kArray || pending.elements.empty()) {
          continue;  // no longer pending: another consumer acked it meanwhile
        }
        const RedisReply& row = pending.elements[0];
        if (row.elements.size() >= 4) deliveries = row.elements[3].integer;
      }
      if (exists.is_error()) return RedisErrorToStatus(exists.str);
      if (exists.integer > 0 || done_here.count(envelope.message_id()) > 0) {
        // Handled before (a crash between effect and ack, or the same message appended twice).
        WAHANA_RETURN_IF_ERROR(
            redis_.Command({"XACK", options_.stream, options_.group, entry.id}).status());
        ++handled;
        continue;
      }
      if (deliveries > options_.max_deliveries) {
        // Earlier deliveries ended without a result (the process died handling it).
        WAHANA_RETURN_IF_ERROR(
            DeadLetter(entry, absl::StrCat("delivered ", deliveries, " times without success (max ",
                                           options_.max_deliveries, ")")));
        ++handled;
        continue;
      }
      absl::Status result = CallHandler(envelope, entry.id);
      if (result.ok()) {
        WAHANA_RETURN_IF_ERROR(AckDone(envelope.message_id(), entry.id));
        done_here.insert(envelope.message_id());
        ++handled;
        continue;
      }
      if (IsPermanentFailure(result)) {
        WAHANA_RETURN_IF_ERROR(DeadLetter(
            entry,
            absl::StrCat("permanent failure on delivery ", deliveries, ": ", result.ToString())));
        ++handled;
        continue;
      }
      if (deliveries >= options_.max_deliveries) {
        WAHANA_RETURN_IF_ERROR(DeadLetter(
            entry,
            absl::StrCat("handler failed ", deliveries, " times, last: ", result.ToString())));
        ++handled;
        continue;
      }
      spdlog::warn("stream {} group {}: message {} (entry {}) failed on delivery {} of {}: {}",
                   options_.stream, options_.group, envelope.message_id(), entry.id, deliveries,
                   options_.max_deliveries, result.ToString());
    }
    return handled;
  }

  absl::Status CallHandler(const wahana::common::v1::Envelope& envelope,
                           const std::string& entry_id) {
    try {
      return handler_(envelope, entry_id);
    } catch (const std::exception& e) {
      return absl::InternalError(absl::StrCat("handler threw: ", e.what()));
    } catch (...) {
      return absl::InternalError("handler threw a non-standard exception");
    }
  }

  absl::Status AckDone(const std::string& message_id, const std::string& entry_id) {
    WAHANA_RETURN_IF_ERROR(
        redis_
            .Eval(AckDoneScript(), {options_.stream, DoneKey(message_id)},
                  {options_.group, entry_id, std::to_string(options_.dedupe_ttl_s)})
            .status());
    ++acks_since_trim_;
    return absl::OkStatus();
  }

  absl::Status DeadLetter(const Entry& entry, const std::string& reason) {
    std::vector<std::string> args = {options_.group, entry.id, reason};
    args.insert(args.end(), entry.fields.begin(), entry.fields.end());
    WAHANA_ASSIGN_OR_RETURN(
        RedisReply reply, redis_.Eval(DeadLetterScript(),
                                      {options_.stream, DeadLetterStream(options_.stream)}, args));
    if (reply.integer == 1) {
      spdlog::error("stream {} group {}: entry {} moved to {}: {}", options_.stream, options_.group,
                    entry.id, DeadLetterStream(options_.stream), reason);
    }
    return absl::OkStatus();
  }

  void MaybeTrim() {
    auto now = Clock::now();
    if (acks_since_trim_ < kTrimEveryAcks && now - last_trim_ < kTrimInterval) return;
    acks_since_trim_ = 0;
    last_trim_ = now;
    auto removed = TrimConsumedEntries(redis_, options_.stream, options_.max_len);
    if (!removed.ok()) {
      spdlog::warn("stream {}: trimming failed: {}", options_.stream, removed.status().ToString());
    } else if (*removed > 0) {
      spdlog::info("stream {}: trimmed {} consumed entries", options_.stream, *removed);
    }
  }

  void Run() {
    in_thread_ = true;
    auto backoff = kFirstBackoff;
    bool failing = false;
    while (!StopRequested()) {
      absl::Status status;
      // Last resort: nothing may escape the thread (std::terminate would take the service down
      // without a word about why).
      try {
        // Never 0 here: an idle stream must block the loop, not spin it.
        status = PollOnce(std::max(options_.block_ms, kMinBlockMs)).status();
      } catch (const std::exception& e) {
        status = absl::InternalError(absl::StrCat("unexpected exception: ", e.what()));
      } catch (...) {
        status = absl::InternalError("unexpected non-standard exception");
      }
      if (status.ok()) {
        if (failing) {
          spdlog::info("stream {} group {}: consuming again", options_.stream, options_.group);
        }
        failing = false;
        backoff = kFirstBackoff;
        continue;
      }
      // Log the first failure of a run of them, not every retry.
      if (!failing) {
        spdlog::warn("stream {} group {}: {}; retrying with backoff", options_.stream,
                     options_.group, status.ToString());
      }
      failing = true;
      if (status.code() == absl::StatusCode::kUnavailable) reader_.reset();
      {
        absl::MutexLock lock(&mu_);  // a Stop() ends the wait at once
        mu_.AwaitWithTimeout(absl::Condition(&stop_), absl::FromChrono(backoff));
      }
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
    }
    in_thread_ = false;
  }

  RedisClient& redis_;
  const StreamConsumerOptions options_;
  const Handler handler_;

  // Touched only by the consuming thread (or by the PollOnce caller).
  std::unique_ptr<RedisConnection> reader_;
  int reader_timeout_ms_ = 0;
  bool in_thread_ = false;  // PollOnce runs on the consuming thread: Stop() may cut a batch
  bool group_ready_ = false;
  bool reading_own_pending_ = true;
  std::string own_pending_cursor_ = "0";
  std::string autoclaim_cursor_ = "0-0";
  int acks_since_trim_ = 0;
  Clock::time_point last_trim_ = Clock::now();

  std::thread thread_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
};

StreamConsumer::StreamConsumer(RedisClient& redis, StreamConsumerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(redis, std::move(options), std::move(handler))) {}

StreamConsumer::~StreamConsumer() = default;

absl::Status StreamConsumer::Start() { return impl_->Start(); }

void StreamConsumer::Stop() { impl_->Stop(); }

absl::StatusOr<int> StreamConsumer::PollOnce(int block_ms) { return impl_->PollOnce(block_ms); }

}  // namespace wahana
