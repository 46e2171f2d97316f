#pragma once
// Checks of the plain fields every service's resources share (the registry's records, cases,
// events): texts with a byte bound, calendar dates "YYYY-MM-DD", contacts. Every error is
// INVALID_ARGUMENT "<field>: <reason>", the field in JSON spelling as the caller passes it
// ("leaders[1].fullName"). Texts are never altered: a name is stored byte-exact, so these only
// accept or refuse it. "Today" is not theirs to know: a date check takes the latest date allowed,
// from the office's calendar (common/time/office_calendar.h: LatestDate).
//
// Pure functions, thread-safe.

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "wahana/registry/v1/resources.pb.h"

namespace wahana {

// The earliest date any of these records may carry (a birth, a founding, a decree, a visit).
inline constexpr int kEarliestYear = 1900;
// The `latest` of a date that may lie ahead (a due date, a follow-up date).
inline constexpr absl::CivilDay kNoLatestDate(9999, 12, 31);

// A name or label: required (not blank), at most `max_bytes` bytes, one line (no control
// characters). Unicode is welcome; it is measured in bytes, as stored.
absl::Status CheckName(const std::string& value, absl::string_view field, size_t max_bytes);
// Optional one-line text (a role, a registration number): at most `max_bytes`, no control
// characters.
absl::Status CheckLine(const std::string& value, absl::string_view field, size_t max_bytes);
// Optional free text (an address, notes): at most `max_bytes`; line breaks and tabs allowed.
absl::Status CheckText(const std::string& value, absl::string_view field, size_t max_bytes);
// Required free text (a summary, a problem): CheckText, and "<field>: required" when blank.
absl::Status CheckRequiredText(const std::string& value, absl::string_view field, size_t max_bytes);

// A real calendar date written "YYYY-MM-DD", from kEarliestYear to `latest`.
absl::StatusOr<absl::CivilDay> ParseDate(const std::string& value, absl::string_view field,
                                         absl::CivilDay latest);
// ParseDate for an optional date: OK when empty.
absl::Status CheckOptionalDate(const std::string& value, absl::string_view field,
                               absl::CivilDay latest);
// ParseDate for a required date: "<field>: required (YYYY-MM-DD)" when empty.
absl::Status CheckRequiredDate(const std::string& value, absl::string_view field,
                               absl::CivilDay latest);

// phone and whatsapp: digits, spaces and + - ( ) only, at most 32 bytes; email: at most 254 bytes
// with one '@' between two non-empty parts. Field names are `prefix`.phone etc.
absl::Status CheckContact(const wahana::registry::v1::Contact& contact, absl::string_view prefix);

}  // namespace wahana
