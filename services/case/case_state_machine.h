#pragma once
// The lifecycle of a case as a pure function: which steps each status allows and the status after
// each step (issue 5, domain.md "Cases").
//
//   create -> INTAKE; :assess (INTAKE, ASSESSMENT) -> ASSESSMENT; :plan (ASSESSMENT, PLANNING) ->
//   PLANNING; :approvePlan (PLANNING) -> INTERVENTION; :monitor (INTERVENTION) -> MONITORING;
//   :resumeIntervention (MONITORING) -> INTERVENTION; :recordService (INTERVENTION, MONITORING)
//   keeps it; :terminate (ASSESSMENT .. MONITORING) -> TERMINATED; :followUp (TERMINATED,
//   FOLLOW_UP) -> FOLLOW_UP; :close (TERMINATED, FOLLOW_UP) -> CLOSED; :reopen (CLOSED) ->
//   ASSESSMENT.
//   In any open stage (INTAKE .. MONITORING), keeping the status: :assign, :refer,
//   :recordSession, :recordAgreement. Until the case is closed (open, TERMINATED, FOLLOW_UP),
//   keeping it: notes, :updateReferral (a referral is answered after the case was terminated as
//   referred) and the registry's notice that the subject was archived.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/cases/case_rules.h"  // IsOpenStatus
#include "wahana/cases/v1/case.pb.h"

namespace wahana {

// The steps allowed from `status`, in the enum's order (ACTION_CREATE is never one).
std::vector<wahana::cases::v1::CaseActionType> AllowedSteps(wahana::cases::v1::CaseStatus status);

// The step's name as clients call it: ":assess", "notes" ...
std::string StepName(wahana::cases::v1::CaseActionType step);

// The status after `step` from `status`. FAILED_PRECONDITION when the step is not allowed:
// `status: the case is TERMINATED; :assess is not allowed, allowed steps: :followUp, ...`.
// ACTION_CREATE is allowed only from CASE_STATUS_UNSPECIFIED (a case that does not exist yet).
absl::StatusOr<wahana::cases::v1::CaseStatus> StatusAfter(wahana::cases::v1::CaseStatus status,
                                                          wahana::cases::v1::CaseActionType step);

}  // namespace wahana
