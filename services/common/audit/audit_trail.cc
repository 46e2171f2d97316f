#include "common/audit/audit_trail.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/audit/audit_index.h"
#include "common/audit/forwarded_address.h"
#include "common/ids/time_ordered_id.h"

namespace wahana {
namespace {

// KEYS: stream, head, then the subject indexes the batch touches.
// ARGV: expected seq, expected hash, entry count, genesis hash, writer id, then per entry: seq,
//       prev, hash, entry bytes, subject, action, who (readable copies), index count, that many
//       KEYS positions.
// Answers {1, id...} when written; {0, seq, hash} (the current head) when the head moved;
// {2, seq, hash} when another writer holds the turn.
//
// Hashes are HMACs computed by the writer, so a writer that meets a moved head must read it,
// re-seal and try again, and a writer that just wrote (its cached head is right) would win that
// race every time: two busy replicas starved each other's batches. The loser therefore claims
// the next turn (kept on the head for a second); others wait until it has written.
const LuaScript& AppendScript() {
  static const LuaScript* const kScript = new LuaScript(R"lua(
local head = redis.call('HMGET', KEYS[2], 'seq', 'hash', 'claim', 'claim_until')
local seq = head[1] or '0'
local hash = head[2] or ARGV[4]
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if head[3] and head[3] ~= ARGV[5] and tonumber(head[4]) > now_ms then
  return {2, seq, hash}
end
if seq ~= ARGV[1] or hash ~= ARGV[2] then
  redis.call('HSET', KEYS[2], 'claim', ARGV[5], 'claim_until', now_ms + 1000)
  return {0, seq, hash}
end
local n = tonumber(ARGV[3])
local i = 6
local ids = {1}
local last_seq, last_hash, last_id
for e = 1, n do
  local id = redis.call('XADD', KEYS[1], '*', 'seq', ARGV[i], 'prev', ARGV[i + 1],
                        'hash', ARGV[i + 2], 'entry', ARGV[i + 3], 'subject', ARGV[i + 4],
                        'action', ARGV[i + 5], 'who', ARGV[i + 6])
  last_seq, last_hash, last_id = ARGV[i], ARGV[i + 2], id
  ids[#ids + 1] = id
  local k = tonumber(ARGV[i + 7])
  i = i + 8
  for j = 1, k do
    redis.call('RPUSH', KEYS[tonumber(ARGV[i])], id)
    i = i + 1
  end
end
redis.call('HSET', KEYS[2], 'seq', last_seq, 'hash', last_hash, 'id', last_id)
if head[3] then redis.call('HDEL', KEYS[2], 'claim', 'claim_until') end
return ids
)lua");
  return *kScript;
}

}  // namespace

absl::StatusOr<AuditHead> ReadAuditHead(RedisClient& redis, const AuditKeys& keys) {
  absl::StatusOr<RedisReply> reply = redis.Command({"HMGET", keys.head, "seq", "hash"});
  if (!reply.ok()) return reply.status();
  AuditHead head;
  if (reply->elements.size() != 2) return absl::InternalError("audit head: unexpected reply");
  if (!reply->elements[0].is_nil() && !absl::SimpleAtoi(reply->elements[0].str, &head.sequence)) {
    return absl::InternalError(absl::StrCat(keys.head, ": seq is not a number"));
  }
  if (!reply->elements[1].is_nil()) head.hash = reply->elements[1].str;
  return head;
}

AuditTrail::AuditTrail(RedisClient& redis, std::string service, const std::string& region,
                       std::string chain_key, AuditTrailOptions options)
    : redis_(redis),
      service_(std::move(service)),
      keys_(service_, region),
      forwarding_key_(DeriveForwardingKey(chain_key)),
      chain_(std::move(chain_key)),
      options_(options),
      writer_id_(TimeOrderedIdGenerator::Default().Next()) {
  writer_ = std::thread([this] { Loop(); });
}

AuditTrail::~AuditTrail() { Stop(); }

void AuditTrail::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (writer_.joinable()) writer_.join();
}

void AuditTrail::Append(audit::v1::AuditEntry entry, Done done) {
  entry.set_service(service_);
  std::vector<std::string> subjects = IndexedSubjects(entry);
  {
    absl::MutexLock lock(&mu_);
    if (!stop_) {
      queue_.push_back({std::move(entry), std::move(subjects), std::move(done)});
      return;
    }
  }
  failures_.fetch_add(1);
  done(absl::UnavailableError("audit trail stopped"));
}

absl::Status AuditTrail::AppendAndWait(audit::v1::AuditEntry entry) {
  auto result = std::make_shared<std::promise<absl::Status>>();
  std::future<absl::Status> written = result->get_future();
  Append(std::move(entry), [result](const absl::Status& status) { result->set_value(status); });
  return written.get();
}

void AuditTrail::Loop() {
  for (;;) {
    std::vector<Pending> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &AuditTrail::HasWorkOrStopping));
      if (queue_.empty()) return;  // stopping, everything written
      while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    absl::Status status = Write(batch);
    if (!status.ok()) {
      failures_.fetch_add(static_cast<int64_t>(batch.size()));
      spdlog::error("audit trail {}: {} entries not written: {}", keys_.stream, batch.size(),
                    status.ToString());
    }
    for (Pending& pending : batch) pending.done(status);
  }
}

absl::Status AuditTrail::Write(std::vector<Pending>& batch) {
  // The index keys, each once; entries refer to them by KEYS position.
  std::vector<std::string> keys = {keys_.stream, keys_.head};
  std::map<std::string, int> position;
  for (const Pending& pending : batch) {
    for (const std::string& subject : pending.subjects) {
      auto [it, added] = position.emplace(subject, static_cast<int>(keys.size()) + 1);
      if (added) keys.push_back(keys_.SubjectIndex(subject));
    }
  }
  std::vector<audit::v1::AuditEntry> entries;
  entries.reserve(batch.size());
  for (const Pending& pending : batch) entries.push_back(pending.entry);

  const absl::Time give_up = absl::Now() + options_.max_wait_for_turn;
  int conflicts = 0;
  for (;;) {
    if (!head_.has_value()) {
      absl::StatusOr<AuditHead> head = ReadAuditHead(redis_, keys_);
      if (!head.ok()) return head.status();
      head_ = *head;
    }
    std::vector<SealedAuditEntry> sealed = chain_.Seal(*head_, entries);
    std::vector<std::string> args = {std::to_string(head_->sequence), head_->hash,
                                     std::to_string(sealed.size()), kGenesisHash, writer_id_};
    for (size_t e = 0; e < sealed.size(); ++e) {
      const audit::v1::AuditEntry& entry = entries[e];
      args.push_back(std::to_string(sealed[e].sequence));
      args.push_back(sealed[e].prev);
      args.push_back(sealed[e].hash);
      args.push_back(std::move(sealed[e].bytes));
      // subject, action, who: in the order the script writes them.
      for (auto& [name, value] : ReadableAuditFields(entry)) args.push_back(std::move(value));
      args.push_back(std::to_string(batch[e].subjects.size()));
      for (const std::string& subject : batch[e].subjects) {
        args.push_back(std::to_string(position[subject]));
      }
    }
    scripts_.fetch_add(1);
    absl::StatusOr<RedisReply> reply = redis_.Eval(AppendScript(), keys, args);
    if (!reply.ok()) {
      head_.reset();  // unknown whether it was written: read the head again next time
      return reply.status();
    }
    if (reply->type != RedisReply::Type::kArray || reply->elements.empty()) {
      head_.reset();
      return absl::InternalError("audit append: unexpected reply");
    }
    const int64_t outcome = reply->elements[0].integer;
    if (outcome == 1) {
      head_ = AuditHead{sealed.back().sequence, sealed.back().hash};
      return absl::OkStatus();
    }
    // Another writer appended (0) or holds the turn (2): chain after the head it answered.
    AuditHead current;
    if (reply->elements.size() != 3 ||
        !absl::SimpleAtoi(reply->elements[1].str, &current.sequence)) {
      head_.reset();
      return absl::InternalError("audit append: unexpected conflict reply");
    }
    current.hash = reply->elements[2].str;
    head_ = current;
    if (outcome == 0) {
      if (++conflicts >= options_.max_attempts) {
        return absl::UnavailableError(
            absl::StrCat("audit trail ", keys_.stream, ": head kept moving, batch not written"));
      }
      continue;  // this writer now holds the turn
    }
    if (absl::Now() > give_up) {
      return absl::UnavailableError(absl::StrCat(
          "audit trail ", keys_.stream, ": another writer held the turn, batch not written"));
    }
    absl::SleepFor(absl::Milliseconds(1));
  }
}

}  // namespace wahana
