// ParticipantLogic's check-in codes: issued to whoever registers people for the event, read back
// by whoever checks them in (participant_logic.h). The code format is checkin_code.h's; its image
// checkin_qr.h's.

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/status/status_macros.h"
#include "common/storage/record_requests.h"
#include "common/time/timestamp.h"
#include "event/checkin_code.h"
#include "event/checkin_qr.h"
#include "event/participant_logic.h"

namespace wahana {
namespace {

using wahana::event::v1::CheckInByCodeRequest;
using wahana::event::v1::CheckInCode;
using wahana::event::v1::CheckInKeys;
using wahana::event::v1::Event;
using wahana::event::v1::GetCheckInCodeRequest;
using wahana::event::v1::GetCheckInKeysRequest;
using wahana::event::v1::GetCheckInQrRequest;
using wahana::event::v1::Participant;

// How far ahead of the server's clock an uploaded check-in time may be (phones' clocks drift).
constexpr absl::Duration kClockSkew = absl::Minutes(5);

// A code checks in until the event's end, or a day after its start when it has none.
absl::Time ValidUntil(const Event& event) {
  if (event.has_end_time()) return TimeOf(event.end_time());
  return TimeOf(event.start_time()) + absl::Hours(24);
}

absl::Status NoKey() {
  return absl::FailedPreconditionError(
      "check-in codes are not set up here: the event service has no WAHANA_CHECKIN_KEY_FILE");
}

}  // namespace

absl::StatusOr<CheckInCode> ParticipantLogic::CodeOf(const Principal& caller,
                                                     const std::string& event_id,
                                                     const std::string& participant_id) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(event_id, "an event", "eventId"));
  WAHANA_ASSIGN_OR_RETURN(Participant participant,
                          OfEvent(flow_.ReadForRead(caller, participant_id), event_id));
  // A code checks a person in: it is handed out by those who may register people.
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, Resource::kParticipant, Action::kCreate,
                                           participant.region_code(),
                                           absl::StrCat("participant ", participant.id())));
  if (participant.status() != Participant::REGISTERED) {
    return absl::FailedPreconditionError(
        absl::StrCat("status: participant ", participant.id(), " has withdrawn"));
  }
  if (signing_key_ == nullptr) return NoKey();
  WAHANA_ASSIGN_OR_RETURN(Event event, ReadEvent(caller, event_id));
  CheckInClaim claim{event.id(), participant.id(), ValidUntil(event)};
  WAHANA_ASSIGN_OR_RETURN(std::string code, MakeCheckInCode(SigningKey(), claim));
  CheckInCode answer;
  answer.set_event_id(event.id());
  answer.set_participant_id(participant.id());
  answer.set_code(std::move(code));
  *answer.mutable_valid_until() = TimestampOf(absl::FromUnixSeconds(
      absl::ToUnixSeconds(claim.valid_until)));  // the code carries whole seconds
  answer.set_key_id(SigningKey().PublicKey().KeyId());
  return answer;
}

absl::StatusOr<CheckInCode> ParticipantLogic::GetCheckInCode(const Principal& caller,
                                                             const GetCheckInCodeRequest& request) {
  return CodeOf(caller, request.event_id(), request.id());
}

absl::StatusOr<wahana::common::v1::HttpBody> ParticipantLogic::GetCheckInQr(
    const Principal& caller, const GetCheckInQrRequest& request) {
  const std::string& format = request.format();
  if (!format.empty() && format != "svg" && format != "png") {
    return absl::InvalidArgumentError("format: svg or png");
  }
  WAHANA_ASSIGN_OR_RETURN(CheckInCode code, CodeOf(caller, request.event_id(), request.id()));
  wahana::common::v1::HttpBody body;
  if (format == "png") {
    WAHANA_ASSIGN_OR_RETURN(*body.mutable_data(), CheckInQrPng(code.code()));
    body.set_content_type("image/png");
  } else {
    WAHANA_ASSIGN_OR_RETURN(*body.mutable_data(), CheckInQrSvg(code.code()));
    body.set_content_type("image/svg+xml");
  }
  return body;
}

absl::StatusOr<Participant> ParticipantLogic::CheckInByCode(const Principal& caller,
                                                            const CheckInByCodeRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.event_id(), "an event", "eventId"));
  if (signing_key_ == nullptr) return NoKey();
  WAHANA_ASSIGN_OR_RETURN(CheckInClaim claim,
                          ReadCheckInCode(SigningKey().PublicKey(), request.code(), "code"));
  if (claim.event_id != request.event_id()) {
    return absl::InvalidArgumentError(
        absl::StrCat("code: a code for another event, not event ", request.event_id()));
  }
  const absl::Time now = flow_.Now();
  const bool late = request.has_check_in_time();
  const absl::Time when = late ? TimeOf(request.check_in_time()) : now;
  if (late && when > now + kClockSkew) {
    return absl::InvalidArgumentError("checkInTime: in the future");
  }
  if (when > claim.valid_until) {
    return absl::InvalidArgumentError(
        absl::StrCat("code: valid until ",
                     absl::FormatTime(absl::RFC3339_sec, claim.valid_until, absl::UTCTimeZone()),
                     late ? ", before checkInTime" : ", which has passed"));
  }
  absl::StatusOr<Participant> checked_in = CheckInAs(
      caller, request.event_id(), claim.participant_id, Participant::BY_CODE, when, late);
  if (absl::IsNotFound(checked_in.status())) {
    // Told in the terms of the request: the caller sent a code, not a participant id.
    return absl::NotFoundError("code: names no participant of this event that you may check in");
  }
  return checked_in;
}

absl::StatusOr<CheckInKeys> ParticipantLogic::GetCheckInKeys(const Principal&,
                                                             const GetCheckInKeysRequest&) {
  CheckInKeys keys;
  if (signing_key_ == nullptr) return keys;
  const Ed25519PublicKey public_key = SigningKey().PublicKey();
  CheckInKeys::Key* key = keys.add_keys();
  key->set_kty("OKP");
  key->set_crv("Ed25519");
  key->set_x(absl::WebSafeBase64Escape(public_key.Raw()));
  key->set_kid(public_key.KeyId());
  key->set_use("sig");
  key->set_alg("EdDSA");
  return keys;
}

}  // namespace wahana
