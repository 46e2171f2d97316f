#include "event/event_logic.h"

#include <google/protobuf/util/time_util.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/bus/envelope.h"
#include "common/fields/field_checks.h"
#include "common/resource/taken_value.h"
#include "common/status/status_macros.h"
#include "common/storage/record_requests.h"
#include "common/time/timestamp.h"

namespace wahana {
namespace {

using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;
using wahana::event::v1::Event;
using wahana::event::v1::EventCreated;

// The range google.protobuf.Timestamp allows (years 1-9999), as its JSON mapping does.
bool ValidTimestamp(const Timestamp& t) {
  return t.seconds() >= TimeUtil::kTimestampMinSeconds &&
         t.seconds() <= TimeUtil::kTimestampMaxSeconds && t.nanos() >= 0 && t.nanos() <= 999999999;
}

}  // namespace

EventLogic::EventLogic(std::string region, std::shared_ptr<RecordStore<Event>> store,
                       std::shared_ptr<RegionDirectory> regions, std::function<absl::Time()> now,
                       TimeOrderedIdGenerator* ids)
    : region_(std::move(region)),
      store_(std::move(store)),
      regions_(std::move(regions)),
      now_(now ? std::move(now) : [] { return absl::Now(); }),
      ids_(ids != nullptr ? *ids : TimeOrderedIdGenerator::Default()) {}

absl::Status EventLogic::ValidateNew(const Event& event) const {
  if (event.kind() == wahana::event::v1::EVENT_KIND_UNSPECIFIED ||
      !wahana::event::v1::EventKind_IsValid(event.kind())) {
    return absl::InvalidArgumentError(
        "kind: required, one of SOSIALISASI, PELATIHAN, MEDIASI, PENYALURAN_BANTUAN, "
        "RAPAT_KOORDINASI");
  }
  WAHANA_RETURN_IF_ERROR(CheckName(event.title(), "title", kMaxTitleBytes));
  WAHANA_RETURN_IF_ERROR(CheckLine(event.venue(), "venue", kMaxVenueBytes));
  if (!event.has_start_time()) return absl::InvalidArgumentError("startTime: required");
  if (!ValidTimestamp(event.start_time())) {
    return absl::InvalidArgumentError("startTime: not a valid time");
  }
  if (event.has_end_time()) {
    if (!ValidTimestamp(event.end_time())) {
      return absl::InvalidArgumentError("endTime: not a valid time");
    }
    if (event.end_time() < event.start_time()) {
      return absl::InvalidArgumentError("endTime: must not be before startTime");
    }
  }
  // Last: the only check that may cost a call to the registry.
  return RequireRegion(
             *regions_, event.region_code(), "regionCode", region_,
             {RegionLevelKind::kVillage, RegionLevelKind::kSubdistrict, RegionLevelKind::kRegency})
      .status();
}

absl::StatusOr<Event> EventLogic::CreateEvent(
    const Principal& caller, const wahana::event::v1::CreateEventRequest& request) {
  // A role that may not schedule events is refused before anything is read.
  if (!RoleAllows(caller.role, Resource::kEvent, Action::kCreate)) {
    return CheckRecordAccess(caller, Resource::kEvent, Action::kCreate, "", "an event");
  }
  // A retry is answered from storage before validation, so it succeeds even while the registry
  // is down.
  WAHANA_ASSIGN_OR_RETURN(std::optional<Event> earlier,
                          EarlierCreate<Event>(*store_, caller, request.request_id()));
  if (earlier.has_value()) {
    // The caller's own requestId, used when its scope reached further than it does now.
    if (!CheckRecordAccess(caller, Resource::kEvent, Action::kCreate, earlier->region_code(), "")
             .ok()) {
      return RequestIdTakenError(caller, Resource::kEvent, "event", earlier->id(),
                                 earlier->region_code());
    }
    return *std::move(earlier);
  }

  const Event& in = request.event();
  WAHANA_RETURN_IF_ERROR(ValidateNew(in));
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, Resource::kEvent, Action::kCreate,
                                           in.region_code(),
                                           absl::StrCat("regionCode: ", in.region_code())));

  // Only the client's fields are copied: everything else is the server's.
  Event event;
  event.set_kind(in.kind());
  event.set_title(in.title());
  event.set_region_code(in.region_code());
  event.set_venue(in.venue());
  *event.mutable_start_time() = in.start_time();
  if (in.has_end_time()) *event.mutable_end_time() = in.end_time();
  event.set_id(ids_.Next());
  event.set_etag(EtagOf(kFirstVersion));
  *event.mutable_create_time() = TimestampOf(now_());

  EventCreated payload;
  *payload.mutable_event() = event;
  WAHANA_ASSIGN_OR_RETURN(
      CreateResult<Event> result,
      store_->Create(event,
                     MakeEnvelope(payload, CreatedFacts(region_, event.id(), event.region_code())),
                     CallersRequestKey(caller, request.request_id())));
  return std::move(result.stored);
}

absl::StatusOr<Event> EventLogic::GetEvent(const Principal& caller,
                                           const wahana::event::v1::GetEventRequest& request) {
  WAHANA_RETURN_IF_ERROR(CheckRecordId(request.id(), "an event"));
  WAHANA_ASSIGN_OR_RETURN(Event event, store_->Get(request.id()));
  WAHANA_RETURN_IF_ERROR(CheckRecordAccess(caller, Resource::kEvent, Action::kRead,
                                           event.region_code(),
                                           absl::StrCat("event ", event.id())));
  return event;
}

}  // namespace wahana
