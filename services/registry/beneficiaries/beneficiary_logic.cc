#include "registry/beneficiaries/beneficiary_logic.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/privacy/nik_lookup.h"
#include "common/status/status_macros.h"
#include "common/storage/record_requests.h"
#include "common/storage/update_mask.h"
#include "common/time/timestamp.h"
#include "registry/beneficiaries/beneficiary_indexing.h"
#include "registry/beneficiaries/beneficiary_records.h"

namespace wahana::registry {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::BeneficiaryChanged;
using wahana::registry::v1::ReviewFlag;

constexpr Resource kResource = Resource::kBeneficiary;

// The record as `caller` may see it: whole, or MaskedPersonalData for a caller that does not see
// personal data.
Beneficiary Shown(const Principal& caller, Beneficiary b) {
  if (SeesPersonalData(caller, kResource)) return b;
  return MaskedPersonalData(std::move(b));
}

// The record as a list shows it to `caller` (beneficiary_records.h ListedAs).
Beneficiary Listed(const Principal& caller, Beneficiary b) {
  return ListedAs(SeesPersonalData(caller, kResource), std::move(b));
}

// `findings`: BeneficiaryLogic::Findings.
ResourceSpec<Beneficiary, BeneficiaryChanged> BeneficiarySpec(
    std::shared_ptr<const RegionRules> regions,
    std::function<absl::StatusOr<std::vector<ReviewFlag>>(const Beneficiary&, const std::string&,
                                                          absl::Time)>
        findings) {
  ResourceSpec<Beneficiary, BeneficiaryChanged> spec;
  spec.resource = kResource;
  spec.kind = kBeneficiaryKind;
  spec.server_set_fields = {"review_flags"};
  spec.unique_values = {kBeneficiaryNik};
  spec.region_of = [](const Beneficiary& b) { return b.village_code(); };
  spec.check = [findings](const Principal&, Beneficiary& b, const Beneficiary* before,
                          absl::Time now) -> absl::Status {
    WAHANA_ASSIGN_OR_RETURN(std::vector<ReviewFlag> flags,
                            findings(ClientFields(b), before != nullptr ? before->id() : "", now));
    b.clear_review_flags();
    for (ReviewFlag& flag : flags) *b.add_review_flags() = std::move(flag);
    return absl::OkStatus();
  };
  spec.on_update = [](const Beneficiary&, const Beneficiary& current, Beneficiary& updated,
                      absl::Time, std::string*) -> absl::Status {
    if (!current.nik().empty() && updated.nik() != current.nik()) {
      return absl::InvalidArgumentError(
          "nik: never changes once set (a wrong NIK: archive the record and create it anew)");
    }
    return absl::OkStatus();
  };
  spec.shown = Shown;
  spec.listed = Listed;
  spec.annotate = [](const Beneficiary* before, const Beneficiary&, BeneficiaryChanged* message) {
    if (before != nullptr) *message->mutable_ppks_categories_before() = before->ppks_categories();
  };
  spec.check_list_region = [regions](const std::string& region, const std::string& field) {
    return regions->RequireListRegion(region, field);
  };
  return spec;
}

}  // namespace

BeneficiaryLogic::BeneficiaryLogic(std::string region, std::shared_ptr<BeneficiaryStore> store,
                                   std::shared_ptr<const RegionRules> regions,
                                   std::function<absl::Time()> now, TimeOrderedIdGenerator* ids,
                                   OfficeCalendar calendar)
    : region_(std::move(region)),
      store_(std::move(store)),
      regions_(std::move(regions)),
      now_(now ? std::move(now) : [] { return absl::Now(); }),
      ids_(ids != nullptr ? *ids : TimeOrderedIdGenerator::Default()),
      calendar_(std::move(calendar)),
      validator_(regions_, [store = store_.get()](
                               const std::string& id) { return store->HouseholdExists(id); }),
      flow_(BeneficiarySpec(regions_, [this](const Beneficiary& b, const std::string& self_id,
                                             absl::Time at) { return Findings(b, self_id, at); }),
            region_, store_, now_, &ids_) {}

absl::StatusOr<std::vector<ReviewFlag>> BeneficiaryLogic::Findings(const Beneficiary& b,
                                                                   const std::string& self_id,
                                                                   absl::Time now) {
  WAHANA_ASSIGN_OR_RETURN(std::vector<ReviewFlag> flags,
                          validator_.Validate(b, calendar_.Today(now)));
  const std::string key = DuplicateKeyOf(b);
  if (!key.empty()) {
    WAHANA_ASSIGN_OR_RETURN(std::vector<Beneficiary> similar,
                            store_->FindIndexed(kDuplicateIndex, key, kMaxSimilarReported + 1));
    similar.erase(std::remove_if(similar.begin(), similar.end(),
                                 [&](const Beneficiary& o) { return o.id() == self_id; }),
                  similar.end());
    if (static_cast<int>(similar.size()) > kMaxSimilarReported) similar.resize(kMaxSimilarReported);
    if (!similar.empty()) flags.push_back(PossibleDuplicateFlag(similar));
  }
  return flags;
}

absl::StatusOr<Beneficiary> BeneficiaryLogic::CreateBeneficiary(
    const Principal& caller, const wahana::registry::v1::CreateBeneficiaryRequest& request) {
  return flow_.Create(caller, request.request_id(), request.beneficiary());
}

absl::StatusOr<Beneficiary> BeneficiaryLogic::GetBeneficiary(
    const Principal& caller, const wahana::registry::v1::GetBeneficiaryRequest& request) {
  return flow_.Get(caller, request.id());
}

absl::StatusOr<wahana::registry::v1::ListBeneficiariesResponse> BeneficiaryLogic::ListBeneficiaries(
    const Principal& caller, const wahana::registry::v1::ListBeneficiariesRequest& request) {
  const int category = request.ppks_category();
  if (category != 0 && !wahana::common::v1::PpksCategory_IsValid(category)) {
    return absl::InvalidArgumentError(
        absl::StrCat("ppksCategory: ", category, " is not a PPKS category (1-26)"));
  }
  const std::string household = request.household_id();
  if (!household.empty() && TimeOfId(household) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("householdId: \"", household, "\" is not a household id"));
  }
  ListQuery<Beneficiary> query = PagedQuery<Beneficiary>(request);
  if (category != 0 || !household.empty()) {
    query.filter = [category, household](const Beneficiary& b) {
      if (!household.empty() && b.household_id() != household) return false;
      if (category == 0) return true;
      return std::find(b.ppks_categories().begin(), b.ppks_categories().end(), category) !=
             b.ppks_categories().end();
    };
    query.filter_key = absl::StrCat("ppks=", category, ";household=", household);
  }
  return flow_.ListAs<wahana::registry::v1::ListBeneficiariesResponse>(caller, request,
                                                                       std::move(query));
}

absl::StatusOr<Beneficiary> BeneficiaryLogic::UpdateBeneficiary(
    const Principal& caller, const wahana::registry::v1::UpdateBeneficiaryRequest& request) {
  return flow_.Update(caller, request.beneficiary(), request.update_mask());
}

absl::StatusOr<Beneficiary> BeneficiaryLogic::ArchiveBeneficiary(
    const Principal& caller, const wahana::registry::v1::ArchiveRequest& request) {
  return flow_.Archive(caller, request.id(), request.etag(), request.reason());
}

absl::StatusOr<Beneficiary> BeneficiaryLogic::LookupBeneficiary(
    const Principal& caller, const wahana::registry::v1::LookupBeneficiaryRequest& request) {
  // Finding people by NIK is for those who may see NIKs (UU 27/2022: least data).
  WAHANA_RETURN_IF_ERROR(CheckNikLookup(caller, request.nik()));
  WAHANA_ASSIGN_OR_RETURN(std::optional<Beneficiary> found,
                          store_->FindUnique(kNikIndex, request.nik()));
  // The NIK is not repeated: messages end up in logs. A holder outside the scope is absent.
  constexpr char kNoHolder[] = "no beneficiary has this NIK";
  if (!found) return absl::NotFoundError(kNoHolder);
  if (!CheckRecordAccess(caller, kResource, Action::kRead, found->village_code(), "").ok()) {
    return absl::NotFoundError(kNoHolder);
  }
  return Shown(caller, *std::move(found));
}

absl::StatusOr<wahana::registry::v1::ListPossibleDuplicatesResponse>
BeneficiaryLogic::ListPossibleDuplicates(
    const Principal& caller, const wahana::registry::v1::ListPossibleDuplicatesRequest& request) {
  WAHANA_ASSIGN_OR_RETURN(Beneficiary self, flow_.ReadForRead(caller, request.id()));
  wahana::registry::v1::ListPossibleDuplicatesResponse response;
  const std::string key = DuplicateKeyOf(self);
  if (key.empty()) return response;
  WAHANA_ASSIGN_OR_RETURN(std::vector<Beneficiary> similar,
                          store_->FindIndexed(kDuplicateIndex, key, kMaxDuplicatesListed + 1));
  for (Beneficiary& other : similar) {
    if (other.id() == self.id()) continue;
    // The duplicate key holds the village, so these lie where `self` does; only records the
    // caller may read are listed all the same.
    if (!CheckRecordAccess(caller, kResource, Action::kRead, other.village_code(), "").ok()) {
      continue;
    }
    if (response.beneficiaries_size() == kMaxDuplicatesListed) break;
    *response.add_beneficiaries() = Listed(caller, std::move(other));
  }
  return response;
}

std::unique_ptr<BeneficiaryImport> BeneficiaryLogic::StartImport(const Principal& caller) {
  BeneficiaryImport::Context context;
  context.caller = caller;
  context.region = region_;
  context.store = store_.get();
  context.regions = regions_;
  context.now = now_;
  context.calendar = calendar_;
  context.ids = &ids_;
  return std::make_unique<BeneficiaryImport>(std::move(context));
}

absl::StatusOr<wahana::registry::v1::ImportBeneficiariesResponse>
BeneficiaryLogic::ImportBeneficiaries(
    const Principal& caller, const wahana::registry::v1::ImportBeneficiariesRequest& request) {
  std::unique_ptr<BeneficiaryImport> import = StartImport(caller);
  WAHANA_RETURN_IF_ERROR(import->AddBatch(request));
  return import->totals();
}

}  // namespace wahana::registry
