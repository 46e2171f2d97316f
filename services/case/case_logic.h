#pragma once
// The case service's rules, without a server: intake (validation, the fields the server sets,
// idempotent creates by requestId, the registry checks of subjects and reporters), the lifecycle
// steps, history, lists, and the registry's messages. The transport (case_grpc_service.h) calls
// it; storage, the region directory and the registry come in through the constructor.
//
// Every step: the case id is checked, the step's fields are validated (INVALID_ARGUMENT naming
// the field in its JSON spelling), the case is read (NOT_FOUND), the client's etag is checked
// (ABORTED when stale), the step is checked against the lifecycle (FAILED_PRECONDITION listing
// the allowed steps, case_state_machine.h), registry records it names are checked (INVALID_ARGUMENT
// for an unknown one, FAILED_PRECONDITION for an archived one or a worker who cannot take it),
// then one action is appended with the case it makes (ApplyAction, case_actions.h) and its
// CaseChanged message in one atomic write. A refused step writes nothing. The history names the
// verified caller's subject as the actor.
//
// Access (common/auth/access_policy.h, the one table): every method takes the verified caller.
// A case is a kCase record, or a kReferredCase once it was referred to the province (what a
// PROVINCE_VIEWER may open); its region is its village. A case the caller may not read answers
// NOT_FOUND exactly as an unknown id does; a step on a case the caller may read but not change
// answers PERMISSION_DENIED (checked after the case is read, before its etag, so a refusal says
// nothing about the case). Each step and the notes follow their row of the policy's step table
// (access_policy.h Step, CheckStepAccess: e.g. :assign only by caseload managers, a
// FIELD_WORKER's steps only on cases assigned to its own worker); intake is kCreate in the new
// case's village. Lists are narrowed to the caller's scope
// (ScopeListRegion; PROVINCE_VIEWER lists only cases referred to the province). Callers that do
// not see personal data (SeesPersonalData) get the reporter's name and contact left out;
// confidential notes' text comes back only to SeesConfidentialNote callers, note by note.
//
// Thread-safe when its store, directory and registry are (the production ones are).

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "case/case_store.h"
#include "case/known_subjects.h"
#include "case/mediation_events.h"
#include "common/auth/access_policy.h"
#include "common/auth/principal.h"
#include "common/ids/time_ordered_id.h"
#include "common/region/region_directory.h"
#include "common/registry/registry_records.h"
#include "common/time/office_calendar.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

namespace case_internal {
class CaseIntake;
class CaseSteps;
class CaseQueries;
class CaseRegistryNotices;
}  // namespace case_internal

// The actor of the actions the service writes itself (registry notices).
inline constexpr char kSystemActor[] = "system";

struct CaseLogicOptions {
  // An open case with no action for this many days is overdue (WAHANA_CASE_OVERDUE_DAYS).
  int overdue_days = 30;
  // Caseload cap of a worker whose record says 0 (the registry's default).
  int default_caseload_cap = 25;
};

class CaseLogic {
 public:
  static constexpr size_t kMaxSummaryBytes = 4000;
  static constexpr size_t kMaxTextBytes = 4000;
  static constexpr size_t kMaxShortBytes = 200;
  static constexpr size_t kMaxBeneficiaryIdBytes = 64;
  static constexpr int kMaxParties = 20;
  static constexpr int kMaxGoals = 50;
  static constexpr int kMaxAttendees = 100;
  static constexpr int kDefaultHistoryPage = 100;

  // `region` is the deployment's region ("16.06"). `known` may be null: every registry record a
  // create names is then asked of `registry`. `now` defaults to absl::Now (tests inject a clock);
  // `ids` defaults to the process-wide generator and must outlive the logic when given; `calendar`
  // (default Asia/Jakarta) says what today and this year are (case numbers, dates, overdue).
  // `events` reads the events a mediation session names; without it a session naming one is
  // UNAVAILABLE.
  CaseLogic(std::string region, std::shared_ptr<CaseStore> store,
            std::shared_ptr<RegionDirectory> regions, std::shared_ptr<RegistryRecords> registry,
            std::shared_ptr<KnownSubjects> known = nullptr, CaseLogicOptions options = {},
            std::function<absl::Time()> now = nullptr, TimeOrderedIdGenerator* ids = nullptr,
            OfficeCalendar calendar = OfficeCalendar(),
            std::shared_ptr<MediationEvents> events = nullptr);
  ~CaseLogic();

  // Intake. The client's case supplies category, kind, villageCode, summary, beneficiaryId,
  // householdId, parties, reporter and urgency; everything else is set here. With a requestId seen
  // before, returns the case that create made and writes nothing (even while the registry is
  // down). INVALID_ARGUMENT naming the field: category not 1-26, kind missing, summary missing or
  // over 4000 bytes, villageCode not a known village of the deployment, a subject or reporter not
  // in the registry, parties on a case that is not SOCIAL_CONFLICT or fewer than two on one that
  // is, requestId too long. FAILED_PRECONDITION for an archived subject. PERMISSION_DENIED when the
  // role may not open cases or the village lies outside the caller's scope (a retried requestId
  // answers only a caller who may read and create that case). UNAVAILABLE when Redis or the
  // registry cannot be reached.
  absl::StatusOr<wahana::cases::v1::Case> CreateCase(
      const Principal& caller, const wahana::cases::v1::CreateCaseRequest& request);

  // INVALID_ARGUMENT for an id that is not a case id, NOT_FOUND for an unknown one and for one the
  // caller may not read.
  absl::StatusOr<wahana::cases::v1::Case> GetCase(const Principal& caller,
                                                  const wahana::cases::v1::GetCaseRequest& request);

  // Cases under `region` narrowed to the caller's scope (default: the scope; a scope above the
  // deployment lists the deployment) by village code, then id; filters combine.
  // PERMISSION_DENIED for a region disjoint from the scope.
  absl::StatusOr<wahana::cases::v1::ListCasesResponse> ListCases(
      const Principal& caller, const wahana::cases::v1::ListCasesRequest& request);

  // The case's actions, oldest first. NOT_FOUND for an unknown case or one the caller may not
  // read.
  absl::StatusOr<wahana::cases::v1::CaseHistory> GetCaseHistory(
      const Principal& caller, const wahana::cases::v1::GetCaseHistoryRequest& request);
  // The same into `*history` (empty; on its arena when it has one), for a transport that owns
  // the response. On an error `*history` holds nothing to answer.
  absl::Status GetCaseHistory(const Principal& caller,
                              const wahana::cases::v1::GetCaseHistoryRequest& request,
                              wahana::cases::v1::CaseHistory* history);

  // The steps (see the header comment and case.proto).
  absl::StatusOr<wahana::cases::v1::Case> AssignCase(
      const Principal& caller, const wahana::cases::v1::AssignCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> AssessCase(
      const Principal& caller, const wahana::cases::v1::AssessCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> PlanCase(
      const Principal& caller, const wahana::cases::v1::PlanCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> ApprovePlan(
      const Principal& caller, const wahana::cases::v1::ApprovePlanRequest& request);
  // :monitor, :resumeIntervention, :close, :reopen: `step` says which.
  absl::StatusOr<wahana::cases::v1::Case> SimpleStep(
      const Principal& caller, const wahana::cases::v1::CaseStepRequest& request,
      wahana::cases::v1::CaseActionType step);
  absl::StatusOr<wahana::cases::v1::Case> RecordService(
      const Principal& caller, const wahana::cases::v1::RecordServiceRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> ReferCase(
      const Principal& caller, const wahana::cases::v1::ReferCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> UpdateReferral(
      const Principal& caller, const wahana::cases::v1::UpdateReferralRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> AnswerReferral(
      const Principal& caller, const wahana::cases::v1::AnswerReferralRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> TerminateCase(
      const Principal& caller, const wahana::cases::v1::TerminateCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> FollowUpCase(
      const Principal& caller, const wahana::cases::v1::FollowUpCaseRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> AddCaseNote(
      const Principal& caller, const wahana::cases::v1::AddCaseNoteRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> RecordMediationSession(
      const Principal& caller, const wahana::cases::v1::RecordMediationSessionRequest& request);
  absl::StatusOr<wahana::cases::v1::Case> RecordAgreement(
      const Principal& caller, const wahana::cases::v1::RecordAgreementRequest& request);

  // A message of the registry's stream. A beneficiary, household, institution or worker changed
  // moves the known-subjects projection on (known_subjects.h: an archive always, another change
  // only of a record known there; creates add nothing). A beneficiary archived ("archived"
  // BeneficiaryChanged) then annotates each of its cases not yet closed with an
  // ACTION_SUBJECT_ARCHIVED action (once per case: a redelivery adds nothing). Other messages are
  // ignored. OK means the effect is stored.
  absl::Status HandleRegistryMessage(const wahana::common::v1::Envelope& envelope);

  // A message of the deployment's federation stream. In a province, an InboundReferral (a
  // district's case referred to the province) opens a case here as this service's own SYSTEM
  // principal, once per referral (its requestId names the district, case and referral), with
  // referred_from set. In a district, an InboundReferralAnswer (the province answered one of
  // its referrals: case_steps.h RecordProvinceAnswer) sets the referral's status, once. Other
  // messages are ignored. OK means the effect is stored.
  absl::Status HandleFederationMessage(const wahana::common::v1::Envelope& envelope);

 private:
  // The concerns the methods delegate to (case_logic_internal.h), sharing one set of
  // dependencies and one path for every change of a case.
  std::unique_ptr<case_internal::CaseIntake> intake_;
  std::unique_ptr<case_internal::CaseSteps> steps_;
  std::unique_ptr<case_internal::CaseQueries> queries_;
  std::unique_ptr<case_internal::CaseRegistryNotices> notices_;
  const std::string region_;
};

}  // namespace wahana
