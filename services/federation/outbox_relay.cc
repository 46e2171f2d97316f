#include "federation/outbox_relay.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/bus/bus_contract.h"
#include "common/federation/signed_batch.h"
#include "common/ids/time_ordered_id.h"
#include "common/status/status_macros.h"
#include "federation/batch_receiver.h"
#include "federation/federation_keys.h"
#include "federation/stream_sequence.h"

namespace wahana {
namespace {

using wahana::federation::v1::Batch;
using wahana::federation::v1::FederationMessage;

// The relay's one consumer name: one replica relays at a time (the lease), and a successor picks
// up its predecessor's pending entries under the same name, in order.
constexpr char kRelayConsumer[] = "relay";
constexpr int kLeaseMs = 15000;

struct OutboxEntry {
  std::string id;
  std::vector<std::string> fields;  // name, value, ...
};

// The entries of an XREADGROUP reply (nil on timeout).
std::vector<OutboxEntry> EntriesOf(const RedisReply& reply) {
  std::vector<OutboxEntry> entries;
  if (reply.type != RedisReply::Type::kArray || reply.elements.empty()) return entries;
  const RedisReply& stream = reply.elements[0];
  if (stream.elements.size() < 2) return entries;
  for (const RedisReply& entry : stream.elements[1].elements) {
    if (entry.elements.size() < 2) continue;
    OutboxEntry out{entry.elements[0].str, {}};
    for (const RedisReply& field : entry.elements[1].elements) out.fields.push_back(field.str);
    entries.push_back(std::move(out));
  }
  return entries;
}

// SET the lease to our token when free, or extend it when ours. 1 when held.
const LuaScript& HoldLeaseScript() {
  static const LuaScript kScript(R"lua(
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
)lua");
  return kScript;
}

}  // namespace

OutboxRelay::OutboxRelay(RedisClient& redis, RelayOptions options,
                         std::shared_ptr<const Ed25519PrivateKey> key,
                         std::shared_ptr<FederationPeer> peer)
    : redis_(redis),
      options_(std::move(options)),
      key_(std::move(key)),
      peer_(std::move(peer)),
      lease_token_(TimeOrderedIdGenerator::Default().Next()),
      random_(std::random_device{}()) {}

OutboxRelay::~OutboxRelay() { Stop(); }

absl::Status OutboxRelay::CreateGroup() {
  auto created =
      redis_.Command({"XGROUP", "CREATE", options_.outbox, options_.group, "0", "MKSTREAM"});
  if (!created.ok() && !absl::StrContains(created.status().message(), "BUSYGROUP")) {
    return created.status();
  }
  return absl::OkStatus();
}

absl::Status OutboxRelay::Start() {
  WAHANA_RETURN_IF_ERROR(CreateGroup());
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void OutboxRelay::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

bool OutboxRelay::HoldLease() {
  auto held = redis_.Eval(HoldLeaseScript(),
                          {RelayLeaseKey(options_.region, options_.outbox, options_.group)},
                          {lease_token_, std::to_string(kLeaseMs)});
  return held.ok() && held->integer == 1;
}

absl::Duration OutboxRelay::RetryDelay(int attempt) {
  absl::Duration delay = options_.first_retry;
  for (int i = 1; i < attempt && delay < options_.max_retry; ++i) delay *= 2;
  delay = std::min(delay, options_.max_retry);
  std::uniform_real_distribution<double> half(0.5, 1.0);
  return delay * half(random_);
}

void OutboxRelay::Run() {
  int failures = 0;
  std::string last_logged;
  while (true) {
    absl::Duration pause = absl::ZeroDuration();
    if (!HoldLease()) {
      pause = absl::Seconds(2);  // another replica relays (or Redis is away)
    } else {
      absl::StatusOr<int> sent = RelayOnce(options_.block_ms);
      if (sent.ok() && *sent == 0 && absl::Now() - last_contact_ >= options_.heartbeat) {
        absl::Status beat = Heartbeat();
        if (!beat.ok()) sent = beat;
      }
      if (sent.ok()) {
        if (failures > 0) spdlog::info("federation: link to {} back", options_.peer);
        failures = 0;
        last_logged.clear();
      } else {
        ++failures;
        pause = RetryDelay(failures);
        // One line per distinct failure, not one per retry of an outage.
        if (sent.status().ToString() != last_logged) {
          last_logged = sent.status().ToString();
          spdlog::warn("federation: sending to {} failed (retrying with backoff): {}",
                       options_.peer, last_logged);
        }
      }
    }
    // Waits out the pause, or less when Stop() comes.
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), pause);
    if (stopping_) return;
  }
}

absl::Status OutboxRelay::RecordFailure(const absl::Status& status) {
  const std::string link = LinkKey(options_.region, kOutbound, options_.peer);
  auto recorded =
      redis_.Command({"HSET", link, "last_error", std::string(status.message()), "last_error_time",
                      std::to_string(absl::ToUnixMillis(absl::Now()))});
  if (!recorded.ok())
    spdlog::debug("federation: failure not recorded: {}", recorded.status().ToString());
  return status;
}

wahana::federation::v1::Batch OutboxRelay::NewBatch() const {
  Batch batch;
  batch.set_origin(options_.region);
  batch.set_channel(options_.channel);
  batch.mutable_sent_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  return batch;
}

absl::Status OutboxRelay::Heartbeat() {
  absl::StatusOr<wahana::federation::v1::DeliverResponse> answer =
      peer_->Deliver(SignBatch(NewBatch(), *key_), options_.deadline);
  if (!answer.ok()) return RecordFailure(answer.status());
  last_contact_ = absl::Now();
  // The peer answered: an error from before (it was away) is over.
  const std::string link = LinkKey(options_.region, kOutbound, options_.peer);
  return redis_
      .Pipeline(
          {{"HSET", link, "last_contact_time", std::to_string(absl::ToUnixMillis(last_contact_))},
           {"HDEL", link, "last_error", "last_error_time"}})
      .status();
}

absl::StatusOr<int> OutboxRelay::RelayOnce(int block_ms) {
  const std::string count = std::to_string(options_.batch_size);
  // Pending entries first (a batch not yet acknowledged), in order; then new ones.
  WAHANA_ASSIGN_OR_RETURN(RedisReply pending,
                          redis_.Command({"XREADGROUP", "GROUP", options_.group, kRelayConsumer,
                                          "COUNT", count, "STREAMS", options_.outbox, "0"}));
  std::vector<OutboxEntry> entries = EntriesOf(pending);
  if (entries.empty()) {
    WAHANA_ASSIGN_OR_RETURN(
        RedisReply fresh,
        redis_.Command({"XREADGROUP", "GROUP", options_.group, kRelayConsumer, "COUNT", count,
                        "BLOCK", std::to_string(block_ms), "STREAMS", options_.outbox, ">"}));
    entries = EntriesOf(fresh);
  }
  if (entries.empty()) return 0;

  Batch batch = NewBatch();
  std::vector<std::string> dead, skipped;
  for (const OutboxEntry& entry : entries) {
    absl::StatusOr<std::optional<FederationMessage>> read = options_.read_entry(entry.fields);
    if (!read.ok()) {
      spdlog::error("federation: entry {} of {} set aside: {}", entry.id, options_.outbox,
                    read.status().ToString());
      std::vector<std::string> copy = {
          "XADD",   DeadLetterStreamKey(options_.outbox), "*", "source_id", entry.id,
          "reason", std::string(read.status().message())};
      copy.insert(copy.end(), entry.fields.begin(), entry.fields.end());
      WAHANA_RETURN_IF_ERROR(redis_.Command(copy).status());
      dead.push_back(entry.id);
      continue;
    }
    if (!read->has_value()) {
      skipped.push_back(entry.id);
      continue;
    }
    FederationMessage* message = batch.add_messages();
    *message = **std::move(read);
    message->set_sequence(entry.id);
  }
  if (!dead.empty()) {
    std::vector<std::string> ack = {"XACK", options_.outbox, options_.group};
    ack.insert(ack.end(), dead.begin(), dead.end());
    WAHANA_RETURN_IF_ERROR(redis_.Command(ack).status());
  }
  if (batch.messages_size() == 0) {
    // Nothing the channel carries: the entries read are done with.
    if (!skipped.empty()) {
      std::vector<std::string> ack = {"XACK", options_.outbox, options_.group};
      ack.insert(ack.end(), skipped.begin(), skipped.end());
      WAHANA_RETURN_IF_ERROR(redis_.Command(ack).status());
    }
    return static_cast<int>(skipped.size() + dead.size());
  }

  absl::StatusOr<wahana::federation::v1::DeliverResponse> answer =
      peer_->Deliver(SignBatch(batch, *key_), options_.deadline);
  if (!answer.ok()) return RecordFailure(answer.status());
  last_contact_ = absl::Now();

  // Acknowledge what the province's mark covers (all of it, unless it answered an older mark).
  const auto mark = ParseStreamSequence(answer->high_water_mark());
  std::vector<std::string> ack = {"XACK", options_.outbox, options_.group};
  for (const FederationMessage& message : batch.messages()) {
    if (ParseStreamSequence(message.sequence()) <= mark) ack.push_back(message.sequence());
  }
  const int acknowledged = static_cast<int>(ack.size()) - 3;
  // The skipped entries go with a batch the province took whole (else they are read again).
  if (acknowledged == batch.messages_size()) ack.insert(ack.end(), skipped.begin(), skipped.end());
  const std::string link = LinkKey(options_.region, kOutbound, options_.peer);
  const std::string channel = ChannelName(options_.channel);
  WAHANA_ASSIGN_OR_RETURN(
      std::vector<RedisReply> replies,
      redis_.Pipeline(
          {acknowledged > 0 ? ack : std::vector<std::string>{"PING"},
           {"HSET", link, absl::StrCat(channel, ":hwm"), answer->high_water_mark(),
            absl::StrCat(channel, ":last_batch_time"),
            std::to_string(absl::ToUnixMillis(last_contact_)), "last_contact_time",
            std::to_string(absl::ToUnixMillis(last_contact_))},
           {"HINCRBY", link, absl::StrCat(channel, ":messages"), std::to_string(acknowledged)},
           {"HDEL", link, "last_error", "last_error_time"}}));
  for (const RedisReply& reply : replies) {
    if (reply.is_error()) return absl::InternalError(absl::StrCat("after a batch: ", reply.str));
  }
  // Acknowledged entries are the province's now: free them, exactly up to the last one (the
  // relay's group is the outbox's only reader, and acknowledges in order).
  if (acknowledged > 0 && options_.sole_reader) {
    const auto last = ParseStreamSequence(batch.messages(acknowledged - 1).sequence());
    WAHANA_RETURN_IF_ERROR(redis_
                               .Command({"XTRIM", options_.outbox, "MINID",
                                         absl::StrCat(last->first, "-", last->second + 1)})
                               .status());
  }
  if (acknowledged < batch.messages_size()) {
    // The rest stays pending and goes again.
    return RecordFailure(absl::InternalError(absl::StrCat(
        "the province's high-water mark ", answer->high_water_mark(), " is behind the batch sent (",
        batch.messages(batch.messages_size() - 1).sequence(), ")")));
  }
  return acknowledged;
}

}  // namespace wahana
