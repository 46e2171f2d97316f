#include "event/participant_logic.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/auth/reference_access.h"
#include "common/fields/field_checks.h"
#include "common/privacy/masking.h"
#include "common/registry/record_regions.h"
#include "common/status/status_macros.h"
#include "common/storage/record_requests.h"
#include "common/time/timestamp.h"
#include "event/participant_rules.h"

namespace wahana {
namespace {

using wahana::event::v1::Attendance;
using wahana::event::v1::Event;
using wahana::event::v1::GetAttendanceRequest;
using wahana::event::v1::GetParticipantRequest;
using wahana::event::v1::ListParticipantsRequest;
using wahana::event::v1::ListParticipantsResponse;
using wahana::event::v1::Participant;
using wahana::event::v1::ParticipantChanged;
using wahana::event::v1::ParticipantStepRequest;
using wahana::event::v1::RegisterParticipantRequest;
using wahana::registry::v1::Institution;
using wahana::registry::v1::Worker;

// How often a check-in reads again when the participant changed between its read and its write.
constexpr int kCheckInAttempts = 3;
// How long before its start an event's check-ins may be dated (people arrive the evening before).
constexpr absl::Duration kEarliestCheckInBeforeStart = absl::Hours(24);

std::string EventStatusText(const Event& event) {
  return event.archived() ? "archived" : Event::Status_Name(event.status());
}

absl::Status NotTakingRegistrations(const Event& event, absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat("eventId: event ", event.id(), " is ",
                                                    EventStatusText(event), "; ", what,
                                                    " needs PLANNED, OPEN or ONGOING"));
}

// The person the participant names, read and checked: name, affiliation and person keys set.
absl::Status ResolvePerson(RegistryRecords& registry, const std::string& deployment,
                           const Principal& caller, Participant& p) {
  std::vector<std::string> identities;
  switch (p.person_case()) {
    case Participant::kWorkerId: {
      WAHANA_ASSIGN_OR_RETURN(
          Worker worker, ReadableReference(caller, Resource::kWorker, "workerId", p.worker_id(),
                                           registry.GetWorker(p.worker_id()), [&](const Worker& w) {
                                             return RegionOfRecord(w, deployment);
                                           }));
      if (worker.archived()) {
        return absl::InvalidArgumentError(
            absl::StrCat("workerId: worker ", p.worker_id(), " is archived"));
      }
      p.set_full_name(worker.full_name());
      p.set_affiliation_kind(Participant::WORKER);
      p.set_affiliation(Worker::Kind_Name(worker.kind()));
      identities.push_back(absl::StrCat("worker:", worker.id()));
      if (!worker.nik().empty()) identities.push_back(absl::StrCat("nik:", worker.nik()));
      break;
    }
    case Participant::kBeneficiaryId: {
      WAHANA_ASSIGN_OR_RETURN(
          wahana::registry::v1::Beneficiary beneficiary,
          ReadableReference(caller, Resource::kBeneficiary, "beneficiaryId", p.beneficiary_id(),
                            registry.GetBeneficiary(p.beneficiary_id()),
                            [&](const wahana::registry::v1::Beneficiary& b) {
                              return RegionOfRecord(b, deployment);
                            }));
      if (beneficiary.archived()) {
        return absl::InvalidArgumentError(
            absl::StrCat("beneficiaryId: beneficiary ", p.beneficiary_id(), " is archived"));
      }
      p.set_full_name(beneficiary.full_name());
      p.set_affiliation_kind(Participant::BENEFICIARY);
      identities.push_back(absl::StrCat("beneficiary:", beneficiary.id()));
      if (!beneficiary.nik().empty()) {
        identities.push_back(absl::StrCat("nik:", beneficiary.nik()));
      }
      break;
    }
    case Participant::kInstitution: {
      const std::string& id = p.institution().institution_id();
      WAHANA_ASSIGN_OR_RETURN(
          Institution institution,
          ReadableReference(caller, Resource::kInstitution, "institution.institutionId", id,
                            registry.GetInstitution(id),
                            [&](const Institution& i) { return RegionOfRecord(i, deployment); }));
      if (institution.archived()) {
        return absl::InvalidArgumentError(
            absl::StrCat("institution.institutionId: institution ", id, " is archived"));
      }
      p.set_full_name(p.institution().full_name());
      p.set_affiliation_kind(Participant::INSTITUTION);
      p.set_affiliation(Institution::Kind_Name(institution.kind()));
      // A representative is one person of the institution: by name, as spelled in any case.
      identities.push_back(absl::StrCat("institution:", id, ":",
                                        absl::AsciiStrToLower(p.institution().full_name())));
      break;
    }
    case Participant::kWalkIn:
      p.set_full_name(p.walk_in().full_name());
      p.set_affiliation_kind(Participant::WALK_IN);
      p.set_affiliation(p.walk_in().affiliation());
      identities.push_back(absl::StrCat("nik:", p.walk_in().nik()));
      break;
    case Participant::PERSON_NOT_SET:
      return absl::InvalidArgumentError("participant: name one person");
  }
  p.clear_person_keys();
  for (const std::string& identity : identities) {
    p.add_person_keys(PersonKey(p.event_id(), identity));
  }
  return absl::OkStatus();
}

Participant Masked(Participant p, bool sees_personal_data) {
  p.clear_person_keys();
  if (!sees_personal_data && p.has_walk_in()) {
    p.mutable_walk_in()->set_nik(MaskIdentityNumber(p.walk_in().nik()));
  }
  return p;
}

}  // namespace

ParticipantLogic::ParticipantLogic(std::string region, std::shared_ptr<ParticipantStore> store,
                                   std::shared_ptr<EventStore> events,
                                   std::shared_ptr<RegistryRecords> registry,
                                   std::shared_ptr<const Ed25519PrivateKey> signing_key,
                                   std::function<absl::Time()> now, TimeOrderedIdGenerator* ids,
                                   OfficeCalendar calendar)
    : events_(std::move(events)),
      store_(store),
      signing_key_(std::move(signing_key)),
      flow_(
          [&] {
            ResourceSpec<Participant, ParticipantChanged> spec;
            spec.resource = Resource::kParticipant;
            spec.kind = "participant";
            spec.server_set_fields = {"full_name",       "affiliation_kind", "affiliation",
                                      "region_code",     "status",           "check_in_time",
                                      "check_in_method", "withdraw_reason",  "person_keys"};
            spec.region_of = [](const Participant& p) { return p.region_code(); };
            spec.on_create = [](Participant& p, absl::Time) {
              p.set_status(Participant::REGISTERED);
            };
            // The event is read here, before the flow's scope check, because the participant's
            // region is the event's: the read is itself scope-checked (NOT_FOUND when out of
            // reach), so it tells an outsider nothing.
            spec.check = [this, calendar](const Principal& caller, Participant& p,
                                          const Participant* before, absl::Time now) {
              if (before != nullptr) return absl::OkStatus();
              WAHANA_RETURN_IF_ERROR(CheckParticipantFields(p, calendar.Today(now)));
              WAHANA_ASSIGN_OR_RETURN(Event event, ReadEvent(caller, p.event_id()));
              if (!TakesRegistrations(event)) return NotTakingRegistrations(event, "registration");
              // Whether a seat is left is the write's own condition (write_conditions): asking
              // here too would cost a round trip and still need the write's check.
              p.set_region_code(event.region_code());
              return absl::OkStatus();
            };
            spec.check_references = [registry, region](const Principal& caller, Participant& p,
                                                       const Participant* before) {
              if (before != nullptr) return absl::OkStatus();
              return ResolvePerson(*registry, region, caller, p);
            };
            // What must still hold when the write lands, whatever happened since the reads.
            spec.write_conditions = [region](const Participant& p, const Participant* before) {
              const std::string event_key = EventKeys(region).Record(p.event_id());
              const std::string event = absl::StrCat("eventId: event ", p.event_id());
              auto registration_open = [&](absl::string_view what) {
                return WriteCondition::FieldMatches(
                    event_key, kEventRegistrationField, absl::StrCat("^", kEventOpenValue, "$"),
                    absl::FailedPreconditionError(absl::StrCat(event, " stopped taking ", what,
                                                               " (its status changed meanwhile)")));
              };
              std::vector<WriteCondition> conditions;
              if (before == nullptr) {
                conditions.push_back(registration_open("registrations"));
                conditions.push_back(WriteCondition::CountWithinField(
                    SeatCounterKey(region, p.event_id()), 1, event_key, kEventCapacityField,
                    absl::FailedPreconditionError(
                        absl::StrCat(event, " is full: no seat left within its capacity"))));
              } else if (p.status() == Participant::WITHDRAWN &&
                         before->status() != Participant::WITHDRAWN) {
                conditions.push_back(registration_open("withdrawals"));
              } else if (p.has_check_in_time() && !before->has_check_in_time()) {
                // A code's check-in may be an offline one uploaded after the event.
                const bool by_code = p.check_in_method() == Participant::BY_CODE;
                conditions.push_back(WriteCondition::FieldMatches(
                    event_key, by_code ? kEventLateCheckInField : kEventCheckInField,
                    absl::StrCat("^", kEventOpenValue, "$"),
                    absl::FailedPreconditionError(absl::StrCat(
                        event, " stopped taking check-ins (its status changed meanwhile)"))));
              }
              return conditions;
            };
            spec.shown = [](const Principal& caller, Participant p) {
              return Masked(std::move(p), SeesPersonalData(caller, Resource::kParticipant));
            };
            spec.listed = [](const Principal&, Participant p) {
              return Masked(std::move(p), false);
            };
            spec.annotate = [](const Participant* before, const Participant& after,
                               ParticipantChanged* message) {
              message->set_status_before(before != nullptr ? before->status()
                                                           : Participant::STATUS_UNSPECIFIED);
              message->set_status_after(after.status());
            };
            spec.explain_conflict = [](const Principal&, const absl::Status& status,
                                       const Participant& p) {
              const std::optional<UniqueConflict> conflict = UniqueConflictOf(status);
              if (!conflict || conflict->index != "person") return status;
              return absl::AlreadyExistsError(
                  absl::StrCat("participant: this person is registered for event ", p.event_id(),
                               " already, as participant ", conflict->holder_id));
            };
            return spec;
          }(),
          region, store, std::move(now), ids),
      calendar_(std::move(calendar)) {}

absl::StatusOr<Event> ParticipantLogic::ReadEvent(const Principal& caller,
                                                  const std::string& event_id) const {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(event_id, "an event", "eventId"));
  return ReadableReference(caller, Resource::kEvent, "eventId", event_id, events_->Get(event_id),
                           [](const Event& e) { return e.region_code(); });
}

absl::StatusOr<Participant> ParticipantLogic::OfEvent(absl::StatusOr<Participant> read,
                                                      const std::string& event_id) const {
  if (read.ok() && read->event_id() != event_id) {
    return absl::NotFoundError(absl::StrCat("participant ", read->id(), " not found"));
  }
  return read;
}

absl::StatusOr<Participant> ParticipantLogic::Register(const Principal& caller,
                                                       const RegisterParticipantRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.event_id(), "an event", "eventId"));
  Participant participant = request.participant();
  participant.set_event_id(request.event_id());
  return flow_.Create(caller, request.request_id(), participant);
}

absl::StatusOr<Participant> ParticipantLogic::Get(const Principal& caller,
                                                  const GetParticipantRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.event_id(), "an event", "eventId"));
  return OfEvent(flow_.Get(caller, request.id()), request.event_id());
}

absl::StatusOr<ListParticipantsResponse> ParticipantLogic::List(
    const Principal& caller, const ListParticipantsRequest& request) {
  WAHANA_ASSIGN_OR_RETURN(Event event, ReadEvent(caller, request.event_id()));
  ListQuery<Participant> query;
  query.view = ParticipantsOfEventView(event.id());
  query.page_size = request.page_size();
  query.page_token = request.page_token();
  if (!request.show_withdrawn()) {
    query.filter = [](const Participant& p) { return p.status() == Participant::REGISTERED; };
    query.filter_key = "status=REGISTERED";
  }
  WAHANA_ASSIGN_OR_RETURN(ListPage<Participant> page,
                          flow_.List(caller, event.region_code(), std::move(query)));
  return ListResponseOf<ListParticipantsResponse>(std::move(page));
}

absl::StatusOr<Participant> ParticipantLogic::Withdraw(const Principal& caller,
                                                       const ParticipantStepRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.event_id(), "an event", "eventId"));
  WAHANA_RETURN_IF_ERROR(CheckText(request.reason(), "reason", kMaxWithdrawReasonBytes));
  WAHANA_ASSIGN_OR_RETURN(
      Participant current,
      OfEvent(flow_.ReadForStep(caller, request.id(), request.etag(), Step::kParticipantWithdraw),
              request.event_id()));
  if (current.status() != Participant::REGISTERED) {
    return absl::FailedPreconditionError(
        absl::StrCat("status: participant ", current.id(), " has withdrawn already"));
  }
  WAHANA_ASSIGN_OR_RETURN(Event event, ReadEvent(caller, request.event_id()));
  if (!TakesRegistrations(event)) return NotTakingRegistrations(event, "a withdrawal");
  Participant next = current;
  next.set_status(Participant::WITHDRAWN);
  next.set_withdraw_reason(request.reason());
  return flow_.WriteChange(caller, current, std::move(next), "withdrawn", request.reason());
}

absl::StatusOr<Participant> ParticipantLogic::CheckIn(const Principal& caller,
                                                      const ParticipantStepRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.event_id(), "an event", "eventId"));
  return CheckInAs(caller, request.event_id(), request.id(), Participant::BY_OPERATOR, flow_.Now(),
                   /*late=*/false);
}

absl::StatusOr<Participant> ParticipantLogic::CheckInAs(const Principal& caller,
                                                        const std::string& event_id,
                                                        const std::string& participant_id,
                                                        Participant::CheckInMethod method,
                                                        absl::Time when, bool late) {
  absl::Status last;
  for (int attempt = 0; attempt < kCheckInAttempts; ++attempt) {
    WAHANA_ASSIGN_OR_RETURN(
        Participant current,
        OfEvent(flow_.ReadForIdempotentStep(caller, participant_id, Step::kParticipantCheckIn),
                event_id));
    if (current.status() != Participant::REGISTERED) {
      return absl::FailedPreconditionError(
          absl::StrCat("status: participant ", current.id(), " has withdrawn"));
    }
    if (current.has_check_in_time()) return flow_.Shown(caller, std::move(current));
    WAHANA_ASSIGN_OR_RETURN(Event event, ReadEvent(caller, event_id));
    // An uploaded time before the event (a phone's clock reset to 1970) is nobody's attendance.
    if (late && when < TimeOf(event.start_time()) - kEarliestCheckInBeforeStart) {
      return absl::InvalidArgumentError(
          "checkInTime: before the event (more than a day before its startTime)");
    }
    if (!(late ? TakesLateCheckIns(event) : TakesCheckIns(event))) {
      return absl::FailedPreconditionError(
          absl::StrCat("eventId: event ", event.id(), " is ", EventStatusText(event),
                       late ? "; an offline check-in needs OPEN, ONGOING or DONE"
                            : "; check-in needs OPEN or ONGOING"));
    }
    Participant next = current;
    *next.mutable_check_in_time() = TimestampOf(when);
    next.set_check_in_method(method);
    absl::StatusOr<Participant> written =
        flow_.WriteChange(caller, current, std::move(next), "checkedIn");
    if (!absl::IsAborted(written.status())) return written;
    last = written.status();
  }
  return last;
}

absl::StatusOr<Attendance> ParticipantLogic::GetAttendance(const Principal& caller,
                                                           const GetAttendanceRequest& request) {
  WAHANA_ASSIGN_OR_RETURN(Event event, ReadEvent(caller, request.event_id()));
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, Resource::kParticipant, Action::kRead,
                                           event.region_code(),
                                           absl::StrCat("event ", event.id())));
  // Every group a participant can count in: the worker kinds, the institution kinds, and the
  // beneficiaries and walk-ins (ungrouped).
  std::vector<std::pair<Participant::AffiliationKind, std::string>> groups;
  for (int i = 1; i < Worker::Kind_descriptor()->value_count(); ++i) {
    groups.push_back({Participant::WORKER, Worker::Kind_descriptor()->value(i)->name()});
  }
  for (int i = 1; i < Institution::Kind_descriptor()->value_count(); ++i) {
    groups.push_back({Participant::INSTITUTION, Institution::Kind_descriptor()->value(i)->name()});
  }
  groups.push_back({Participant::BENEFICIARY, ""});
  groups.push_back({Participant::WALK_IN, ""});
  std::vector<std::string> names = {RegisteredCounter(event.id()), CheckedInCounter(event.id())};
  for (const auto& [kind, affiliation] : groups) {
    names.push_back(RegisteredCounter(event.id(), kind, affiliation));
    names.push_back(CheckedInCounter(event.id(), kind, affiliation));
  }
  WAHANA_ASSIGN_OR_RETURN(std::vector<int64_t> counts, store_->Counts(names));
  Attendance attendance;
  attendance.set_event_id(event.id());
  attendance.set_capacity(event.capacity());
  attendance.set_registered(counts[0]);
  attendance.set_checked_in(counts[1]);
  attendance.set_rate(counts[0] > 0 ? static_cast<double>(counts[1]) / counts[0] : 0.0);
  for (size_t g = 0; g < groups.size(); ++g) {
    const int64_t registered = counts[2 + 2 * g];
    if (registered <= 0) continue;
    Attendance::Group* group = attendance.add_groups();
    group->set_affiliation_kind(groups[g].first);
    group->set_affiliation(groups[g].second);
    group->set_registered(registered);
    group->set_checked_in(counts[3 + 2 * g]);
  }
  return attendance;
}

}  // namespace wahana
