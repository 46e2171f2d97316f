#include "reporting/report_period.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wahana {
namespace {

constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2999;

// A number of exactly `digits` ASCII digits (SimpleAtoi alone accepts signs and spaces).
bool ParseDigits(absl::string_view text, size_t digits, int* value) {
  if (text.size() != digits) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text, value);
}

absl::Status BadPeriod(absl::string_view text, absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": \"", text, "\" ", why,
                                                 "; write a year (2026), a quarter (2026-Q4) or a "
                                                 "month (2026-11)"));
}

}  // namespace

std::vector<absl::CivilMonth> ReportPeriod::Months() const {
  std::vector<absl::CivilMonth> months;
  for (absl::CivilMonth m = first; m <= last; ++m) months.push_back(m);
  return months;
}

absl::StatusOr<ReportPeriod> ParseReportPeriod(absl::string_view text, absl::string_view field) {
  if (text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": required; write a year (2026), a quarter (2026-Q4) or a month (2026-11)"));
  }
  int year = 0;
  if (!ParseDigits(text.substr(0, 4), 4, &year)) {
    return BadPeriod(text, field, "does not start with a four-digit year");
  }
  if (year < kFirstYear || year > kLastYear) {
    return BadPeriod(text, field,
                     absl::StrCat("names a year outside ", kFirstYear, "-", kLastYear));
  }
  if (text.size() == 4) {
    return ReportPeriod{absl::CivilMonth(year, 1), absl::CivilMonth(year, 12)};
  }
  absl::string_view rest = text.substr(4);
  int number = 0;
  if (rest.size() == 3 && rest[0] == '-' && rest[1] == 'Q' &&
      ParseDigits(rest.substr(2), 1, &number)) {
    if (number < 1 || number > 4) return BadPeriod(text, field, "names no quarter (Q1-Q4)");
    absl::CivilMonth first(year, 3 * (number - 1) + 1);
    return ReportPeriod{first, first + 2};
  }
  if (rest.size() == 3 && rest[0] == '-' && ParseDigits(rest.substr(1), 2, &number)) {
    if (number < 1 || number > 12) return BadPeriod(text, field, "names no month (01-12)");
    absl::CivilMonth month(year, number);
    return ReportPeriod{month, month};
  }
  return BadPeriod(text, field, "is not a period");
}

std::string MonthText(absl::CivilMonth month) {
  return absl::StrFormat("%04d-%02d", month.year(), month.month());
}

absl::StatusOr<absl::CivilMonth> ParseMonthText(absl::string_view text) {
  int year = 0, month = 0;
  if (text.size() != 7 || text[4] != '-' || !ParseDigits(text.substr(0, 4), 4, &year) ||
      !ParseDigits(text.substr(5), 2, &month) || month < 1 || month > 12) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a month (YYYY-MM)"));
  }
  return absl::CivilMonth(year, month);
}

absl::CivilMonth OfficeMonth(const OfficeCalendar& calendar, absl::Time time) {
  return absl::CivilMonth(absl::ToCivilSecond(time, calendar.zone()));
}

}  // namespace wahana
