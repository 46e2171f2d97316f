#include "registry/beneficiaries/beneficiary_logic.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
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
using wahana::registry::v1::ReviewFlag;

constexpr Resource kResource = Resource::kBeneficiary;

// How a refusal names the record: as the store's NOT_FOUND does, so both read the same.
std::string What(const std::string& id) { return absl::StrCat(kBeneficiaryKind, " ", id); }

// The record as `caller` may see it: masked as in lists unless the caller sees personal data.
Beneficiary Shown(const Principal& caller, Beneficiary b) {
  if (SeesPersonalData(caller, kResource)) return b;
  return MaskedForList(std::move(b));
}

// Where a NIK's holder lies, for TakenNumberError.
HolderRegion HolderVillage(BeneficiaryStore& store) {
  return [&store](const std::string& id) -> absl::StatusOr<std::string> {
    WAHANA_ASSIGN_OR_RETURN(Beneficiary holder, store.Get(id));
    return holder.village_code();
  };
}

bool AllDigits(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
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
      validator_(regions_, [store = store_.get()](const std::string& id) {
        return store->HouseholdExists(id);
      }) {}

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
  if (!RoleAllows(caller.role, kResource, Action::kCreate)) {
    // An empty region lies in no scope: the role's refusal is the one this answers.
    return CheckRecordAccess(caller, kResource, Action::kCreate, "", kBeneficiaryKind);
  }
  // A retry is answered from storage before validation (the first answer, even if the rules or
  // the regions have changed since), to a caller who could have created it.
  WAHANA_ASSIGN_OR_RETURN(std::optional<Beneficiary> earlier,
                          EarlierCreate<Beneficiary>(*store_, request.request_id()));
  if (earlier.has_value()) {
    // Not named by its id: a requestId reused from outside the scope must not reveal the record.
    WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kCreate,
                                             earlier->village_code(),
                                             "the beneficiary this requestId created"));
    return Shown(caller, *std::move(earlier));
  }

  const absl::Time now = now_();
  Beneficiary b = ClientFields(request.beneficiary());
  WAHANA_ASSIGN_OR_RETURN(std::vector<ReviewFlag> flags, Findings(b, "", now));
  // After validation (a malformed villageCode is the client's mistake, named as such).
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kCreate, b.village_code(),
                                           absl::StrCat("a beneficiary in ", b.village_code())));
  b.set_id(ids_.Next());
  b.set_etag(EtagOf(kFirstVersion));
  *b.mutable_create_time() = TimestampOf(now);
  *b.mutable_update_time() = b.create_time();
  for (ReviewFlag& flag : flags) *b.add_review_flags() = std::move(flag);
  absl::StatusOr<CreateResult<Beneficiary>> result =
      store_->Create(b, BeneficiaryMessage(region_, b, "created"), request.request_id());
  if (!result.ok()) {
    return TakenNumberError(result.status(), caller, kBeneficiaryNik, HolderVillage(*store_));
  }
  return Shown(caller, std::move(result->stored));
}

absl::StatusOr<Beneficiary> BeneficiaryLogic::GetBeneficiary(
    const Principal& caller, const wahana::registry::v1::GetBeneficiaryRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "a beneficiary"));
  WAHANA_ASSIGN_OR_RETURN(Beneficiary b, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(
      CheckRecordAccess(caller, kResource, Action::kRead, b.village_code(), What(request.id())));
  return Shown(caller, std::move(b));
}

absl::StatusOr<wahana::registry::v1::ListBeneficiariesResponse> BeneficiaryLogic::ListBeneficiaries(
    const Principal& caller, const wahana::registry::v1::ListBeneficiariesRequest& request) {
  WAHANA_RETURN_IF_ERROR(regions_->RequireListRegion(request.region(), "region"));
  WAHANA_ASSIGN_OR_RETURN(std::string region,
                          ScopeListRegion(caller, kResource, request.region(), "region"));
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
  ListQuery<Beneficiary> query;
  query.region_prefix = std::move(region);
  query.include_archived = request.show_archived();
  query.page_size = request.page_size();
  query.page_token = request.page_token();
  if (category != 0 || !household.empty()) {
    query.filter = [category, household](const Beneficiary& b) {
      if (!household.empty() && b.household_id() != household) return false;
      if (category == 0) return true;
      return std::find(b.ppks_categories().begin(), b.ppks_categories().end(), category) !=
             b.ppks_categories().end();
    };
    query.filter_key = absl::StrCat("ppks=", category, ";household=", household);
  }
  WAHANA_ASSIGN_OR_RETURN(ListPage<Beneficiary> page, store_->List(query));
  wahana::registry::v1::ListBeneficiariesResponse response;
  for (Beneficiary& b : page.records) *response.add_beneficiaries() = MaskedForList(std::move(b));
  response.set_next_page_token(std::move(page.next_page_token));
  return response;
}

absl::StatusOr<Beneficiary> BeneficiaryLogic::UpdateBeneficiary(
    const Principal& caller, const wahana::registry::v1::UpdateBeneficiaryRequest& request) {
  const Beneficiary& patch = request.beneficiary();
  WAHANA_RETURN_IF_ERROR(CheckRecordId(patch.id(), "a beneficiary"));
  WAHANA_ASSIGN_OR_RETURN(Beneficiary current, store_->Get(patch.id()));
  // Before the etag: a stale etag must not tell an outsider the record exists.
  WAHANA_RETURN_IF_ERROR(CheckWriteAccess(caller, kResource, Action::kUpdate,
                                          current.village_code(), What(current.id())));
  WAHANA_RETURN_IF_ERROR(CheckEtag(patch.etag(), current.etag(), kBeneficiaryKind, current.id()));
  if (current.archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat("beneficiary ", current.id(), " is archived: it cannot be changed"));
  }
  Beneficiary updated = current;
  WAHANA_RETURN_IF_ERROR(
      ApplyUpdateMask(patch, request.update_mask(), BeneficiaryServerSetFields(), &updated));
  if (!current.nik().empty() && updated.nik() != current.nik()) {
    return absl::InvalidArgumentError(
        "nik: never changes once set (a wrong NIK: archive the record and create it anew)");
  }
  std::vector<std::string> changed = ChangedFields(current, updated);
  if (changed.empty()) return Shown(caller, std::move(current));

  const absl::Time now = now_();
  WAHANA_ASSIGN_OR_RETURN(std::vector<ReviewFlag> flags,
                          Findings(ClientFields(updated), current.id(), now));
  // A move must land inside the scope too.
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kUpdate,
                                           updated.village_code(), What(current.id())));
  updated.clear_review_flags();
  for (ReviewFlag& flag : flags) *updated.add_review_flags() = std::move(flag);
  WAHANA_ASSIGN_OR_RETURN(std::string next, NextEtag(current.etag()));
  updated.set_etag(next);
  *updated.mutable_update_time() = TimestampOf(now);
  absl::StatusOr<Beneficiary> written = store_->Update(
      updated, current.etag(),
      BeneficiaryMessage(region_, updated, "updated", changed, "", current.ppks_categories()));
  if (!written.ok()) {
    return TakenNumberError(written.status(), caller, kBeneficiaryNik, HolderVillage(*store_));
  }
  return Shown(caller, *std::move(written));
}

absl::StatusOr<Beneficiary> BeneficiaryLogic::ArchiveBeneficiary(
    const Principal& caller, const wahana::registry::v1::ArchiveRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "a beneficiary"));
  if (request.reason().size() > kMaxReasonBytes) {
    return absl::InvalidArgumentError(absl::StrCat("reason: at most ", kMaxReasonBytes, " bytes"));
  }
  WAHANA_ASSIGN_OR_RETURN(Beneficiary current, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckWriteAccess(caller, kResource, Action::kArchive,
                                          current.village_code(), What(current.id())));
  WAHANA_RETURN_IF_ERROR(CheckEtag(request.etag(), current.etag(), kBeneficiaryKind, current.id()));
  if (current.archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat("beneficiary ", current.id(), " is already archived"));
  }
  const absl::Time now = now_();
  Beneficiary archived = current;
  archived.set_archived(true);
  *archived.mutable_archive_time() = TimestampOf(now);
  *archived.mutable_update_time() = archived.archive_time();
  WAHANA_ASSIGN_OR_RETURN(std::string next, NextEtag(current.etag()));
  archived.set_etag(next);
  WAHANA_ASSIGN_OR_RETURN(
      Beneficiary written,
      store_->Archive(archived, current.etag(),
                      BeneficiaryMessage(region_, archived, "archived", {}, request.reason(),
                                         current.ppks_categories())));
  return Shown(caller, std::move(written));
}

absl::StatusOr<Beneficiary> BeneficiaryLogic::LookupBeneficiary(
    const Principal& caller, const wahana::registry::v1::LookupBeneficiaryRequest& request) {
  // Finding people by NIK is for those who may see NIKs (UU 27/2022: least data).
  if (!RoleAllows(caller.role, kResource, Action::kRead) || !SeesPersonalData(caller, kResource)) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", RoleName(caller.role), " may not look up beneficiaries by NIK"));
  }
  if (request.nik().size() != 16 || !AllDigits(request.nik())) {
    return absl::InvalidArgumentError("nik: required, 16 digits");
  }
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
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "a beneficiary"));
  WAHANA_ASSIGN_OR_RETURN(Beneficiary self, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(
      CheckRecordAccess(caller, kResource, Action::kRead, self.village_code(), What(request.id())));
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
    *response.add_beneficiaries() = MaskedForList(std::move(other));
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
