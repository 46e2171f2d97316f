#include "registry/beneficiaries/tool/beneficiary_csv.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "wahana/common/v1/ppks.pb.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Beneficiary;

std::string Trimmed(const std::string& s) { return std::string(absl::StripAsciiWhitespace(s)); }

// "Full Name", "full_name" and "fullName" all name the column full_name.
std::string ColumnKey(const std::string& name) {
  std::string out;
  for (char c : absl::StripAsciiWhitespace(name)) {
    if (c == '_' || c == ' ' || c == '-') continue;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// A spreadsheet's "treat as text" apostrophe before a number.
std::string IdentityDigits(const std::string& value) {
  std::string out = Trimmed(value);
  if (!out.empty() && out[0] == '\'') out.erase(0, 1);
  return out;
}

bool ParseSex(const std::string& value, Beneficiary::Sex* sex) {
  std::string v = absl::AsciiStrToUpper(Trimmed(value));
  if (v == "MALE" || v == "L" || v == "LAKI-LAKI" || v == "LAKI LAKI" || v == "M") {
    *sex = Beneficiary::MALE;
  } else if (v == "FEMALE" || v == "P" || v == "PEREMPUAN" || v == "F") {
    *sex = Beneficiary::FEMALE;
  } else if (v.empty()) {
    *sex = Beneficiary::SEX_UNSPECIFIED;  // the registry answers "sex: required"
  } else {
    return false;
  }
  return true;
}

// DD/MM/YYYY and DD-MM-YYYY as YYYY-MM-DD; anything else as it is.
std::string IsoDate(const std::string& value) {
  std::string v = Trimmed(value);
  if (v.size() == 10 && (v[2] == '/' || v[2] == '-') && v[5] == v[2]) {
    bool digits = true;
    for (int i : {0, 1, 3, 4, 6, 7, 8, 9}) digits = digits && absl::ascii_isdigit(v[i]);
    if (digits) return absl::StrCat(v.substr(6, 4), "-", v.substr(3, 2), "-", v.substr(0, 2));
  }
  return v;
}

}  // namespace

const std::vector<std::string>& BeneficiaryCsvHeader() {
  static const std::vector<std::string> kHeader = {"nik",     "kk_number",       "full_name",
                                                   "sex",     "birth_date",      "village_code",
                                                   "address", "ppks_categories", "household_id"};
  return kHeader;
}

absl::StatusOr<BeneficiaryColumns> ParseBeneficiaryHeader(const CsvRow& header) {
  BeneficiaryColumns columns;
  columns.width = static_cast<int>(header.size());
  std::map<std::string, int*> slots = {
      {"nik", &columns.nik},
      {"kknumber", &columns.kk_number},
      {"fullname", &columns.full_name},
      {"sex", &columns.sex},
      {"birthdate", &columns.birth_date},
      {"villagecode", &columns.village_code},
      {"address", &columns.address},
      {"ppkscategories", &columns.ppks_categories},
      {"householdid", &columns.household_id},
  };
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name = header[i];
    // A UTF-8 byte order mark (spreadsheet exports) before the first name.
    if (i == 0 && absl::StartsWith(name, "\xEF\xBB\xBF")) name = name.substr(3);
    auto slot = slots.find(ColumnKey(name));
    if (slot == slots.end()) {
      columns.ignored.push_back(Trimmed(name));
      continue;
    }
    if (*slot->second != -1) {
      return absl::InvalidArgumentError(
          absl::StrCat("header: column \"", Trimmed(name), "\" appears twice"));
    }
    *slot->second = static_cast<int>(i);
  }
  std::vector<std::string> missing;
  if (columns.full_name < 0) missing.push_back("full_name");
  if (columns.sex < 0) missing.push_back("sex");
  if (columns.birth_date < 0) missing.push_back("birth_date");
  if (columns.village_code < 0) missing.push_back("village_code");
  if (columns.ppks_categories < 0) missing.push_back("ppks_categories");
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("header: missing column(s) ", absl::StrJoin(missing, ", "), " (expected ",
                     absl::StrJoin(BeneficiaryCsvHeader(), ","), ")"));
  }
  return columns;
}

int ParsePpksCategory(const std::string& text) {
  std::string v = Trimmed(text);
  int number = 0;
  if (absl::SimpleAtoi(v, &number)) {
    return (number >= 1 && number <= 26 && wahana::common::v1::PpksCategory_IsValid(number))
               ? number
               : 0;
  }
  std::string name = absl::AsciiStrToUpper(v);
  for (char& c : name) {
    if (c == ' ' || c == '-') c = '_';
  }
  wahana::common::v1::PpksCategory category;
  if (!wahana::common::v1::PpksCategory_Parse(name, &category)) return 0;
  return static_cast<int>(category);
}

bool BeneficiaryFromCsv(const CsvRow& row, const BeneficiaryColumns& columns, Beneficiary* out,
                        LocalRejection* rejection) {
  if (static_cast<int>(row.size()) != columns.width) {
    *rejection = {"",
                  absl::StrCat("the row has ", row.size(), " fields, the header ", columns.width)};
    return false;
  }
  out->Clear();
  auto field = [&row](int index) -> const std::string& {
    static const std::string kEmpty;
    return index < 0 ? kEmpty : row[index];
  };
  out->set_nik(IdentityDigits(field(columns.nik)));
  out->set_kk_number(IdentityDigits(field(columns.kk_number)));
  // Names and addresses are passed on byte-exact (the CSV parser has already dropped the
  // spaces around unquoted fields).
  out->set_full_name(field(columns.full_name));
  Beneficiary::Sex sex;
  if (!ParseSex(field(columns.sex), &sex)) {
    *rejection = {"sex", absl::StrCat("\"", field(columns.sex),
                                      "\" is not a sex (MALE/FEMALE, L/P, LAKI-LAKI/PEREMPUAN)")};
    return false;
  }
  out->set_sex(sex);
  out->set_birth_date(IsoDate(field(columns.birth_date)));
  out->set_village_code(Trimmed(field(columns.village_code)));
  out->set_address(field(columns.address));
  for (absl::string_view part :
       absl::StrSplit(field(columns.ppks_categories), ';', absl::SkipWhitespace())) {
    int category = ParsePpksCategory(std::string(part));
    if (category == 0) {
      *rejection = {"ppksCategories",
                    absl::StrCat("\"", absl::StripAsciiWhitespace(part),
                                 "\" is not a PPKS category (1-26 or a name like FAKIR_MISKIN)")};
      return false;
    }
    out->add_ppks_categories(static_cast<wahana::common::v1::PpksCategory>(category));
  }
  out->set_household_id(Trimmed(field(columns.household_id)));
  return true;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(',');
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      line += f;
      continue;
    }
    line.push_back('"');
    for (char c : f) {
      if (c == '"') line.push_back('"');
      line.push_back(c);
    }
    line.push_back('"');
  }
  line += "\r\n";
  return line;
}

}  // namespace wahana::registry
