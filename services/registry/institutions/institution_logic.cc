#include "registry/institutions/institution_logic.h"

#include <google/protobuf/util/time_util.h>

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/bus/envelope.h"
#include "common/fields/field_checks.h"
#include "common/status/status_macros.h"
#include "common/storage/changed_fields.h"
#include "common/storage/record_requests.h"
#include "common/storage/update_mask.h"
#include "common/time/timestamp.h"
#include "registry/institutions/institution_rules.h"

namespace wahana::registry {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateInstitutionRequest;
using wahana::registry::v1::GetInstitutionRequest;
using wahana::registry::v1::Institution;
using wahana::registry::v1::InstitutionChanged;
using wahana::registry::v1::ListInstitutionsRequest;
using wahana::registry::v1::ListInstitutionsResponse;
using wahana::registry::v1::UpdateInstitutionRequest;

constexpr char kKind[] = "institution";
constexpr Resource kResource = Resource::kInstitution;

// How a refusal names the record: as the store's NOT_FOUND does, so both read the same.
std::string What(const std::string& id) { return absl::StrCat(kKind, " ", id); }

const std::vector<std::string>& ServerSetFields() {
  static const std::vector<std::string> kFields = [] {
    std::vector<std::string> fields = DefaultServerSetFields();
    fields.push_back("archived");
    return fields;
  }();
  return kFields;
}

// The record as the client may shape it: the server's fields cleared.
Institution ClientFields(const Institution& in) {
  Institution out = in;
  out.clear_id();
  out.clear_etag();
  out.clear_archived();
  out.clear_create_time();
  out.clear_update_time();
  out.clear_archive_time();
  return out;
}

}  // namespace

InstitutionLogic::InstitutionLogic(std::string region, std::shared_ptr<InstitutionStore> store,
                                   const RegionRules& regions, std::function<absl::Time()> now,
                                   TimeOrderedIdGenerator* ids, OfficeCalendar calendar)
    : region_(std::move(region)),
      store_(std::move(store)),
      regions_(regions),
      now_(now ? std::move(now) : [] { return absl::Now(); }),
      ids_(ids != nullptr ? *ids : TimeOrderedIdGenerator::Default()),
      calendar_(std::move(calendar)) {}

absl::StatusOr<Institution> InstitutionLogic::CreateInstitution(
    const Principal& caller, const CreateInstitutionRequest& request) {
  if (!RoleAllows(caller.role, kResource, Action::kCreate)) {
    // An empty region lies in no scope: the role's refusal is the one this answers.
    return CheckRecordAccess(caller, kResource, Action::kCreate, "", kKind);
  }
  // A retry is answered from storage first: it returns the first result whatever it carries,
  // to a caller who could have created it.
  WAHANA_ASSIGN_OR_RETURN(std::optional<Institution> earlier,
                          EarlierCreate<Institution>(*store_, request.request_id()));
  if (earlier.has_value()) {
    WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kCreate,
                                             earlier->village_code(), What(earlier->id())));
    return *std::move(earlier);
  }

  const absl::Time now = now_();
  Institution institution = ClientFields(request.institution());
  if (institution.status() == Institution::STATUS_UNSPECIFIED) {
    institution.set_status(Institution::ACTIVE);
  }
  WAHANA_RETURN_IF_ERROR(CheckInstitution(institution, regions_, calendar_.LatestDate(now)));
  WAHANA_RETURN_IF_ERROR(
      CheckRecordAccess(caller, kResource, Action::kCreate, institution.village_code(),
                        absl::StrCat("an institution in ", institution.village_code())));

  institution.set_id(ids_.Next());
  institution.set_etag(EtagOf(kFirstVersion));
  *institution.mutable_create_time() = TimestampOf(now);
  *institution.mutable_update_time() = institution.create_time();

  InstitutionChanged payload;
  *payload.mutable_institution() = institution;
  payload.set_action("created");
  payload.set_status_before(Institution::STATUS_UNSPECIFIED);
  payload.set_status_after(institution.status());
  WAHANA_ASSIGN_OR_RETURN(
      CreateResult<Institution> result,
      store_->Create(institution,
                     MakeEnvelope(payload, CreatedFacts(region_, institution.id(),
                                                        institution.village_code())),
                     request.request_id()));
  return std::move(result.stored);
}

absl::StatusOr<Institution> InstitutionLogic::GetInstitution(const Principal& caller,
                                                             const GetInstitutionRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "an institution"));
  WAHANA_ASSIGN_OR_RETURN(Institution institution, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kRead,
                                           institution.village_code(), What(request.id())));
  return institution;
}

absl::StatusOr<ListInstitutionsResponse> InstitutionLogic::ListInstitutions(
    const Principal& caller, const ListInstitutionsRequest& request) {
  WAHANA_RETURN_IF_ERROR(regions_.RequireListRegion(request.region(), "region"));
  WAHANA_ASSIGN_OR_RETURN(std::string region,
                          ScopeListRegion(caller, kResource, request.region(), "region"));
  ListQuery<Institution> query;
  query.region_prefix = std::move(region);
  query.include_archived = request.show_archived();
  query.page_size = request.page_size();
  query.page_token = request.page_token();
  if (request.kind() != Institution::KIND_UNSPECIFIED) {
    if (!Institution::Kind_IsValid(request.kind())) {
      return absl::InvalidArgumentError("kind: not a kind of institution");
    }
    query.view = KindView(request.kind());
  }
  if (request.status() != Institution::STATUS_UNSPECIFIED) {
    if (!Institution::Status_IsValid(request.status())) {
      return absl::InvalidArgumentError("status: ACTIVE or INACTIVE");
    }
    const Institution::Status status = request.status();
    query.filter = [status](const Institution& i) { return i.status() == status; };
    query.filter_key = absl::StrCat("status=", Institution::Status_Name(status));
  }
  WAHANA_ASSIGN_OR_RETURN(ListPage<Institution> page, store_->List(query));
  ListInstitutionsResponse response;
  for (Institution& institution : page.records) {
    response.add_institutions()->Swap(&institution);
  }
  response.set_next_page_token(std::move(page.next_page_token));
  return response;
}

absl::StatusOr<Institution> InstitutionLogic::UpdateInstitution(
    const Principal& caller, const UpdateInstitutionRequest& request) {
  const Institution& patch = request.institution();
  WAHANA_RETURN_IF_ERROR(CheckRecordId(patch.id(), "an institution"));
  if (patch.etag().empty()) {
    return absl::InvalidArgumentError("etag: required (the etag of the institution as read)");
  }
  WAHANA_ASSIGN_OR_RETURN(Institution current, store_->Get(patch.id()));
  WAHANA_RETURN_IF_ERROR(CheckWriteAccess(caller, kResource, Action::kUpdate,
                                          current.village_code(), What(current.id())));
  WAHANA_RETURN_IF_ERROR(CheckEtag(patch.etag(), current.etag(), kKind, current.id()));
  if (current.archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat("institution ", current.id(), " is archived"));
  }
  Institution updated = current;
  WAHANA_RETURN_IF_ERROR(
      ApplyUpdateMask(patch, request.update_mask(), ServerSetFields(), &updated));
  WAHANA_RETURN_IF_ERROR(CheckInstitution(updated, regions_, calendar_.LatestDate(now_())));
  // A move must land inside the scope too.
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kUpdate,
                                           updated.village_code(), What(current.id())));
  if (ChangedFieldNames(current, updated).empty()) return current;
  return Write(current, std::move(updated), "updated", "");
}

absl::StatusOr<Institution> InstitutionLogic::ArchiveInstitution(const Principal& caller,
                                                                 const ArchiveRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "an institution"));
  WAHANA_RETURN_IF_ERROR(CheckText(request.reason(), "reason", kMaxReasonBytes));
  WAHANA_ASSIGN_OR_RETURN(Institution current, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckWriteAccess(caller, kResource, Action::kArchive,
                                          current.village_code(), What(current.id())));
  WAHANA_RETURN_IF_ERROR(CheckEtag(request.etag(), current.etag(), kKind, current.id()));
  if (current.archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat("institution ", current.id(), " is already archived"));
  }
  Institution archived = current;
  archived.set_archived(true);
  return Write(current, std::move(archived), "archived", request.reason());
}

absl::StatusOr<Institution> InstitutionLogic::Write(const Institution& current, Institution updated,
                                                    const std::string& action,
                                                    const std::string& reason) {
  const absl::Time now = now_();
  WAHANA_ASSIGN_OR_RETURN(std::string etag, NextEtag(current.etag()));
  updated.set_etag(etag);
  *updated.mutable_update_time() = TimestampOf(now);
  if (action == "archived") *updated.mutable_archive_time() = updated.update_time();

  InstitutionChanged payload;
  *payload.mutable_institution() = updated;
  payload.set_action(action);
  payload.set_status_before(current.status());
  payload.set_status_after(updated.status());
  for (std::string& name : ChangedFieldNames(current, updated)) payload.add_changed_fields(name);
  payload.set_reason(reason);
  const int64_t version = *VersionOfEtag(etag);
  wahana::common::v1::Envelope envelope =
      MakeEnvelope(payload, ChangedFacts(region_, updated.id(), version, updated.village_code()));
  if (action == "archived") return store_->Archive(updated, current.etag(), envelope);
  return store_->Update(updated, current.etag(), envelope);
}

}  // namespace wahana::registry
