#include "case/case_queries.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "case/case_indexing.h"
#include "case/case_state_machine.h"
#include "common/cases/case_rules.h"
#include "common/region/region_code.h"
#include "common/storage/page_token.h"
#include "common/storage/record_requests.h"
#include "google/protobuf/arena.h"

namespace wahana {
namespace case_internal {
namespace {

namespace pb = wahana::cases::v1;
using pb::Case;
using pb::CaseAction;
using wahana::common::v1::PpksCategory_IsValid;

}  // namespace

absl::StatusOr<Case> CaseQueries::GetCase(const Principal& caller,
                                          const pb::GetCaseRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), kAKind));
  WAHANA_ASSIGN_OR_RETURN(Case c, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckRead(caller, c));
  return ForCaller(caller, std::move(c));
}

absl::StatusOr<pb::ListCasesResponse> CaseQueries::ListCases(const Principal& caller,
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
    return absl::InvalidArgumentError(absl::StrCat(
        "region: \"", query.region_prefix, "\" is outside this deployment (", region_, ")"));
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
    const int overdue_days = options_.overdue_days;
    const OfficeCalendar calendar = calendar_;
    const pb::CaseStatus status = request.status();
    const auto category = request.category();
    const pb::CaseKind kind = request.kind();
    query.filter = [=](const Case& c) {
      if (referred_only && ResourceOf(c) != Resource::kReferredCase) return false;
      if (f_status && c.status() != status) return false;
      if (f_category && c.category() != category) return false;
      if (f_kind && c.kind() != kind) return false;
      if (overdue) {
        const std::optional<absl::Time> overdue_at = CaseOverdueAt(c, overdue_days, calendar);
        if (!overdue_at.has_value() || *overdue_at > now) return false;
      }
      return true;
    };
    query.filter_key = absl::StrCat(f_status ? CaseStatusView(status) : "", ";",
                                    f_category ? CaseCategoryView(category) : "", ";",
                                    f_kind ? CaseKindView(kind) : "", ";", overdue ? "overdue" : "",
                                    ";", referred_only ? "referred" : "");
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
    WAHANA_ASSIGN_OR_RETURN(std::vector<Case> found,
                            store_->FindIndexed(by_person ? kBeneficiaryLookup : kHouseholdLookup,
                                                subject, kMaxPageSize));
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

absl::Status CaseQueries::GetCaseHistory(const Principal& caller,
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
    WAHANA_ASSIGN_OR_RETURN(std::string position, DecodePageToken(request.page_token(), query_key));
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
  // Masked in place (PublicAction's rule). A confidential note's text goes to whom
  // SeesConfidentialNote says, note by note: the assignee reads those written since the :assign
  // that gave it the case, or all of them when that :assign opened them.
  const bool personal = SeesPersonalData(caller, ResourceOf(c));
  for (CaseAction& action : *actions) {
    if (action.note().confidential() &&
        !SeesConfidentialNote(caller, c.assignee_worker_id(), c.assignee_notes_from(),
                              action.sequence())) {
      action.mutable_note()->clear_text();
    }
    if (!personal && action.has_intake()) {
      action.mutable_intake()->mutable_reporter()->clear_name();
      action.mutable_intake()->mutable_reporter()->clear_contact();
    }
  }
  if (more) {
    history->set_next_page_token(EncodePageToken(query_key, std::to_string(offset + page_size)));
  }
  return absl::OkStatus();
}

}  // namespace case_internal
}  // namespace wahana
