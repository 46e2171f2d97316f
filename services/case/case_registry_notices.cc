#include "case/case_registry_notices.h"

#include <optional>
#include <utility>
#include <vector>

#include "case/case_indexing.h"
#include "common/storage/page_token.h"
#include "common/storage/record_requests.h"
#include "wahana/registry/v1/beneficiary.pb.h"
#include "wahana/registry/v1/household.pb.h"
#include "wahana/registry/v1/institution.pb.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana {
namespace case_internal {
namespace {

namespace pb = wahana::cases::v1;
namespace reg = wahana::registry::v1;
using pb::Case;
using pb::CaseAction;

}  // namespace

// What a registry message says of the record it is about.
struct RegistryChange {
  SubjectKind kind;
  std::string id;      // the record's
  std::string action;  // "created", "imported", "updated", "archived", ...
  bool archived;       // the record after the change
  std::string region;  // where the record lies after the change (RegionOfRecord)
};

namespace {

template <typename Changed, typename RecordOf>
absl::StatusOr<RegistryChange> RegistryChangeOf(const wahana::common::v1::Envelope& envelope,
                                                SubjectKind kind, const std::string& deployment,
                                                RecordOf record_of) {
  Changed changed;
  if (!envelope.payload().UnpackTo(&changed)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "message ", envelope.message_id(), ": payload is not a ", Changed::descriptor()->name()));
  }
  const auto& record = record_of(changed);
  return RegistryChange{kind, record.id(), changed.action(),
                        record.archived() || changed.action() == "archived",
                        RegionOfRecord(record, deployment)};
}

// The change a message of the registry's stream announces, or nullopt for a message about no
// record a case names. The payload is parsed once here for every use.
absl::StatusOr<std::optional<RegistryChange>> RegistryChangeOf(
    const wahana::common::v1::Envelope& envelope, const std::string& deployment) {
  const std::string& type = envelope.type();
  if (type == reg::BeneficiaryChanged::descriptor()->full_name()) {
    return RegistryChangeOf<reg::BeneficiaryChanged>(
        envelope, SubjectKind::kBeneficiary, deployment,
        [](const reg::BeneficiaryChanged& m) -> const reg::Beneficiary& {
          return m.beneficiary();
        });
  }
  if (type == reg::HouseholdChanged::descriptor()->full_name()) {
    return RegistryChangeOf<reg::HouseholdChanged>(
        envelope, SubjectKind::kHousehold, deployment,
        [](const reg::HouseholdChanged& m) -> const reg::Household& { return m.household(); });
  }
  if (type == reg::InstitutionChanged::descriptor()->full_name()) {
    return RegistryChangeOf<reg::InstitutionChanged>(
        envelope, SubjectKind::kInstitution, deployment,
        [](const reg::InstitutionChanged& m) -> const reg::Institution& {
          return m.institution();
        });
  }
  if (type == reg::WorkerChanged::descriptor()->full_name()) {
    return RegistryChangeOf<reg::WorkerChanged>(
        envelope, SubjectKind::kWorker, deployment,
        [](const reg::WorkerChanged& m) -> const reg::Worker& { return m.worker(); });
  }
  return std::optional<RegistryChange>();
}

}  // namespace

absl::Status CaseRegistryNotices::ProjectRegistryMessage(
    const wahana::common::v1::Envelope& envelope, const RegistryChange& change) {
  // A new record is not known here yet: the first case naming it asks the registry (so bulk
  // imports cost the projection nothing).
  if (known_ == nullptr || change.action == "created" || change.action == "imported" ||
      change.id.empty() || envelope.aggregate_version() < kFirstVersion) {
    return absl::OkStatus();
  }
  // An archive is remembered even of a record not known yet: a registry answer read before it
  // and remembered after it carries an older version and cannot undo it.
  return known_->Remember({change.kind, change.id}, envelope.aggregate_version(), change.archived,
                          change.region, /*only_if_known=*/!change.archived);
}

absl::Status CaseRegistryNotices::HandleRegistryMessage(
    const wahana::common::v1::Envelope& envelope) {
  WAHANA_ASSIGN_OR_RETURN(std::optional<RegistryChange> change,
                          RegistryChangeOf(envelope, region_));
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
      // Only that the subject was archived: the registry's reason is the beneficiary's record,
      // and a reader of the case may be one who cannot read the beneficiary (a reference is a
      // read, reference_access.h). Who may read it finds the reason in the registry.
      action.set_reason("the registry archived the subject beneficiary");
      action.set_registry_message_id(envelope.message_id());
      status = WriteChange(current, std::move(action), kSystemActor).status();
      if (!absl::IsAborted(status)) break;
    }
    WAHANA_RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

}  // namespace case_internal
}  // namespace wahana
