#include "federation/batch_receiver.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/bus/atomic_write.h"
#include "common/bus/bus_contract.h"
#include "common/bus/envelope.h"
#include "common/federation/aggregate_outbox.h"
#include "common/federation/signed_batch.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "federation/federation_keys.h"
#include "federation/stream_sequence.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

using wahana::federation::v1::Batch;
using wahana::federation::v1::DeliverResponse;
using wahana::federation::v1::FederationMessage;
using wahana::federation::v1::InboundAggregates;
using wahana::federation::v1::SignedBatch;

// Concurrent deliveries of one origin's channel (two replicas, a retry racing its original):
// the loser of the mark's guard reads the mark again.
constexpr int kApplyAttempts = 5;

bool After(const std::string& sequence, const std::string& mark) {
  return ParseStreamSequence(sequence) > ParseStreamSequence(mark);
}

// A referral names its case and lies in the origin's region (its village).
absl::Status CheckReferral(const FederationMessage& message, const std::string& origin,
                           const std::string& what) {
  if (!message.has_referral())
    return absl::InvalidArgumentError(absl::StrCat(what, ": no referral"));
  const wahana::federation::v1::ProvinceReferral& referral = message.referral();
  if (referral.case_id().empty() || referral.case_id().size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": referral.caseId required"));
  }
  absl::StatusOr<RegionLevelKind> level =
      ParseRegionCode(referral.village_code(), "referral.villageCode");
  if (!level.ok() || *level != RegionLevelKind::kVillage) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": referral.villageCode is not a village code"));
  }
  if (!RegionWithin(referral.village_code(), origin)) {
    return absl::PermissionDeniedError(absl::StrCat(what, ": region ", referral.village_code(),
                                                    " is outside the origin's region ", origin));
  }
  return absl::OkStatus();
}

// An answer is about a case of this district (`region`), names it and says something it can say.
absl::Status CheckReferralAnswer(const FederationMessage& message, const std::string& region,
                                 const std::string& what) {
  if (!message.has_referral_answer()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": no referralAnswer"));
  }
  const wahana::federation::v1::ReferralAnswer& answer = message.referral_answer();
  if (answer.region() != region) {
    return absl::PermissionDeniedError(absl::StrCat(
        what, ": an answer for ", answer.region().substr(0, 16), " sent to district ", region));
  }
  if (answer.case_id().empty() || answer.case_id().size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": referralAnswer.caseId required"));
  }
  if (answer.referral_number() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": referralAnswer.referralNumber: 1 or more"));
  }
  // The case service checks the status and the answer's size again, as it does any answer.
  if (!wahana::cases::v1::ReferralStatus_IsValid(answer.status())) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": referralAnswer.status unknown"));
  }
  return absl::OkStatus();
}

}  // namespace

const char* ChannelName(wahana::federation::v1::Channel channel) {
  switch (channel) {
    case wahana::federation::v1::CHANNEL_AGGREGATES:
      return "aggregates";
    case wahana::federation::v1::CHANNEL_REFERRALS:
      return "referrals";
    case wahana::federation::v1::CHANNEL_REFERRAL_ANSWERS:
      return "referral_answers";
    default:
      return "unspecified";
  }
}

BatchReceiver::BatchReceiver(RedisClient& redis, std::string region,
                             std::shared_ptr<const RegisteredDistricts> districts,
                             std::function<absl::Time()> now)
    : redis_(redis),
      region_(std::move(region)),
      province_(true),
      now_(now ? std::move(now) : [] { return absl::Now(); }) {
  for (const auto& [code, district] : districts->all()) {
    senders_.emplace(code, district.key);
  }
}

BatchReceiver::BatchReceiver(RedisClient& redis, std::string region,
                             const Ed25519PublicKey& province_key, std::function<absl::Time()> now)
    : redis_(redis),
      region_(std::move(region)),
      province_(false),
      now_(now ? std::move(now) : [] { return absl::Now(); }) {
  senders_.emplace(ParentRegionCode(region_), province_key);
}

absl::Status BatchReceiver::Refuse(const std::string& origin, absl::Status status) {
  spdlog::warn("federation: batch from {} refused: {}", origin, status.ToString());
  const std::string link = LinkKey(region_, kInbound, origin);
  // Counting is best effort: the refusal stands whether or not Redis records it.
  auto counted = redis_.Pipeline({{"HINCRBY", link, "refused_batches", "1"},
                                  {"HSET", link, "last_error", std::string(status.message()),
                                   "last_error_time", std::to_string(absl::ToUnixMillis(now_()))}});
  if (!counted.ok())
    spdlog::warn("federation: refusal not counted: {}", counted.status().ToString());
  return status;
}

absl::StatusOr<DeliverResponse> BatchReceiver::Receive(const SignedBatch& signed_batch) {
  auto found = senders_.find(signed_batch.origin());
  if (found == senders_.end()) {
    // Not counted: an unknown origin has no link, and must not be able to make keys.
    spdlog::warn("federation: batch from unregistered origin \"{}\" refused",
                 signed_batch.origin().substr(0, 32));
    return absl::UnauthenticatedError(
        absl::StrCat("origin: ", signed_batch.origin().substr(0, 32), " is not ",
                     province_ ? "a district registered with " : "the province of ", region_));
  }
  const std::string& origin = found->first;  // a district, or a district's province
  absl::StatusOr<Batch> batch = OpenSignedBatch(signed_batch, found->second);
  if (!batch.ok()) return Refuse(origin, batch.status());
  const wahana::federation::v1::Channel channel = batch->channel();
  const bool referrals = channel == wahana::federation::v1::CHANNEL_REFERRALS;
  const bool answers = channel == wahana::federation::v1::CHANNEL_REFERRAL_ANSWERS;
  if (province_ ? !referrals && channel != wahana::federation::v1::CHANNEL_AGGREGATES : !answers) {
    return Refuse(origin, absl::InvalidArgumentError(province_ ? "channel: aggregates or referrals"
                                                               : "channel: referral_answers"));
  }
  std::string previous;
  for (const FederationMessage& message : batch->messages()) {
    const std::string what = absl::StrCat("message ", message.sequence());
    if (!ParseStreamSequence(message.sequence()).has_value()) {
      return Refuse(origin, absl::InvalidArgumentError(
                                absl::StrCat(what, ": sequence is not a stream entry id")));
    }
    if (!previous.empty() && !After(message.sequence(), previous)) {
      return Refuse(origin,
                    absl::InvalidArgumentError(absl::StrCat(what, ": sequences must increase")));
    }
    previous = message.sequence();
    absl::Status checked = answers     ? CheckReferralAnswer(message, region_, what)
                           : referrals ? CheckReferral(message, origin, what)
                           : message.has_aggregates()
                               ? CheckAggregateChange(message.aggregates(), origin, what)
                               : absl::InvalidArgumentError(absl::StrCat(what, ": no aggregates"));
    if (!checked.ok()) return Refuse(origin, checked);
  }
  return Apply(*batch);
}

absl::StatusOr<DeliverResponse> BatchReceiver::Apply(const Batch& batch) {
  const std::string link = LinkKey(region_, kInbound, batch.origin());
  const std::string channel = ChannelName(batch.channel());
  const std::string mark_field = absl::StrCat(channel, ":hwm");
  // A first batch finds a mark to guard on.
  WAHANA_RETURN_IF_ERROR(redis_.Command({"HSETNX", link, mark_field, "0-0"}).status());
  for (int attempt = 0; attempt < kApplyAttempts; ++attempt) {
    WAHANA_ASSIGN_OR_RETURN(RedisReply mark_reply, redis_.Command({"HGET", link, mark_field}));
    const std::string mark = mark_reply.is_nil() ? "0-0" : mark_reply.str;
    // The new messages, as the province's services read them: aggregates summed into one
    // message, each referral a message of its own.
    std::vector<const FederationMessage*> fresh;
    for (const FederationMessage& message : batch.messages()) {
      if (After(message.sequence(), mark)) fresh.push_back(&message);  // else applied before
    }
    std::vector<wahana::common::v1::Envelope> envelopes;
    if (!fresh.empty() && batch.channel() == wahana::federation::v1::CHANNEL_AGGREGATES) {
      InboundAggregates inbound;
      inbound.set_origin(batch.origin());
      inbound.set_first_sequence(fresh.front()->sequence());
      inbound.set_last_sequence(fresh.back()->sequence());
      inbound.set_messages(static_cast<int32_t>(fresh.size()));
      AggregateChangeSum sum;  // one pass over the batch (AddAggregateChange per message is n^2)
      for (const FederationMessage* message : fresh) sum.Add(message->aggregates());
      *inbound.mutable_change() = sum.Result();
      // About the origin's link: its id the origin, its region the district's.
      envelopes.push_back(MakeEnvelope(inbound, {region_, batch.origin(), 0, batch.origin()}));
    }
    if (batch.channel() == wahana::federation::v1::CHANNEL_REFERRALS) {
      for (const FederationMessage* message : fresh) {
        wahana::federation::v1::InboundReferral inbound;
        inbound.set_origin(batch.origin());
        inbound.set_sequence(message->sequence());
        *inbound.mutable_referral() = message->referral();
        envelopes.push_back(MakeEnvelope(inbound, {region_, message->referral().case_id(), 0,
                                                   message->referral().village_code()}));
      }
    }
    if (batch.channel() == wahana::federation::v1::CHANNEL_REFERRAL_ANSWERS) {
      for (const FederationMessage* message : fresh) {
        wahana::federation::v1::InboundReferralAnswer inbound;
        inbound.set_origin(batch.origin());
        inbound.set_sequence(message->sequence());
        *inbound.mutable_answer() = message->referral_answer();
        envelopes.push_back(
            MakeEnvelope(inbound, {region_, message->referral_answer().case_id(), 0, region_}));
      }
    }
    DeliverResponse response;
    const absl::Time now = now_();
    const std::string now_ms = std::to_string(absl::ToUnixMillis(now));
    if (fresh.empty()) {  // a heartbeat, or a batch sent again
      WAHANA_RETURN_IF_ERROR(redis_.Command({"HSET", link, "last_contact_time", now_ms}).status());
      response.set_high_water_mark(mark);
      return response;
    }
    const std::string& last = fresh.back()->sequence();
    const auto newest = ParseStreamSequence(last);
    const int64_t lag_ms = std::max<int64_t>(
        0, absl::ToUnixMillis(now) - static_cast<int64_t>(newest ? newest->first : 0));
    AtomicWrite write;
    write.RequireHashField(link, mark_field, mark);
    write.Command({"HSET", link, mark_field, last, absl::StrCat(channel, ":last_batch_time"),
                   now_ms, "last_contact_time", now_ms, absl::StrCat(channel, ":lag_ms"),
                   std::to_string(lag_ms)});
    write.Command(
        {"HINCRBY", link, absl::StrCat(channel, ":messages"), std::to_string(fresh.size())});
    write.Command({"HDEL", link, "last_error", "last_error_time"});
    for (const wahana::common::v1::Envelope& envelope : envelopes) {
      write.Publish(FederationStreamKey(region_), envelope);
    }
    WAHANA_ASSIGN_OR_RETURN(AtomicWriteResult result, write.Execute(redis_));
    if (!result.applied) continue;  // another delivery moved the mark: read it again
    response.set_high_water_mark(last);
    response.set_applied(static_cast<int32_t>(fresh.size()));
    return response;
  }
  return absl::AbortedError(absl::StrCat("deliveries from ", batch.origin(),
                                         " keep racing for the high-water mark: send again"));
}

}  // namespace wahana
