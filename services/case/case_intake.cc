#include "case/case_intake.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "case/case_actions.h"
#include "case/case_number.h"
#include "common/bus/envelope.h"
#include "common/region/region_code.h"
#include "common/resource/taken_value.h"
#include "common/storage/record_requests.h"
#include "common/time/timestamp.h"
#include "spdlog/spdlog.h"

namespace wahana {
namespace case_internal {
namespace {

namespace pb = wahana::cases::v1;
using pb::Case;
using pb::CaseAction;
using wahana::common::v1::PpksCategory_IsValid;

}  // namespace

// A registry record a new case names, and the request field naming it.
struct RegistryRef {
  SubjectRef subject;
  std::string field;
};

// What the registry answered about a record a new case may name, for the known-subjects
// projection.
struct LearntSubject {
  SubjectRef subject;
  int64_t version;
  bool archived;
  std::string region;
};

namespace {

void AddRef(std::vector<RegistryRef>& refs, SubjectKind kind, const std::string& id,
            std::string field) {
  RegistryRef& ref = refs.emplace_back();
  ref.subject.kind = kind;
  ref.subject.id = id;
  ref.field = std::move(field);
}

// The registry's answer about `ref` as `caller` may hear it (RequireReadable); a record the
// caller may name is added to `learnt` with its version and region, for the known-subjects
// projection once the case is written (a refused create writes nothing, not even there).
template <typename Record>
absl::Status AskRegistry(const Principal& caller, absl::StatusOr<Record> got,
                         const RegistryRef& ref, const std::string& deployment,
                         std::vector<LearntSubject>* learnt) {
  std::optional<LearntSubject> fact;
  if (got.ok()) {
    if (std::optional<int64_t> version = VersionOfEtag(got->etag()); version.has_value()) {
      fact =
          LearntSubject{ref.subject, *version, got->archived(), RegionOfRecord(*got, deployment)};
    }
  }
  WAHANA_RETURN_IF_ERROR(RequireReadable(caller, std::move(got), ref.field, ref.subject.kind,
                                         ref.subject.id, deployment)
                             .status());
  if (fact.has_value() && learnt != nullptr) learnt->push_back(*std::move(fact));
  return absl::OkStatus();
}
}  // namespace

absl::Status CaseIntake::ValidateNew(const Case& c) const {
  if (c.category() == wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED ||
      !PpksCategory_IsValid(c.category())) {
    return absl::InvalidArgumentError(
        "category: required, one of the 26 PPKS categories (1-26, e.g. ANAK_TELANTAR)");
  }
  if (c.kind() == pb::CASE_KIND_UNSPECIFIED || !pb::CaseKind_IsValid(c.kind())) {
    return absl::InvalidArgumentError(
        "kind: required, one of INDIVIDUAL, FAMILY, SOCIAL_CONFLICT, DISASTER");
  }
  WAHANA_RETURN_IF_ERROR(CheckRequiredText(c.summary(), "summary", kMaxSummaryBytes));
  WAHANA_RETURN_IF_ERROR(CheckRefId(c.beneficiary_id(), "beneficiaryId", false));
  WAHANA_RETURN_IF_ERROR(CheckRefId(c.household_id(), "householdId", false));
  if (!pb::Urgency_IsValid(c.urgency())) {
    return absl::InvalidArgumentError("urgency: one of LOW, NORMAL, HIGH, EMERGENCY");
  }
  if (c.kind() == pb::SOCIAL_CONFLICT) {
    if (c.parties_size() < 2) {
      return absl::InvalidArgumentError(
          "parties: a SOCIAL_CONFLICT case needs at least two parties");
    }
  } else if (c.parties_size() > 0) {
    return absl::InvalidArgumentError("parties: only for SOCIAL_CONFLICT cases");
  }
  if (c.parties_size() > kMaxParties) {
    return absl::InvalidArgumentError(absl::StrCat("parties: at most ", kMaxParties));
  }
  for (int i = 0; i < c.parties_size(); ++i) {
    const pb::Party& party = c.parties(i);
    const std::string field = absl::StrCat("parties[", i, "]");
    if (party.beneficiary_id().empty() == party.institution_id().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": exactly one of beneficiaryId and institutionId"));
    }
    WAHANA_RETURN_IF_ERROR(CheckRefId(party.beneficiary_id(), field + ".beneficiaryId", false));
    WAHANA_RETURN_IF_ERROR(CheckRefId(party.institution_id(), field + ".institutionId", false));
    WAHANA_RETURN_IF_ERROR(CheckLine(party.role(), field + ".role", kMaxShortBytes));
  }
  const pb::Reporter& reporter = c.reporter();
  if (!pb::Reporter::Kind_IsValid(reporter.kind())) {
    return absl::InvalidArgumentError(
        "reporter.kind: one of WORKER, INSTITUTION, PUBLIC, ANONYMOUS");
  }
  WAHANA_RETURN_IF_ERROR(CheckRefId(reporter.worker_id(), "reporter.workerId",
                                    reporter.kind() == pb::Reporter::WORKER));
  WAHANA_RETURN_IF_ERROR(CheckRefId(reporter.institution_id(), "reporter.institutionId",
                                    reporter.kind() == pb::Reporter::INSTITUTION));
  WAHANA_RETURN_IF_ERROR(CheckLine(reporter.name(), "reporter.name", kMaxShortBytes));
  WAHANA_RETURN_IF_ERROR(CheckLine(reporter.contact(), "reporter.contact", kMaxShortBytes));
  // Last: the only check that may cost a call to the registry.
  return RequireRegion(*regions_, c.village_code(), "villageCode", region_,
                       {RegionLevelKind::kVillage})
      .status();
}

namespace {

// The registry records a new case names, in the order their errors are reported.
std::vector<RegistryRef> RegistryRefsOf(const Case& c) {
  std::vector<RegistryRef> refs;
  if (!c.beneficiary_id().empty()) {
    AddRef(refs, SubjectKind::kBeneficiary, c.beneficiary_id(), "beneficiaryId");
  }
  if (!c.household_id().empty()) {
    AddRef(refs, SubjectKind::kHousehold, c.household_id(), "householdId");
  }
  for (int i = 0; i < c.parties_size(); ++i) {
    const pb::Party& party = c.parties(i);
    if (!party.beneficiary_id().empty()) {
      AddRef(refs, SubjectKind::kBeneficiary, party.beneficiary_id(),
             absl::StrCat("parties[", i, "].beneficiaryId"));
    } else {
      AddRef(refs, SubjectKind::kInstitution, party.institution_id(),
             absl::StrCat("parties[", i, "].institutionId"));
    }
  }
  if (c.reporter().kind() == pb::Reporter::WORKER) {
    AddRef(refs, SubjectKind::kWorker, c.reporter().worker_id(), "reporter.workerId");
  }
  if (c.reporter().kind() == pb::Reporter::INSTITUTION) {
    AddRef(refs, SubjectKind::kInstitution, c.reporter().institution_id(),
           "reporter.institutionId");
  }
  return refs;
}

}  // namespace

absl::Status CaseIntake::AskRegistryFor(const Principal& caller, const RegistryRef& ref,
                                        std::vector<LearntSubject>* learnt) {
  const std::string& id = ref.subject.id;
  switch (ref.subject.kind) {
    case SubjectKind::kBeneficiary:
      return AskRegistry(caller, registry_->GetBeneficiary(id), ref, region_, learnt);
    case SubjectKind::kHousehold:
      return AskRegistry(caller, registry_->GetHousehold(id), ref, region_, learnt);
    case SubjectKind::kInstitution:
      return AskRegistry(caller, registry_->GetInstitution(id), ref, region_, learnt);
    case SubjectKind::kWorker:
      return AskRegistry(caller, registry_->GetWorker(id), ref, region_, learnt);
  }
  return absl::InternalError("case: a registry record of no known kind");
}

void CaseIntake::RememberLearnt(const std::vector<LearntSubject>& learnt) {
  if (known_ == nullptr) return;
  // An optimisation: when it fails the case stands, and the next create asks the registry.
  for (const LearntSubject& fact : learnt) {
    absl::Status remembered =
        known_->Remember(fact.subject, fact.version, fact.archived, fact.region, false);
    if (!remembered.ok()) {
      spdlog::warn("case: cannot remember {} {}: {}", SubjectKindName(fact.subject.kind),
                   fact.subject.id, std::string(remembered.message()));
    }
  }
}

absl::StatusOr<Case> CaseIntake::AnswerRetryOr(const Principal& caller,
                                               const std::string& request_key, absl::Status error) {
  if (request_key.empty()) return error;
  WAHANA_ASSIGN_OR_RETURN(std::optional<Case> earlier, store_->FindByRequestId(request_key));
  if (!earlier.has_value()) return error;
  WAHANA_RETURN_IF_ERROR(CheckRetryCaller(caller, *earlier));
  return ForCaller(caller, *std::move(earlier));
}

absl::Status CaseIntake::CheckRetryCaller(const Principal& caller, const Case& earlier) {
  if (CheckWrite(caller, earlier, Action::kCreate).ok()) return absl::OkStatus();
  // Told as the registry's resource flow tells it (taken_value.h): a requestId used outside the
  // caller's reach is taken, naming neither the case nor where it lies.
  return RequestIdTakenError(caller, ResourceOf(earlier), "case", earlier.id(),
                             earlier.village_code());
}

absl::StatusOr<Case> CaseIntake::CreateCase(const Principal& caller,
                                            const pb::CreateCaseRequest& request,
                                            const pb::ReferredFrom* referred_from) {
  // A role that may not open cases is refused before anything is read.
  if (!RoleAllows(caller.role, Resource::kCase, Action::kCreate)) {
    return CheckRecordAccess(caller, Resource::kCase, Action::kCreate, "", kAKind);
  }
  WAHANA_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  // The caller's own requestId (record_requests.h): another's same requestId is another case.
  const std::string request_key = CallersRequestKey(caller, request.request_id());

  const Case& in = request.case_();
  // A retry is answered from storage: by the create's own write (its requestId guard comes
  // before every other), or here when the request no longer passes the checks before it (the
  // registry down, a changed request): it answers only a caller who could have made it.
  absl::Status valid = ValidateNew(in);
  if (valid.ok()) {
    // In the caller's scope, before the registry is asked about its subjects.
    valid = CheckRecordAccess(caller, Resource::kCase, Action::kCreate, in.village_code(),
                              absl::StrCat("villageCode: ", in.village_code()));
  }
  if (!valid.ok()) return AnswerRetryOr(caller, request_key, std::move(valid));

  // The registry records it names: those known live in the projection are checked inside the
  // create's own write (one round trip in all); one the projection does not know is asked of the
  // registry over gRPC (and remembered), then the write is tried again without it.
  // A reference is a read (reference_access.h): each record must be one the caller may read,
  // checked on the region the projection keeps (one round trip), else on the registry's answer;
  // an unknown record and one the caller may not read give the same NOT_FOUND, before any write.
  const std::vector<RegistryRef> refs = RegistryRefsOf(in);
  std::vector<bool> asked(refs.size(), false);
  std::vector<std::string> regions(refs.size());
  std::vector<LearntSubject> learnt;
  if (known_ != nullptr && !refs.empty()) {
    std::vector<SubjectRef> subjects;
    subjects.reserve(refs.size());
    for (const RegistryRef& ref : refs) subjects.push_back(ref.subject);
    absl::StatusOr<std::vector<std::string>> known_regions = known_->RegionsOf(subjects);
    if (!known_regions.ok()) return AnswerRetryOr(caller, request_key, known_regions.status());
    if (known_regions->size() != refs.size()) {
      return absl::InternalError("case create: the known subjects answered no region per record");
    }
    regions = *std::move(known_regions);
  }
  for (size_t i = 0; i < refs.size(); ++i) {
    const RegistryRef& ref = refs[i];
    absl::Status checked = regions[i].empty()
                               ? AskRegistryFor(caller, ref, &learnt)
                               : CheckReference(caller, ResourceOfSubject(ref.subject.kind),
                                                regions[i], ref.field, ref.subject.id);
    if (!checked.ok()) return AnswerRetryOr(caller, request_key, std::move(checked));
    // Asked: the registry's answer stands; known: the write checks it is still live.
    asked[i] = regions[i].empty();
  }

  // Only the client's fields are copied: everything else is the server's.
  Case c;
  c.set_category(in.category());
  c.set_kind(in.kind());
  c.set_village_code(in.village_code());
  c.set_summary(in.summary());
  c.set_beneficiary_id(in.beneficiary_id());
  c.set_household_id(in.household_id());
  *c.mutable_parties() = in.parties();
  *c.mutable_reporter() = in.reporter();
  if (c.reporter().kind() == pb::Reporter::KIND_UNSPECIFIED) {
    c.mutable_reporter()->set_kind(pb::Reporter::ANONYMOUS);
  }
  c.set_urgency(in.urgency() == pb::URGENCY_UNSPECIFIED ? pb::NORMAL : in.urgency());
  if (referred_from != nullptr) *c.mutable_referred_from() = *referred_from;
  c.set_id(ids_.Next());

  const absl::Time now = now_();
  const int year = calendar_.Year(now);
  const std::string regency = RegencyOf(c.village_code());
  CaseAction opened;
  opened.set_sequence(kFirstVersion);
  opened.set_type(pb::ACTION_CREATE);
  opened.set_actor(caller.subject);
  *opened.mutable_time() = TimestampOf(now);
  // The message's id and time are made once: every build of the case carries the same.
  const wahana::common::v1::Envelope envelope =
      MakeEnvelope(pb::CaseChanged(), CreatedFacts(region_, c.id(), c.village_code()));
  const NewCaseBuilder build = [&](const std::string& number) -> absl::StatusOr<NewCase> {
    NewCase made;
    made.opened = opened;
    Case* intake = made.opened.mutable_intake();
    *intake = c;
    intake->set_number(number);
    WAHANA_ASSIGN_OR_RETURN(made.c, ApplyAction(Case(), made.opened));
    made.created = envelope;
    made.created.mutable_payload()->PackFrom(ChangeOf(Case(), made.c, made.opened));
    return made;
  };

  // Each try either writes, or refuses, or asks the registry about one more record: at most
  // refs.size() + 1 tries.
  for (;;) {
    std::vector<SubjectRef> live;
    std::vector<size_t> live_refs;  // index in `refs` of each of `live`
    for (size_t i = 0; i < refs.size(); ++i) {
      if (asked[i]) continue;
      live.push_back(refs[i].subject);
      live_refs.push_back(i);
    }
    WAHANA_ASSIGN_OR_RETURN(CaseCreated created,
                            store_->Create(regency, year, live, request_key, build));
    if (created.refused_subject < 0) {
      if (!created.result.created) {
        // A retry: the earlier case answers a caller who could have made it.
        WAHANA_RETURN_IF_ERROR(CheckRetryCaller(caller, created.result.stored));
      }
      RememberLearnt(learnt);
      return ForCaller(caller, std::move(created.result.stored));
    }
    const size_t index = live_refs.at(static_cast<size_t>(created.refused_subject));
    const RegistryRef& ref = refs[index];
    if (created.refused_state == SubjectState::kArchived) {
      return ArchivedError(ref.field, SubjectKindName(ref.subject.kind), ref.subject.id);
    }
    if (created.refused_state != SubjectState::kUnknown) {
      return absl::InternalError(
          absl::StrCat("case create: ", ref.field, " was refused while live"));
    }
    WAHANA_RETURN_IF_ERROR(AskRegistryFor(caller, ref, &learnt));
    asked[index] = true;
  }
}

}  // namespace case_internal
}  // namespace wahana
