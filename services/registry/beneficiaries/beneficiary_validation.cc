#include "registry/beneficiaries/beneficiary_validation.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/fields/field_checks.h"
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

// Names and short texts come from spreadsheets and forms: a control character (a line break
// too) in one is a pasting accident that would corrupt a CSV export or a printed letter, so all
// of them are one line (CheckName when required, CheckLine otherwise).
absl::Status CheckOneLine(absl::string_view field, const std::string& value, size_t max_bytes,
                          bool required) {
  return required ? CheckName(value, field, max_bytes) : CheckLine(value, field, max_bytes);
}

absl::Status CheckTextList(absl::string_view field,
                           const google::protobuf::RepeatedPtrField<std::string>& values) {
  if (values.size() > kMaxListItems) {
    return Invalid(field, absl::StrCat("at most ", kMaxListItems, " items"));
  }
  for (const std::string& v : values) {
    WAHANA_RETURN_IF_ERROR(CheckOneLine(field, v, kMaxShortText, true));
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
  return CheckOneLine("disability.notes", d.notes(), kMaxNotesBytes, false);
}

absl::Status CheckGuardian(const Beneficiary::Guardian& g, absl::CivilDay today) {
  WAHANA_RETURN_IF_ERROR(CheckOneLine("guardian.fullName", g.full_name(), kMaxNameBytes, true));
  if (!g.nik().empty()) {
    WAHANA_RETURN_IF_ERROR(ParseNik(g.nik(), today, "guardian.nik").status());
  }
  WAHANA_RETURN_IF_ERROR(CheckOneLine("guardian.relation", g.relation(), kMaxShortText, false));
  WAHANA_RETURN_IF_ERROR(
      CheckOneLine("guardian.contact.phone", g.contact().phone(), kMaxShortText, false));
  WAHANA_RETURN_IF_ERROR(
      CheckOneLine("guardian.contact.email", g.contact().email(), kMaxShortText, false));
  return CheckOneLine("guardian.contact.whatsapp", g.contact().whatsapp(), kMaxShortText, false);
}

}  // namespace

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
  WAHANA_RETURN_IF_ERROR(CheckOneLine("fullName", b.full_name(), kMaxNameBytes, true));
  if (b.sex() != Beneficiary::MALE && b.sex() != Beneficiary::FEMALE) {
    return Invalid("sex", "required: MALE or FEMALE");
  }
  WAHANA_RETURN_IF_ERROR(CheckRequiredDate(b.birth_date(), "birthDate", today));
  if (b.village_code().empty()) return Invalid("villageCode", "required");
  WAHANA_RETURN_IF_ERROR(CheckOneLine("address", b.address(), kMaxAddressBytes, false));
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
    // CheckFields has accepted the birth date.
    absl::StatusOr<absl::CivilDay> birth = ParseDate(b.birth_date(), "birthDate", today);
    flags = NikReviewFlags(
        check, sex, birth.ok() ? std::optional<absl::CivilDay>(*birth) : std::nullopt, "nik");
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
