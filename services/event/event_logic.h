#pragma once
// The event resource: its rules (event_rules.h) on the resource flow
// (common/resource/resource_flow.h), which does create (idempotent on the caller's requestId),
// get, list, update by field mask and archive as for every resource, and the status steps
// :open, :start, :finish and :cancel, one status at a time. Every change is one atomic write of
// the record, its index entries and an EventChanged message on the event service's stream.
//
// Access (common/auth/access_policy.h, Resource::kEvent and the steps' table): an event's region
// is its regionCode; an event the caller may not read answers NOT_FOUND as an unknown id does.
// An organiser institution is a reference, so a read (common/auth/reference_access.h): one the
// caller may not read answers NOT_FOUND "organiserInstitutionIds[0]: institution ... not found"
// as an unknown one does. Events hold no personal data: nothing is masked.
//
// Errors, besides the store's and the registry's (UNAVAILABLE, INTERNAL):
//   INVALID_ARGUMENT  naming the field: the record's (event_rules.h), id, requestId, etag,
//                     updateMask, region, kind, status, from, to, pageSize, pageToken, reason
//   NOT_FOUND         no event with that id, or one the caller may not read; an organiser
//                     institution unknown or unreadable
//   PERMISSION_DENIED the role may not take the action or step, or the event (or a list's
//                     region) lies outside the caller's scope
//   ABORTED           a stale etag (HTTP 409)
//   FAILED_PRECONDITION  a step from the wrong status ("status: event ... is PLANNED; :start
//                     needs OPEN"), a change of an archived event
//
// Every answer about events carries linkedCaseIds: the cases the event serves (event_case_links.h),
// read beside the record when it is answered and narrowed to those the caller may read (a case
// lies in its village: access_policy.h, Resource::kCase). They are not kept in the event's record,
// so a case naming the event does not change the event's etag (a client's next update would be
// refused as stale for nothing); an update ignores them in its body (ResourceSpec
// shown_only_fields) and refuses them in its mask, as every server-set field.
//
// Thread-safe when its store, links, regions and registry are (the production ones are).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/ids/time_ordered_id.h"
#include "common/region/region_directory.h"
#include "common/registry/registry_records.h"
#include "common/resource/resource_flow.h"
#include "common/time/office_calendar.h"
#include "event/event_case_links.h"
#include "event/event_store.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana {

class EventLogic {
 public:
  // `region` is the deployment's region ("16.06"); `registry` reads organiser institutions.
  // `now` defaults to absl::Now; `ids` to the process-wide generator (and must outlive the logic
  // when given); `calendar` (default Asia/Jakarta) says which day a time falls on for lists;
  // `links` the cases events serve (none: linkedCaseIds stays empty).
  EventLogic(std::string region, std::shared_ptr<EventStore> store,
             std::shared_ptr<RegionDirectory> regions, std::shared_ptr<RegistryRecords> registry,
             std::function<absl::Time()> now = nullptr, TimeOrderedIdGenerator* ids = nullptr,
             OfficeCalendar calendar = OfficeCalendar(),
             std::shared_ptr<EventCaseLinkStore> links = nullptr);

  // The client's event supplies every field but id, etag, status, cancelReason, archived and the
  // times, which are set here (whatever the client sent); status starts PLANNED; an event naming
  // no organiser is the office's. With a requestId this caller used before, returns the event
  // that create made and writes nothing (even if this request differs).
  absl::StatusOr<wahana::event::v1::Event> CreateEvent(
      const Principal& caller, const wahana::event::v1::CreateEventRequest& request);

  // Archived events too (they stay readable).
  absl::StatusOr<wahana::event::v1::Event> GetEvent(
      const Principal& caller, const wahana::event::v1::GetEventRequest& request);

  // By region prefix ("" the caller's whole scope; narrowed to it), optionally by kind (a view),
  // status, and the days they start on (from, to: YYYY-MM-DD in the office's calendar,
  // inclusive); archived ones only with showArchived. In region-code order, then creation order.
  absl::StatusOr<wahana::event::v1::ListEventsResponse> ListEvents(
      const Principal& caller, const wahana::event::v1::ListEventsRequest& request);

  // event.etag is required and must be current. The mask follows update_mask.h; status and
  // cancelReason move only by the steps. The result is checked whole.
  absl::StatusOr<wahana::event::v1::Event> UpdateEvent(
      const Principal& caller, const wahana::event::v1::UpdateEventRequest& request);

  // Soft delete: kept and readable, hidden from lists unless showArchived.
  absl::StatusOr<wahana::event::v1::Event> ArchiveEvent(
      const Principal& caller, const wahana::event::v1::ArchiveEventRequest& request);

  // The status steps, each with the etag read: PLANNED -> OPEN, OPEN -> ONGOING, ONGOING -> DONE,
  // and PLANNED, OPEN or ONGOING -> CANCELLED (whose reason is required, kept as cancelReason).
  absl::StatusOr<wahana::event::v1::Event> OpenEvent(
      const Principal& caller, const wahana::event::v1::EventStepRequest& request);
  absl::StatusOr<wahana::event::v1::Event> StartEvent(
      const Principal& caller, const wahana::event::v1::EventStepRequest& request);
  absl::StatusOr<wahana::event::v1::Event> FinishEvent(
      const Principal& caller, const wahana::event::v1::EventStepRequest& request);
  absl::StatusOr<wahana::event::v1::Event> CancelEvent(
      const Principal& caller, const wahana::event::v1::EventStepRequest& request);

 private:
  absl::StatusOr<wahana::event::v1::Event> TakeStatusStep(
      const Principal& caller, Step step, const wahana::event::v1::EventStepRequest& request);
  // `answer` with the linkedCaseIds `caller` may see (errors pass through). After a write
  // (`written`), a failure to read them leaves them out (logged) rather than fail a change that is
  // stored: a client would retry it with a stale etag.
  absl::StatusOr<wahana::event::v1::Event> WithLinkedCases(
      const Principal& caller, absl::StatusOr<wahana::event::v1::Event> answer,
      bool written = true) const;
  absl::Status FillLinkedCases(const Principal& caller,
                               std::vector<wahana::event::v1::Event*> events) const;

  ResourceFlow<wahana::event::v1::Event, wahana::event::v1::EventChanged> flow_;
  const OfficeCalendar calendar_;
  std::shared_ptr<EventCaseLinkStore> links_;
};

}  // namespace wahana
