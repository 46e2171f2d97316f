#pragma once
// The beneficiary rules, without a server: create (validated, idempotent by requestId, NIK
// unique, findings as review flags, possible duplicates flagged), get, list (masked), update
// (field mask, etag, the NIK never changes once set), archive, look-up by NIK, the possible
// duplicates of a record, and bulk imports (beneficiary_import.h). Storage, regions and the
// clock come in through the constructor.
//
// Errors: INVALID_ARGUMENT naming the field in JSON spelling; NOT_FOUND for an unknown id or NIK;
// ALREADY_EXISTS "nik: already used by beneficiary <id>" (the NIK is unique in the deployment;
// a holder the caller may not read is not named: "nik: a beneficiary with this NIK is already
// registered outside your region", common/resource/taken_value.h); ABORTED "etag: stale ...";
// FAILED_PRECONDITION for a change to an archived record; UNAVAILABLE when Redis cannot be
// reached.
//
// Access (access_policy.h, Resource::kBeneficiary): every method takes the verified caller. A
// record outside the caller's scope reads as NOT_FOUND, as an unknown id does (also for changes
// when the caller may not read it); a change the role may not make, or one that puts the record
// outside the scope, is PERMISSION_DENIED; lists narrow to the scope. Callers that do not see
// personal data (SeesPersonalData) get every record as MaskedPersonalData shows it (no NIK or KK
// digit, the birth date's year only, identity findings without their message) and may not look
// up by NIK.
//
// Thread-safe when its store and regions are (the production ones are).

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/ids/time_ordered_id.h"
#include "common/resource/resource_flow.h"
#include "common/time/office_calendar.h"
#include "registry/beneficiaries/beneficiary_import.h"
#include "registry/beneficiaries/beneficiary_store.h"
#include "registry/beneficiaries/beneficiary_validation.h"
#include "registry/regions/region_rules.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana::registry {

class BeneficiaryLogic {
 public:
  // Possible duplicates a ListPossibleDuplicates answers at most.
  static constexpr int kMaxDuplicatesListed = 100;

  // `region` is the deployment's ("16.06"). `now` defaults to absl::Now; `ids` to the
  // process-wide generator (and must outlive the logic when given); `calendar` (default
  // Asia/Jakarta) says what today is (birth dates, NIKs).
  BeneficiaryLogic(std::string region, std::shared_ptr<BeneficiaryStore> store,
                   std::shared_ptr<const RegionRules> regions,
                   std::function<absl::Time()> now = nullptr, TimeOrderedIdGenerator* ids = nullptr,
                   OfficeCalendar calendar = OfficeCalendar());

  // Only the client's fields are kept (beneficiary_validation.h lists the rules). The record
  // carries the findings in review_flags, POSSIBLE_DUPLICATE among them when other records share
  // its normalised name, birth date and village. A requestId seen before returns that create's
  // record and writes nothing.
  absl::StatusOr<wahana::registry::v1::Beneficiary> CreateBeneficiary(
      const Principal& caller, const wahana::registry::v1::CreateBeneficiaryRequest& request);

  // The whole record, sensitive fields included for callers who see personal data.
  absl::StatusOr<wahana::registry::v1::Beneficiary> GetBeneficiary(
      const Principal& caller, const wahana::registry::v1::GetBeneficiaryRequest& request);

  // Masked (beneficiary_records.h ListedAs). Filters: region (any code prefix inside the
  // deployment; "" the caller's scope, narrowed to it), ppksCategory, householdId; archived records
  // only with showArchived.
  absl::StatusOr<wahana::registry::v1::ListBeneficiariesResponse> ListBeneficiaries(
      const Principal& caller, const wahana::registry::v1::ListBeneficiariesRequest& request);

  // The mask's fields replaced (update_mask.h; no paths: the fields set). Server-set fields in
  // the mask are refused; a NIK, once set, may not change or be cleared ("nik: ..."); the result
  // must meet the create rules; its review flags are found again. An update that changes
  // nothing returns the record as it is and writes nothing.
  absl::StatusOr<wahana::registry::v1::Beneficiary> UpdateBeneficiary(
      const Principal& caller, const wahana::registry::v1::UpdateBeneficiaryRequest& request);

  // Hidden from lists, kept for gets and look-ups; its NIK stays taken.
  absl::StatusOr<wahana::registry::v1::Beneficiary> ArchiveBeneficiary(
      const Principal& caller, const wahana::registry::v1::ArchiveRequest& request);

  // The record holding a NIK, archived or not (whole, as a get). Only for callers who see
  // personal data (PERMISSION_DENIED otherwise); a holder outside the scope is NOT_FOUND.
  absl::StatusOr<wahana::registry::v1::Beneficiary> LookupBeneficiary(
      const Principal& caller, const wahana::registry::v1::LookupBeneficiaryRequest& request);

  // The other records with the same duplicate key that the caller may read, masked as a list.
  absl::StatusOr<wahana::registry::v1::ListPossibleDuplicatesResponse> ListPossibleDuplicates(
      const Principal& caller, const wahana::registry::v1::ListPossibleDuplicatesRequest& request);

  // A new import (one request or one stream) for `caller` (BeneficiaryImport checks its role and
  // scope); the logic must outlive it.
  std::unique_ptr<BeneficiaryImport> StartImport(const Principal& caller);

  // An import of one request's rows.
  absl::StatusOr<wahana::registry::v1::ImportBeneficiariesResponse> ImportBeneficiaries(
      const Principal& caller, const wahana::registry::v1::ImportBeneficiariesRequest& request);

 private:
  // The findings about `b` (validation and possible duplicates other than `self_id`).
  absl::StatusOr<std::vector<wahana::registry::v1::ReviewFlag>> Findings(
      const wahana::registry::v1::Beneficiary& b, const std::string& self_id, absl::Time now);

  const std::string region_;
  std::shared_ptr<BeneficiaryStore> store_;
  std::shared_ptr<const RegionRules> regions_;
  std::function<absl::Time()> now_;
  TimeOrderedIdGenerator& ids_;
  const OfficeCalendar calendar_;  // what "today" and "this year" are
  BeneficiaryValidator validator_;
  ResourceFlow<wahana::registry::v1::Beneficiary, wahana::registry::v1::BeneficiaryChanged> flow_;
};

}  // namespace wahana::registry
