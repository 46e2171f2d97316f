#include "registry/households/household_logic.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/auth/access_policy.h"
#include "common/bus/envelope.h"
#include "common/fields/field_checks.h"
#include "common/ids/time_ordered_id.h"
#include "common/privacy/masking.h"
#include "common/status/status_macros.h"
#include "common/storage/changed_fields.h"
#include "common/storage/record_requests.h"
#include "common/storage/update_mask.h"
#include "common/time/timestamp.h"
#include "registry/households/kk_number.h"

namespace wahana::registry {
namespace {

using google::protobuf::util::TimeUtil;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateHouseholdRequest;
using wahana::registry::v1::GetHouseholdRequest;
using wahana::registry::v1::Household;
using wahana::registry::v1::HouseholdChanged;
using wahana::registry::v1::ListHouseholdsRequest;
using wahana::registry::v1::ListHouseholdsResponse;
using wahana::registry::v1::ReviewFlag;
using wahana::registry::v1::UpdateHouseholdRequest;

constexpr char kAKind[] = "a household";
constexpr Resource kResource = Resource::kHousehold;

// How a refusal names the record: as the store's NOT_FOUND does, so both read the same.
std::string What(const std::string& id) { return absl::StrCat(kHouseholdKind, " ", id); }

// KK numbers, current and past, masked ("1606********0001").
Household MaskedKk(Household household) {
  household.set_kk_number(MaskIdentityNumber(household.kk_number()));
  for (Household::KkRecord& kk : *household.mutable_kk_history()) {
    kk.set_kk_number(MaskIdentityNumber(kk.kk_number()));
  }
  return household;
}

// The household as `caller` may see it: KK numbers masked unless it sees personal data.
Household Shown(const Principal& caller, Household household) {
  if (SeesPersonalData(caller, kResource)) return household;
  return MaskedKk(std::move(household));
}

bool WasMember(const Household* before, const std::string& beneficiary_id) {
  if (before == nullptr) return false;
  for (const Household::Member& m : before->members()) {
    if (m.beneficiary_id() == beneficiary_id) return true;
  }
  return false;
}

const std::vector<std::string>& ServerSetFields() {
  static const std::vector<std::string> fields = [] {
    std::vector<std::string> f = DefaultServerSetFields();
    f.push_back("archived");
    f.push_back("kk_history");
    f.push_back("review_flags");
    return f;
  }();
  return fields;
}

wahana::common::v1::Envelope ChangeMessage(const std::string& region, const Household& household,
                                           const std::string& action,
                                           std::vector<std::string> changed_fields,
                                           const std::string& reason, int64_t version) {
  HouseholdChanged payload;
  *payload.mutable_household() = household;
  payload.set_action(action);
  for (std::string& f : changed_fields) payload.add_changed_fields(std::move(f));
  payload.set_reason(reason);
  MessageFacts facts =
      version == kFirstVersion
          ? CreatedFacts(region, household.id(), household.village_code())
          : ChangedFacts(region, household.id(), version, household.village_code());
  return MakeEnvelope(payload, facts);
}

std::string MemberField(int i) { return absl::StrCat("members[", i, "].beneficiaryId"); }

// The other household is named only to a caller who may read it: a family may span villages
// beyond one worker's scope, and a refusal must not reveal a household the caller cannot open.
absl::Status AlreadyAMember(const Principal& caller, int i, const std::string& beneficiary,
                            const Household& holder) {
  const bool readable =
      CheckRecordAccess(caller, kResource, Action::kRead, holder.village_code(), "").ok();
  return absl::FailedPreconditionError(
      absl::StrCat(MemberField(i), ": beneficiary ", beneficiary, " is already a member of ",
                   readable ? absl::StrCat("household ", holder.id())
                            : std::string("a household outside your region")));
}

// Where a KK number's holder lies, for TakenNumberError.
HolderRegion HolderVillage(HouseholdStore& store) {
  return [&store](const std::string& id) -> absl::StatusOr<std::string> {
    WAHANA_ASSIGN_OR_RETURN(Household holder, store.Get(id));
    return holder.village_code();
  };
}

}  // namespace

HouseholdLogic::HouseholdLogic(std::string region, std::shared_ptr<HouseholdStore> store,
                               std::shared_ptr<BeneficiaryDirectory> beneficiaries,
                               const RegionRules& regions, std::function<absl::Time()> now,
                               TimeOrderedIdGenerator* ids, OfficeCalendar calendar)
    : region_(std::move(region)),
      store_(std::move(store)),
      beneficiaries_(std::move(beneficiaries)),
      regions_(regions),
      now_(now ? std::move(now) : [] { return absl::Now(); }),
      ids_(ids != nullptr ? *ids : TimeOrderedIdGenerator::Default()),
      calendar_(std::move(calendar)) {}

absl::Status HouseholdLogic::CheckAndFlag(const Principal& caller, Household& household,
                                          const Household* before) {
  if (!household.kk_number().empty()) WAHANA_RETURN_IF_ERROR(CheckKkNumber(household.kk_number()));
  if (household.village_code().empty()) return absl::InvalidArgumentError("villageCode: required");
  WAHANA_RETURN_IF_ERROR(CheckText(household.address(), "address", kMaxAddressBytes));
  if (household.members_size() > kMaxMembers) {
    return absl::InvalidArgumentError(absl::StrCat("members: at most ", kMaxMembers));
  }
  int head = -1;
  for (int i = 0; i < household.members_size(); ++i) {
    const Household::Member& m = household.members(i);
    if (m.beneficiary_id().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(MemberField(i), ": required"));
    }
    if (TimeOfId(m.beneficiary_id()) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(MemberField(i), ": \"", m.beneficiary_id(),
                       "\" is not a beneficiary id (26 characters, 0-9 A-Z)"));
    }
    for (int j = 0; j < i; ++j) {
      if (household.members(j).beneficiary_id() == m.beneficiary_id()) {
        return absl::InvalidArgumentError(
            absl::StrCat(MemberField(i), ": repeats members[", j, "]"));
      }
    }
    if (m.relation() == Household::RELATION_UNSPECIFIED ||
        !Household::Relation_IsValid(m.relation())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "members[", i,
          "].relation: required, one of HEAD, SPOUSE, CHILD, CHILD_IN_LAW, GRANDCHILD, PARENT, "
          "PARENT_IN_LAW, OTHER_FAMILY, OTHER"));
    }
    if (m.relation() == Household::HEAD) {
      if (head >= 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "members[", i, "].relation: a household has one HEAD (members[", head, "] is)"));
      }
      head = i;
    }
  }

  // The checks that read storage, last: regions, then the members' records, then who holds them.
  WAHANA_RETURN_IF_ERROR(regions_.RequireVillage(household.village_code(), "villageCode"));
  household.clear_review_flags();
  if (!household.kk_number().empty()) {
    WAHANA_ASSIGN_OR_RETURN(std::optional<ReviewFlag> flag,
                            KkNumberFinding(household.kk_number(), regions_));
    if (flag) *household.add_review_flags() = *std::move(flag);
  }
  for (int i = 0; i < household.members_size(); ++i) {
    const std::string& id = household.members(i).beneficiary_id();
    WAHANA_ASSIGN_OR_RETURN(std::optional<BeneficiaryFacts> facts, beneficiaries_->Find(id));
    // A new member the caller may not read is absent for it (members already there stay: a
    // family may span villages beyond one worker's scope).
    if (facts && !WasMember(before, id) &&
        !CheckRecordAccess(caller, Resource::kBeneficiary, Action::kRead, facts->village_code, id)
             .ok()) {
      facts.reset();
    }
    if (!facts) {
      return absl::InvalidArgumentError(absl::StrCat(MemberField(i), ": no beneficiary ", id));
    }
    if (facts->archived) {
      return absl::InvalidArgumentError(
          absl::StrCat(MemberField(i), ": beneficiary ", id, " is archived"));
    }
    if (!facts->household_id.empty() && facts->household_id != household.id()) {
      ReviewFlag* flag = household.add_review_flags();
      flag->set_code("MEMBER_HOUSEHOLD_DIFFERS");
      flag->set_field(MemberField(i));
      flag->set_message(absl::StrCat("beneficiary ", id, " names household ", facts->household_id,
                                     " in its own record"));
    }
  }
  for (int i = 0; i < household.members_size(); ++i) {
    const std::string& id = household.members(i).beneficiary_id();
    WAHANA_ASSIGN_OR_RETURN(std::optional<Household> holder, store_->FindUnique(kMemberIndex, id));
    if (holder && holder->id() != household.id()) return AlreadyAMember(caller, i, id, *holder);
  }
  return absl::OkStatus();
}

absl::Status HouseholdLogic::ExplainConflict(const Principal& caller, const absl::Status& status,
                                             const Household& household) {
  std::optional<UniqueConflict> conflict = UniqueConflictOf(status);
  if (!conflict) return status;
  if (conflict->index == kKkNumberIndex) {
    return TakenNumberError(status, caller, kHouseholdKk, HolderVillage(*store_));
  }
  if (conflict->index != kMemberIndex) return status;
  absl::StatusOr<Household> holder = store_->Get(conflict->holder_id);
  if (holder.ok()) {
    for (int i = 0; i < household.members_size(); ++i) {
      for (const Household::Member& theirs : holder->members()) {
        if (theirs.beneficiary_id() == household.members(i).beneficiary_id()) {
          return AlreadyAMember(caller, i, theirs.beneficiary_id(), *holder);
        }
      }
    }
  }
  // The holder could not be read, so neither could the caller's right to see it be checked.
  return absl::FailedPreconditionError(
      "members: a beneficiary is already a member of another household");
}

absl::StatusOr<Household> HouseholdLogic::CreateHousehold(const Principal& caller,
                                                          const CreateHouseholdRequest& request) {
  if (!RoleAllows(caller.role, kResource, Action::kCreate)) {
    // An empty region lies in no scope: the role's refusal is the one this answers.
    return CheckRecordAccess(caller, kResource, Action::kCreate, "", kHouseholdKind);
  }
  // A retry answers the first result, to a caller who could have created it.
  WAHANA_ASSIGN_OR_RETURN(std::optional<Household> earlier,
                          EarlierCreate<Household>(*store_, request.request_id()));
  if (earlier.has_value()) {
    // Not named by its id: a requestId reused from outside the scope must not reveal the record.
    WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kCreate,
                                             earlier->village_code(),
                                             "the household this requestId created"));
    return Shown(caller, *std::move(earlier));
  }

  // Only the client's fields are copied: everything else is the server's.
  const Household& in = request.household();
  Household household;
  household.set_id(ids_.Next());
  household.set_kk_number(in.kk_number());
  household.set_village_code(in.village_code());
  household.set_address(in.address());
  *household.mutable_members() = in.members();
  // The scope before the other checks: they read the members, which an outsider must not probe.
  if (!household.village_code().empty()) {
    WAHANA_RETURN_IF_ERROR(regions_.RequireVillage(household.village_code(), "villageCode"));
    WAHANA_RETURN_IF_ERROR(
        CheckRecordAccess(caller, kResource, Action::kCreate, household.village_code(),
                          absl::StrCat("a household in ", household.village_code())));
  }
  WAHANA_RETURN_IF_ERROR(CheckAndFlag(caller, household, nullptr));
  const absl::Time now = now_();
  if (!household.kk_number().empty()) {
    Household::KkRecord* first = household.add_kk_history();
    first->set_kk_number(household.kk_number());
    first->set_valid_from(calendar_.TodayText(now));
  }
  household.set_etag(EtagOf(kFirstVersion));
  *household.mutable_create_time() = TimestampOf(now);

  absl::StatusOr<CreateResult<Household>> result =
      store_->Create(household, ChangeMessage(region_, household, "created", {}, "", kFirstVersion),
                     request.request_id());
  if (!result.ok()) return ExplainConflict(caller, result.status(), household);
  return Shown(caller, std::move(result->stored));
}

absl::StatusOr<Household> HouseholdLogic::GetHousehold(const Principal& caller,
                                                       const GetHouseholdRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), kAKind));
  WAHANA_ASSIGN_OR_RETURN(Household household, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kRead,
                                           household.village_code(), What(request.id())));
  return Shown(caller, std::move(household));
}

absl::StatusOr<ListHouseholdsResponse> HouseholdLogic::ListHouseholds(
    const Principal& caller, const ListHouseholdsRequest& request) {
  WAHANA_RETURN_IF_ERROR(regions_.RequireListRegion(request.region(), "region"));
  WAHANA_ASSIGN_OR_RETURN(std::string region,
                          ScopeListRegion(caller, kResource, request.region(), "region"));
  ListQuery<Household> query;
  query.region_prefix = std::move(region);
  query.include_archived = request.show_archived();
  query.page_size = request.page_size();
  query.page_token = request.page_token();
  WAHANA_ASSIGN_OR_RETURN(ListPage<Household> page, store_->List(query));
  ListHouseholdsResponse response;
  for (Household& household : page.records) {
    *response.add_households() = MaskedKk(std::move(household));
  }
  response.set_next_page_token(std::move(page.next_page_token));
  return response;
}

absl::StatusOr<Household> HouseholdLogic::UpdateHousehold(const Principal& caller,
                                                          const UpdateHouseholdRequest& request) {
  const Household& patch = request.household();
  WAHANA_RETURN_IF_ERROR(CheckRecordId(patch.id(), kAKind));
  WAHANA_ASSIGN_OR_RETURN(Household current, store_->Get(patch.id()));
  // Before the etag: a stale etag must not tell an outsider the household exists.
  WAHANA_RETURN_IF_ERROR(CheckWriteAccess(caller, kResource, Action::kUpdate,
                                          current.village_code(), What(current.id())));
  WAHANA_RETURN_IF_ERROR(CheckEtag(patch.etag(), current.etag(), kHouseholdKind, current.id()));
  if (current.archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat("household ", current.id(), " is archived and cannot be changed"));
  }
  Household updated = current;
  WAHANA_RETURN_IF_ERROR(
      ApplyUpdateMask(patch, request.update_mask(), ServerSetFields(), &updated));
  // Not a stored field: read from the request whether or not the mask names it.
  const std::string reason = patch.kk_change_reason();
  updated.clear_kk_change_reason();
  WAHANA_RETURN_IF_ERROR(CheckText(reason, "kkChangeReason", kMaxReasonBytes));
  const bool kk_changed = updated.kk_number() != current.kk_number();
  if (kk_changed && updated.kk_number().empty()) {
    return absl::InvalidArgumentError(
        "kkNumber: a KK number cannot be cleared, only replaced by the new one");
  }
  if (kk_changed && !current.kk_number().empty() && reason.empty()) {
    return absl::InvalidArgumentError(
        "kkChangeReason: required when kkNumber changes (pindah, cerai, pecah KK, ...)");
  }
  if (!kk_changed && !reason.empty()) {
    return absl::InvalidArgumentError("kkChangeReason: only with a new kkNumber");
  }
  // A move must land inside the scope too (before the members are read).
  if (!updated.village_code().empty()) {
    WAHANA_RETURN_IF_ERROR(regions_.RequireVillage(updated.village_code(), "villageCode"));
    WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, kResource, Action::kUpdate,
                                             updated.village_code(), What(current.id())));
  }
  WAHANA_RETURN_IF_ERROR(CheckAndFlag(caller, updated, &current));

  const absl::Time now = now_();
  if (kk_changed) {
    const std::string today = calendar_.TodayText(now);
    if (updated.kk_history_size() > 0) {
      Household::KkRecord* last = updated.mutable_kk_history(updated.kk_history_size() - 1);
      last->set_valid_to(today);
      last->set_reason(reason);
    }
    Household::KkRecord* next = updated.add_kk_history();
    next->set_kk_number(updated.kk_number());
    next->set_valid_from(today);
  }
  std::vector<std::string> changed = SortedChangedFieldNames(current, updated);
  if (changed.empty()) return Shown(caller, std::move(current));
  WAHANA_ASSIGN_OR_RETURN(std::string etag, NextEtag(current.etag()));
  updated.set_etag(etag);
  *updated.mutable_update_time() = TimestampOf(now);
  absl::StatusOr<Household> stored = store_->Update(
      updated, current.etag(),
      ChangeMessage(region_, updated, "updated", std::move(changed), reason, *VersionOfEtag(etag)));
  if (!stored.ok()) return ExplainConflict(caller, stored.status(), updated);
  return Shown(caller, *std::move(stored));
}

absl::StatusOr<Household> HouseholdLogic::ArchiveHousehold(const Principal& caller,
                                                           const ArchiveRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), kAKind));
  WAHANA_RETURN_IF_ERROR(CheckText(request.reason(), "reason", kMaxReasonBytes));
  WAHANA_ASSIGN_OR_RETURN(Household current, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckWriteAccess(caller, kResource, Action::kArchive,
                                          current.village_code(), What(current.id())));
  WAHANA_RETURN_IF_ERROR(CheckEtag(request.etag(), current.etag(), kHouseholdKind, current.id()));
  if (current.archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat("household ", current.id(), " is already archived"));
  }
  Household archived = current;
  WAHANA_ASSIGN_OR_RETURN(std::string etag, NextEtag(current.etag()));
  archived.set_etag(etag);
  archived.set_archived(true);
  const absl::Time now = now_();
  *archived.mutable_archive_time() = TimestampOf(now);
  *archived.mutable_update_time() = TimestampOf(now);
  WAHANA_ASSIGN_OR_RETURN(Household written,
                          store_->Archive(archived, current.etag(),
                                          ChangeMessage(region_, archived, "archived", {"archived"},
                                                        request.reason(), *VersionOfEtag(etag))));
  return Shown(caller, std::move(written));
}

}  // namespace wahana::registry
