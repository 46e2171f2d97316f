#pragma once
// The event service's rules, without a server: validation of a new event, the fields the server
// sets, idempotent creates by requestId, reads. Storage and the region directory come in through
// the constructor.
//
// Access (common/auth/access_policy.h): every method takes the verified caller. An event's
// region is its regionCode; an event the caller may not read answers NOT_FOUND as an unknown id
// does; a create by a role without kCreate on events, or outside the caller's scope, answers
// PERMISSION_DENIED. Events hold no personal data: nothing is masked.
//
// Thread-safe when its store and directory are (the production ones are).

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/ids/time_ordered_id.h"
#include "common/region/region_directory.h"
#include "common/storage/record_store.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana {

class EventLogic {
 public:
  static constexpr size_t kMaxTitleBytes = 200;
  static constexpr size_t kMaxVenueBytes = 500;

  // `region` is the deployment's region ("16.06"). `store` keeps the events (in production a
  // ProtoRecordStore with EventKeys). `now` defaults to absl::Now; `ids` defaults to the
  // process-wide generator and must outlive the logic when given.
  EventLogic(std::string region, std::shared_ptr<RecordStore<wahana::event::v1::Event>> store,
             std::shared_ptr<RegionDirectory> regions, std::function<absl::Time()> now = nullptr,
             TimeOrderedIdGenerator* ids = nullptr);

  // The client's event supplies kind, title, regionCode, venue, startTime and endTime; id, etag
  // and createTime are set here (whatever the client sent). With a requestId seen before, returns
  // the event that create made and writes nothing.
  // INVALID_ARGUMENT naming the field (common/fields/field_checks.h): kind missing, title missing,
  // over 200 bytes or not one line, regionCode not a known village, subdistrict or the regency
  // within the deployment's region, venue over 500 bytes or not one line, startTime missing or
  // invalid, endTime invalid or before startTime (endTime is optional), requestId too long.
  // PERMISSION_DENIED: the role may not create events, or regionCode lies outside the caller's
  // scope. UNAVAILABLE when Redis or the registry cannot be reached.
  absl::StatusOr<wahana::event::v1::Event> CreateEvent(
      const Principal& caller, const wahana::event::v1::CreateEventRequest& request);

  // INVALID_ARGUMENT for an id that is not an event id, NOT_FOUND for an unknown one and for one
  // the caller may not read.
  absl::StatusOr<wahana::event::v1::Event> GetEvent(
      const Principal& caller, const wahana::event::v1::GetEventRequest& request);

 private:
  absl::Status ValidateNew(const wahana::event::v1::Event& event) const;

  const std::string region_;
  std::shared_ptr<RecordStore<wahana::event::v1::Event>> store_;
  std::shared_ptr<RegionDirectory> regions_;
  std::function<absl::Time()> now_;
  TimeOrderedIdGenerator& ids_;
};

}  // namespace wahana
