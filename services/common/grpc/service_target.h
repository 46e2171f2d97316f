#pragma once
// Where a service of the suite is reached (the WAHANA_*_ADDR settings), as a gRPC target. A service
// may run as several replicas: its address is then a list of theirs or a DNS name that resolves to
// them all, and the client's channel (service_channel.h) spreads calls over every one.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wahana {

// The gRPC target of `address`, the value of the setting `setting`:
//   "host:port"                            itself: gRPC resolves the name (every address it has);
//   "ip:port,ip:port,..."                  "ipv4:ip:port,ip:port,..." (every entry "[ipv6]:port":
//                                          "ipv6:..."), one replica an entry;
//   "dns:///name:port", "ipv4:...", "ipv6:...", "unix:..."   itself: gRPC target syntax already.
// Blanks around entries are dropped; "" stays "" (a setting left empty on purpose).
// INVALID_ARGUMENT naming `setting` and the entry: an empty entry, a missing or bad port (1-65535),
// a host name inside a list (gRPC resolves one name a channel: use a DNS name that resolves to
// every replica), IPv4 and IPv6 mixed in one list, a scheme with nothing after it.
absl::StatusOr<std::string> ServiceTarget(absl::string_view setting, absl::string_view address);

}  // namespace wahana
