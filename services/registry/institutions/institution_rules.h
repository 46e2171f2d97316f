#pragma once
// What makes an institution valid, on create and after every update (the whole record is checked,
// so an update cannot leave it in a state a create would refuse). INVALID_ARGUMENT naming the
// first field at fault, in JSON spelling:
//
//   kind              required; OTHER needs otherKindLabel (at most 100 bytes), which other
//                     kinds may not carry
//   name              required, at most 200 bytes, one line; Unicode, kept byte-exact
//   villageCode       a known village inside the deployment's region
//   address           at most 500 bytes
//   contact           see CheckContact (field_checks.h)
//   legalStatus       registrationNumber at most 100 bytes, registrationDate a real date, not in
//                     the future
//   leaders           at most 50, each with a fullName (200 bytes), role (100), contact
//   memberCount       0 or more
//   foundedDate       a real date, not in the future
//   status            ACTIVE or INACTIVE (the logic defaults it to ACTIVE on create)
//   granaryStock      only for LUMBUNG_DESA: amounts 0 or more, asOf a real date
//   jointBusiness     only for KUBE: business at most 200 bytes, a known stage, capital 0 or more
//
// Thread-safe when the RegionRules' store is.

#include <cstddef>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "registry/regions/region_rules.h"
#include "wahana/registry/v1/institution.pb.h"

namespace wahana::registry {

inline constexpr size_t kMaxInstitutionNameBytes = 200;
inline constexpr size_t kMaxOtherKindLabelBytes = 100;
inline constexpr size_t kMaxAddressBytes = 500;
inline constexpr size_t kMaxRegistrationNumberBytes = 100;
inline constexpr int kMaxLeaders = 50;
inline constexpr size_t kMaxPersonNameBytes = 200;
inline constexpr size_t kMaxRoleBytes = 100;
inline constexpr size_t kMaxBusinessBytes = 200;

// Everything but the village: no I/O. `latest` is the latest date accepted
// (OfficeCalendar::LatestDate).
absl::Status CheckInstitutionFields(const wahana::registry::v1::Institution& institution,
                                    absl::CivilDay latest);

// CheckInstitutionFields, then the village against the regions (the one check that reads Redis).
// UNAVAILABLE when the regions cannot be read.
absl::Status CheckInstitution(const wahana::registry::v1::Institution& institution,
                              const RegionRules& regions, absl::CivilDay latest);

}  // namespace wahana::registry
