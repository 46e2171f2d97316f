#pragma once
// The registry's records in memory, for the logic tests of the services that read them over gRPC
// (common/registry/registry_records.h: cases, events). Header-only.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/registry/registry_records.h"

namespace wahana::testing {

// The village the fake registry's beneficiaries and institutions lie in (16.06.01, Sekayu).
inline constexpr char kFakeVillage[] = "16.06.01.2001";

// Registry records by id; `unavailable` makes every call fail with it.
class FakeRegistryRecords : public RegistryRecords {
 public:
  absl::StatusOr<wahana::registry::v1::Beneficiary> GetBeneficiary(const std::string& id) override {
    return Find(beneficiaries, id, "beneficiary");
  }
  absl::StatusOr<wahana::registry::v1::Household> GetHousehold(const std::string& id) override {
    return Find(households, id, "household");
  }
  absl::StatusOr<wahana::registry::v1::Institution> GetInstitution(const std::string& id) override {
    return Find(institutions, id, "institution");
  }
  absl::StatusOr<wahana::registry::v1::Worker> GetWorker(const std::string& id) override {
    return Find(workers, id, "worker");
  }

  wahana::registry::v1::Beneficiary& AddBeneficiary(const std::string& id) {
    auto& b = beneficiaries[id];
    b.set_id(id);
    b.set_village_code(kFakeVillage);
    return b;
  }
  wahana::registry::v1::Institution& AddInstitution(const std::string& id) {
    auto& i = institutions[id];
    i.set_id(id);
    i.set_village_code(kFakeVillage);
    return i;
  }
  // An active worker serving `subdistricts`, with `cap` (0: the default).
  wahana::registry::v1::Worker& AddWorker(const std::string& id,
                                          std::vector<std::string> subdistricts, int cap = 0) {
    auto& w = workers[id];
    w.set_id(id);
    w.set_active(true);
    for (auto& s : subdistricts) w.add_subdistrict_codes(s);
    w.set_caseload_cap(cap);
    return w;
  }

  std::map<std::string, wahana::registry::v1::Beneficiary> beneficiaries;
  std::map<std::string, wahana::registry::v1::Household> households;
  std::map<std::string, wahana::registry::v1::Institution> institutions;
  std::map<std::string, wahana::registry::v1::Worker> workers;
  absl::Status unavailable;
  int calls = 0;

 private:
  template <typename Record>
  absl::StatusOr<Record> Find(const std::map<std::string, Record>& records, const std::string& id,
                              const char* what) {
    ++calls;
    if (!unavailable.ok()) return unavailable;
    auto it = records.find(id);
    if (it == records.end()) return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
    return it->second;
  }
};

}  // namespace wahana::testing
