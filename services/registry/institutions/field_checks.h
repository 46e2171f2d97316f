#pragma once
// Checks of the plain fields the registry's community resources share (institutions, networks):
// texts with a byte bound, calendar dates "YYYY-MM-DD", contacts. Every error is INVALID_ARGUMENT
// "<field>: <reason>", the field in JSON spelling as the caller passes it ("leaders[1].fullName").
// Texts are never altered: a name is stored byte-exact, so these only accept or refuse it.
//
// Pure functions, thread-safe.

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "wahana/registry/v1/resources.pb.h"

namespace wahana::registry {

// The earliest date any of these records may carry (a founding, a decree, a visit).
inline constexpr int kEarliestYear = 1900;

// A name or label: required (not blank), at most `max_bytes` bytes, one line (no control
// characters). Unicode is welcome; it is measured in bytes, as stored.
absl::Status CheckName(const std::string& value, absl::string_view field, size_t max_bytes);
// Optional one-line text (a role, a registration number): at most `max_bytes`, no control
// characters.
absl::Status CheckLine(const std::string& value, absl::string_view field, size_t max_bytes);
// Optional free text (an address, notes): at most `max_bytes`; line breaks and tabs allowed.
absl::Status CheckText(const std::string& value, absl::string_view field, size_t max_bytes);

// The latest date a record may carry when the clock says `now`: tomorrow in UTC. Indonesia is
// ahead of UTC (WIB +7 to WIT +9), so a date that is today for the operator may be tomorrow in UTC.
absl::CivilDay LatestDate(absl::Time now);
// The date `now` falls on in UTC: what the server stamps on a step it records itself.
std::string TodayUtc(absl::Time now);

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

}  // namespace wahana::registry
