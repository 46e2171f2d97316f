#include "registry/households/household_logic.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/auth/access_policy.h"
#include "common/auth/reference_access.h"
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

// KK numbers, current and past, masked ("****************", common/privacy/masking.h).
Household MaskedKk(Household household) {
  household.set_kk_number(MaskIdentityNumber(household.kk_number()));
  for (Household::KkRecord& kk : *household.mutable_kk_history()) {
    kk.set_kk_number(MaskIdentityNumber(kk.kk_number()));
  }
  return household;
}

// The household as a caller that does not see personal data gets it: KK numbers masked, and
// the KK findings without their message (it quotes the number's first six digits).
Household MaskedPersonalData(Household household) {
  household = MaskedKk(std::move(household));
  for (ReviewFlag& flag : *household.mutable_review_flags()) {
    flag.set_message(MaskedFindingMessage(flag.code(), flag.message()));
  }
  return household;
}

// The household as `caller` may see it: whole, or MaskedPersonalData.
Household Shown(const Principal& caller, Household household) {
  if (SeesPersonalData(caller, kResource)) return household;
  return MaskedPersonalData(std::move(household));
}

// The household as a list shows it to `caller`: KK numbers masked for everyone.
Household Listed(const Principal& caller, Household household) {
  if (SeesPersonalData(caller, kResource)) return MaskedKk(std::move(household));
  return MaskedPersonalData(std::move(household));
}

bool WasMember(const Household* before, const std::string& beneficiary_id) {
  if (before == nullptr) return false;
  for (const Household::Member& m : before->members()) {
    if (m.beneficiary_id() == beneficiary_id) return true;
  }
  return false;
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

// The KK number's change rules of an update (the reason comes in the patch, never stored), and
// the KK history they write: the old number closed and the new one opened on the office's day.
absl::Status ApplyKkChange(const OfficeCalendar& calendar, const Household& patch,
                           const Household& current, Household& updated, absl::Time now,
                           std::string* reason) {
  *reason = patch.kk_change_reason();
  updated.clear_kk_change_reason();
  WAHANA_RETURN_IF_ERROR(CheckText(*reason, "kkChangeReason", HouseholdLogic::kMaxReasonBytes));
  const bool kk_changed = updated.kk_number() != current.kk_number();
  if (kk_changed && updated.kk_number().empty()) {
    return absl::InvalidArgumentError(
        "kkNumber: a KK number cannot be cleared, only replaced by the new one");
  }
  if (kk_changed && !current.kk_number().empty() && reason->empty()) {
    return absl::InvalidArgumentError(
        "kkChangeReason: required when kkNumber changes (pindah, cerai, pecah KK, ...)");
  }
  if (!kk_changed && !reason->empty()) {
    return absl::InvalidArgumentError("kkChangeReason: only with a new kkNumber");
  }
  if (kk_changed) {
    const std::string today = calendar.TodayText(now);
    if (updated.kk_history_size() > 0) {
      Household::KkRecord* last = updated.mutable_kk_history(updated.kk_history_size() - 1);
      last->set_valid_to(today);
      last->set_reason(*reason);
    }
    Household::KkRecord* next = updated.add_kk_history();
    next->set_kk_number(updated.kk_number());
    next->set_valid_from(today);
  }
  return absl::OkStatus();
}

// `check` and `check_members`: HouseholdLogic::CheckFields and CheckMembers; `explain`:
// HouseholdLogic::ExplainConflict.
ResourceSpec<Household, HouseholdChanged> HouseholdSpec(
    const RegionRules& regions, OfficeCalendar calendar,
    std::function<absl::Status(Household&)> check,
    std::function<absl::Status(const Principal&, Household&, const Household*)> check_members,
    std::function<absl::Status(const Principal&, const absl::Status&, const Household&)> explain) {
  ResourceSpec<Household, HouseholdChanged> spec;
  spec.resource = kResource;
  spec.kind = kHouseholdKind;
  spec.server_set_fields = {"kk_history", "review_flags"};
  spec.unique_values = {kHouseholdKk};
  spec.region_of = [](const Household& household) { return household.village_code(); };
  spec.on_create = [calendar](Household& household, absl::Time now) {
    household.clear_kk_change_reason();
    if (household.kk_number().empty()) return;
    Household::KkRecord* first = household.add_kk_history();
    first->set_kk_number(household.kk_number());
    first->set_valid_from(calendar.TodayText(now));
  };
  spec.on_update = [calendar](const Household& patch, const Household& current, Household& updated,
                              absl::Time now, std::string* reason) {
    return ApplyKkChange(calendar, patch, current, updated, now, reason);
  };
  spec.check = [check](const Principal&, Household& household, const Household*, absl::Time) {
    return check(household);
  };
  spec.check_references = std::move(check_members);
  spec.explain_conflict = std::move(explain);
  spec.shown = Shown;
  spec.listed = Listed;
  spec.check_list_region = [&regions](const std::string& region, const std::string& field) {
    return regions.RequireListRegion(region, field);
  };
  return spec;
}

}  // namespace

HouseholdLogic::HouseholdLogic(std::string region, std::shared_ptr<HouseholdStore> store,
                               std::shared_ptr<BeneficiaryDirectory> beneficiaries,
                               const RegionRules& regions, std::function<absl::Time()> now,
                               TimeOrderedIdGenerator* ids, OfficeCalendar calendar)
    : store_(store),
      beneficiaries_(std::move(beneficiaries)),
      regions_(regions),
      calendar_(std::move(calendar)),
      flow_(HouseholdSpec(
                regions, calendar_, [this](Household& household) { return CheckFields(household); },
                [this](const Principal& caller, Household& household, const Household* before) {
                  return CheckMembers(caller, household, before);
                },
                [this](const Principal& caller, const absl::Status& status,
                       const Household& household) {
                  return ExplainConflict(caller, status, household);
                }),
            std::move(region), store, std::move(now), ids) {}

absl::Status HouseholdLogic::CheckFields(Household& household) {
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

  WAHANA_RETURN_IF_ERROR(regions_.RequireVillage(household.village_code(), "villageCode"));
  household.clear_review_flags();
  if (!household.kk_number().empty()) {
    WAHANA_ASSIGN_OR_RETURN(std::optional<ReviewFlag> flag,
                            KkNumberFinding(household.kk_number(), regions_));
    if (flag) *household.add_review_flags() = *std::move(flag);
  }
  return absl::OkStatus();
}

absl::Status HouseholdLogic::CheckMembers(const Principal& caller, Household& household,
                                          const Household* before) {
  // The members' records, then who holds them.
  for (int i = 0; i < household.members_size(); ++i) {
    const std::string& id = household.members(i).beneficiary_id();
    WAHANA_ASSIGN_OR_RETURN(std::optional<BeneficiaryFacts> facts, beneficiaries_->Find(id));
    // A reference is a read (reference_access.h): a new member the caller may not read answers
    // as an unknown one (members already there stay: a family may span villages beyond one
    // worker's scope).
    if (!facts) return ReferenceNotFound(MemberField(i), Resource::kBeneficiary, id);
    if (!WasMember(before, id)) {
      WAHANA_RETURN_IF_ERROR(
          CheckReference(caller, Resource::kBeneficiary, facts->village_code, MemberField(i), id));
    }
    if (facts->archived) {
      return absl::InvalidArgumentError(
          absl::StrCat(MemberField(i), ": beneficiary ", id, " is archived"));
    }
    if (!facts->household_id.empty() && facts->household_id != household.id()) {
      ReviewFlag* flag = household.add_review_flags();
      flag->set_code("MEMBER_HOUSEHOLD_DIFFERS");
      flag->set_field(MemberField(i));
      // Not which household: the flag is read by every reader of this household, who may not
      // read the beneficiary's record it comes from.
      flag->set_message(
          absl::StrCat("beneficiary ", id, " names another household in its own record"));
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
  if (!conflict || conflict->index != kMemberIndex) return status;
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
  return flow_.Create(caller, request.request_id(), request.household());
}

absl::StatusOr<Household> HouseholdLogic::GetHousehold(const Principal& caller,
                                                       const GetHouseholdRequest& request) {
  return flow_.Get(caller, request.id());
}

absl::StatusOr<ListHouseholdsResponse> HouseholdLogic::ListHouseholds(
    const Principal& caller, const ListHouseholdsRequest& request) {
  ListQuery<Household> query = PagedQuery<Household>(request);
  return flow_.ListAs<ListHouseholdsResponse>(caller, request, std::move(query));
}

absl::StatusOr<Household> HouseholdLogic::UpdateHousehold(const Principal& caller,
                                                          const UpdateHouseholdRequest& request) {
  return flow_.Update(caller, request.household(), request.update_mask());
}

absl::StatusOr<Household> HouseholdLogic::ArchiveHousehold(const Principal& caller,
                                                           const ArchiveRequest& request) {
  return flow_.Archive(caller, request.id(), request.etag(), request.reason());
}

}  // namespace wahana::registry
