#pragma once
// History as the source of truth: a case is the fold of its actions. ApplyAction is the one
// function that turns a case and an action into the next case; the logic uses it for every live
// write and FoldActions uses it to rebuild a case from its history, so the two cannot disagree.
// Pure: no clock, no storage.

#include <vector>

#include "absl/status/statusor.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {

// The case after `action` on `before` (an empty Case for ACTION_CREATE, whose `intake` is the case
// as opened). Sets status (case_state_machine.h), etag (the action's sequence) and update_time
// (the action's time) and applies the step's content. The step's fields are taken as validated
// (the logic checks them); the rules that depend on the case are checked here:
//   FAILED_PRECONDITION: the step is not allowed from the case's status (listing the allowed
//     ones); mediation on a case that is not SOCIAL_CONFLICT; a referral answer not allowed from
//     the referral's status.
//   INVALID_ARGUMENT "referralNumber: ...": no such referral.
//   INTERNAL: the action's sequence is not the case's next version (a bug or a corrupt history).
absl::StatusOr<wahana::cases::v1::Case> ApplyAction(const wahana::cases::v1::Case& before,
                                                    const wahana::cases::v1::CaseAction& action);

// The case `actions` (a whole history, oldest first) make. Errors as ApplyAction's.
absl::StatusOr<wahana::cases::v1::Case> FoldActions(
    const std::vector<wahana::cases::v1::CaseAction>& actions);

// A copy of `action` fit for the stream: a confidential note's text removed.
wahana::cases::v1::CaseAction PublicAction(const wahana::cases::v1::CaseAction& action);

}  // namespace wahana
