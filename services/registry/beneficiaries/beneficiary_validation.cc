#include "registry/beneficiaries/beneficiary_validation.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/ids/time_ordered_id.h"
#include "common/status/status_macros.h"
#include "registry/identity/nik.h"
#include "wahana/common/v1/ppks.pb.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::ReviewFlag;

constexpr size_t kMaxShortText = 100;
constexpr size_t kMaxNotesBytes = 2000;
constexpr int kMaxListItems = 20;

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Names and short texts come from spreadsheets and forms: a control character in one is a
// pasting accident that would corrupt a CSV export or a printed letter.
bool HasControl(absl::string_view s) {
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

absl::Status CheckText(absl::string_view field, const std::string& value, size_t max_bytes,
                       bool required) {
  if (required && absl::StripAsciiWhitespace(value).empty()) return Invalid(field, "required");
  if (value.size() > max_bytes) {
    return Invalid(field, absl::StrCat("at most ", max_bytes, " bytes (got ", value.size(), ")"));
  }
  if (HasControl(value)) return Invalid(field, "must not contain control characters");
  return absl::OkStatus();
}

absl::Status CheckTextList(absl::string_view field,
                           const google::protobuf::RepeatedPtrField<std::string>& values) {
  if (values.size() > kMaxListItems) {
    return Invalid(field, absl::StrCat("at most ", kMaxListItems, " items"));
  }
  for (const std::string& v : values) {
    WAHANA_RETURN_IF_ERROR(CheckText(field, v, kMaxShortText, true));
  }
  return absl::OkStatus();
}

absl::Status CheckIdentityNumberShape(absl::string_view field, const std::string& value) {
  if (value.size() != 16 || !AllDigits(value)) {
    return Invalid(field, absl::StrCat("must be 16 digits (got ", value.size(), " characters",
                                       AllDigits(value) ? "" : ", not all digits", ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckCategories(const Beneficiary& b) {
  if (b.ppks_categories().empty()) {
    return Invalid("ppksCategories",
                   "at least one of the 26 PPKS categories (1-26, e.g. ANAK_TELANTAR)");
  }
  std::set<int> seen;
  for (int c : b.ppks_categories()) {
    if (c == wahana::common::v1::PPKS_CATEGORY_UNSPECIFIED ||
        !wahana::common::v1::PpksCategory_IsValid(c)) {
      return Invalid("ppksCategories", absl::StrCat(c, " is not a PPKS category (1-26)"));
    }
    if (!seen.insert(c).second) {
      return Invalid("ppksCategories",
                     absl::StrCat(wahana::common::v1::PpksCategory_Name(c), " listed twice"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDisability(const Beneficiary::Disability& d) {
  WAHANA_RETURN_IF_ERROR(CheckTextList("disability.kinds", d.kinds()));
  WAHANA_RETURN_IF_ERROR(CheckTextList("disability.assistiveDevices", d.assistive_devices()));
  if (!d.severity().empty() && d.severity() != "ringan" && d.severity() != "sedang" &&
      d.severity() != "berat") {
    return Invalid("disability.severity", "one of ringan, sedang, berat (or empty)");
  }
  return CheckText("disability.notes", d.notes(), kMaxNotesBytes, false);
}

absl::Status CheckGuardian(const Beneficiary::Guardian& g, absl::CivilDay today) {
  WAHANA_RETURN_IF_ERROR(CheckText("guardian.fullName", g.full_name(), kMaxNameBytes, true));
  if (!g.nik().empty()) {
    WAHANA_RETURN_IF_ERROR(ParseNik(g.nik(), today, "guardian.nik").status());
  }
  WAHANA_RETURN_IF_ERROR(CheckText("guardian.relation", g.relation(), kMaxShortText, false));
  WAHANA_RETURN_IF_ERROR(
      CheckText("guardian.contact.phone", g.contact().phone(), kMaxShortText, false));
  WAHANA_RETURN_IF_ERROR(
      CheckText("guardian.contact.email", g.contact().email(), kMaxShortText, false));
  return CheckText("guardian.contact.whatsapp", g.contact().whatsapp(), kMaxShortText, false);
}

}  // namespace

absl::CivilDay IndonesianToday(absl::Time now) {
  return absl::ToCivilDay(now, absl::FixedTimeZone(9 * 3600));
}

std::optional<absl::CivilDay> ParseIsoDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  absl::string_view s(text);
  if (!AllDigits(s.substr(0, 4)) || !AllDigits(s.substr(5, 2)) || !AllDigits(s.substr(8, 2))) {
    return std::nullopt;
  }
  int year = std::stoi(text.substr(0, 4));
  int month = std::stoi(text.substr(5, 2));
  int day = std::stoi(text.substr(8, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  absl::CivilDay d(year, month, day);
  // CivilDay normalises 31 February to 3 March: a real date comes back unchanged.
  if (d.year() != year || d.month() != month || d.day() != day) return std::nullopt;
  return d;
}

FieldError SplitFieldError(const absl::Status& status) {
  std::string message(status.message());
  size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0 ||
      message.substr(0, colon).find(' ') != std::string::npos) {
    return {"", message};
  }
  return {message.substr(0, colon), message.substr(colon + 2)};
}

BeneficiaryValidator::BeneficiaryValidator(std::shared_ptr<const RegionRules> regions,
                                           HouseholdExistsFn household_exists)
    : regions_(std::move(regions)), household_exists_(std::move(household_exists)) {}

absl::Status BeneficiaryValidator::CheckFields(const Beneficiary& b, absl::CivilDay today) {
  if (!b.nik().empty()) WAHANA_RETURN_IF_ERROR(ParseNik(b.nik(), today, "nik").status());
  if (!b.kk_number().empty()) {
    WAHANA_RETURN_IF_ERROR(CheckIdentityNumberShape("kkNumber", b.kk_number()));
  }
  WAHANA_RETURN_IF_ERROR(CheckText("fullName", b.full_name(), kMaxNameBytes, true));
  if (b.sex() != Beneficiary::MALE && b.sex() != Beneficiary::FEMALE) {
    return Invalid("sex", "required: MALE or FEMALE");
  }
  if (b.birth_date().empty()) return Invalid("birthDate", "required (YYYY-MM-DD)");
  std::optional<absl::CivilDay> birth = ParseIsoDate(b.birth_date());
  if (!birth) {
    return Invalid("birthDate",
                   absl::StrCat("\"", b.birth_date(), "\" is not a real date YYYY-MM-DD"));
  }
  if (*birth > today) return Invalid("birthDate", "is in the future");
  if (birth->year() < 1900) return Invalid("birthDate", "before 1900");
  if (b.village_code().empty()) return Invalid("villageCode", "required");
  WAHANA_RETURN_IF_ERROR(CheckText("address", b.address(), kMaxAddressBytes, false));
  WAHANA_RETURN_IF_ERROR(CheckCategories(b));
  if (b.has_disability()) WAHANA_RETURN_IF_ERROR(CheckDisability(b.disability()));
  if (b.has_guardian()) WAHANA_RETURN_IF_ERROR(CheckGuardian(b.guardian(), today));
  if (!b.household_id().empty() && TimeOfId(b.household_id()) < 0) {
    return Invalid(
        "householdId",
        absl::StrCat("\"", b.household_id(), "\" is not a household id (26 characters, 0-9 A-Z)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ReviewFlag>> BeneficiaryValidator::Validate(const Beneficiary& b,
                                                                       absl::CivilDay today) const {
  WAHANA_RETURN_IF_ERROR(CheckFields(b, today));
  std::vector<ReviewFlag> flags;
  if (!b.nik().empty()) {
    WAHANA_ASSIGN_OR_RETURN(NikCheck check, CheckNik(b.nik(), *regions_, today, "nik"));
    NikSex sex = b.sex() == Beneficiary::FEMALE ? NikSex::kFemale : NikSex::kMale;
    flags = NikReviewFlags(check, sex, ParseIsoDate(b.birth_date()), "nik");
  }
  if (b.has_guardian() && !b.guardian().nik().empty()) {
    WAHANA_RETURN_IF_ERROR(CheckNik(b.guardian().nik(), *regions_, today, "guardian.nik").status());
  }
  WAHANA_RETURN_IF_ERROR(regions_->RequireVillage(b.village_code(), "villageCode"));
  if (!b.household_id().empty()) {
    WAHANA_ASSIGN_OR_RETURN(bool exists, household_exists_(b.household_id()));
    if (!exists) {
      return Invalid("householdId", absl::StrCat("no household ", b.household_id()));
    }
  }
  return flags;
}

}  // namespace wahana::registry
