#pragma once
// Writing CSV (RFC 4180): fields holding a comma, a quote, CR or LF are quoted, quotes doubled;
// records end with CRLF. The counterpart of csv_reader.h, so what one writes the other reads.
// Pure functions; thread-safe.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace wahana {

// One field as it goes into a record.
std::string CsvField(absl::string_view field);

// One record: the fields, comma-separated, with the closing CRLF.
std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace wahana
