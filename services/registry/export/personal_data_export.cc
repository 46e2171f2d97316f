#include "registry/export/personal_data_export.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/access_policy.h"
#include "registry/households/household_indexing.h"

namespace wahana::registry {
namespace {

namespace pb = wahana::registry::v1;

// A trail longer than this many pages (500 entries each) is refused rather than cut silently.
constexpr int kMaxTrailPages = 40;

// The entry, found under `own` (the person's record or case), as the person gets it: without
// the staff's network addresses, and naming no other record a list returned beside `own` (other
// people's).
wahana::audit::v1::AuditEntry ForExport(wahana::audit::v1::AuditEntry entry,
                                        const std::string& own) {
  entry.clear_client_address();
  entry.clear_peer();
  wahana::audit::v1::AuditEntry kept;
  for (int i = 0; i < entry.returned_subjects_size(); ++i) {
    if (entry.returned_subjects(i) != own) continue;
    kept.add_returned_subjects(own);
    if (i < entry.returned_regions_size()) kept.add_returned_regions(entry.returned_regions(i));
  }
  entry.mutable_returned_subjects()->Swap(kept.mutable_returned_subjects());
  entry.mutable_returned_regions()->Swap(kept.mutable_returned_regions());
  return entry;
}

}  // namespace

RegistryPersonalDataExporter::RegistryPersonalDataExporter(
    std::shared_ptr<IndexedRecordStore<pb::Household>> households,
    std::shared_ptr<CaseRecords> cases, std::shared_ptr<const AuditReader> trail_reader,
    Principal registry_principal)
    : households_(std::move(households)),
      cases_(std::move(cases)),
      trail_reader_(std::move(trail_reader)),
      registry_principal_(std::move(registry_principal)) {}

absl::StatusOr<pb::PersonalDataExport> RegistryPersonalDataExporter::Export(
    const Principal& caller, pb::Beneficiary record) const {
  if (!SeesPersonalData(caller, Resource::kBeneficiary)) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", RoleName(caller.role),
                     " does not see personal data: it may not export a person's data"));
  }
  pb::PersonalDataExport out;
  const int64_t now_ns = absl::ToUnixNanos(absl::Now());
  out.mutable_export_time()->set_seconds(now_ns / 1000000000);
  out.mutable_export_time()->set_nanos(static_cast<int32_t>(now_ns % 1000000000));
  const std::string id = record.id();

  // The live household the person is a member of, and the one the record names.
  std::vector<std::string> household_ids;
  absl::StatusOr<std::optional<pb::Household>> member_of =
      households_->FindUnique(kMemberIndex, id);
  if (!member_of.ok()) return member_of.status();
  if (member_of->has_value()) household_ids.push_back((*member_of)->id());
  if (member_of->has_value() && Covers(caller, (*member_of)->village_code())) {
    *out.add_households() = **member_of;
  }
  if (!record.household_id().empty() &&
      !(member_of->has_value() && (*member_of)->id() == record.household_id())) {
    household_ids.push_back(record.household_id());
    absl::StatusOr<pb::Household> named = households_->Get(record.household_id());
    if (named.ok() && Covers(caller, named->village_code())) {
      *out.add_households() = *std::move(named);
    } else if (!named.ok() && named.status().code() != absl::StatusCode::kNotFound) {
      return named.status();
    }
  }

  // The person's cases (as subject, conflict party or household member), and the trail of each.
  absl::StatusOr<std::vector<wahana::cases::v1::Case>> cases = cases_->CasesOf(id, household_ids);
  if (!cases.ok()) return cases.status();

  // The registry's own trail of the record.
  wahana::audit::v1::ListAuditEntriesRequest request;
  request.set_subject(absl::StrCat("beneficiaries/", id));
  request.set_page_size(500);
  for (int page = 0;; ++page) {
    if (page == kMaxTrailPages) {
      return absl::ResourceExhaustedError(
          "the person's registry trail is longer than the export reads");
    }
    absl::StatusOr<wahana::audit::v1::ListAuditEntriesResponse> entries =
        trail_reader_->List(registry_principal_, request);
    if (!entries.ok() && entries.status().code() == absl::StatusCode::kNotFound) break;
    if (!entries.ok()) return entries.status();
    for (auto& entry : *entries->mutable_entries()) {
      *out.add_processing() = ForExport(std::move(entry), request.subject());
    }
    if (entries->next_page_token().empty()) break;
    request.set_page_token(entries->next_page_token());
  }

  for (wahana::cases::v1::Case& c : *cases) {
    if (!Covers(caller, c.village_code())) continue;
    absl::StatusOr<std::vector<wahana::audit::v1::AuditEntry>> trail = cases_->TrailOf(c.id());
    if (!trail.ok()) return trail.status();
    for (auto& entry : *trail) {
      *out.add_processing() = ForExport(std::move(entry), absl::StrCat("cases/", c.id()));
    }
    *out.add_cases() = std::move(c);
  }
  *out.mutable_beneficiary() = std::move(record);
  return out;
}

}  // namespace wahana::registry
