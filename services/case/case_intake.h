#pragma once
// Intake, CaseLogic::CreateCase's concern (the contract is in case_logic.h): validation of the
// client's case, the registry checks of its subjects and reporter (through the known-subjects
// projection, else over gRPC), the fields the server sets, and idempotent creates by requestId.
// Private to the case service's logic.

#include <vector>

#include "case/case_logic_internal.h"

namespace wahana {
namespace case_internal {

// A registry record a new case names, and the request field naming it (case_intake.cc).
struct RegistryRef;
// What the registry answered about one of them, for the known-subjects projection.
struct LearntSubject;

class CaseIntake : public CaseLogicPart {
 public:
  explicit CaseIntake(const CaseLogicDeps& deps) : CaseLogicPart(deps) {}

  // `referred_from`: a province's case opened from a district's referral (federation), set on
  // the case by the server (a client's own referred_from is never copied).
  absl::StatusOr<wahana::cases::v1::Case> CreateCase(
      const Principal& caller, const wahana::cases::v1::CreateCaseRequest& request,
      const wahana::cases::v1::ReferredFrom* referred_from = nullptr);

 private:
  absl::Status ValidateNew(const wahana::cases::v1::Case& c) const;
  // The registry's answer about a record a new case names, as `caller` may hear it
  // (RequireReadable: NOT_FOUND when it has none or `caller` may not read it, FAILED_PRECONDITION
  // when archived); one the caller may name is added to `learnt`.
  absl::Status AskRegistryFor(const Principal& caller, const RegistryRef& ref,
                              std::vector<LearntSubject>* learnt);
  // `learnt` into the known-subjects projection, with each record's region, once the case is
  // written: a refused create leaves the projection as it was.
  void RememberLearnt(const std::vector<LearntSubject>& learnt);
  // The case an earlier create with `request_key` (CallersRequestKey) made, when there is one
  // (and the caller can still reach it); otherwise `error`.
  absl::StatusOr<wahana::cases::v1::Case> AnswerRetryOr(const Principal& caller,
                                                        const std::string& request_key,
                                                        absl::Status error);
  // OK when `caller` can still reach `earlier`, its own create (a retry gets it); otherwise (its
  // scope has shrunk since) ALREADY_EXISTS
  // "requestId: a case with this requestId is already registered outside your region", naming
  // neither the case nor its region.
  absl::Status CheckRetryCaller(const Principal& caller, const wahana::cases::v1::Case& earlier);
};

}  // namespace case_internal
}  // namespace wahana
