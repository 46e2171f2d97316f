#pragma once
// Masking of personal data in outputs (UU 27/2022: least data). The one place the masking rule
// lives: every resource that shows a NIK, a KK number or a birth date to a caller that may not
// see them (access_policy.h SeesPersonalData) goes through these functions, and lists of people
// mask the identity numbers for every caller.
//
// The rule, and why it cannot be undone. A NIK is region (6) + birth date DDMMYY, women's day +40
// (6) + serial (4); a KK number is region (6) + issue date DDMMYY (6) + serial (4). The old mask
// kept the first and last four digits and showed birthDate, sex and villageCode beside them: the
// village gives the region, birth date and sex give DDMMYY, the mask gave the serial, so every
// masked NIK was the whole NIK. Now:
//  - an identity number shows NO digit at all (its length only: "****************"), so the
//    serial, 9,999 values, is never narrowed by the mask;
//  - a birth date shows its year only ("1940-**-**"), so the DDMM part keeps 365 or 366 values
//    even to someone who knows the village, the sex and the year. Serials are handed out in
//    order and are mostly small, so an attacker may well guess one: the hidden day of the year is
//    what keeps the NIK out of reach then (at least 365 candidates, about 3.65 million with the
//    serial unknown);
//  - a review flag about an identity number (code NIK_* or KK_*: "the NIK says 050740 (DDMMYY)",
//    "kecamatan 160601 (first 6 digits) ...") keeps its code and field but not its message, which
//    quotes digits of the number.
// The KK number's issue date is not shown anywhere (a household shows only when a number was
// recorded here, at or after its issue), so a masked KK keeps its serial and its issue date
// hidden: 9,999 serials for each possible day.
// tests/registry_beneficiaries/mask_rebuild_test.cc tries to rebuild masked values from all a
// VIEWER receives and checks that the candidates stay at 1,000 or more.

#include <string>

#include "absl/strings/string_view.h"

namespace wahana {

// "1606012345670001" -> "****************": every character hidden, the length kept so a
// present number is told from an absent one. Empty stays empty.
std::string MaskIdentityNumber(absl::string_view number);

// "1940-07-05" -> "1940-**-**": the year kept (ages and age bands stay computable), month and day
// hidden. A value that is not YYYY-MM-DD is hidden whole (same length of '*'); empty stays empty.
std::string MaskBirthDate(absl::string_view date);

// Whether a review flag with `code` is about an identity number (NIK_*, KK_*): its message quotes
// digits of the number and is left out of masked answers (MaskedFindingMessage).
bool IsIdentityFinding(absl::string_view code);

// The message a masked answer carries for a review flag: `message` unchanged for other findings,
// a fixed text naming no digit for an identity finding.
std::string MaskedFindingMessage(absl::string_view code, absl::string_view message);

}  // namespace wahana
