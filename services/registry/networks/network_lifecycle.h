#pragma once
// The life of a WKSBM network (../shared/domain.md, "WKSBM"): formed in steps, then evaluated.
//
//   :advance, one step at a time, each with its date:
//     PREPARATION -> SOCIALIZED -> BOARD_FORMED -> LEGALIZED -> ACTIVE
//   :recordVisit, the finding of an evaluation visit:
//     LEGALIZED, ACTIVE, INACTIVE -> ACTIVE or INACTIVE
//
// :advance moves exactly one step forward: no stage is skipped, so every step of the formation
// has its date in stageHistory (entering a network formed years ago means recording each step with
// its own past date). LEGALIZED needs the village head's decree (number, date, issuer) on the
// network. After LEGALIZED, :advance only declares the network ACTIVE; from then on its activity
// is what the office's evaluation visits find (ACTIVE or INACTIVE), and visits start only once the
// network is legalized. Refusals are FAILED_PRECONDITION naming what is allowed.
//
// Pure functions, thread-safe.

#include <vector>

#include "absl/status/status.h"
#include "wahana/registry/v1/network.pb.h"

namespace wahana::registry {

// The stages :advance may move a network at `stage` to (empty: none).
std::vector<wahana::registry::v1::Network::Stage> NextStages(
    wahana::registry::v1::Network::Stage stage);

// OK when `network` may :advance to `target`: a next stage, and for LEGALIZED a complete decree.
// FAILED_PRECONDITION "stage: network <id> is at SOCIALIZED and cannot move to LEGALIZED; allowed
// next: BOARD_FORMED" (or "decree.number: ..." when the decree is incomplete).
absl::Status CheckAdvance(const wahana::registry::v1::Network& network,
                          wahana::registry::v1::Network::Stage target);

// Whether the network has been legalized (it is LEGALIZED, ACTIVE or INACTIVE).
bool Legalized(wahana::registry::v1::Network::Stage stage);

// OK when an evaluation visit may be recorded at `stage` (once legalized); FAILED_PRECONDITION
// otherwise.
absl::Status CheckVisitAllowed(const wahana::registry::v1::Network& network);

// The first missing part of a decree as "decree.<field>", or "" when it is complete.
const char* MissingDecreePart(const wahana::registry::v1::Network::Decree& decree);

}  // namespace wahana::registry
