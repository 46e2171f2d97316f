#pragma once
// The rules of the registry's households (families keyed by our own id, since the KK number
// changes), without a server. Storage, the regions and the beneficiaries come in through the
// constructor.
//
// A household:
//   kkNumber        optional (a family may have no KK yet); when given 16 digits (kk_number.h),
//                   unique among live households (ALREADY_EXISTS "kkNumber: already used by
//                   household <id>", or to a caller who may not read that household "kkNumber: a
//                   household with this KK number is already registered outside your region");
//                   an unknown kecamatan prefix is a review flag. Once set it can be replaced but
//                   not cleared.
//   villageCode     required: a known village inside the deployment
//   address         at most 500 bytes
//   members         at most 50; each a beneficiaryId of an existing, not archived beneficiary
//                   (INVALID_ARGUMENT "members[1].beneficiaryId: ..."), not repeated, with a
//                   relation; at most one HEAD. A beneficiary belongs to one live household at a
//                   time: one already in another is FAILED_PRECONDITION "members[1].beneficiaryId:
//                   beneficiary <b> is already a member of household <h>" ("... of a household
//                   outside your region" when the caller may not read <h>) (the request is sound;
//                   the other household must let the person go first, or be archived). A member
//                   whose own record names another householdId is a review flag
//                   (MEMBER_HOUSEHOLD_DIFFERS).
//   kkChangeReason  input only, never stored: why the KK changed; required in an update that
//                   replaces a KK number, refused in any other.
// Server-set (ignored on create, refused in an update mask): id, etag, archived, kkHistory,
// createTime, updateTime, archiveTime, reviewFlags.
//
// KK history: every KK the household has had, oldest first, the last one the current KK with an
// empty validTo. Dates are the office's (UTC+7) day of the change. An update with a new kkNumber
// closes the current entry (validTo today, reason kkChangeReason) and opens one for the new
// number; the old number is released, the new one claimed, in the same write.
//
// Lists mask the KK numbers, current and past ("****************", common/privacy/masking.h). Every
// change writes a HouseholdChanged message ("created", "updated", "archived") with the record. An
// archived household cannot be updated (FAILED_PRECONDITION).
//
// Access (access_policy.h, Resource::kHousehold): every method takes the verified caller. A
// household outside the caller's scope reads as NOT_FOUND (also for changes when the caller may
// not read it); a change the role may not make, or one that puts the household outside the scope,
// is PERMISSION_DENIED; lists narrow to the scope. A new member the caller may not read as a
// beneficiary is refused as an unknown one is (reference_access.h: NOT_FOUND
// "members[1].beneficiaryId: beneficiary <id> not found"). Callers that do not see personal data
// (SeesPersonalData) get the KK numbers masked everywhere, and the KK findings (KK_*) without their
// message, which quotes digits of the number.
//
// Thread-safe when the store, regions and beneficiaries are.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/ids/time_ordered_id.h"
#include "common/resource/resource_flow.h"
#include "common/time/office_calendar.h"
#include "registry/households/beneficiary_directory.h"
#include "registry/households/household_indexing.h"
#include "registry/regions/region_rules.h"
#include "wahana/registry/v1/household.pb.h"
#include "wahana/registry/v1/resources.pb.h"

namespace wahana::registry {

class HouseholdLogic {
 public:
  static constexpr size_t kMaxAddressBytes = 500;
  static constexpr size_t kMaxReasonBytes = 500;
  static constexpr int kMaxMembers = 50;

  // `region` is the deployment's ("16.06"). `regions` must outlive the logic. `now` defaults to
  // absl::Now; `ids` to the process-wide generator (must outlive the logic when given).
  HouseholdLogic(std::string region, std::shared_ptr<HouseholdStore> store,
                 std::shared_ptr<BeneficiaryDirectory> beneficiaries, const RegionRules& regions,
                 std::function<absl::Time()> now = nullptr, TimeOrderedIdGenerator* ids = nullptr,
                 OfficeCalendar calendar = OfficeCalendar());

  // With a requestId seen before: the household that create made, nothing written (checked
  // first). INVALID_ARGUMENT naming the field; ALREADY_EXISTS for a KK number a live household
  // holds; FAILED_PRECONDITION for a member of another live household; UNAVAILABLE.
  absl::StatusOr<wahana::registry::v1::Household> CreateHousehold(
      const Principal& caller, const wahana::registry::v1::CreateHouseholdRequest& request);

  // The whole record, KK numbers included (masked for callers who do not see personal data).
  // INVALID_ARGUMENT for an id that is not a household id,
  // NOT_FOUND.
  absl::StatusOr<wahana::registry::v1::Household> GetHousehold(
      const Principal& caller, const wahana::registry::v1::GetHouseholdRequest& request);

  // One page by village code prefix ("" the caller's scope, narrowed to it), KK numbers masked.
  // INVALID_ARGUMENT "region: ...", "pageSize: ...", "pageToken: ...".
  absl::StatusOr<wahana::registry::v1::ListHouseholdsResponse> ListHouseholds(
      const Principal& caller, const wahana::registry::v1::ListHouseholdsRequest& request);

  // Applies the update mask to the stored household and checks the result as a create would,
  // then keeps the KK history (above). `household.etag` is required and must be the current one
  // (ABORTED otherwise, and for a concurrent change in between). An update that changes nothing
  // writes nothing and returns the record as it is.
  absl::StatusOr<wahana::registry::v1::Household> UpdateHousehold(
      const Principal& caller, const wahana::registry::v1::UpdateHouseholdRequest& request);

  // Marks the household archived: hidden from lists unless showArchived; its KK number and its
  // members released. FAILED_PRECONDITION when already archived; ABORTED for a stale etag.
  absl::StatusOr<wahana::registry::v1::Household> ArchiveHousehold(
      const Principal& caller, const wahana::registry::v1::ArchiveRequest& request);

 private:
  // Checks the fields of `household` that need no other record, cheapest first, and sets its
  // KK number's review flag.
  absl::Status CheckFields(wahana::registry::v1::Household& household);
  // Checks the members (after the household's scope is checked: they read other records) and
  // flags those whose own record names another household. Members not in `before` (the stored
  // version; null on create) must be beneficiaries `caller` may read.
  absl::Status CheckMembers(const Principal& caller, wahana::registry::v1::Household& household,
                            const wahana::registry::v1::Household* before);
  // A member claimed by another household in the store's write (a race the checks could not
  // see) as the FAILED_PRECONDITION the checks give; other statuses as they are.
  absl::Status ExplainConflict(const Principal& caller, const absl::Status& status,
                               const wahana::registry::v1::Household& household);

  std::shared_ptr<HouseholdStore> store_;
  std::shared_ptr<BeneficiaryDirectory> beneficiaries_;
  const RegionRules& regions_;
  const OfficeCalendar calendar_;  // what "today" is
  ResourceFlow<wahana::registry::v1::Household, wahana::registry::v1::HouseholdChanged> flow_;
};

}  // namespace wahana::registry
