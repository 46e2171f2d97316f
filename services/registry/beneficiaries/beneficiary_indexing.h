#pragma once
// How beneficiaries are kept and found in the registry's record store:
//
//   registry:{<region>}:beneficiary:<id>                      the record
//   registry:{<region>}:index:beneficiary:live / archived      listed by village code
//   registry:{<region>}:index:beneficiary:unique:nik           who holds a NIK (kept when archived)
//   registry:{<region>}:index:beneficiary:lookup:duplicate     DuplicateKey -> the records with it
//
// No views: the list filters (PPKS category, household) are ListQuery filters, so a beneficiary
// costs three index entries (~150 bytes) besides its record.

#include <string>

#include "common/resource/taken_value.h"
#include "common/storage/record_indexing.h"
#include "common/storage/record_keys.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana::registry {

inline constexpr char kBeneficiaryKind[] = "beneficiary";
inline constexpr char kNikIndex[] = "nik";
inline constexpr char kDuplicateIndex[] = "duplicate";

// The NIK as refusals name it: its holder only to callers who may read it (taken_number.h).
inline constexpr IdentityNumberUse kBeneficiaryNik{Resource::kBeneficiary, kBeneficiaryKind, "nik",
                                                   "NIK", kNikIndex};

// The keys of beneficiaries in the deployment `region` ("16.06").
RecordKeys BeneficiaryKeys(const std::string& region);

RecordIndexing<wahana::registry::v1::Beneficiary> BeneficiaryIndexing();

// The duplicate-candidate key of `b` (duplicate_key.h).
std::string DuplicateKeyOf(const wahana::registry::v1::Beneficiary& b);

}  // namespace wahana::registry
