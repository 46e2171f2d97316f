#include "registry/networks/network_logic.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/auth/reference_access.h"
#include "common/bus/envelope.h"
#include "common/fields/field_checks.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "common/storage/changed_fields.h"
#include "common/storage/record_requests.h"
#include "common/storage/update_mask.h"
#include "common/time/timestamp.h"
#include "registry/networks/network_lifecycle.h"
#include "registry/networks/network_rules.h"

namespace wahana::registry {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::registry::v1::AdvanceNetworkRequest;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateNetworkRequest;
using wahana::registry::v1::GetNetworkRequest;
using wahana::registry::v1::Institution;
using wahana::registry::v1::ListNetworksRequest;
using wahana::registry::v1::ListNetworksResponse;
using wahana::registry::v1::Network;
using wahana::registry::v1::NetworkChanged;
using wahana::registry::v1::NetworkMemberRequest;
using wahana::registry::v1::RecordNetworkVisitRequest;
using wahana::registry::v1::UpdateNetworkRequest;

constexpr char kFixedAtCreate[] = "is fixed at create (archive this network and create another)";
constexpr char kMovedBySteps[] = "moves only with :advance and :recordVisit";

// A store's unique conflict on the area, as the client's field: which network holds it.
absl::Status AreaTaken(const Principal&, const absl::Status& status, const Network& network) {
  std::optional<UniqueConflict> conflict = UniqueConflictOf(status);
  if (!conflict || conflict->index != kNetworkAreaIndex) return status;
  if (network.kind() == Network::RW) {
    return absl::AlreadyExistsError(absl::StrCat("rw: RW ", network.rw(), " of village ",
                                                 network.village_code(), " already has network ",
                                                 conflict->holder_id));
  }
  return absl::AlreadyExistsError(absl::StrCat("villageCode: village ", network.village_code(),
                                               " already has network ", conflict->holder_id));
}

absl::Status CheckInstitutionId(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("institutionId: required");
  if (TimeOfId(id) < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "institutionId: \"", id, "\" is not an institution id (26 characters, 0-9 A-Z)"));
  }
  return absl::OkStatus();
}

ResourceSpec<Network, NetworkChanged> NetworkSpec(const RegionRules& regions,
                                                  OfficeCalendar calendar) {
  ResourceSpec<Network, NetworkChanged> spec;
  spec.resource = Resource::kNetwork;
  spec.kind = "network";
  spec.fixed_fields = {
      {"stage", kMovedBySteps},
      {"stage_history", kMovedBySteps},
      {"member_institution_ids", "changes only with :addMember and :removeMember"},
      {"visits", "changes only with :recordVisit"},
      {"kind", kFixedAtCreate},
      {"village_code", kFixedAtCreate},
  };
  spec.region_of = [](const Network& n) { return n.village_code(); };
  // A network starts at PREPARATION, with one step dated the day it was created.
  spec.on_create = [calendar](Network& network, absl::Time now) {
    network.clear_stage_history();
    network.clear_member_institution_ids();
    network.clear_visits();
    network.set_stage(Network::PREPARATION);
    Network::StageStep* step = network.add_stage_history();
    step->set_stage(Network::PREPARATION);
    step->set_date(calendar.TodayText(now));
  };
  spec.check = [&regions, calendar](const Principal&, Network& network, const Network*,
                                    absl::Time now) {
    return CheckNetwork(network, regions, calendar.LatestDate(now));
  };
  spec.annotate = [](const Network* before, const Network& after, NetworkChanged* message) {
    message->set_stage_before(before != nullptr ? before->stage() : Network::STAGE_UNSPECIFIED);
    message->set_stage_after(after.stage());
  };
  spec.explain_conflict = AreaTaken;
  spec.check_list_region = [&regions](const std::string& region, const std::string& field) {
    return regions.RequireListRegion(region, field);
  };
  return spec;
}

}  // namespace

NetworkLogic::NetworkLogic(std::string region, std::shared_ptr<NetworkStore> store,
                           std::shared_ptr<InstitutionStore> institutions,
                           const RegionRules& regions, std::function<absl::Time()> now,
                           TimeOrderedIdGenerator* ids, OfficeCalendar calendar)
    : calendar_(std::move(calendar)),
      flow_(NetworkSpec(regions, calendar_), std::move(region), std::move(store), std::move(now),
            ids),
      institutions_(std::move(institutions)) {}

absl::StatusOr<Network> NetworkLogic::CreateNetwork(const Principal& caller,
                                                    const CreateNetworkRequest& request) {
  return flow_.Create(caller, request.request_id(), request.network());
}

absl::StatusOr<Network> NetworkLogic::GetNetwork(const Principal& caller,
                                                 const GetNetworkRequest& request) {
  return flow_.Get(caller, request.id());
}

absl::StatusOr<ListNetworksResponse> NetworkLogic::ListNetworks(
    const Principal& caller, const ListNetworksRequest& request) {
  ListQuery<Network> query = PagedQuery<Network>(request);
  if (request.stage() != Network::STAGE_UNSPECIFIED) {
    if (!Network::Stage_IsValid(request.stage())) {
      return absl::InvalidArgumentError("stage: not a stage of a network");
    }
    query.view = StageView(request.stage());
  }
  return flow_.ListAs<ListNetworksResponse>(caller, request, std::move(query));
}

absl::StatusOr<Network> NetworkLogic::CurrentForChange(const Principal& caller,
                                                       const std::string& id,
                                                       const std::string& etag, Step step) {
  return flow_.ReadForStep(caller, id, etag, step);
}

absl::StatusOr<Network> NetworkLogic::UpdateNetwork(const Principal& caller,
                                                    const UpdateNetworkRequest& request) {
  return flow_.Update(caller, request.network(), request.update_mask());
}

absl::StatusOr<Network> NetworkLogic::ArchiveNetwork(const Principal& caller,
                                                     const ArchiveRequest& request) {
  return flow_.Archive(caller, request.id(), request.etag(), request.reason());
}

absl::StatusOr<Network> NetworkLogic::AdvanceNetwork(const Principal& caller,
                                                     const AdvanceNetworkRequest& request) {
  const absl::CivilDay latest = calendar_.LatestDate(flow_.Now());
  if (request.stage() == Network::STAGE_UNSPECIFIED || !Network::Stage_IsValid(request.stage())) {
    return absl::InvalidArgumentError(
        "stage: required, the stage to move to (SOCIALIZED, BOARD_FORMED, LEGALIZED, ACTIVE)");
  }
  WAHANA_RETURN_IF_ERROR(CheckRequiredDate(request.date(), "date", latest));
  WAHANA_RETURN_IF_ERROR(CheckText(request.note(), "note", kMaxStepNoteBytes));
  WAHANA_ASSIGN_OR_RETURN(Network current, CurrentForChange(caller, request.id(), request.etag(),
                                                            Step::kNetworkAdvance));
  WAHANA_RETURN_IF_ERROR(CheckAdvance(current, request.stage()));

  Network updated = current;
  updated.set_stage(request.stage());
  Network::StageStep* step = updated.add_stage_history();
  step->set_stage(request.stage());
  step->set_date(request.date());
  step->set_note(request.note());
  return flow_.WriteChange(caller, current, std::move(updated), "advanced");
}

absl::StatusOr<Network> NetworkLogic::CurrentForMember(const Principal& caller,
                                                       const NetworkMemberRequest& request,
                                                       Step step) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "a network"));
  WAHANA_RETURN_IF_ERROR(CheckInstitutionId(request.institution_id()));
  return CurrentForChange(caller, request.id(), request.etag(), step);
}

absl::StatusOr<Network> NetworkLogic::AddNetworkMember(const Principal& caller,
                                                       const NetworkMemberRequest& request) {
  WAHANA_ASSIGN_OR_RETURN(Network current,
                          CurrentForMember(caller, request, Step::kNetworkAddMember));
  const std::string& institution_id = request.institution_id();
  const auto& ids = current.member_institution_ids();
  if (std::find(ids.begin(), ids.end(), institution_id) != ids.end()) {
    return absl::AlreadyExistsError(absl::StrCat("institutionId: institution ", institution_id,
                                                 " is already a member of network ", current.id()));
  }
  if (ids.size() >= kMaxMembers) {
    return absl::FailedPreconditionError(
        absl::StrCat("network ", current.id(), " has ", kMaxMembers, " members, the most it may"));
  }

  // A reference is a read (reference_access.h): an unknown institution and one the caller may not
  // read answer the same NOT_FOUND.
  absl::StatusOr<Institution> institution = institutions_->Get(institution_id);
  if (absl::IsNotFound(institution.status())) {
    return ReferenceNotFound("institutionId", Resource::kInstitution, institution_id);
  }
  WAHANA_RETURN_IF_ERROR(institution.status());
  WAHANA_RETURN_IF_ERROR(CheckReference(caller, Resource::kInstitution, institution->village_code(),
                                        "institutionId", institution_id));
  if (institution->archived()) {
    return absl::InvalidArgumentError(
        absl::StrCat("institutionId: institution ", institution_id, " is archived"));
  }
  const std::string& village = institution->village_code();
  const std::string subdistrict = ParentRegionCode(current.village_code());
  if (village != current.village_code() && !RegionWithin(village, subdistrict)) {
    return absl::InvalidArgumentError(
        absl::StrCat("institutionId: institution ", institution_id, " lies in village ", village,
                     ", outside the network's village ", current.village_code(),
                     " and its kecamatan ", subdistrict));
  }

  Network updated = current;
  updated.add_member_institution_ids(institution_id);
  return flow_.WriteChange(caller, current, std::move(updated), "member_added");
}

absl::StatusOr<Network> NetworkLogic::RemoveNetworkMember(const Principal& caller,
                                                          const NetworkMemberRequest& request) {
  WAHANA_ASSIGN_OR_RETURN(Network current,
                          CurrentForMember(caller, request, Step::kNetworkRemoveMember));
  const std::string& institution_id = request.institution_id();
  const auto& ids = current.member_institution_ids();
  auto it = std::find(ids.begin(), ids.end(), institution_id);
  if (it == ids.end()) {
    return absl::NotFoundError(absl::StrCat("institutionId: institution ", institution_id,
                                            " is not a member of network ", current.id()));
  }
  for (int i = 0; i < current.board_size(); ++i) {
    if (current.board(i).institution_id() == institution_id) {
      return absl::FailedPreconditionError(
          absl::StrCat("institutionId: board[", i, "] (", current.board(i).full_name(),
                       ") comes from institution ", institution_id, "; update the board first"));
    }
  }
  Network updated = current;
  updated.mutable_member_institution_ids()->erase(
      updated.mutable_member_institution_ids()->begin() + (it - ids.begin()));
  return flow_.WriteChange(caller, current, std::move(updated), "member_removed");
}

absl::StatusOr<Network> NetworkLogic::RecordNetworkVisit(const Principal& caller,
                                                         const RecordNetworkVisitRequest& request) {
  const absl::CivilDay latest = calendar_.LatestDate(flow_.Now());
  const Network::Visit& visit = request.visit();
  if (visit.date().empty()) return absl::InvalidArgumentError("visit.date: required (YYYY-MM-DD)");
  WAHANA_ASSIGN_OR_RETURN(absl::CivilDay date, ParseDate(visit.date(), "visit.date", latest));
  WAHANA_RETURN_IF_ERROR(CheckName(visit.visitor(), "visit.visitor", kMaxVisitorBytes));
  WAHANA_RETURN_IF_ERROR(CheckText(visit.notes(), "visit.notes", kMaxVisitNotesBytes));
  WAHANA_ASSIGN_OR_RETURN(Network current, CurrentForChange(caller, request.id(), request.etag(),
                                                            Step::kNetworkRecordVisit));
  WAHANA_RETURN_IF_ERROR(CheckVisitAllowed(current));
  if (current.visits_size() >= kMaxVisits) {
    return absl::FailedPreconditionError(
        absl::StrCat("network ", current.id(), " has ", kMaxVisits, " visits, the most it may"));
  }
  if (current.visits_size() > 0) {
    const std::string& last = current.visits(current.visits_size() - 1).date();
    // Checked when stored: read back with no "not in the future" bound.
    absl::StatusOr<absl::CivilDay> last_date = ParseDate(last, "visit.date", kNoLatestDate);
    if (last_date.ok() && date < *last_date) {
      return absl::InvalidArgumentError(absl::StrCat("visit.date: ", visit.date(),
                                                     " is before the last recorded visit (", last,
                                                     "); visits are recorded in date order"));
    }
  }

  Network updated = current;
  *updated.add_visits() = visit;
  const Network::Stage finding = visit.active() ? Network::ACTIVE : Network::INACTIVE;
  if (finding != current.stage()) {
    updated.set_stage(finding);
    Network::StageStep* step = updated.add_stage_history();
    step->set_stage(finding);
    step->set_date(visit.date());
    step->set_note("evaluation visit");
  }
  return flow_.WriteChange(caller, current, std::move(updated), "visit_recorded");
}

}  // namespace wahana::registry
