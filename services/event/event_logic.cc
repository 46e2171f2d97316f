#include "event/event_logic.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/auth/reference_access.h"
#include "common/fields/field_checks.h"
#include "common/registry/record_regions.h"
#include "common/status/status_macros.h"
#include "common/time/timestamp.h"
#include "event/event_rules.h"
#include "event/participant_store.h"
#include "spdlog/spdlog.h"

namespace wahana {
namespace {

using wahana::event::v1::ArchiveEventRequest;
using wahana::event::v1::CreateEventRequest;
using wahana::event::v1::Event;
using wahana::event::v1::EventChanged;
using wahana::event::v1::EventStepRequest;
using wahana::event::v1::GetEventRequest;
using wahana::event::v1::ListEventsRequest;
using wahana::event::v1::ListEventsResponse;
using wahana::event::v1::UpdateEventRequest;

bool Names(const Event* event, const std::string& institution_id) {
  if (event == nullptr) return false;
  const auto& ids = event->organiser_institution_ids();
  return std::find(ids.begin(), ids.end(), institution_id) != ids.end();
}

// Every organiser institution the event names that `before` did not is a read by `caller`: an
// unknown or unreadable one is NOT_FOUND naming only the id sent; an archived one organises
// nothing new.
absl::Status CheckOrganisers(RegistryRecords& registry, const std::string& deployment,
                             const Principal& caller, const Event& event, const Event* before) {
  using wahana::registry::v1::Institution;
  for (int i = 0; i < event.organiser_institution_ids_size(); ++i) {
    const std::string& id = event.organiser_institution_ids(i);
    if (Names(before, id)) continue;
    const std::string field = absl::StrCat("organiserInstitutionIds[", i, "]");
    WAHANA_ASSIGN_OR_RETURN(
        Institution institution,
        ReadableReference(caller, Resource::kInstitution, field, id, registry.GetInstitution(id),
                          [&](const Institution& r) { return RegionOfRecord(r, deployment); }));
    if (institution.archived()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": institution ", id, " is archived"));
    }
  }
  return absl::OkStatus();
}

ResourceSpec<Event, EventChanged> EventSpec(std::string deployment_region,
                                            std::shared_ptr<RegionDirectory> regions,
                                            std::shared_ptr<RegistryRecords> registry,
                                            const OfficeCalendar& calendar) {
  ResourceSpec<Event, EventChanged> spec;
  spec.resource = Resource::kEvent;
  spec.kind = "event";
  spec.server_set_fields = {"status",           "cancel_reason",  "time_zone",
                            "local_start_time", "local_end_time", "linked_case_ids"};
  // Filled on each answer from the event service's links, never stored (event_logic.h).
  spec.shown_only_fields = {"linked_case_ids"};
  spec.region_of = [](const Event& e) { return e.region_code(); };
  spec.on_create = [](Event& e, absl::Time) {
    e.set_status(Event::PLANNED);
    if (e.organiser_institution_ids().empty()) e.set_organised_by_office(true);
  };
  spec.check = [regions, deployment_region, calendar](const Principal&, Event& e, const Event*,
                                                      absl::Time) {
    WAHANA_RETURN_IF_ERROR(CheckEvent(e, *regions, deployment_region));
    // Stored with the record, so a client sending it back unchanged changes nothing.
    e.set_time_zone(calendar.name());
    e.set_local_start_time(calendar.LocalTimeText(TimeOf(e.start_time())));
    e.set_local_end_time(e.has_end_time() ? calendar.LocalTimeText(TimeOf(e.end_time())) : "");
    return absl::OkStatus();
  };
  spec.check_references = [registry, deployment_region](const Principal& caller, Event& e,
                                                        const Event* before) {
    return CheckOrganisers(*registry, deployment_region, caller, e, before);
  };
  // Fewer seats than people registered would break the capacity: a lower capacity (or a first
  // one) is checked against the seats taken inside the update's own atomic write.
  spec.write_conditions = [deployment_region](const Event& e, const Event* before) {
    std::vector<WriteCondition> conditions;
    const bool fewer = e.capacity() > 0 && (before == nullptr || before->capacity() == 0 ||
                                            e.capacity() < before->capacity());
    if (before != nullptr && fewer) {
      conditions.push_back(WriteCondition::CountWithin(
          SeatCounterKey(deployment_region, e.id()), 0, e.capacity(),
          absl::FailedPreconditionError(absl::StrCat(
              "capacity: ", e.capacity(), " is fewer than the participants registered"))));
    }
    return conditions;
  };
  spec.annotate = [](const Event* before, const Event& after, EventChanged* message) {
    message->set_status_before(before != nullptr ? before->status() : Event::STATUS_UNSPECIFIED);
    message->set_status_after(after.status());
  };
  spec.check_list_region = [regions, deployment_region](const std::string& region,
                                                        const std::string& field) {
    if (region.empty()) return absl::OkStatus();
    return RequireRegion(*regions, region, field, deployment_region,
                         {RegionLevelKind::kVillage, RegionLevelKind::kSubdistrict,
                          RegionLevelKind::kRegency})
        .status();
  };
  return spec;
}

// The first instant of `day` and of the day after it in `calendar`'s zone.
absl::Time StartOf(absl::CivilDay day, const OfficeCalendar& calendar) {
  return absl::FromCivil(day, calendar.zone());
}

}  // namespace

EventLogic::EventLogic(std::string region, std::shared_ptr<EventStore> store,
                       std::shared_ptr<RegionDirectory> regions,
                       std::shared_ptr<RegistryRecords> registry, std::function<absl::Time()> now,
                       TimeOrderedIdGenerator* ids, OfficeCalendar calendar,
                       std::shared_ptr<EventCaseLinkStore> links)
    : flow_(EventSpec(region, std::move(regions), std::move(registry), calendar), region,
            std::move(store), std::move(now), ids),
      calendar_(std::move(calendar)),
      links_(std::move(links)) {}

absl::StatusOr<Event> EventLogic::WithLinkedCases(const Principal& caller,
                                                  absl::StatusOr<Event> answer,
                                                  bool written) const {
  if (!answer.ok()) return answer;
  absl::Status filled = FillLinkedCases(caller, {&*answer});
  if (filled.ok()) return answer;
  if (!written) return filled;
  spdlog::warn("event {}: answered without its linked cases: {}", answer->id(), filled.ToString());
  answer->clear_linked_case_ids();
  return answer;
}

absl::Status EventLogic::FillLinkedCases(const Principal& caller,
                                         std::vector<Event*> events) const {
  if (links_ == nullptr || events.empty()) return absl::OkStatus();
  std::vector<std::string> ids;
  ids.reserve(events.size());
  for (const Event* e : events) ids.push_back(e->id());
  WAHANA_ASSIGN_OR_RETURN(std::vector<std::vector<CaseLink>> links, links_->Read(ids));
  for (size_t i = 0; i < events.size() && i < links.size(); ++i) {
    events[i]->clear_linked_case_ids();
    for (const CaseLink& link : links[i]) {
      // A case the caller may not read is not revealed, not even by its id.
      if (CheckRecordAccess(caller, Resource::kCase, Action::kRead, link.region_code, "").ok()) {
        events[i]->add_linked_case_ids(link.case_id);
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Event> EventLogic::CreateEvent(const Principal& caller,
                                              const CreateEventRequest& request) {
  // A retried create answers the event as it is now, links included.
  return WithLinkedCases(caller, flow_.Create(caller, request.request_id(), request.event()));
}

absl::StatusOr<Event> EventLogic::GetEvent(const Principal& caller,
                                           const GetEventRequest& request) {
  return WithLinkedCases(caller, flow_.Get(caller, request.id()), /*written=*/false);
}

absl::StatusOr<ListEventsResponse> EventLogic::ListEvents(const Principal& caller,
                                                          const ListEventsRequest& request) {
  ListQuery<Event> query = PagedQuery<Event>(request);
  if (request.kind() != wahana::event::v1::EVENT_KIND_UNSPECIFIED) {
    if (!wahana::event::v1::EventKind_IsValid(request.kind())) {
      return absl::InvalidArgumentError("kind: not a kind of event");
    }
    query.view = EventKindView(request.kind());
  }
  std::optional<Event::Status> status;
  if (request.status() != Event::STATUS_UNSPECIFIED) {
    if (!Event::Status_IsValid(request.status())) {
      return absl::InvalidArgumentError("status: PLANNED, OPEN, ONGOING, DONE or CANCELLED");
    }
    status = request.status();
  }
  // Days as the office counts them; `to` is inclusive, so the bound is the next day's start.
  absl::Time from = absl::InfinitePast(), before = absl::InfiniteFuture();
  if (!request.from().empty()) {
    WAHANA_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDate(request.from(), "from", kNoLatestDate));
    from = StartOf(day, calendar_);
  }
  if (!request.to().empty()) {
    WAHANA_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDate(request.to(), "to", kNoLatestDate));
    before = StartOf(day + 1, calendar_);
  }
  if (from >= before) return absl::InvalidArgumentError("to: must not be before from");
  if (status.has_value() || !request.from().empty() || !request.to().empty()) {
    query.filter = [status, from, before](const Event& e) {
      if (status.has_value() && e.status() != *status) return false;
      const absl::Time start = TimeOf(e.start_time());
      return start >= from && start < before;
    };
    query.filter_key =
        absl::StrCat("status=", status.has_value() ? Event::Status_Name(*status) : "",
                     "&from=", request.from(), "&to=", request.to());
  }
  WAHANA_ASSIGN_OR_RETURN(ListEventsResponse response,
                          flow_.ListAs<ListEventsResponse>(caller, request, std::move(query)));
  // One round trip for the page's links.
  std::vector<Event*> events;
  for (Event& e : *response.mutable_events()) events.push_back(&e);
  WAHANA_RETURN_IF_ERROR(FillLinkedCases(caller, std::move(events)));
  return response;
}

absl::StatusOr<Event> EventLogic::UpdateEvent(const Principal& caller,
                                              const UpdateEventRequest& request) {
  return WithLinkedCases(caller, flow_.Update(caller, request.event(), request.update_mask()));
}

absl::StatusOr<Event> EventLogic::ArchiveEvent(const Principal& caller,
                                               const ArchiveEventRequest& request) {
  return WithLinkedCases(caller,
                         flow_.Archive(caller, request.id(), request.etag(), request.reason()));
}

absl::StatusOr<Event> EventLogic::OpenEvent(const Principal& caller,
                                            const EventStepRequest& request) {
  return TakeStatusStep(caller, Step::kEventOpen, request);
}
absl::StatusOr<Event> EventLogic::StartEvent(const Principal& caller,
                                             const EventStepRequest& request) {
  return TakeStatusStep(caller, Step::kEventStart, request);
}
absl::StatusOr<Event> EventLogic::FinishEvent(const Principal& caller,
                                              const EventStepRequest& request) {
  return TakeStatusStep(caller, Step::kEventFinish, request);
}
absl::StatusOr<Event> EventLogic::CancelEvent(const Principal& caller,
                                              const EventStepRequest& request) {
  return TakeStatusStep(caller, Step::kEventCancel, request);
}

absl::StatusOr<Event> EventLogic::TakeStatusStep(const Principal& caller, Step step,
                                                 const EventStepRequest& request) {
  const bool cancel = step == Step::kEventCancel;
  if (cancel) {
    WAHANA_RETURN_IF_ERROR(CheckRequiredText(request.reason(), "reason", kMaxCancelReasonBytes));
  } else {
    WAHANA_RETURN_IF_ERROR(CheckText(request.reason(), "reason", kMaxCancelReasonBytes));
  }
  WAHANA_ASSIGN_OR_RETURN(Event current,
                          flow_.ReadForStep(caller, request.id(), request.etag(), step));
  WAHANA_RETURN_IF_ERROR(CheckEventStatusStep(step, current.status(), current.id()));
  const EventStatusStep& rule = EventStatusStepOf(step);
  Event next = current;
  next.set_status(rule.to);
  if (cancel) next.set_cancel_reason(request.reason());
  return WithLinkedCases(
      caller, flow_.WriteChange(caller, current, std::move(next), rule.action, request.reason()));
}

}  // namespace wahana
