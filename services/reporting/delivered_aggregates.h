#pragma once
// A province's reporting service counts what its districts delivered: the federation service's
// InboundAggregates messages (bus_contract.h, federation:{16}:stream), each applied once.

#include "absl/status/status.h"
#include "reporting/redis_case_counts_store.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

// Applies an InboundAggregates message to `counts` once per message id; another type changes
// nothing (a newer federation service may add some). INVALID_ARGUMENT when the payload is not
// what its type says.
absl::Status ApplyDeliveredAggregates(RedisCaseCountsStore& counts,
                                      const wahana::common::v1::Envelope& envelope);

}  // namespace wahana
