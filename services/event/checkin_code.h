#pragma once
// A participant's check-in code (issue 12): the event, the participant and the end of the event,
// signed with the deployment's Ed25519 key, so that a phone holding only the public key checks it
// offline and uploads the check-ins later.
//
// Format, version 1 (170 characters):
//   "W1" + Crockford base-32 (common/encoding/crockford_base32.h) of 105 bytes:
//     [0]       format version, 1
//     [1, 17)   event id, its 16 bytes (common/ids/time_ordered_id.h BytesOfId)
//     [17, 33)  participant id, its 16 bytes
//     [33, 41)  valid until: Unix seconds, signed 64-bit big-endian
//     [41, 105) Ed25519 signature of "wahana-checkin-v1\0" followed by bytes [0, 41)
// 105 bytes are 840 bits, exactly 168 digits: no padding bits, so every character of a code
// matters and a code has one spelling (apart from the case and I/L/O a reader forgives). All
// characters are in a QR code's alphanumeric set (checkin_qr.h): at error correction level M the
// code fits a version 7 symbol (45 modules), where byte mode would need version 9 (53).
//
// The signature proves only that this deployment issued the code. Whether it is still valid
// (valid_until against the clock), and whether the event and participant still exist and agree,
// is for the caller to decide.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/crypto/ed25519_key.h"

namespace wahana {

struct CheckInClaim {
  std::string event_id;        // time-ordered id (26 Crockford digits)
  std::string participant_id;  // time-ordered id
  absl::Time valid_until;      // the event's end; carried to the whole second (rounded down)
};

// The code for `claim`, signed with `key`. INVALID_ARGUMENT "event_id: ..." or
// "participant_id: ..." when an id is not a time-ordered id.
absl::StatusOr<std::string> MakeCheckInCode(const Ed25519PrivateKey& key,
                                            const CheckInClaim& claim);

// What `code` claims, when `key` signed it. Forgiving of what people type: surrounding white
// space, lower case, and Crockford's I and L for 1 and O for 0. INVALID_ARGUMENT
// "<field>: not a check-in code" when it is not one (prefix, alphabet, length, version), and
// "<field>: the signature does not match this deployment's key" when it is forged, altered, or
// signed by another deployment. Expiry is not checked (see above).
absl::StatusOr<CheckInClaim> ReadCheckInCode(const Ed25519PublicKey& key, absl::string_view code,
                                             absl::string_view field = "code");

}  // namespace wahana
