#include "reporting/delivered_aggregates.h"

#include "absl/strings/str_cat.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

absl::Status ApplyDeliveredAggregates(RedisCaseCountsStore& counts,
                                      const wahana::common::v1::Envelope& envelope) {
  using wahana::federation::v1::InboundAggregates;
  if (envelope.type() != InboundAggregates::descriptor()->full_name()) return absl::OkStatus();
  InboundAggregates delivered;
  if (!envelope.payload().UnpackTo(&delivered)) {
    return absl::InvalidArgumentError(
        absl::StrCat("message ", envelope.message_id(), ": payload is not an InboundAggregates"));
  }
  return counts.ApplyDelivered(envelope.message_id(), delivered.change()).status();
}

}  // namespace wahana
