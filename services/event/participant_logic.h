#pragma once
// An event's participants on the resource flow (common/resource/resource_flow.h): registration
// (a create, idempotent on the caller's requestId), get, the event's list, :withdraw (with the
// etag), :checkIn by participant id (without one: a second check-in changes nothing) and the
// attendance counts. Every change is one atomic write of the participant, its claims and
// counters (participant_store.h) and a ParticipantChanged message on the event service's stream.
//
// The rules that must hold under any concurrency are checked inside that atomic write, against
// the event's guard fields (event_store.h): a registration needs the event taking registrations
// and a free seat (its capacity), a withdrawal the event still taking registrations, a check-in
// the event OPEN or ONGOING. The same rules are checked first on the event as read, to answer
// with its status; the write's check only catches a change in between.
//
// References are reads (common/auth/reference_access.h): the event (`eventId`), a worker, a
// beneficiary, an institution the caller may not read answer NOT_FOUND as unknown ones do. A
// participant is read through its event: one of another event answers NOT_FOUND.
//
// Errors, besides the flow's (resource_flow.h) and the store's:
//   INVALID_ARGUMENT  naming the field (participant_rules.h), eventId, id, etag, pageSize,
//                     pageToken; an archived worker, beneficiary or institution
//   NOT_FOUND         the event, participant or person unknown or out of the caller's reach
//   ALREADY_EXISTS    the person is registered for the event already (409)
//   FAILED_PRECONDITION  the event takes no registrations (DONE, CANCELLED, archived) or
//                     check-ins (not OPEN or ONGOING), is full, or the participant withdrew
//
// Thread-safe when its stores and the registry are.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/crypto/ed25519_key.h"
#include "common/ids/time_ordered_id.h"
#include "common/registry/registry_records.h"
#include "common/resource/resource_flow.h"
#include "common/time/office_calendar.h"
#include "event/event_store.h"
#include "event/participant_store.h"
#include "wahana/common/v1/http_body.pb.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana {

class ParticipantLogic {
 public:
  // `region` is the deployment's; `events` the store the event logic writes; `registry` reads
  // the people named; `signing_key` signs check-in codes (null: no codes). `now`, `ids` and
  // `calendar` as EventLogic's.
  ParticipantLogic(std::string region, std::shared_ptr<ParticipantStore> store,
                   std::shared_ptr<EventStore> events, std::shared_ptr<RegistryRecords> registry,
                   std::shared_ptr<const Ed25519PrivateKey> signing_key,
                   std::function<absl::Time()> now = nullptr, TimeOrderedIdGenerator* ids = nullptr,
                   OfficeCalendar calendar = OfficeCalendar());

  // The participant names one person; everything else is set here: the name and affiliation
  // from the registry (or as sent, for an institution's representative and a walk-in), the
  // event's region, status REGISTERED.
  absl::StatusOr<wahana::event::v1::Participant> Register(
      const Principal& caller, const wahana::event::v1::RegisterParticipantRequest& request);
  absl::StatusOr<wahana::event::v1::Participant> Get(
      const Principal& caller, const wahana::event::v1::GetParticipantRequest& request);
  // In registration order; withdrawn ones with showWithdrawn. Lists mask a walk-in's NIK for
  // every caller.
  absl::StatusOr<wahana::event::v1::ListParticipantsResponse> List(
      const Principal& caller, const wahana::event::v1::ListParticipantsRequest& request);
  absl::StatusOr<wahana::event::v1::Participant> Withdraw(
      const Principal& caller, const wahana::event::v1::ParticipantStepRequest& request);
  // BY_OPERATOR; already checked in: the participant as it is (its first checkInTime).
  absl::StatusOr<wahana::event::v1::Participant> CheckIn(
      const Principal& caller, const wahana::event::v1::ParticipantStepRequest& request);
  absl::StatusOr<wahana::event::v1::Attendance> GetAttendance(
      const Principal& caller, const wahana::event::v1::GetAttendanceRequest& request);

  // The check-in codes (participant_check_in.cc): needs the deployment's signing key, else
  // FAILED_PRECONDITION naming WAHANA_CHECKIN_KEY_FILE.
  absl::StatusOr<wahana::event::v1::CheckInCode> GetCheckInCode(
      const Principal& caller, const wahana::event::v1::GetCheckInCodeRequest& request);
  absl::StatusOr<wahana::common::v1::HttpBody> GetCheckInQr(
      const Principal& caller, const wahana::event::v1::GetCheckInQrRequest& request);
  // BY_CODE. A code used twice: the participant as it is (its first checkInTime).
  absl::StatusOr<wahana::event::v1::Participant> CheckInByCode(
      const Principal& caller, const wahana::event::v1::CheckInByCodeRequest& request);
  absl::StatusOr<wahana::event::v1::CheckInKeys> GetCheckInKeys(
      const Principal& caller, const wahana::event::v1::GetCheckInKeysRequest& request);

 private:
  // Marks the participant present at `when` by `method`, once (a second time answers it as it
  // is); `late`: an offline check-in uploaded, which a DONE event still takes.
  absl::StatusOr<wahana::event::v1::Participant> CheckInAs(
      const Principal& caller, const std::string& event_id, const std::string& participant_id,
      wahana::event::v1::Participant::CheckInMethod method, absl::Time when, bool late);
  // The code of `participant` of `event`, with its validity.
  absl::StatusOr<wahana::event::v1::CheckInCode> CodeOf(const Principal& caller,
                                                        const std::string& event_id,
                                                        const std::string& participant_id);
  const Ed25519PrivateKey& SigningKey() const { return *signing_key_; }

  // The event `event_id` as `caller` may read it: NOT_FOUND "eventId: event ... not found".
  absl::StatusOr<wahana::event::v1::Event> ReadEvent(const Principal& caller,
                                                     const std::string& event_id) const;
  // The participant `id` of event `event_id`, read by `read`; one of another event is NOT_FOUND.
  absl::StatusOr<wahana::event::v1::Participant> OfEvent(
      absl::StatusOr<wahana::event::v1::Participant> read, const std::string& event_id) const;

  std::shared_ptr<EventStore> events_;
  std::shared_ptr<ParticipantStore> store_;
  std::shared_ptr<const Ed25519PrivateKey> signing_key_;
  ResourceFlow<wahana::event::v1::Participant, wahana::event::v1::ParticipantChanged> flow_;
  const OfficeCalendar calendar_;
};

}  // namespace wahana
