#pragma once
// The CSV side of the command-line importer: which column holds what, a CSV row as an ImportRow,
// and CSV lines out (rejections, generated rows). Pure functions (a fuzzer may call them).
//
// Columns, by header name (case and surrounding spaces ignored; the JSON names are accepted
// too): nik, kk_number, full_name, sex, birth_date, village_code, address, ppks_categories,
// household_id. full_name, sex, birth_date, village_code and ppks_categories are required
// columns; other columns are ignored (spreadsheets carry notes).
//
// Values as district spreadsheets write them:
//   sex              MALE/FEMALE, L/P, LAKI-LAKI/PEREMPUAN (any case)
//   birth_date       YYYY-MM-DD, or DD/MM/YYYY and DD-MM-YYYY (turned into YYYY-MM-DD)
//   ppks_categories  numbers 1-26 or names (FAKIR_MISKIN, "fakir miskin"), separated by ';'
//   nik, kk_number   digits; a leading apostrophe (a spreadsheet's "this is text") is dropped
// Everything else is passed on byte-exact; the registry validates the rest.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/csv/csv_reader.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana::registry {

struct BeneficiaryColumns {
  // Index of each column in a row, -1 when absent.
  int nik = -1;
  int kk_number = -1;
  int full_name = -1;
  int sex = -1;
  int birth_date = -1;
  int village_code = -1;
  int address = -1;
  int ppks_categories = -1;
  int household_id = -1;
  int width = 0;                     // columns in the header
  std::vector<std::string> ignored;  // header names not used
};

// INVALID_ARGUMENT naming the required columns missing, or a column named twice.
absl::StatusOr<BeneficiaryColumns> ParseBeneficiaryHeader(const CsvRow& header);

// A rejection found before sending (a value that cannot be put into the request).
struct LocalRejection {
  std::string field;
  std::string reason;
};

// Fills `out` with the beneficiary `row` describes and returns true, or fills `rejection` with
// the reason it cannot be sent and returns false: a row whose width differs from the header's,
// an unknown sex or PPKS category.
bool BeneficiaryFromCsv(const CsvRow& row, const BeneficiaryColumns& columns,
                        wahana::registry::v1::Beneficiary* out, LocalRejection* rejection);

// A PPKS category from "24", "FAKIR_MISKIN" or "fakir miskin"; 0 when it is none.
int ParsePpksCategory(const std::string& text);

// One CSV line (RFC 4180: fields with a comma, quote or line break quoted), ending in "\r\n".
std::string CsvLine(const std::vector<std::string>& fields);

// The header the generator writes and the importer reads.
const std::vector<std::string>& BeneficiaryCsvHeader();

}  // namespace wahana::registry
