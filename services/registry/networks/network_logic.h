#pragma once
// The WKSBM network resource's rules, without a server: create (idempotent on requestId), get,
// list, update of the descriptive fields by field mask, archive, and the custom methods that move
// the rest: :advance (the lifecycle, network_lifecycle.h), :addMember / :removeMember, and
// :recordVisit. Every change is one atomic write of the record, its index entries and a
// NetworkChanged message on the registry's stream (the store's contract).
//
// Rules beyond the record's own (network_rules.h):
//  - One live network per area: a village, or an RW of a village. A second is ALREADY_EXISTS
//    "villageCode: ..." (or "rw: ...") naming the existing network.
//  - Update changes name, rw, decree and board only. kind and villageCode are fixed at create;
//    stage, stageHistory, memberInstitutionIds and visits move only by the custom methods: each is
//    refused in an update mask (INVALID_ARGUMENT "updateMask: ...").
//  - Every change but archive needs the current etag (INVALID_ARGUMENT "etag: required" without
//    it, ABORTED when stale); archive takes it optionally. Archived networks cannot change
//    (FAILED_PRECONDITION).
//  - :addMember: the institution must exist, not be archived, and lie in the network's village or
//    its kecamatan, else INVALID_ARGUMENT "institutionId: ...". Adding a member twice is
//    ALREADY_EXISTS (not silently accepted: the caller's etag would be stale anyway). At most 500
//    members.
//  - :removeMember of a non-member is NOT_FOUND; of a member a board member comes from,
//    FAILED_PRECONDITION (update the board first).
//  - :recordVisit: visits are recorded in date order (a visit dated before the last one is
//    INVALID_ARGUMENT "visit.date: ..."); the finding sets the stage to ACTIVE or INACTIVE, with a
//    stageHistory step when it changes it. At most 1000 visits.
//  - Dates given by clients are real dates, not in the future (common/fields/field_checks.h, the
//  office calendar's today). The
//    PREPARATION step made at create carries the UTC date of the create.
//
// Access (access_policy.h, Resource::kNetwork): every method takes the verified caller. A network
// outside the caller's scope reads as NOT_FOUND (also for changes when the caller may not read
// it); a change the role may not make, or a create outside the scope, is PERMISSION_DENIED; lists
// narrow to the scope. :addMember treats an institution the caller may not read as absent.
//
// Thread-safe when its stores and regions are (the production ones are).

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
#include "registry/networks/network_store.h"
#include "registry/regions/region_rules.h"
#include "wahana/registry/v1/network.pb.h"
#include "wahana/registry/v1/resources.pb.h"

namespace wahana::registry {

class NetworkLogic {
 public:
  static constexpr size_t kMaxStepNoteBytes = 500;
  static constexpr size_t kMaxVisitorBytes = 200;
  static constexpr size_t kMaxVisitNotesBytes = 4000;
  static constexpr int kMaxMembers = 500;
  static constexpr int kMaxVisits = 1000;

  // `region` is the deployment's region ("16.06"); `institutions` is where member institutions
  // are read (the registry's own store); `regions` must outlive the logic. `now` defaults to
  // absl::Now; `ids` to the process-wide generator (must outlive the logic when given).
  NetworkLogic(std::string region, std::shared_ptr<NetworkStore> store,
               std::shared_ptr<InstitutionStore> institutions, const RegionRules& regions,
               std::function<absl::Time()> now = nullptr, TimeOrderedIdGenerator* ids = nullptr,
               OfficeCalendar calendar = OfficeCalendar());

  // The client supplies kind, name, villageCode, rw, decree and board; the rest is the server's
  // (whatever the client sent): the network starts at PREPARATION with one stageHistory step.
  // With a requestId seen before, returns the network that create made and writes nothing.
  absl::StatusOr<wahana::registry::v1::Network> CreateNetwork(
      const Principal& caller, const wahana::registry::v1::CreateNetworkRequest& request);

  // Archived networks too.
  absl::StatusOr<wahana::registry::v1::Network> GetNetwork(
      const Principal& caller, const wahana::registry::v1::GetNetworkRequest& request);

  // By region prefix ("" the caller's scope; narrowed to the scope), optionally by stage (a view);
  // archived ones only with showArchived.
  absl::StatusOr<wahana::registry::v1::ListNetworksResponse> ListNetworks(
      const Principal& caller, const wahana::registry::v1::ListNetworksRequest& request);

  // See the class comment. An update that changes nothing returns the record and writes nothing.
  absl::StatusOr<wahana::registry::v1::Network> UpdateNetwork(
      const Principal& caller, const wahana::registry::v1::UpdateNetworkRequest& request);

  // Soft delete; releases the network's area (a new network may be formed there).
  absl::StatusOr<wahana::registry::v1::Network> ArchiveNetwork(
      const Principal& caller, const wahana::registry::v1::ArchiveRequest& request);

  // stage and date (YYYY-MM-DD) required, note optional (500 bytes).
  absl::StatusOr<wahana::registry::v1::Network> AdvanceNetwork(
      const Principal& caller, const wahana::registry::v1::AdvanceNetworkRequest& request);

  absl::StatusOr<wahana::registry::v1::Network> AddNetworkMember(
      const Principal& caller, const wahana::registry::v1::NetworkMemberRequest& request);
  absl::StatusOr<wahana::registry::v1::Network> RemoveNetworkMember(
      const Principal& caller, const wahana::registry::v1::NetworkMemberRequest& request);

  // visit.date required, visit.visitor required (200 bytes), visit.notes optional (4000 bytes).
  absl::StatusOr<wahana::registry::v1::Network> RecordNetworkVisit(
      const Principal& caller, const wahana::registry::v1::RecordNetworkVisitRequest& request);

 private:
  // The network `id` as the client last read it (`etag` required and current), not archived,
  // once the caller may take `step` on it (access_policy.h CheckStepAccess).
  absl::StatusOr<wahana::registry::v1::Network> CurrentForChange(const Principal& caller,
                                                                 const std::string& id,
                                                                 const std::string& etag,
                                                                 Step step);
  // Checks a member request's institutionId and reads the network to take `step` on.
  absl::StatusOr<wahana::registry::v1::Network> CurrentForMember(
      const Principal& caller, const wahana::registry::v1::NetworkMemberRequest& request,
      Step step);

  const OfficeCalendar calendar_;  // what "today" is
  ResourceFlow<wahana::registry::v1::Network, wahana::registry::v1::NetworkChanged> flow_;
  std::shared_ptr<InstitutionStore> institutions_;
};

}  // namespace wahana::registry
