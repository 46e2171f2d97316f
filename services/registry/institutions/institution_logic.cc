#include "registry/institutions/institution_logic.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/fields/field_checks.h"
#include "common/status/status_macros.h"
#include "registry/institutions/institution_rules.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateInstitutionRequest;
using wahana::registry::v1::GetInstitutionRequest;
using wahana::registry::v1::Institution;
using wahana::registry::v1::InstitutionChanged;
using wahana::registry::v1::ListInstitutionsRequest;
using wahana::registry::v1::ListInstitutionsResponse;
using wahana::registry::v1::UpdateInstitutionRequest;

ResourceSpec<Institution, InstitutionChanged> InstitutionSpec(const RegionRules& regions,
                                                              OfficeCalendar calendar) {
  ResourceSpec<Institution, InstitutionChanged> spec;
  spec.resource = Resource::kInstitution;
  spec.kind = "institution";
  spec.region_of = [](const Institution& i) { return i.village_code(); };
  spec.on_create = [](Institution& i, absl::Time) {
    if (i.status() == Institution::STATUS_UNSPECIFIED) i.set_status(Institution::ACTIVE);
  };
  spec.check = [&regions, calendar](const Principal&, Institution& i, const Institution*,
                                    absl::Time now) {
    return CheckInstitution(i, regions, calendar.LatestDate(now));
  };
  spec.annotate = [](const Institution* before, const Institution& after,
                     InstitutionChanged* message) {
    message->set_status_before(before != nullptr ? before->status()
                                                 : Institution::STATUS_UNSPECIFIED);
    message->set_status_after(after.status());
  };
  spec.check_list_region = [&regions](const std::string& region, const std::string& field) {
    return regions.RequireListRegion(region, field);
  };
  return spec;
}

}  // namespace

InstitutionLogic::InstitutionLogic(std::string region, std::shared_ptr<InstitutionStore> store,
                                   const RegionRules& regions, std::function<absl::Time()> now,
                                   TimeOrderedIdGenerator* ids, OfficeCalendar calendar)
    : flow_(InstitutionSpec(regions, std::move(calendar)), std::move(region), std::move(store),
            std::move(now), ids) {}

absl::StatusOr<Institution> InstitutionLogic::CreateInstitution(
    const Principal& caller, const CreateInstitutionRequest& request) {
  return flow_.Create(caller, request.request_id(), request.institution());
}

absl::StatusOr<Institution> InstitutionLogic::GetInstitution(const Principal& caller,
                                                             const GetInstitutionRequest& request) {
  return flow_.Get(caller, request.id());
}

absl::StatusOr<ListInstitutionsResponse> InstitutionLogic::ListInstitutions(
    const Principal& caller, const ListInstitutionsRequest& request) {
  ListQuery<Institution> query = PagedQuery<Institution>(request);
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
  return flow_.ListAs<ListInstitutionsResponse>(caller, request, std::move(query));
}

absl::StatusOr<Institution> InstitutionLogic::UpdateInstitution(
    const Principal& caller, const UpdateInstitutionRequest& request) {
  return flow_.Update(caller, request.institution(), request.update_mask());
}

absl::StatusOr<Institution> InstitutionLogic::ArchiveInstitution(const Principal& caller,
                                                                 const ArchiveRequest& request) {
  return flow_.Archive(caller, request.id(), request.etag(), request.reason());
}

}  // namespace wahana::registry
