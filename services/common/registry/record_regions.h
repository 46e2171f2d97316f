#pragma once
// The region a registry record lies in, as the registry's own access checks place it: the one
// rule every service that reads registry records (a case's subjects, an event's participants)
// checks a reference against. A beneficiary, household or institution lies in its village; a
// worker in its village, else its first kecamatan, else the deployment's region `deployment`
// (the registry lists and scopes workers by the same function).

#include <string>

#include "wahana/registry/v1/beneficiary.pb.h"
#include "wahana/registry/v1/household.pb.h"
#include "wahana/registry/v1/institution.pb.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana {

inline std::string RegionOfRecord(const wahana::registry::v1::Beneficiary& r, const std::string&) {
  return r.village_code();
}
inline std::string RegionOfRecord(const wahana::registry::v1::Household& r, const std::string&) {
  return r.village_code();
}
inline std::string RegionOfRecord(const wahana::registry::v1::Institution& r, const std::string&) {
  return r.village_code();
}
inline std::string RegionOfRecord(const wahana::registry::v1::Worker& r,
                                  const std::string& deployment) {
  if (!r.village_code().empty()) return r.village_code();
  if (r.subdistrict_codes_size() > 0) return r.subdistrict_codes(0);
  return deployment;
}

}  // namespace wahana
