#pragma once
// The Redis keys of the federation service, under the deployment's hash tag
// ("federation:{16}:..."). Its stream (a province's inbound messages) is named by the bus contract
// (common/bus/bus_contract.h, FederationStreamKey).

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace wahana {

// One link's state, hash: "<channel>:hwm" (the high-water mark: the last sequence applied,
// inbound, or acknowledged, outbound), "<channel>:messages", "<channel>:last_batch_time" (unix ms),
// "<channel>:lag_ms" (inbound: how old the newest message was on arrival), and for the link as a
// whole "refused_batches", "last_error", "last_error_time" and "last_contact_time" (unix ms).
// `direction` is "inbound" or "outbound", `peer` the other side's region code.
inline std::string LinkKey(absl::string_view region, absl::string_view direction,
                           absl::string_view peer) {
  return absl::StrCat("federation:{", region, "}:link:", direction, ":", peer);
}

// Held (with a TTL) by the one replica that relays `outbox` as `group` (outbox_relay.h).
inline std::string RelayLeaseKey(absl::string_view region, absl::string_view outbox,
                                 absl::string_view group) {
  return absl::StrCat("federation:{", region, "}:relay_lease:", outbox, ":", group);
}

inline constexpr char kInbound[] = "inbound";
inline constexpr char kOutbound[] = "outbound";

}  // namespace wahana
