#pragma once
// A rebuild attacker for masked identity numbers (issue 11: "a mask must not be undoable").
// Given exactly what an answer shows beside a masked NIK or KK number, it enumerates every
// structurally valid number the shown fields allow, as someone holding the answer would:
//
//   NIK = kecamatan (6) + birth date DDMMYY, women's day +40 (6) + serial 0001-9999 (4)
//   KK  = kecamatan (6) + issue date DDMMYY (6) + serial 0001-9999 (4)
//
// The attacker is generous to itself: it takes the kecamatan to be the one of the village shown
// (one guess, counted as one candidate), reads every digit the mask lets through, takes the birth
// date as shown (a whole date, a year "1979-**-**", or nothing), reads the sex and the NIK review
// flags (a NIK_SEX_MISMATCH flag says the NIK holds the other sex, a NIK_BIRTH_DATE_MISMATCH flag
// that the shown date is not the NIK's), and for a KK takes the issue date to lie in the year
// before the day the number was recorded (kkHistory validFrom). Header-only.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"

namespace wahana::testing {

// What one answer shows about a person beside the masked NIK.
struct ShownNik {
  std::string masked_nik;            // as shown ("****************", "1606********0001")
  std::string village_code;          // "16.06.01.2001"
  std::string birth_date;            // as shown: "1979-08-17", "1979-**-**" or ""
  int sex = 0;                       // 0 not shown, 1 male, 2 female
  bool sex_mismatch = false;         // a NIK_SEX_MISMATCH flag was shown
  bool birth_date_mismatch = false;  // a NIK_BIRTH_DATE_MISMATCH flag was shown
};

// What one answer shows about a family card beside the masked KK number.
struct ShownKk {
  std::string masked_kk;
  std::string village_code;
  std::string recorded_on;  // YYYY-MM-DD: the day the number was recorded (validFrom)
};

struct RebuildResult {
  // The number of candidates: kecamatan guesses x date parts x serials.
  double candidates = 0;
  // The distinct DDMMYY parts the shown fields allow (what is left if the serial is guessed).
  int64_t date_parts = 0;
  int64_t serials = 0;
  // Whether the true number is among the candidates (the attacker's model holds for it).
  bool contains_truth = false;
  // Every candidate when there are at most 100 of them (the rebuilt numbers).
  std::vector<std::string> rebuilt;
};

namespace mask_attack_internal {

inline bool Fits(const std::string& masked, size_t at, const std::string& part) {
  if (masked.size() != 16) return true;  // nothing readable: no constraint
  for (size_t i = 0; i < part.size(); ++i) {
    const char shown = masked[at + i];
    if (absl::ascii_isdigit(static_cast<unsigned char>(shown)) && shown != part[i]) return false;
  }
  return true;
}

inline std::string Ddmmyy(absl::CivilDay day, int add_to_day) {
  return absl::StrFormat("%02d%02d%02d", day.day() + add_to_day, day.month(), day.year() % 100);
}

// The kecamatan guess from the village: "16.06.01.2001" -> "160601".
inline std::string Kecamatan(const std::string& village_code) {
  return absl::StrReplaceAll(village_code.substr(0, 8), {{".", ""}});
}

inline std::vector<std::string> Serials(const std::string& masked) {
  std::vector<std::string> out;
  for (int s = 1; s <= 9999; ++s) {
    std::string serial = absl::StrFormat("%04d", s);
    if (Fits(masked, 12, serial)) out.push_back(serial);
  }
  return out;
}

inline RebuildResult Combine(const std::string& masked, const std::string& kecamatan,
                             const std::set<std::string>& date_parts, const std::string& truth) {
  RebuildResult result;
  const bool region_fits = Fits(masked, 0, kecamatan);
  const std::vector<std::string> serials = Serials(masked);
  result.date_parts = static_cast<int64_t>(date_parts.size());
  result.serials = static_cast<int64_t>(serials.size());
  result.candidates =
      region_fits ? static_cast<double>(result.date_parts) * static_cast<double>(result.serials)
                  : 0;
  result.contains_truth = region_fits && truth.size() == 16 && truth.substr(0, 6) == kecamatan &&
                          date_parts.count(truth.substr(6, 6)) > 0 &&
                          Fits(masked, 12, truth.substr(12, 4)) && truth.substr(12, 4) != "0000";
  if (region_fits && result.candidates <= 100) {
    for (const std::string& date : date_parts) {
      for (const std::string& serial : serials) result.rebuilt.push_back(kecamatan + date + serial);
    }
  }
  return result;
}

}  // namespace mask_attack_internal

// Every NIK the shown fields allow. `truth` only marks whether it is among them; `today` bounds
// the birth dates tried when the year is not shown.
inline RebuildResult RebuildNik(const ShownNik& shown, const std::string& truth,
                                absl::CivilDay today) {
  namespace internal = mask_attack_internal;
  absl::CivilDay from(1900, 1, 1);
  absl::CivilDay to = today;
  int year = 0;
  const std::string& date = shown.birth_date;
  if (date.size() == 10 && absl::SimpleAtoi(date.substr(0, 4), &year)) {
    from = absl::CivilDay(year, 1, 1);
    to = absl::CivilDay(year, 12, 31);
    int month = 0, day = 0;
    if (!shown.birth_date_mismatch && absl::SimpleAtoi(date.substr(5, 2), &month) &&
        absl::SimpleAtoi(date.substr(8, 2), &day)) {
      from = to = absl::CivilDay(year, month, day);
    }
    if (shown.birth_date_mismatch) {  // the NIK holds another date: any year
      from = absl::CivilDay(1900, 1, 1);
      to = today;
    }
  }
  std::vector<int> sexes;  // what is added to the day: 0 men, 40 women
  if (shown.sex == 0) {
    sexes = {0, 40};
  } else {
    const bool female = (shown.sex == 2) != shown.sex_mismatch;
    sexes = {female ? 40 : 0};
  }
  std::set<std::string> parts;
  for (absl::CivilDay day = from; day <= to; ++day) {
    for (int add : sexes) {
      std::string part = internal::Ddmmyy(day, add);
      if (internal::Fits(shown.masked_nik, 6, part)) parts.insert(std::move(part));
    }
  }
  return internal::Combine(shown.masked_nik, internal::Kecamatan(shown.village_code), parts, truth);
}

// Every KK number the shown fields allow, the issue date taken to lie in the 366 days up to the
// day it was recorded here.
inline RebuildResult RebuildKk(const ShownKk& shown, const std::string& truth) {
  namespace internal = mask_attack_internal;
  int y = 0, m = 0, d = 0;
  std::set<std::string> parts;
  if (shown.recorded_on.size() == 10 && absl::SimpleAtoi(shown.recorded_on.substr(0, 4), &y) &&
      absl::SimpleAtoi(shown.recorded_on.substr(5, 2), &m) &&
      absl::SimpleAtoi(shown.recorded_on.substr(8, 2), &d)) {
    const absl::CivilDay recorded(y, m, d);
    for (absl::CivilDay day = recorded - 365; day <= recorded; ++day) {
      std::string part = internal::Ddmmyy(day, 0);
      if (internal::Fits(shown.masked_kk, 6, part)) parts.insert(std::move(part));
    }
  }
  return internal::Combine(shown.masked_kk, internal::Kecamatan(shown.village_code), parts, truth);
}

}  // namespace wahana::testing
