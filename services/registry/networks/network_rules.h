#pragma once
// What makes a network's descriptive fields valid, on create and after every update (the whole
// record is checked). INVALID_ARGUMENT naming the first field at fault, in JSON spelling:
//
//   kind          required: VILLAGE or RW
//   name          required, at most 200 bytes, one line; Unicode, kept byte-exact
//   villageCode   a known village inside the deployment's region
//   rw            required for kind RW: 1 to 3 digits, not 0 ("003"); only for kind RW
//   decree        number (100 bytes) and issuer (200) one line, date a real date, not in the
//                 future; complete (all three) once the network is legalized
//   board         at most 50 members, each with fullName (200 bytes) and role (100); termStart and
//                 termEnd real dates (a term may end in the future), termEnd not before termStart;
//                 institutionId, when set, one of the network's members
//
// The fields the server keeps (stage, stageHistory, memberInstitutionIds, visits) are not checked
// here: the logic alone changes them.
//
// Thread-safe when the RegionRules' store is.

#include <cstddef>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "registry/regions/region_rules.h"
#include "wahana/registry/v1/network.pb.h"

namespace wahana::registry {

inline constexpr size_t kMaxNetworkNameBytes = 200;
inline constexpr size_t kMaxDecreeNumberBytes = 100;
inline constexpr size_t kMaxIssuerBytes = 200;
inline constexpr int kMaxBoardMembers = 50;

// Everything but the village: no I/O. `latest` is the latest date accepted
// (OfficeCalendar::LatestDate).
absl::Status CheckNetworkFields(const wahana::registry::v1::Network& network,
                                absl::CivilDay latest);

// CheckNetworkFields, then the village against the regions. UNAVAILABLE when they cannot be read.
absl::Status CheckNetwork(const wahana::registry::v1::Network& network, const RegionRules& regions,
                          absl::CivilDay latest);

}  // namespace wahana::registry
