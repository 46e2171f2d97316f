#pragma once
// Possible duplicates among beneficiaries without a shared NIK: two records with the same
// normalised name, birth date and village are candidates for a person's review (never merged or
// refused automatically). The key is what the store's "duplicate" lookup index keeps.
//
// Pure functions (a fuzzer may call them). Thread-safe.

#include <string>

#include "absl/strings/string_view.h"

namespace wahana::registry {

// A name as spreadsheets spell it inconsistently, reduced to what matches: ASCII letters
// lower-cased; apostrophes (' ` and the typographic U+2018/U+2019), dots and commas dropped;
// hyphens, underscores and every run of whitespace one space; leading and trailing space trimmed.
// Every other byte (diacritics, Arabic script) is kept as it is: "Nur'aini  SITI." and
// "nuraini siti" match, "Siti Aminah" and "Sîti Aminah" do not.
std::string NormaliseNameForMatching(absl::string_view name);

// The duplicate-candidate key of a record (DigestIndexValue of the normalised name, the birth date
// and the village code): "" when the name normalises to nothing or the birth date or village is
// empty (such records are not indexed).
std::string DuplicateKey(absl::string_view full_name, absl::string_view birth_date,
                         absl::string_view village_code);

}  // namespace wahana::registry
