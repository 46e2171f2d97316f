#pragma once
// What a relay (outbox_relay.h) sends of each entry of the stream it reads: a function per
// channel from the entry's fields to the message, nothing (an entry the channel does not carry),
// or an error (an entry no one can read: set aside).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

// The entry's fields (name, value, ...) -> its message without a sequence, or nullopt to skip it.
using EntryReader =
    std::function<absl::StatusOr<std::optional<wahana::federation::v1::FederationMessage>>(
        const std::vector<std::string>& fields)>;

// CHANNEL_AGGREGATES, from the reporting outbox (common/federation/aggregate_outbox.h): every
// entry is sent.
EntryReader AggregateEntries();

// CHANNEL_REFERRALS, from the case stream: the CaseChanged messages of an ACTION_REFER to
// REFERRAL_PROVINCE, each a ProvinceReferral; every other message is skipped.
EntryReader ProvinceReferralEntries();

// CHANNEL_REFERRAL_ANSWERS, from a province's case stream to `district`: the CaseChanged
// messages of an ACTION_ANSWER_REFERRAL on a case the district referred (referred_from.region),
// each a ReferralAnswer; every other message is skipped.
EntryReader ReferralAnswerEntries(std::string district);

}  // namespace wahana
