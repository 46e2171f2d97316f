#pragma once
// Fictional beneficiaries for demos and benchmarks: rows in the importer's CSV layout
// (BeneficiaryCsvHeader) that the registry accepts, for given villages. Plausible Indonesian
// names (some with apostrophes), sexes, birth dates that suit the PPKS category (children,
// elderly, adults), NIKs that are valid and unique (the village's kecamatan, the birth date with
// women's day +40, a serial per kecamatan and date), KK numbers for most rows, addresses.
//
// Deterministic: the same villages and seed give the same rows (ages are counted from a fixed
// day, not today), so a generated file imported twice changes nothing the second time.
//
// Not thread-safe.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/time/civil_time.h"

namespace wahana::registry {

class BeneficiaryGenerator {
 public:
  // `village_codes` ("16.06.01.2001", ...): at least one.
  BeneficiaryGenerator(std::vector<std::string> village_codes, uint64_t seed);

  // The next row, fields in BeneficiaryCsvHeader order.
  std::vector<std::string> NextRow();

 private:
  uint64_t Random();
  uint64_t Below(uint64_t n) { return Random() % n; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }
  std::string Name(bool female);
  absl::CivilDay BirthDate(int category);
  std::string Nik(const std::string& village, bool female, absl::CivilDay birth);

  std::vector<std::string> villages_;
  uint64_t state_;
  // "<kecamatan digits><DDMMYY>" -> the last serial given.
  std::unordered_map<std::string, int> serials_;
};

}  // namespace wahana::registry
