#pragma once
// RFC 4180 CSV (quoted fields with commas, doubled quotes, line breaks inside quotes), parsed with
// libcsv. A pure function of its input, so a fuzzer can call it directly.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wahana {

using CsvRow = std::vector<std::string>;

// Every row of `text`, the header included, fields byte-exact (UTF-8 passes through untouched).
// Empty lines are skipped. INVALID_ARGUMENT for malformed quoting, with the 1-based line number.
absl::StatusOr<std::vector<CsvRow>> ParseCsv(absl::string_view text);

}  // namespace wahana
