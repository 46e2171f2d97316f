#include "event/checkin_code.h"

#include <cstdint>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/encoding/crockford_base32.h"
#include "common/ids/time_ordered_id.h"

namespace wahana {
namespace {

constexpr char kPrefix[] = "W1";
constexpr char kVersion = 1;
constexpr size_t kIdSize = 16;
constexpr size_t kPayloadSize = 1 + 2 * kIdSize + 8;
constexpr size_t kCodeBytes = kPayloadSize + Ed25519PublicKey::kSignatureSize;
constexpr size_t kCodeLength = 2 + (kCodeBytes * 8 + 4) / 5;
static_assert(kCodeBytes * 8 % 5 == 0, "the code's digits carry no padding bits");
static_assert(kCodeLength == 170, "the length the header documents");

// A signature over the bare payload could be replayed as some other message the key signs (the
// federation will sign with the same kind of key); the label ties it to check-in codes, version 1.
std::string SignedMessage(absl::string_view payload) {
  static constexpr char kDomain[] = "wahana-checkin-v1";
  return absl::StrCat(absl::string_view(kDomain, sizeof(kDomain)), payload);  // with its NUL
}

absl::Status NotACode(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": not a check-in code"));
}

// Typed codes: case and Crockford's look-alikes do not matter.
std::string Normalise(absl::string_view code) {
  std::string text = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(code));
  for (char& c : text) {
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'O') c = '0';
  }
  return text;
}

}  // namespace

absl::StatusOr<std::string> MakeCheckInCode(const Ed25519PrivateKey& key,
                                            const CheckInClaim& claim) {
  std::optional<std::string> event = BytesOfId(claim.event_id);
  if (!event) return absl::InvalidArgumentError("event_id: not an event id");
  std::optional<std::string> participant = BytesOfId(claim.participant_id);
  if (!participant) return absl::InvalidArgumentError("participant_id: not a participant id");
  std::string payload;
  payload.reserve(kCodeBytes);
  payload.push_back(kVersion);
  payload += *event;
  payload += *participant;
  const uint64_t until = static_cast<uint64_t>(absl::ToUnixSeconds(claim.valid_until));
  for (int shift = 56; shift >= 0; shift -= 8) {
    payload.push_back(static_cast<char>((until >> shift) & 0xFF));
  }
  const std::string signature = key.Sign(SignedMessage(payload));
  if (signature.size() != Ed25519PublicKey::kSignatureSize) {
    return absl::InternalError("could not sign the check-in code");
  }
  return absl::StrCat(kPrefix, CrockfordBase32Encode(absl::StrCat(payload, signature)));
}

absl::StatusOr<CheckInClaim> ReadCheckInCode(const Ed25519PublicKey& key, absl::string_view code,
                                             absl::string_view field) {
  const std::string text = Normalise(code);
  if (text.size() != kCodeLength || !absl::StartsWith(text, kPrefix)) return NotACode(field);
  std::optional<std::string> bytes = CrockfordBase32Decode(absl::string_view(text).substr(2));
  if (!bytes || bytes->size() != kCodeBytes || (*bytes)[0] != kVersion) return NotACode(field);
  const absl::string_view all(*bytes);
  const absl::string_view payload = all.substr(0, kPayloadSize);
  if (!key.Verify(SignedMessage(payload), all.substr(kPayloadSize))) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": the signature does not match this deployment's key"));
  }
  CheckInClaim claim;
  claim.event_id = IdOfBytes(payload.substr(1, kIdSize));
  claim.participant_id = IdOfBytes(payload.substr(1 + kIdSize, kIdSize));
  uint64_t until = 0;
  for (char c : payload.substr(1 + 2 * kIdSize, 8)) {
    until = (until << 8) | static_cast<unsigned char>(c);
  }
  claim.valid_until = absl::FromUnixSeconds(static_cast<int64_t>(until));
  return claim;
}

}  // namespace wahana
