#pragma once
// Where events are kept: an IndexedRecordStore (common/storage/indexed_record_store.h) of
// wahana.event.v1.Event, in Redis under the event service's keys
//
//   event:{<region>}:event:<id>              the record: hash {pb: Event bytes, etag: version}
//   event:{<region>}:request:event:<key>     a create's requestId (the caller's own,
//                                            record_requests.h CallersRequestKey) -> the id
//   event:{<region>}:index:event:...         lists by regionCode, live and archived, and one view
//                                            per kind ("kind=MEDIASI")
//   event:{<region>}:stream                  EventChanged and ParticipantChanged messages (the
//                                            service's one stream)
//
// The kind is a view because a mediation case looks for the MEDIASI events of its region and a
// kind can be rare; status and dates are filters. The request keys name the kind because the
// service will keep participants beside events.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/redis/redis_client.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_indexing.h"
#include "common/storage/record_keys.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana {

using EventStore = IndexedRecordStore<wahana::event::v1::Event>;

// The keys of events in the deployment `region` ("16.06").
RecordKeys EventKeys(const std::string& region);

// How events are listed: by regionCode, archived or not, views EventKindView(kind); their guard
// fields.
RecordIndexing<wahana::event::v1::Event> EventIndexing();

// Guard fields of an event's hash (RecordIndexing::guard_fields), which a participant's write
// checks in its own atomic step: "registration" is "open" while the event takes registrations
// (PLANNED, OPEN or ONGOING, not archived), "checkIn" "open" while it takes check-ins (OPEN or
// ONGOING, not archived), "closed" otherwise; "capacity" its capacity (0: none).
inline constexpr char kEventRegistrationField[] = "registration";
inline constexpr char kEventCheckInField[] = "checkIn";
// "open" while a check-in made offline may still be uploaded: OPEN, ONGOING or DONE.
inline constexpr char kEventLateCheckInField[] = "lateCheckIn";
inline constexpr char kEventCapacityField[] = "capacity";
inline constexpr char kEventOpenValue[] = "open";
// The version of these guard fields, for AddMissingGuardFields (guard_field_backfill.h): change
// it when they change, so that events stored before get them at the next start.
inline constexpr char kEventGuardFieldsVersion[] = "2026-12-07";
bool TakesRegistrations(const wahana::event::v1::Event& event);
bool TakesCheckIns(const wahana::event::v1::Event& event);
bool TakesLateCheckIns(const wahana::event::v1::Event& event);

// The view of the events of `kind`: "kind=MEDIASI".
std::string EventKindView(wahana::event::v1::EventKind kind);

// The store on Redis. `redis` must outlive it. Thread-safe.
std::shared_ptr<EventStore> MakeRedisEventStore(RedisClient& redis, const std::string& region);

// Writes the guard fields of events stored before kEventGuardFieldsVersion (once per version):
// the start of the service, before it serves.
absl::Status AddMissingEventGuardFields(RedisClient& redis, const std::string& region,
                                        EventStore& events);

}  // namespace wahana
