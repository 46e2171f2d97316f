#pragma once
// Where an event's participants are kept: an IndexedRecordStore of wahana.event.v1.Participant
// beside the events, under the event service's keys
//
//   event:{<region>}:participant:<id>                 the record: hash {pb, etag}
//   event:{<region>}:request:participant:<key>        a registration's requestId -> the id
//   event:{<region>}:index:participant:live:event=<e> the participants of event <e>, in
//                                                     registration order (a view)
//   event:{<region>}:index:participant:unique-ids:person  person key digest -> participant id
//   event:{<region>}:index:participant:count:<name>   counters (below)
//
// A participant is listed under its event's region. While REGISTERED it claims its person keys
// (Participant.person_keys: digests of the event id with the registry id or NIK), so one person
// registers once per event, and counts in
//
//   registered/<e>, registered/<e>/<KIND>/<affiliation>   its seat, and its group
//   checkedIn/<e>,  checkedIn/<e>/<KIND>/<affiliation>    once checked in
//
// A withdrawn participant releases both: the seat is free, the person may register again. The
// counter registered/<e> is what the event's capacity guards (SeatCounterKey).

#include <memory>
#include <string>

#include "common/redis/redis_client.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_indexing.h"
#include "common/storage/record_keys.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana {

using ParticipantStore = IndexedRecordStore<wahana::event::v1::Participant>;

// The keys of participants in the deployment `region` ("16.06").
RecordKeys ParticipantKeys(const std::string& region);

// The view of the participants of event `event_id`: "event=01J...".
std::string ParticipantsOfEventView(const std::string& event_id);

// The counters of event `event_id`: all registered (or checked in), and one group's.
std::string RegisteredCounter(const std::string& event_id);
std::string CheckedInCounter(const std::string& event_id);
std::string RegisteredCounter(const std::string& event_id,
                              wahana::event::v1::Participant::AffiliationKind kind,
                              const std::string& affiliation);
std::string CheckedInCounter(const std::string& event_id,
                             wahana::event::v1::Participant::AffiliationKind kind,
                             const std::string& affiliation);

// The Redis key of the seats taken at event `event_id` in deployment `region`: what an event's
// capacity guards, from the event's writes and the participants' alike.
std::string SeatCounterKey(const std::string& region, const std::string& event_id);

// The affiliation a participant is counted under: the worker's or institution's kind; "" for
// beneficiaries and walk-ins (a walk-in's own text is shown, not grouped).
std::string CountedAffiliation(const wahana::event::v1::Participant& participant);

// How participants are listed, claimed and counted (above).
RecordIndexing<wahana::event::v1::Participant> ParticipantIndexing();

// The store on Redis. `redis` must outlive it. Thread-safe.
std::shared_ptr<ParticipantStore> MakeRedisParticipantStore(RedisClient& redis,
                                                            const std::string& region);

}  // namespace wahana
