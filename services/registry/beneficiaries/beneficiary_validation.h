#pragma once
// The rules a beneficiary must meet to be stored, the same for a create, an update and an
// imported row, and the findings (review flags) that do not refuse it:
//
//   nik            optional (street children, the homeless and others often have none); when
//                  present, a structurally valid NIK of a known province (registry/identity/nik.h)
//   kkNumber       optional; 16 digits when present
//   fullName       required, Unicode kept byte-exact, at most 200 bytes, no control characters
//   sex            required: MALE or FEMALE
//   birthDate      required: a real date YYYY-MM-DD, from 1900-01-01, not after the office's today
//   villageCode    required: a village of the deployment
//   address        at most 500 bytes
//   ppksCategories at least one, each one of the 26 (1-26), none twice
//   disability     kinds and devices at most 20 of 100 bytes each; severity "", ringan, sedang
//                  or berat; notes at most 2000 bytes
//   guardian       when given: a fullName; its NIK, when present, valid as above
//   householdId    optional; a household that exists (archived or not)
//
// A refusal is INVALID_ARGUMENT "<field>: <reason>" for the first field at fault, fields in JSON
// spelling ("villageCode", "guardian.nik"). Findings: NIK_SUBDISTRICT_UNKNOWN, NIK_SEX_MISMATCH,
// NIK_BIRTH_DATE_MISMATCH (the record is stored as given). Possible duplicates are the store's
// business (they need the other records).
//
// Thread-safe when `regions` and `household_exists` are.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "registry/regions/region_rules.h"
#include "wahana/registry/v1/beneficiary.pb.h"
#include "wahana/registry/v1/resources.pb.h"

namespace wahana::registry {

inline constexpr size_t kMaxNameBytes = 200;
inline constexpr size_t kMaxAddressBytes = 500;

// Whether a household exists: true, false, or the storage error.
using HouseholdExistsFn = std::function<absl::StatusOr<bool>(const std::string& id)>;

class BeneficiaryValidator {
 public:
  // `regions` must outlive the validator.
  BeneficiaryValidator(std::shared_ptr<const RegionRules> regions,
                       HouseholdExistsFn household_exists);

  // The findings about `b`, or the refusal (above). `today` is the office's date
  // (OfficeCalendar::Today). UNAVAILABLE when the regions or households cannot be read.
  absl::StatusOr<std::vector<wahana::registry::v1::ReviewFlag>> Validate(
      const wahana::registry::v1::Beneficiary& b, absl::CivilDay today) const;

  // The checks that need no storage (everything but the region and household look-ups): the
  // part an import runs on every row before it asks storage anything.
  static absl::Status CheckFields(const wahana::registry::v1::Beneficiary& b, absl::CivilDay today);

 private:
  std::shared_ptr<const RegionRules> regions_;
  HouseholdExistsFn household_exists_;
};

// "field: reason" split in two (for import rejections); field "" when the message names none.
struct FieldError {
  std::string field;
  std::string reason;
};
FieldError SplitFieldError(const absl::Status& status);

}  // namespace wahana::registry
