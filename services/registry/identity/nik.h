#pragma once
// The NIK (Nomor Induk Kependudukan) checks every registry resource that stores one makes
// (beneficiaries, workers, a guardian's NIK). ../shared/domain.md, "Identity numbers":
//
//   PPKKCC DDMMYY SSSS   kecamatan of first registration (6 digits), birth date (women's day +40,
//                        41-71), serial 0001-9999. No checksum.
//
// Structure is checked strictly (a wrong one is INVALID_ARGUMENT naming the field and the reason);
// a kecamatan missing from today's region list is only a finding (regions split and merge), and so
// is a sex or birth date on the record that disagrees with the NIK: the record is stored as given
// and carries a ReviewFlag.
//
// The birth year has two digits: the century is the one that puts the date on or before `today`
// (20YY when that is not in the future, else 19YY). A NIK cannot tell a person born in 1920 from
// one born in 2020, so comparisons with a stated birth date look at DDMMYY only.
//
// Pure except CheckNik, which reads the regions through RegionRules. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "registry/regions/region_rules.h"
#include "wahana/registry/v1/resources.pb.h"

namespace wahana::registry {

inline constexpr size_t kNikDigits = 16;

enum class NikSex { kMale, kFemale };

// What a structurally valid NIK says about its holder.
struct NikFacts {
  std::string province_digits;     // "16"
  std::string subdistrict_digits;  // "160601": the kecamatan of first registration
  NikSex sex = NikSex::kMale;      // female when the day is 41-71
  absl::CivilDay birth_date;       // century resolved against `today` (see above)
  int serial = 0;                  // 1-9999
};

// The structure alone: 16 ASCII digits, a real date DDMMYY (women's day +40), serial not 0000.
// INVALID_ARGUMENT "<field>: <reason>" otherwise, e.g.
//   nik: must be 16 digits (got 15 characters)
//   nik: digits 7-12 (310299) are not a real birth date DDMMYY (women's day +40)
//   nik: serial (last 4 digits) must not be 0000
// The NIK itself is never repeated in a message beyond the part at fault.
absl::StatusOr<NikFacts> ParseNik(absl::string_view nik, absl::CivilDay today,
                                  absl::string_view field = "nik");

struct NikCheck {
  NikFacts facts;
  // Whether the kecamatan digits are in today's region list. False is a finding, not an error:
  // see NikReviewFlags.
  bool subdistrict_known = false;
};

// ParseNik, then the province must be known (INVALID_ARGUMENT "nik: province 99 does not
// exist"); the kecamatan is looked up for `subdistrict_known`. UNAVAILABLE when the regions cannot
// be read.
absl::StatusOr<NikCheck> CheckNik(absl::string_view nik, const RegionRules& regions,
                                  absl::CivilDay today, absl::string_view field = "nik");

// The findings about a checked NIK, to attach to the record (ReviewFlag codes as resources.proto
// lists them):
//   NIK_SUBDISTRICT_UNKNOWN  (field `field`)  the kecamatan digits are not a known kecamatan
//   NIK_SEX_MISMATCH         (field "sex")    `stated_sex` given and not the NIK's
//   NIK_BIRTH_DATE_MISMATCH  (field "birthDate")  `stated_birth_date` given and its DDMMYY differs
std::vector<wahana::registry::v1::ReviewFlag> NikReviewFlags(
    const NikCheck& check, std::optional<NikSex> stated_sex = std::nullopt,
    std::optional<absl::CivilDay> stated_birth_date = std::nullopt,
    absl::string_view field = "nik");

}  // namespace wahana::registry
