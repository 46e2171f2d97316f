#include "common/fields/field_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

constexpr size_t kMaxPhoneBytes = 32;
constexpr size_t kMaxEmailBytes = 254;

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

absl::Status CheckBytes(const std::string& value, absl::string_view field, size_t max_bytes) {
  if (value.size() > max_bytes) {
    return Invalid(field, absl::StrCat("at most ", max_bytes, " bytes (got ", value.size(), ")"));
  }
  return absl::OkStatus();
}

// C0 controls and DEL; bytes >= 0x80 are UTF-8 and welcome.
bool HasControl(const std::string& value, bool allow_breaks) {
  for (char ch : value) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (allow_breaks && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

absl::Status CheckPhone(const std::string& value, absl::string_view field) {
  if (value.size() > kMaxPhoneBytes) {
    return Invalid(field, absl::StrCat("at most ", kMaxPhoneBytes, " bytes"));
  }
  for (char c : value) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != ' ' && c != '+' && c != '-' &&
        c != '(' && c != ')') {
      return Invalid(field, "only digits, spaces and + - ( )");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckName(const std::string& value, absl::string_view field, size_t max_bytes) {
  if (absl::StripAsciiWhitespace(value).empty()) return Invalid(field, "required");
  if (auto status = CheckBytes(value, field, max_bytes); !status.ok()) return status;
  if (HasControl(value, false))
    return Invalid(field, "must be one line without control characters");
  return absl::OkStatus();
}

absl::Status CheckLine(const std::string& value, absl::string_view field, size_t max_bytes) {
  if (auto status = CheckBytes(value, field, max_bytes); !status.ok()) return status;
  if (HasControl(value, false))
    return Invalid(field, "must be one line without control characters");
  return absl::OkStatus();
}

absl::Status CheckText(const std::string& value, absl::string_view field, size_t max_bytes) {
  if (auto status = CheckBytes(value, field, max_bytes); !status.ok()) return status;
  if (HasControl(value, true)) return Invalid(field, "must not contain control characters");
  return absl::OkStatus();
}

absl::Status CheckRequiredText(const std::string& value, absl::string_view field,
                               size_t max_bytes) {
  if (absl::StripAsciiWhitespace(value).empty()) return Invalid(field, "required");
  return CheckText(value, field, max_bytes);
}

absl::StatusOr<absl::CivilDay> ParseDate(const std::string& value, absl::string_view field,
                                         absl::CivilDay latest) {
  auto digits = [&](size_t from, size_t count) {
    for (size_t i = from; i < from + count; ++i) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(value[i]))) return false;
    }
    return true;
  };
  if (value.size() != 10 || value[4] != '-' || value[7] != '-' || !digits(0, 4) || !digits(5, 2) ||
      !digits(8, 2)) {
    return Invalid(field, absl::StrCat("\"", value, "\" is not a date YYYY-MM-DD"));
  }
  int year = 0, month = 0, day = 0;
  if (!absl::SimpleAtoi(value.substr(0, 4), &year) ||
      !absl::SimpleAtoi(value.substr(5, 2), &month) ||
      !absl::SimpleAtoi(value.substr(8, 2), &day)) {
    return Invalid(field, absl::StrCat("\"", value, "\" is not a date YYYY-MM-DD"));
  }
  // CivilDay normalises (2026-02-30 becomes 2026-03-02): a real date survives unchanged.
  absl::CivilDay civil(year, month, day);
  if (civil.year() != year || civil.month() != month || civil.day() != day) {
    return Invalid(field, absl::StrCat("\"", value, "\" is not a real calendar date"));
  }
  if (year < kEarliestYear) {
    return Invalid(field, absl::StrCat("\"", value, "\" is before ", kEarliestYear));
  }
  if (civil > latest) return Invalid(field, absl::StrCat("\"", value, "\" is in the future"));
  return civil;
}

absl::Status CheckOptionalDate(const std::string& value, absl::string_view field,
                               absl::CivilDay latest) {
  if (value.empty()) return absl::OkStatus();
  return ParseDate(value, field, latest).status();
}

absl::Status CheckRequiredDate(const std::string& value, absl::string_view field,
                               absl::CivilDay latest) {
  if (value.empty()) return Invalid(field, "required (YYYY-MM-DD)");
  return ParseDate(value, field, latest).status();
}

absl::Status CheckContact(const wahana::registry::v1::Contact& contact, absl::string_view prefix) {
  if (auto s = CheckPhone(contact.phone(), absl::StrCat(prefix, ".phone")); !s.ok()) return s;
  if (auto s = CheckPhone(contact.whatsapp(), absl::StrCat(prefix, ".whatsapp")); !s.ok()) return s;
  const std::string& email = contact.email();
  if (email.empty()) return absl::OkStatus();
  std::string field = absl::StrCat(prefix, ".email");
  if (auto s = CheckLine(email, field, kMaxEmailBytes); !s.ok()) return s;
  size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == email.size() ||
      email.find('@', at + 1) != std::string::npos || email.find(' ') != std::string::npos) {
    return Invalid(field, "not an email address");
  }
  return absl::OkStatus();
}

}  // namespace wahana
