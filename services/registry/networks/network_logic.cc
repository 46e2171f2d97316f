#include "registry/networks/network_logic.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
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

constexpr char kKind[] = "network";
constexpr Resource kResource = Resource::kNetwork;

// How a refusal names the record: as the store's NOT_FOUND does, so both read the same.
std::string What(const std::string& id) { return absl::StrCat(kKind, " ", id); }

// Top-level fields an update mask may not name, with why (proto names).
struct FixedField {
  const char* name;
  const char* why;
};
constexpr char kFixedAtCreate[] = "is fixed at create (archive this network and create another)";
constexpr FixedField kFixedFields[] = {
    {"stage", "moves only with :advance and :recordVisit"},
    {"stage_history", "moves only with :advance and :recordVisit"},
    {"member_institution_ids", "changes only with :addMember and :removeMember"},
    {"visits", "changes only with :recordVisit"},
    {"kind", kFixedAtCreate},
    {"village_code", kFixedAtCreate},
};

// Every field ApplyUpdateMask must leave alone: the server's and the fixed ones.
const std::vector<std::string>& KeptFields() {
  static const std::vector<std::string> kFields = [] {
    std::vector<std::string> fields = DefaultServerSetFields();
    fields.push_back("archived");
    for (const FixedField& fixed : kFixedFields) fields.push_back(fixed.name);
    return fields;
  }();
  return kFields;
}

// INVALID_ARGUMENT for a mask path that starts at a fixed field, saying how it does change.
absl::Status CheckMaskPaths(const google::protobuf::FieldMask& mask) {
  const google::protobuf::Descriptor* descriptor = Network::descriptor();
  for (const std::string& path : mask.paths()) {
    std::string first = path.substr(0, path.find('.'));
    for (const FixedField& fixed : kFixedFields) {
      const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(fixed.name);
      if (first == field->name() || first == field->json_name()) {
        return absl::InvalidArgumentError(absl::StrCat("updateMask: \"", path, "\" ", fixed.why));
      }
    }
  }
  return absl::OkStatus();
}

// A store's unique conflict on the area, as the client's field: which network holds it.
absl::Status AreaTaken(const absl::Status& status, const Network& network) {
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

}  // namespace

NetworkLogic::NetworkLogic(std::string region, std::shared_ptr<NetworkStore> store,
                           std::shared_ptr<InstitutionStore> institutions,
                           const RegionRules& regions, std::function<absl::Time()> now,
                           TimeOrderedIdGenerator* ids, OfficeCalendar calendar)
    : region_(std::move(region)),
      store_(std::move(store)),
      institutions_(std::move(institutions)),
      regions_(regions),
      now_(now ? std::move(now) : [] { return absl::Now(); }),
      ids_(ids != nullptr ? *ids : TimeOrderedIdGenerator::Default()),
      calendar_(std::move(calendar)) {}

absl::StatusOr<Network> NetworkLogic::CreateNetwork(const Principal& caller,
                                                    const CreateNetworkRequest& request) {
  if (!RoleAllows(caller.role, kResource, Action::kCreate)) {
    // An empty region lies in no scope: the role's refusal is the one this answers.
    return CheckRecordAccess(caller, kResource, Action::kCreate, "", kKind);
  }
  // A retry answers the first result, to a caller who could have created it.
  WAHANA_ASSIGN_OR_RETURN(std::optional<Network> earlier,
                          EarlierCreate<Network>(*store_, request.request_id()));
  if (earlier.has_value()) {
    WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kCreate,
                                             earlier->village_code(), What(earlier->id())));
    return *std::move(earlier);
  }

  const absl::Time now = now_();
  const Network& in = request.network();
  // Only the client's fields are copied: everything else is the server's.
  Network network;
  network.set_kind(in.kind());
  network.set_name(in.name());
  network.set_village_code(in.village_code());
  network.set_rw(in.rw());
  if (in.has_decree()) *network.mutable_decree() = in.decree();
  *network.mutable_board() = in.board();
  network.set_stage(Network::PREPARATION);
  WAHANA_RETURN_IF_ERROR(CheckNetwork(network, regions_, calendar_.LatestDate(now)));
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kCreate,
                                           network.village_code(),
                                           absl::StrCat("a network in ", network.village_code())));

  Network::StageStep* step = network.add_stage_history();
  step->set_stage(Network::PREPARATION);
  step->set_date(calendar_.TodayText(now));
  network.set_id(ids_.Next());
  network.set_etag(EtagOf(kFirstVersion));
  *network.mutable_create_time() = TimestampOf(now);
  *network.mutable_update_time() = network.create_time();

  NetworkChanged payload;
  *payload.mutable_network() = network;
  payload.set_action("created");
  payload.set_stage_before(Network::STAGE_UNSPECIFIED);
  payload.set_stage_after(network.stage());
  absl::StatusOr<CreateResult<Network>> result = store_->Create(
      network, MakeEnvelope(payload, CreatedFacts(region_, network.id(), network.village_code())),
      request.request_id());
  if (!result.ok()) return AreaTaken(result.status(), network);
  return std::move(result->stored);
}

absl::StatusOr<Network> NetworkLogic::GetNetwork(const Principal& caller,
                                                 const GetNetworkRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "a network"));
  WAHANA_ASSIGN_OR_RETURN(Network network, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kRead, network.village_code(),
                                           What(request.id())));
  return network;
}

absl::StatusOr<ListNetworksResponse> NetworkLogic::ListNetworks(
    const Principal& caller, const ListNetworksRequest& request) {
  WAHANA_RETURN_IF_ERROR(regions_.RequireListRegion(request.region(), "region"));
  WAHANA_ASSIGN_OR_RETURN(std::string region,
                          ScopeListRegion(caller, kResource, request.region(), "region"));
  ListQuery<Network> query;
  query.region_prefix = std::move(region);
  query.include_archived = request.show_archived();
  query.page_size = request.page_size();
  query.page_token = request.page_token();
  if (request.stage() != Network::STAGE_UNSPECIFIED) {
    if (!Network::Stage_IsValid(request.stage())) {
      return absl::InvalidArgumentError("stage: not a stage of a network");
    }
    query.view = StageView(request.stage());
  }
  WAHANA_ASSIGN_OR_RETURN(ListPage<Network> page, store_->List(query));
  ListNetworksResponse response;
  for (Network& network : page.records) response.add_networks()->Swap(&network);
  response.set_next_page_token(std::move(page.next_page_token));
  return response;
}

absl::StatusOr<Network> NetworkLogic::CurrentForChange(const Principal& caller,
                                                       const std::string& id,
                                                       const std::string& etag) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(id, "a network"));
  if (etag.empty()) {
    return absl::InvalidArgumentError("etag: required (the etag of the network as read)");
  }
  WAHANA_ASSIGN_OR_RETURN(Network current, store_->Get(id));
  // Before the etag: a stale etag must not tell an outsider the network exists.
  WAHANA_RETURN_IF_ERROR(CheckWriteAccess(caller, kResource, Action::kUpdate,
                                          current.village_code(), What(current.id())));
  WAHANA_RETURN_IF_ERROR(CheckEtag(etag, current.etag(), kKind, current.id()));
  if (current.archived()) {
    return absl::FailedPreconditionError(absl::StrCat("network ", current.id(), " is archived"));
  }
  return current;
}

absl::StatusOr<Network> NetworkLogic::UpdateNetwork(const Principal& caller,
                                                    const UpdateNetworkRequest& request) {
  const Network& patch = request.network();
  WAHANA_RETURN_IF_ERROR(CheckRecordId(patch.id(), "a network"));
  WAHANA_RETURN_IF_ERROR(CheckMaskPaths(request.update_mask()));
  WAHANA_ASSIGN_OR_RETURN(Network current, CurrentForChange(caller, patch.id(), patch.etag()));
  // Without a mask (or with "*") the fixed fields are skipped; a client that sends them changed
  // must still hear that they do not change.
  if (patch.kind() != Network::KIND_UNSPECIFIED && patch.kind() != current.kind()) {
    return absl::InvalidArgumentError(absl::StrCat("kind: ", kFixedAtCreate));
  }
  if (!patch.village_code().empty() && patch.village_code() != current.village_code()) {
    return absl::InvalidArgumentError(absl::StrCat("villageCode: ", kFixedAtCreate));
  }
  Network updated = current;
  WAHANA_RETURN_IF_ERROR(ApplyUpdateMask(patch, request.update_mask(), KeptFields(), &updated));
  WAHANA_RETURN_IF_ERROR(CheckNetwork(updated, regions_, calendar_.LatestDate(now_())));
  if (ChangedFieldNames(current, updated).empty()) return current;
  absl::StatusOr<Network> written = Write(current, updated, "updated", "");
  if (!written.ok()) return AreaTaken(written.status(), updated);
  return written;
}

absl::StatusOr<Network> NetworkLogic::ArchiveNetwork(const Principal& caller,
                                                     const ArchiveRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "a network"));
  WAHANA_RETURN_IF_ERROR(CheckText(request.reason(), "reason", kMaxReasonBytes));
  WAHANA_ASSIGN_OR_RETURN(Network current, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckWriteAccess(caller, kResource, Action::kArchive,
                                          current.village_code(), What(current.id())));
  WAHANA_RETURN_IF_ERROR(CheckEtag(request.etag(), current.etag(), kKind, current.id()));
  if (current.archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat("network ", current.id(), " is already archived"));
  }
  Network archived = current;
  archived.set_archived(true);
  return Write(current, std::move(archived), "archived", request.reason());
}

absl::StatusOr<Network> NetworkLogic::AdvanceNetwork(const Principal& caller,
                                                     const AdvanceNetworkRequest& request) {
  const absl::CivilDay latest = calendar_.LatestDate(now_());
  if (request.stage() == Network::STAGE_UNSPECIFIED || !Network::Stage_IsValid(request.stage())) {
    return absl::InvalidArgumentError(
        "stage: required, the stage to move to (SOCIALIZED, BOARD_FORMED, LEGALIZED, ACTIVE)");
  }
  WAHANA_RETURN_IF_ERROR(CheckRequiredDate(request.date(), "date", latest));
  WAHANA_RETURN_IF_ERROR(CheckText(request.note(), "note", kMaxStepNoteBytes));
  WAHANA_ASSIGN_OR_RETURN(Network current, CurrentForChange(caller, request.id(), request.etag()));
  WAHANA_RETURN_IF_ERROR(CheckAdvance(current, request.stage()));

  Network updated = current;
  updated.set_stage(request.stage());
  Network::StageStep* step = updated.add_stage_history();
  step->set_stage(request.stage());
  step->set_date(request.date());
  step->set_note(request.note());
  return Write(current, std::move(updated), "advanced", "");
}

absl::StatusOr<Network> NetworkLogic::CurrentForMember(const Principal& caller,
                                                       const NetworkMemberRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "a network"));
  WAHANA_RETURN_IF_ERROR(CheckInstitutionId(request.institution_id()));
  return CurrentForChange(caller, request.id(), request.etag());
}

absl::StatusOr<Network> NetworkLogic::AddNetworkMember(const Principal& caller,
                                                       const NetworkMemberRequest& request) {
  WAHANA_ASSIGN_OR_RETURN(Network current, CurrentForMember(caller, request));
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

  absl::StatusOr<Institution> institution = institutions_->Get(institution_id);
  // One the caller may not read is absent for it, as GetInstitution would answer.
  if (institution.ok() && !CheckRecordAccess(caller, Resource::kInstitution, Action::kRead,
                                             institution->village_code(), institution_id)
                               .ok()) {
    institution = absl::NotFoundError("not readable");
  }
  if (absl::IsNotFound(institution.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("institutionId: there is no institution ", institution_id));
  }
  WAHANA_RETURN_IF_ERROR(institution.status());
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
  return Write(current, std::move(updated), "member_added", "");
}

absl::StatusOr<Network> NetworkLogic::RemoveNetworkMember(const Principal& caller,
                                                          const NetworkMemberRequest& request) {
  WAHANA_ASSIGN_OR_RETURN(Network current, CurrentForMember(caller, request));
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
  return Write(current, std::move(updated), "member_removed", "");
}

absl::StatusOr<Network> NetworkLogic::RecordNetworkVisit(const Principal& caller,
                                                         const RecordNetworkVisitRequest& request) {
  const absl::CivilDay latest = calendar_.LatestDate(now_());
  const Network::Visit& visit = request.visit();
  if (visit.date().empty()) return absl::InvalidArgumentError("visit.date: required (YYYY-MM-DD)");
  WAHANA_ASSIGN_OR_RETURN(absl::CivilDay date, ParseDate(visit.date(), "visit.date", latest));
  WAHANA_RETURN_IF_ERROR(CheckName(visit.visitor(), "visit.visitor", kMaxVisitorBytes));
  WAHANA_RETURN_IF_ERROR(CheckText(visit.notes(), "visit.notes", kMaxVisitNotesBytes));
  WAHANA_ASSIGN_OR_RETURN(Network current, CurrentForChange(caller, request.id(), request.etag()));
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
  return Write(current, std::move(updated), "visit_recorded", "");
}

absl::StatusOr<Network> NetworkLogic::Write(const Network& current, Network updated,
                                            const std::string& action, const std::string& reason) {
  const absl::Time now = now_();
  WAHANA_ASSIGN_OR_RETURN(std::string etag, NextEtag(current.etag()));
  updated.set_etag(etag);
  *updated.mutable_update_time() = TimestampOf(now);
  if (action == "archived") *updated.mutable_archive_time() = updated.update_time();

  NetworkChanged payload;
  *payload.mutable_network() = updated;
  payload.set_action(action);
  payload.set_stage_before(current.stage());
  payload.set_stage_after(updated.stage());
  for (std::string& name : ChangedFieldNames(current, updated)) payload.add_changed_fields(name);
  payload.set_reason(reason);
  const int64_t version = *VersionOfEtag(etag);
  wahana::common::v1::Envelope envelope =
      MakeEnvelope(payload, ChangedFacts(region_, updated.id(), version, updated.village_code()));
  if (action == "archived") return store_->Archive(updated, current.etag(), envelope);
  return store_->Update(updated, current.etag(), envelope);
}

}  // namespace wahana::registry
