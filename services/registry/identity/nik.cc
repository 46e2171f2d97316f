#include "registry/identity/nik.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::ReviewFlag;

int Digits(absl::string_view s) {
  int value = 0;
  for (char c : s) value = value * 10 + (c - '0');
  return value;
}

// The civil day `day`.`month`.`year` if it exists (absl::CivilDay normalises 31.02 to 03.03).
std::optional<absl::CivilDay> RealDay(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  absl::CivilDay d(year, month, day);
  if (d.year() != year || d.month() != month || d.day() != day) return std::nullopt;
  return d;
}

ReviewFlag Flag(absl::string_view code, absl::string_view field, std::string message) {
  ReviewFlag flag;
  flag.set_code(std::string(code));
  flag.set_field(std::string(field));
  flag.set_message(std::move(message));
  return flag;
}

std::string Ddmmyy(absl::CivilDay d) {
  return absl::StrCat(d.day() < 10 ? "0" : "", d.day(), d.month() < 10 ? "0" : "", d.month(),
                      d.year() % 100 < 10 ? "0" : "", d.year() % 100);
}

}  // namespace

absl::StatusOr<NikFacts> ParseNik(absl::string_view nik, absl::CivilDay today,
                                  absl::string_view field) {
  if (nik.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (nik.size() != kNikDigits) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be ", kNikDigits, " digits (got ", nik.size(), " characters)"));
  }
  for (char c : nik) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": must be ", kNikDigits, " digits, nothing else"));
    }
  }
  NikFacts facts;
  facts.province_digits = std::string(nik.substr(0, 2));
  facts.subdistrict_digits = std::string(nik.substr(0, 6));
  absl::string_view date = nik.substr(6, 6);
  int day = Digits(date.substr(0, 2));
  int month = Digits(date.substr(2, 2));
  int yy = Digits(date.substr(4, 2));
  if (day > 40) {
    facts.sex = NikSex::kFemale;
    day -= 40;
  }
  // The later century unless that puts the birth after today.
  std::optional<absl::CivilDay> birth = RealDay(2000 + yy, month, day);
  if (!birth || *birth > today) birth = RealDay(1900 + yy, month, day);
  if (!birth) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": digits 7-12 (", date, ") are not a real birth date DDMMYY (women's day +40)"));
  }
  facts.birth_date = *birth;
  facts.serial = Digits(nik.substr(12, 4));
  if (facts.serial == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": serial (last 4 digits) must not be 0000"));
  }
  return facts;
}

absl::StatusOr<NikCheck> CheckNik(absl::string_view nik, const RegionRules& regions,
                                  absl::CivilDay today, absl::string_view field) {
  NikCheck check;
  WAHANA_ASSIGN_OR_RETURN(check.facts, ParseNik(nik, today, field));
  WAHANA_ASSIGN_OR_RETURN(bool province, regions.ProvinceKnown(check.facts.province_digits));
  if (!province) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": province ", check.facts.province_digits, " (first 2 digits) does not exist"));
  }
  WAHANA_ASSIGN_OR_RETURN(check.subdistrict_known,
                          regions.SubdistrictDigitsKnown(check.facts.subdistrict_digits));
  return check;
}

std::vector<ReviewFlag> NikReviewFlags(const NikCheck& check, std::optional<NikSex> stated_sex,
                                       std::optional<absl::CivilDay> stated_birth_date,
                                       absl::string_view field) {
  std::vector<ReviewFlag> flags;
  const NikFacts& facts = check.facts;
  if (!check.subdistrict_known) {
    flags.push_back(Flag("NIK_SUBDISTRICT_UNKNOWN", field,
                         absl::StrCat("kecamatan ", facts.subdistrict_digits,
                                      " (first 6 digits) is not in today's region list")));
  }
  if (stated_sex && *stated_sex != facts.sex) {
    flags.push_back(
        Flag("NIK_SEX_MISMATCH", "sex",
             absl::StrCat("the NIK says ", facts.sex == NikSex::kFemale ? "FEMALE" : "MALE")));
  }
  if (stated_birth_date && Ddmmyy(*stated_birth_date) != Ddmmyy(facts.birth_date)) {
    flags.push_back(Flag("NIK_BIRTH_DATE_MISMATCH", "birthDate",
                         absl::StrCat("the NIK says ", Ddmmyy(facts.birth_date), " (DDMMYY)")));
  }
  return flags;
}

}  // namespace wahana::registry
