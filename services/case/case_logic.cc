#include "case/case_logic.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "case/case_actions.h"
#include "case/case_indexing.h"
#include "case/case_number.h"
#include "case/case_state_machine.h"
#include "common/bus/envelope.h"
#include "common/fields/field_checks.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "common/storage/page_token.h"
#include "common/storage/record_requests.h"
#include "common/time/timestamp.h"
#include "google/protobuf/arena.h"
#include "spdlog/spdlog.h"
#include "wahana/registry/v1/beneficiary.pb.h"
#include "wahana/registry/v1/household.pb.h"
#include "wahana/registry/v1/institution.pb.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana {
namespace {

namespace pb = wahana::cases::v1;
namespace reg = wahana::registry::v1;
using pb::Case;
using pb::CaseAction;
using wahana::common::v1::PpksCategory_IsValid;

constexpr char kKind[] = "case";
constexpr char kAKind[] = "a case";

// Registry ids are checked by the registry; here only their size, so a field is never huge.
absl::Status CheckRefId(const std::string& value, absl::string_view field, bool required) {
  return required ? CheckName(value, field, CaseLogic::kMaxBeneficiaryIdBytes)
                  : CheckLine(value, field, CaseLogic::kMaxBeneficiaryIdBytes);
}

absl::Status ArchivedError(absl::string_view field, absl::string_view what, const std::string& id) {
  return absl::FailedPreconditionError(
      absl::StrCat(field, ": ", what, " ", id, " is archived in the registry"));
}

// Maps a registry read to the contract of a step: an unknown record is the client's mistake
// (INVALID_ARGUMENT naming the field), an archived one cannot take part (FAILED_PRECONDITION).
template <typename Record>
absl::StatusOr<Record> RequireKnown(absl::StatusOr<Record> got, absl::string_view field,
                                    absl::string_view what, const std::string& id) {
  if (absl::IsNotFound(got.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", what, " ", id, " is not in the registry"));
  }
  if (absl::IsInvalidArgument(got.status())) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", got.status().message()));
  }
  WAHANA_RETURN_IF_ERROR(got.status());
  if (got->archived()) return ArchivedError(field, what, id);
  return got;
}

}  // namespace

// A registry record a new case names, and the request field naming it.
struct RegistryRef {
  SubjectRef subject;
  std::string field;
};

namespace {

void AddRef(std::vector<RegistryRef>& refs, SubjectKind kind, const std::string& id,
            std::string field) {
  RegistryRef& ref = refs.emplace_back();
  ref.subject.kind = kind;
  ref.subject.id = id;
  ref.field = std::move(field);
}

// The registry's answer about `ref` (RequireKnown), remembered in `known` (when not null) with
// the record's version. Remembering is an optimisation: when it fails the answer still stands.
template <typename Record>
absl::Status AskRegistry(absl::StatusOr<Record> got, const RegistryRef& ref,
                         KnownSubjects* known) {
  if (known != nullptr && got.ok()) {
    if (std::optional<int64_t> version = VersionOfEtag(got->etag()); version.has_value()) {
      absl::Status remembered = known->Remember(ref.subject, *version, got->archived(), false);
      if (!remembered.ok()) {
        spdlog::warn("case: cannot remember {} {}: {}", SubjectKindName(ref.subject.kind),
                     ref.subject.id, std::string(remembered.message()));
      }
    }
  }
  return RequireKnown(std::move(got), ref.field, SubjectKindName(ref.subject.kind), ref.subject.id)
      .status();
}

pb::CaseChanged ChangeOf(const Case& before, const Case& after, const CaseAction& action) {
  pb::CaseChanged changed;
  *changed.mutable_case_() = after;
  *changed.mutable_action() = PublicAction(action);
  changed.set_status_before(before.status());
  changed.set_status_after(after.status());
  changed.set_category_before(before.category());
  changed.set_category_after(after.category());
  return changed;
}

// The policy's kind of record: a case once referred to the province is also the province's to
// open (access_policy.h, kReferredCase).
Resource ResourceOf(const Case& c) {
  for (const pb::Referral& r : c.referrals()) {
    if (r.target() == pb::REFERRAL_PROVINCE) return Resource::kReferredCase;
  }
  return Resource::kCase;
}

std::string WhatOf(const std::string& id) { return absl::StrCat(kKind, " ", id); }

bool ReferralOverdue(const Case& c, const std::string& today) {
  for (const pb::Referral& r : c.referrals()) {
    if ((r.status() == pb::REFERRAL_SENT || r.status() == pb::REFERRAL_ACCEPTED) &&
        !r.due_date().empty() && r.due_date() < today) {
      return true;
    }
  }
  return false;
}

}  // namespace

CaseLogic::CaseLogic(std::string region, std::shared_ptr<CaseStore> store,
                     std::shared_ptr<RegionDirectory> regions,
                     std::shared_ptr<CaseRegistry> registry, std::shared_ptr<KnownSubjects> known,
                     CaseLogicOptions options, std::function<absl::Time()> now,
                     TimeOrderedIdGenerator* ids, OfficeCalendar calendar)
    : region_(std::move(region)),
      store_(std::move(store)),
      regions_(std::move(regions)),
      registry_(std::move(registry)),
      known_(std::move(known)),
      options_(options),
      now_(now ? std::move(now) : [] { return absl::Now(); }),
      ids_(ids != nullptr ? *ids : TimeOrderedIdGenerator::Default()),
      calendar_(std::move(calendar)) {}

absl::Status CaseLogic::CheckRead(const Principal& caller, const Case& c) {
  return CheckRecordAccess(caller, ResourceOf(c), Action::kRead, c.village_code(), WhatOf(c.id()));
}

absl::Status CaseLogic::CheckWrite(const Principal& caller, const Case& c, Action action) {
  // A case the caller cannot even read stays invisible: NOT_FOUND, as for an unknown id.
  WAHANA_RETURN_IF_ERROR(CheckRead(caller, c));
  return CheckRecordAccess(caller, ResourceOf(c), action, c.village_code(), WhatOf(c.id()));
}

Case CaseLogic::ForCaller(const Principal& caller, Case c) {
  if (!SeesPersonalData(caller, ResourceOf(c))) {
    // Who reported is personal data (and protects the reporter): the kind stays.
    c.mutable_reporter()->clear_name();
    c.mutable_reporter()->clear_contact();
  }
  return c;
}

absl::Status CaseLogic::ValidateNew(const Case& c) const {
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

absl::Status CaseLogic::AskRegistryFor(const RegistryRef& ref) {
  const std::string& id = ref.subject.id;
  switch (ref.subject.kind) {
    case SubjectKind::kBeneficiary:
      return AskRegistry(registry_->GetBeneficiary(id), ref, known_.get());
    case SubjectKind::kHousehold:
      return AskRegistry(registry_->GetHousehold(id), ref, known_.get());
    case SubjectKind::kInstitution:
      return AskRegistry(registry_->GetInstitution(id), ref, known_.get());
    case SubjectKind::kWorker:
      return AskRegistry(registry_->GetWorker(id), ref, known_.get());
  }
  return absl::InternalError("case: a registry record of no known kind");
}

absl::StatusOr<Case> CaseLogic::AnswerRetryOr(const Principal& caller,
                                              const std::string& request_id,
                                              absl::Status error) {
  if (request_id.empty()) return error;
  WAHANA_ASSIGN_OR_RETURN(std::optional<Case> earlier, store_->FindByRequestId(request_id));
  if (!earlier.has_value()) return error;
  WAHANA_RETURN_IF_ERROR(CheckWrite(caller, *earlier, Action::kCreate));
  return ForCaller(caller, *std::move(earlier));
}

absl::StatusOr<Case> CaseLogic::CreateCase(const Principal& caller,
                                           const pb::CreateCaseRequest& request) {
  // A role that may not open cases is refused before anything is read.
  if (!RoleAllows(caller.role, Resource::kCase, Action::kCreate)) {
    return CheckRecordAccess(caller, Resource::kCase, Action::kCreate, "", kAKind);
  }
  WAHANA_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  const std::string& request_id = request.request_id();

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
  if (!valid.ok()) return AnswerRetryOr(caller, request_id, std::move(valid));

  // The registry records it names: those known live in the projection are checked inside the
  // create's own write (one round trip in all); one the projection does not know is asked of the
  // registry over gRPC (and remembered), then the write is tried again without it.
  const std::vector<RegistryRef> refs = RegistryRefsOf(in);
  std::vector<bool> asked(refs.size(), false);
  if (known_ == nullptr) {
    for (size_t i = 0; i < refs.size(); ++i) {
      absl::Status checked = AskRegistryFor(refs[i]);
      if (!checked.ok()) return AnswerRetryOr(caller, request_id, std::move(checked));
      asked[i] = true;
    }
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
                            store_->Create(regency, year, live, request_id, build));
    if (created.refused_subject < 0) {
      if (!created.result.created) {
        // A retry: the earlier case answers a caller who could have made it.
        WAHANA_RETURN_IF_ERROR(CheckWrite(caller, created.result.stored, Action::kCreate));
      }
      return ForCaller(caller, std::move(created.result.stored));
    }
    const size_t index = live_refs.at(static_cast<size_t>(created.refused_subject));
    const RegistryRef& ref = refs[index];
    if (created.refused_state == SubjectState::kArchived) {
      return ArchivedError(ref.field, SubjectKindName(ref.subject.kind), ref.subject.id);
    }
    if (created.refused_state != SubjectState::kUnknown) {
      return absl::InternalError(absl::StrCat("case create: ", ref.field, " was refused while live"));
    }
    WAHANA_RETURN_IF_ERROR(AskRegistryFor(ref));
    asked[index] = true;
  }
}

absl::StatusOr<Case> CaseLogic::GetCase(const Principal& caller, const pb::GetCaseRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), kAKind));
  WAHANA_ASSIGN_OR_RETURN(Case c, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckRead(caller, c));
  return ForCaller(caller, std::move(c));
}

absl::StatusOr<pb::ListCasesResponse> CaseLogic::ListCases(const Principal& caller,
                                                          const pb::ListCasesRequest& request) {
  if (!request.region().empty()) {
    WAHANA_RETURN_IF_ERROR(ParseRegionCode(request.region(), "region").status());
  }
  // A PROVINCE_VIEWER lists the cases referred to the province, the others all they may read.
  const bool referred_only = !RoleAllows(caller.role, Resource::kCase, Action::kRead);
  WAHANA_ASSIGN_OR_RETURN(
      std::string scoped,
      ScopeListRegion(caller, referred_only ? Resource::kReferredCase : Resource::kCase,
                      request.region(), "region"));
  ListQuery<Case> query;
  // A scope above the deployment (a province) lists the deployment.
  query.region_prefix = RegionWithin(region_, scoped) ? region_ : scoped;
  if (!RegionWithin(query.region_prefix, region_)) {
    return absl::InvalidArgumentError(absl::StrCat("region: \"", query.region_prefix,
                                                   "\" is outside this deployment (", region_,
                                                   ")"));
  }
  if (!pb::CaseStatus_IsValid(request.status())) {
    return absl::InvalidArgumentError("status: not a case status");
  }
  if (!PpksCategory_IsValid(request.category())) {
    return absl::InvalidArgumentError("category: one of the 26 PPKS categories (1-26)");
  }
  if (!pb::CaseKind_IsValid(request.kind())) {
    return absl::InvalidArgumentError("kind: one of INDIVIDUAL, FAMILY, SOCIAL_CONFLICT, DISASTER");
  }
  WAHANA_RETURN_IF_ERROR(CheckRefId(request.assignee_worker_id(), "assigneeWorkerId", false));
  query.page_size = request.page_size();
  query.page_token = request.page_token();

  // The most selective filter asked for that has a view (a list of its own: assignee, status;
  // case_indexing.h) picks it; the others filter the cases read.
  const bool by_status = request.status() != pb::CASE_STATUS_UNSPECIFIED;
  const bool f_category = request.category() != wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED;
  const bool f_kind = request.kind() != pb::CASE_KIND_UNSPECIFIED;
  const bool by_assignee = !request.assignee_worker_id().empty();
  bool f_status = by_status;
  if (by_assignee) {
    query.view = CaseAssigneeView(request.assignee_worker_id());
  } else if (by_status) {
    query.view = CaseStatusView(request.status());
    f_status = false;
  }
  const bool overdue = request.overdue();
  if (f_status || f_category || f_kind || overdue || referred_only) {
    const absl::Time now = now_();
    const int64_t cutoff = absl::ToUnixSeconds(now - absl::Hours(24 * options_.overdue_days));
    const std::string today = calendar_.TodayText(now);
    const pb::CaseStatus status = request.status();
    const auto category = request.category();
    const pb::CaseKind kind = request.kind();
    query.filter = [=](const Case& c) {
      if (referred_only && ResourceOf(c) != Resource::kReferredCase) return false;
      if (f_status && c.status() != status) return false;
      if (f_category && c.category() != category) return false;
      if (f_kind && c.kind() != kind) return false;
      if (overdue) {
        const bool idle = IsOpenStatus(c.status()) && c.update_time().seconds() < cutoff;
        const bool referral = c.status() != pb::CLOSED && ReferralOverdue(c, today);
        if (!idle && !referral) return false;
      }
      return true;
    };
    query.filter_key = absl::StrCat(f_status ? CaseStatusView(status) : "", ";",
                                    f_category ? CaseCategoryView(category) : "", ";",
                                    f_kind ? CaseKindView(kind) : "", ";",
                                    overdue ? "overdue" : "", ";",
                                    referred_only ? "referred" : "");
  }
  if (!request.beneficiary_id().empty() || !request.household_id().empty()) {
    // One person's or one household's cases (the registry's personal-data export): a lookup
    // index, one page.
    if (!request.beneficiary_id().empty() && !request.household_id().empty()) {
      return absl::InvalidArgumentError("householdId: not with beneficiaryId, ask for one");
    }
    const bool by_person = !request.beneficiary_id().empty();
    const std::string& subject = by_person ? request.beneficiary_id() : request.household_id();
    WAHANA_RETURN_IF_ERROR(CheckRefId(subject, by_person ? "beneficiaryId" : "householdId", false));
    if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
      return absl::InvalidArgumentError(absl::StrCat("pageSize: at most ", kMaxPageSize));
    }
    WAHANA_ASSIGN_OR_RETURN(
        std::vector<Case> found,
        store_->FindIndexed(by_person ? kBeneficiaryLookup : kHouseholdLookup, subject,
                            kMaxPageSize));
    pb::ListCasesResponse response;
    for (Case& c : found) {
      if (!RegionWithin(c.village_code(), query.region_prefix)) continue;
      if (query.filter && !query.filter(c)) continue;
      if (!CheckRead(caller, c).ok()) continue;
      *response.add_cases() = ForCaller(caller, std::move(c));
    }
    return response;
  }
  WAHANA_ASSIGN_OR_RETURN(ListPage<Case> page, store_->List(query));
  pb::ListCasesResponse response;
  for (Case& c : page.records) *response.add_cases() = ForCaller(caller, std::move(c));
  response.set_next_page_token(std::move(page.next_page_token));
  return response;
}

absl::StatusOr<pb::CaseHistory> CaseLogic::GetCaseHistory(
    const Principal& caller, const pb::GetCaseHistoryRequest& request) {
  pb::CaseHistory history;
  WAHANA_RETURN_IF_ERROR(GetCaseHistory(caller, request, &history));
  return history;
}

absl::Status CaseLogic::GetCaseHistory(const Principal& caller,
                                       const pb::GetCaseHistoryRequest& request,
                                       pb::CaseHistory* history) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), kAKind));
  const std::string query_key = absl::StrCat("case-history:", request.id());
  int page_size = kDefaultHistoryPage;
  int64_t offset = 0;
  absl::Status paging = [&]() -> absl::Status {
    if (request.page_size() != 0) {
      WAHANA_ASSIGN_OR_RETURN(page_size, ResolvePageSize(request.page_size()));
    }
    if (request.page_token().empty()) return absl::OkStatus();
    WAHANA_ASSIGN_OR_RETURN(std::string position,
                            DecodePageToken(request.page_token(), query_key));
    if (!absl::SimpleAtoi(position, &offset) || offset < 0) {
      return absl::InvalidArgumentError("pageToken: not a page token of this history");
    }
    return absl::OkStatus();
  }();
  if (!paging.ok()) {
    // An unknown case, or one the caller may not read, is NOT_FOUND before its paging is judged.
    Case c;
    WAHANA_RETURN_IF_ERROR(store_->GetWithHistory(request.id(), 0, 0, &c, nullptr));
    WAHANA_RETURN_IF_ERROR(CheckRead(caller, c));
    return paging;
  }
  // The case decides who may read its history (every case has its create action); it comes in the
  // same read as the page, parsed straight into the answer. One more than a page tells whether
  // another follows.
  Case local;
  google::protobuf::Arena* arena = history->GetArena();
  Case& c = arena != nullptr ? *google::protobuf::Arena::CreateMessage<Case>(arena) : local;
  // A case the caller may not read is NOT_FOUND as an unknown one.
  WAHANA_RETURN_IF_ERROR(store_->GetWithHistory(request.id(), offset, page_size + 1, &c, history));
  auto* actions = history->mutable_actions();
  WAHANA_RETURN_IF_ERROR(CheckRead(caller, c));
  const bool more = actions->size() > page_size;
  if (more) actions->DeleteSubrange(page_size, actions->size() - page_size);
  // Masked in place (PublicAction's rule); roles that see everything skip the walk.
  const bool confidential = SeesConfidentialNotes(caller, c.assignee_worker_id());
  const bool personal = SeesPersonalData(caller, ResourceOf(c));
  if (!confidential || !personal) {
    for (CaseAction& action : *actions) {
      if (!confidential && action.note().confidential()) action.mutable_note()->clear_text();
      if (!personal && action.has_intake()) {
        action.mutable_intake()->mutable_reporter()->clear_name();
        action.mutable_intake()->mutable_reporter()->clear_contact();
      }
    }
  }
  if (more) {
    history->set_next_page_token(EncodePageToken(query_key, std::to_string(offset + page_size)));
  }
  return absl::OkStatus();
}

absl::StatusOr<Case> CaseLogic::Write(const Case& current, CaseAction action,
                                      const std::string& actor) {
  WAHANA_ASSIGN_OR_RETURN(int64_t version, [&]() -> absl::StatusOr<int64_t> {
    std::optional<int64_t> v = VersionOfEtag(current.etag());
    if (!v) return absl::InternalError(absl::StrCat("case ", current.id(), " has no version"));
    return *v;
  }());
  action.set_sequence(version + 1);
  action.set_actor(actor);
  // The history shows the referral as it was made (ApplyAction numbers it the same way).
  if (action.type() == pb::ACTION_REFER) {
    action.mutable_referral()->set_number(current.referrals_size() + 1);
  }
  *action.mutable_time() = TimestampOf(now_());
  WAHANA_ASSIGN_OR_RETURN(Case updated, ApplyAction(current, action));
  return store_->Append(updated, action, current.etag(),
                        MakeEnvelope(ChangeOf(current, updated, action),
                                     ChangedFacts(region_, updated.id(), action.sequence(),
                                                  updated.village_code())));
}

absl::StatusOr<Case> CaseLogic::Step(const Principal& caller, const std::string& id,
                                     const std::string& etag, CaseAction action,
                                     const std::function<absl::Status(const Case&)>& check) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(id, kAKind));
  WAHANA_RETURN_IF_ERROR(CheckText(action.reason(), "reason", kMaxTextBytes));
  WAHANA_ASSIGN_OR_RETURN(Case current, store_->Get(id));
  // Before the etag: a refused caller learns nothing of the case's version or status.
  WAHANA_RETURN_IF_ERROR(CheckWrite(
      caller, current,
      action.type() == pb::ACTION_APPROVE_PLAN ? Action::kApprove : Action::kUpdate));
  WAHANA_RETURN_IF_ERROR(CheckEtag(etag, current.etag(), kKind, id));
  WAHANA_RETURN_IF_ERROR(StatusAfter(current.status(), action.type()).status());
  if (check) WAHANA_RETURN_IF_ERROR(check(current));
  WAHANA_ASSIGN_OR_RETURN(Case updated, Write(current, std::move(action), caller.subject));
  return ForCaller(caller, std::move(updated));
}

absl::Status CaseLogic::CheckAssignable(const Case& c, const std::string& worker_id) {
  WAHANA_ASSIGN_OR_RETURN(reg::Worker worker, RequireKnown(registry_->GetWorker(worker_id),
                                                           "workerId", "worker", worker_id));
  if (worker.has_active() && !worker.active()) {
    return absl::FailedPreconditionError(
        absl::StrCat("workerId: worker ", worker_id, " is not active"));
  }
  const std::string subdistrict = ParentRegionCode(c.village_code());
  const auto& served = worker.subdistrict_codes();
  if (std::find(served.begin(), served.end(), subdistrict) == served.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "workerId: worker ", worker_id, " does not serve subdistrict ", subdistrict,
        " of the case's village (serves: ",
        served.empty() ? "none" : absl::StrJoin(served, ", "), ")"));
  }
  // The worker's open cases, from this service's own index; the case itself does not count
  // twice when it is reassigned to the same worker.
  const int cap = worker.caseload_cap() > 0 ? worker.caseload_cap() : options_.default_caseload_cap;
  ListQuery<Case> query;
  query.view = CaseOpenAssigneeView(worker_id);
  query.page_size = std::min(cap + 1, kMaxPageSize);
  WAHANA_ASSIGN_OR_RETURN(ListPage<Case> page, store_->List(query));
  int open = 0;
  for (const Case& other : page.records) {
    if (other.id() != c.id()) ++open;
  }
  if (open >= cap) {
    return absl::FailedPreconditionError(absl::StrCat("workerId: worker ", worker_id, " holds ",
                                                      open, " open cases, their caseload cap is ",
                                                      cap));
  }
  return absl::OkStatus();
}

absl::StatusOr<Case> CaseLogic::AssignCase(const Principal& caller,
                                    const pb::AssignCaseRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRefId(request.worker_id(), "workerId", true));
  CaseAction action;
  action.set_type(pb::ACTION_ASSIGN);
  action.set_reason(request.reason());
  action.set_worker_id(request.worker_id());
  return Step(caller, request.id(), request.etag(), std::move(action),
              [this, &request](const Case& c) { return CheckAssignable(c, request.worker_id()); });
}

absl::StatusOr<Case> CaseLogic::AssessCase(const Principal& caller,
                                    const pb::AssessCaseRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRequiredText(request.problem(), "problem", kMaxTextBytes));
  WAHANA_RETURN_IF_ERROR(CheckText(request.needs(), "needs", kMaxTextBytes));
  WAHANA_RETURN_IF_ERROR(CheckText(request.strengths(), "strengths", kMaxTextBytes));
  if (request.risk_score() < 0 || request.risk_score() > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("riskScore: 0 to 100 (got ", request.risk_score(), ")"));
  }
  if (!PpksCategory_IsValid(request.confirmed_category())) {
    return absl::InvalidArgumentError(
        "confirmedCategory: one of the 26 PPKS categories (1-26), or unset");
  }
  CaseAction action;
  action.set_type(pb::ACTION_ASSESS);
  action.set_reason(request.reason());
  pb::Assessment* a = action.mutable_assessment();
  a->set_problem(request.problem());
  a->set_needs(request.needs());
  a->set_strengths(request.strengths());
  a->set_risk_score(request.risk_score());
  a->set_confirmed_category(request.confirmed_category());
  a->set_needs_outside_panti_rehabilitation(request.needs_outside_panti_rehabilitation());
  return Step(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseLogic::PlanCase(const Principal& caller,
                                    const pb::PlanCaseRequest& request) {
  if (request.goals_size() == 0) return absl::InvalidArgumentError("goals: at least one goal");
  if (request.goals_size() > kMaxGoals) {
    return absl::InvalidArgumentError(absl::StrCat("goals: at most ", kMaxGoals));
  }
  for (int i = 0; i < request.goals_size(); ++i) {
    const pb::PlanGoal& g = request.goals(i);
    const std::string field = absl::StrCat("goals[", i, "]");
    WAHANA_RETURN_IF_ERROR(CheckRequiredText(g.goal(), field + ".goal", kMaxTextBytes));
    WAHANA_RETURN_IF_ERROR(CheckText(g.services(), field + ".services", kMaxTextBytes));
    WAHANA_RETURN_IF_ERROR(CheckLine(g.responsible(), field + ".responsible", kMaxShortBytes));
  }
  CaseAction action;
  action.set_type(pb::ACTION_PLAN);
  action.set_reason(request.reason());
  *action.mutable_goals() = request.goals();
  return Step(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseLogic::ApprovePlan(const Principal& caller,
                                    const pb::ApprovePlanRequest& request) {
  CaseAction action;
  action.set_type(pb::ACTION_APPROVE_PLAN);
  action.set_reason(request.reason());
  return Step(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseLogic::SimpleStep(const Principal& caller,
                                           const pb::CaseStepRequest& request,
                                           pb::CaseActionType step) {
  if (step != pb::ACTION_MONITOR && step != pb::ACTION_RESUME_INTERVENTION &&
      step != pb::ACTION_CLOSE && step != pb::ACTION_REOPEN) {
    return absl::InternalError(absl::StrCat(StepName(step), " is not a simple step"));
  }
  CaseAction action;
  action.set_type(step);
  action.set_reason(request.reason());
  return Step(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseLogic::RecordService(const Principal& caller,
                                    const pb::RecordServiceRequest& request) {
  const pb::ServiceRecord& s = request.service();
  if (s.spm_service() == pb::SPM_SERVICE_UNSPECIFIED || !pb::SpmService_IsValid(s.spm_service())) {
    return absl::InvalidArgumentError(
        "service.spmService: required, one of the five SPM services (SPM_DISABILITAS_TELANTAR, "
        "SPM_ANAK_TELANTAR, SPM_LANJUT_USIA_TELANTAR, SPM_GELANDANGAN_PENGEMIS, "
        "SPM_KORBAN_BENCANA)");
  }
  WAHANA_RETURN_IF_ERROR(CheckName(s.component(), "service.component", kMaxShortBytes));
  WAHANA_RETURN_IF_ERROR(CheckRequiredDate(s.date(), "service.date", calendar_.LatestDate(now_())));
  WAHANA_RETURN_IF_ERROR(CheckLine(s.provider(), "service.provider", kMaxShortBytes));
  CaseAction action;
  action.set_type(pb::ACTION_RECORD_SERVICE);
  action.set_reason(request.reason());
  *action.mutable_service() = s;
  return Step(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseLogic::ReferCase(const Principal& caller,
                                    const pb::ReferCaseRequest& request) {
  if (request.target() == pb::REFERRAL_TARGET_UNSPECIFIED ||
      !pb::ReferralTarget_IsValid(request.target())) {
    return absl::InvalidArgumentError(
        "target: required, REFERRAL_AGENCY, REFERRAL_INSTITUTION or REFERRAL_PROVINCE");
  }
  WAHANA_RETURN_IF_ERROR(CheckRequiredText(request.reason(), "reason", kMaxTextBytes));
  WAHANA_RETURN_IF_ERROR((request.target() == pb::REFERRAL_AGENCY
                              ? CheckName(request.agency(), "agency", kMaxShortBytes)
                              : CheckLine(request.agency(), "agency", kMaxShortBytes)));
  WAHANA_RETURN_IF_ERROR(CheckRefId(request.institution_id(), "institutionId",
                                    request.target() == pb::REFERRAL_INSTITUTION));
  WAHANA_RETURN_IF_ERROR(CheckOptionalDate(request.due_date(), "dueDate", kNoLatestDate));
  CaseAction action;
  action.set_type(pb::ACTION_REFER);
  action.set_reason(request.reason());
  pb::Referral* r = action.mutable_referral();
  r->set_target(request.target());
  r->set_agency(request.agency());
  r->set_institution_id(request.institution_id());
  r->set_reason(request.reason());
  r->set_due_date(request.due_date());
  r->set_status(pb::REFERRAL_SENT);
  return Step(caller, request.id(), request.etag(), std::move(action),
              [this, &request](const Case&) -> absl::Status {
                if (request.target() != pb::REFERRAL_INSTITUTION) return absl::OkStatus();
                return RequireKnown(registry_->GetInstitution(request.institution_id()),
                                    "institutionId", "institution", request.institution_id())
                    .status();
              });
}

absl::StatusOr<Case> CaseLogic::UpdateReferral(const Principal& caller,
                                    const pb::UpdateReferralRequest& request) {
  if (request.referral_number() < 1) {
    return absl::InvalidArgumentError("referralNumber: required, 1 or more");
  }
  if (request.status() != pb::REFERRAL_ACCEPTED && request.status() != pb::REFERRAL_REJECTED &&
      request.status() != pb::REFERRAL_COMPLETED) {
    return absl::InvalidArgumentError(
        "status: REFERRAL_ACCEPTED, REFERRAL_REJECTED or REFERRAL_COMPLETED");
  }
  WAHANA_RETURN_IF_ERROR(CheckText(request.answer(), "answer", kMaxTextBytes));
  CaseAction action;
  action.set_type(pb::ACTION_UPDATE_REFERRAL);
  action.set_reason(request.reason());
  action.mutable_referral()->set_number(request.referral_number());
  action.mutable_referral()->set_status(request.status());
  action.mutable_referral()->set_answer(request.answer());
  return Step(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseLogic::TerminateCase(const Principal& caller,
                                    const pb::TerminateCaseRequest& request) {
  if (request.termination_reason() == pb::TERMINATION_REASON_UNSPECIFIED ||
      !pb::TerminationReason_IsValid(request.termination_reason())) {
    return absl::InvalidArgumentError(
        "terminationReason: required, one of GOAL_REACHED, TERMINATION_REFERRED, MOVED, DIED, "
        "REFUSED, LOST_CONTACT");
  }
  CaseAction action;
  action.set_type(pb::ACTION_TERMINATE);
  action.set_reason(request.reason());
  action.set_termination_reason(request.termination_reason());
  return Step(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseLogic::FollowUpCase(const Principal& caller,
                                    const pb::FollowUpCaseRequest& request) {
  WAHANA_RETURN_IF_ERROR(
      CheckRequiredDate(request.follow_up_date(), "followUpDate", kNoLatestDate));
  CaseAction action;
  action.set_type(pb::ACTION_FOLLOW_UP);
  action.set_reason(request.reason());
  action.set_follow_up_date(request.follow_up_date());
  return Step(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseLogic::AddCaseNote(const Principal& caller,
                                    const pb::AddCaseNoteRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRequiredText(request.text(), "text", kMaxTextBytes));
  CaseAction action;
  action.set_type(pb::ACTION_ADD_NOTE);
  action.mutable_note()->set_text(request.text());
  action.mutable_note()->set_confidential(request.confidential());
  return Step(caller, request.id(), request.etag(), std::move(action));
}

absl::StatusOr<Case> CaseLogic::RecordMediationSession(const Principal& caller,
                                    const pb::RecordMediationSessionRequest& request) {
  const pb::MediationSession& s = request.session();
  WAHANA_RETURN_IF_ERROR(CheckRequiredDate(s.date(), "session.date", calendar_.LatestDate(now_())));
  WAHANA_RETURN_IF_ERROR(CheckLine(s.place(), "session.place", kMaxShortBytes));
  WAHANA_RETURN_IF_ERROR(CheckText(s.outcome(), "session.outcome", kMaxTextBytes));
  WAHANA_RETURN_IF_ERROR(CheckRefId(s.event_id(), "session.eventId", false));
  if (s.attendees_size() > kMaxAttendees) {
    return absl::InvalidArgumentError(
        absl::StrCat("session.attendees: at most ", kMaxAttendees));
  }
  for (int i = 0; i < s.attendees_size(); ++i) {
    WAHANA_RETURN_IF_ERROR(
        CheckName(s.attendees(i), absl::StrCat("session.attendees[", i, "]"), kMaxShortBytes));
  }
  WAHANA_RETURN_IF_ERROR(CheckRefId(request.mediator_worker_id(), "mediatorWorkerId", false));
  CaseAction action;
  action.set_type(pb::ACTION_RECORD_SESSION);
  action.set_reason(request.reason());
  *action.mutable_session() = s;
  action.set_mediator_worker_id(request.mediator_worker_id());
  return Step(caller, request.id(), request.etag(), std::move(action),
              [this, &request](const Case&) -> absl::Status {
                if (request.mediator_worker_id().empty()) return absl::OkStatus();
                return RequireKnown(registry_->GetWorker(request.mediator_worker_id()),
                                    "mediatorWorkerId", "worker", request.mediator_worker_id())
                    .status();
              });
}

absl::StatusOr<Case> CaseLogic::RecordAgreement(const Principal& caller,
                                    const pb::RecordAgreementRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRequiredText(request.agreement(), "agreement", kMaxTextBytes));
  WAHANA_RETURN_IF_ERROR(
      CheckOptionalDate(request.follow_up_date(), "followUpDate", kNoLatestDate));
  CaseAction action;
  action.set_type(pb::ACTION_RECORD_AGREEMENT);
  action.set_reason(request.reason());
  action.set_agreement(request.agreement());
  action.set_follow_up_date(request.follow_up_date());
  return Step(caller, request.id(), request.etag(), std::move(action));
}

// What a registry message says of the record it is about.
struct RegistryChange {
  SubjectKind kind;
  std::string id;      // the record's
  std::string action;  // "created", "imported", "updated", "archived", ...
  std::string reason;  // an archive's
  bool archived;       // the record after the change
};

namespace {

template <typename Changed, typename RecordOf>
absl::StatusOr<RegistryChange> RegistryChangeOf(const wahana::common::v1::Envelope& envelope,
                                                SubjectKind kind, RecordOf record_of) {
  Changed changed;
  if (!envelope.payload().UnpackTo(&changed)) {
    return absl::InvalidArgumentError(absl::StrCat("message ", envelope.message_id(),
                                                   ": payload is not a ",
                                                   Changed::descriptor()->name()));
  }
  const auto& record = record_of(changed);
  return RegistryChange{kind, record.id(), changed.action(), changed.reason(),
                        record.archived() || changed.action() == "archived"};
}

// The change a message of the registry's stream announces, or nullopt for a message about no
// record a case names. The payload is parsed once here for every use.
absl::StatusOr<std::optional<RegistryChange>> RegistryChangeOf(
    const wahana::common::v1::Envelope& envelope) {
  const std::string& type = envelope.type();
  if (type == reg::BeneficiaryChanged::descriptor()->full_name()) {
    return RegistryChangeOf<reg::BeneficiaryChanged>(
        envelope, SubjectKind::kBeneficiary,
        [](const reg::BeneficiaryChanged& m) -> const reg::Beneficiary& {
          return m.beneficiary();
        });
  }
  if (type == reg::HouseholdChanged::descriptor()->full_name()) {
    return RegistryChangeOf<reg::HouseholdChanged>(
        envelope, SubjectKind::kHousehold,
        [](const reg::HouseholdChanged& m) -> const reg::Household& { return m.household(); });
  }
  if (type == reg::InstitutionChanged::descriptor()->full_name()) {
    return RegistryChangeOf<reg::InstitutionChanged>(
        envelope, SubjectKind::kInstitution,
        [](const reg::InstitutionChanged& m) -> const reg::Institution& {
          return m.institution();
        });
  }
  if (type == reg::WorkerChanged::descriptor()->full_name()) {
    return RegistryChangeOf<reg::WorkerChanged>(
        envelope, SubjectKind::kWorker,
        [](const reg::WorkerChanged& m) -> const reg::Worker& { return m.worker(); });
  }
  return std::optional<RegistryChange>();
}

}  // namespace

absl::Status CaseLogic::ProjectRegistryMessage(const wahana::common::v1::Envelope& envelope,
                                               const RegistryChange& change) {
  // A new record is not known here yet: the first case naming it asks the registry (so bulk
  // imports cost the projection nothing).
  if (known_ == nullptr || change.action == "created" || change.action == "imported" ||
      change.id.empty() || envelope.aggregate_version() < kFirstVersion) {
    return absl::OkStatus();
  }
  // An archive is remembered even of a record not known yet: a registry answer read before it
  // and remembered after it carries an older version and cannot undo it.
  return known_->Remember({change.kind, change.id}, envelope.aggregate_version(), change.archived,
                          /*only_if_known=*/!change.archived);
}

absl::Status CaseLogic::HandleRegistryMessage(const wahana::common::v1::Envelope& envelope) {
  WAHANA_ASSIGN_OR_RETURN(std::optional<RegistryChange> change, RegistryChangeOf(envelope));
  if (!change.has_value()) return absl::OkStatus();
  // The projection first: a create checking the subject after this sees the archive.
  WAHANA_RETURN_IF_ERROR(ProjectRegistryMessage(envelope, *change));
  if (change->kind != SubjectKind::kBeneficiary || change->action != "archived") {
    return absl::OkStatus();
  }
  const std::string& beneficiary = change->id;
  WAHANA_ASSIGN_OR_RETURN(std::vector<Case> cases,
                          store_->FindIndexed(kBeneficiaryLookup, beneficiary, kMaxPageSize));
  for (const Case& found : cases) {
    // A concurrent step moves the case on: read again and retry a few times; a redelivery finds
    // the case annotated and adds nothing.
    absl::Status status;
    for (int attempt = 0; attempt < 5; ++attempt) {
      WAHANA_ASSIGN_OR_RETURN(Case current, store_->Get(found.id()));
      if (current.status() == pb::CLOSED || current.subject_archived()) {
        status = absl::OkStatus();
        break;
      }
      CaseAction action;
      action.set_type(pb::ACTION_SUBJECT_ARCHIVED);
      action.set_reason(change->reason.empty()
                            ? std::string("the registry archived the subject beneficiary")
                            : absl::StrCat("the registry archived the subject beneficiary: ",
                                           change->reason));
      action.set_registry_message_id(envelope.message_id());
      status = Write(current, std::move(action), kSystemActor).status();
      if (!absl::IsAborted(status)) break;
    }
    WAHANA_RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

}  // namespace wahana
