#pragma once
// The institution resource: its rules (institution_rules.h) on the resource flow
// (common/resource/resource_flow.h), which does create (idempotent on requestId), get, list,
// update by field mask and archive as for every resource. Every change is one atomic write of
// the record, its index entries and an InstitutionChanged message on the registry's stream.
// Storage and the regions come in through the constructor; every method takes the verified
// caller and asks access_policy.h (Resource::kInstitution) before it reads or writes.
//
// Errors, besides the store's (UNAVAILABLE, INTERNAL):
//   INVALID_ARGUMENT  naming the field in JSON spelling: the record's (institution_rules.h), id,
//                     requestId, etag (missing on update), updateMask, region, kind, status,
//                     pageSize, pageToken, reason
//   NOT_FOUND         no institution with that id, or one the caller may not read
//   PERMISSION_DENIED the caller's role may not take the action, or the record (or a list's
//                     region) lies outside the caller's region scope (access_policy.h)
//   ABORTED           a stale etag (HTTP 409): the record changed since the client read it
//   FAILED_PRECONDITION  an update or archive of an archived institution
//
// Thread-safe when its store and regions are (the production ones are).

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/ids/time_ordered_id.h"
#include "common/resource/resource_flow.h"
#include "common/time/office_calendar.h"
#include "registry/institutions/institution_store.h"
#include "registry/regions/region_rules.h"
#include "wahana/registry/v1/institution.pb.h"
#include "wahana/registry/v1/resources.pb.h"

namespace wahana::registry {

class InstitutionLogic {
 public:
  // `region` is the deployment's region ("16.06"); `regions` must outlive the logic. `now`
  // defaults to absl::Now (tests inject a clock); `ids` defaults to the process-wide generator and
  // must outlive the logic when given; `calendar` (default Asia/Jakarta) says what today is.
  InstitutionLogic(std::string region, std::shared_ptr<InstitutionStore> store,
                   const RegionRules& regions, std::function<absl::Time()> now = nullptr,
                   TimeOrderedIdGenerator* ids = nullptr,
                   OfficeCalendar calendar = OfficeCalendar());

  // The client's institution supplies every field but id, etag, archived and the times, which are
  // set here (whatever the client sent); status defaults to ACTIVE. With a requestId seen before,
  // returns the institution that create made and writes nothing (even if this request differs).
  absl::StatusOr<wahana::registry::v1::Institution> CreateInstitution(
      const Principal& caller, const wahana::registry::v1::CreateInstitutionRequest& request);

  // Archived institutions too (they stay readable).
  absl::StatusOr<wahana::registry::v1::Institution> GetInstitution(
      const Principal& caller, const wahana::registry::v1::GetInstitutionRequest& request);

  // By region prefix (any code; "" the caller's whole scope; narrowed to the scope), optionally by
  // kind (a view) and status (a filter); archived ones only with showArchived. In region-code
  // order, then creation order.
  absl::StatusOr<wahana::registry::v1::ListInstitutionsResponse> ListInstitutions(
      const Principal& caller, const wahana::registry::v1::ListInstitutionsRequest& request);

  // institution.etag is required and must be the current one. The mask follows update_mask.h:
  // server-set fields (id, etag, archived, times) are refused in it and skipped without it. The
  // result is checked whole. An update that changes nothing returns the record and writes nothing.
  absl::StatusOr<wahana::registry::v1::Institution> UpdateInstitution(
      const Principal& caller, const wahana::registry::v1::UpdateInstitutionRequest& request);

  // Soft delete: kept and readable, hidden from lists unless showArchived. The etag is required
  // and must be current; the reason goes into the stream message.
  absl::StatusOr<wahana::registry::v1::Institution> ArchiveInstitution(
      const Principal& caller, const wahana::registry::v1::ArchiveRequest& request);

 private:
  ResourceFlow<wahana::registry::v1::Institution, wahana::registry::v1::InstitutionChanged> flow_;
};

}  // namespace wahana::registry
