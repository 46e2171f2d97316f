#include "event/participant_store.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/storage/indexed_proto_record_store.h"

namespace wahana {

using wahana::event::v1::Participant;

RecordKeys ParticipantKeys(const std::string& region) {
  return RecordKeys("event", "participant", region);
}

std::string ParticipantsOfEventView(const std::string& event_id) {
  return absl::StrCat("event=", event_id);
}

std::string RegisteredCounter(const std::string& event_id) {
  return absl::StrCat("registered/", event_id);
}

std::string CheckedInCounter(const std::string& event_id) {
  return absl::StrCat("checkedIn/", event_id);
}

std::string RegisteredCounter(const std::string& event_id, Participant::AffiliationKind kind,
                              const std::string& affiliation) {
  return absl::StrCat(RegisteredCounter(event_id), "/", Participant::AffiliationKind_Name(kind),
                      "/", affiliation);
}

std::string CheckedInCounter(const std::string& event_id, Participant::AffiliationKind kind,
                             const std::string& affiliation) {
  return absl::StrCat(CheckedInCounter(event_id), "/", Participant::AffiliationKind_Name(kind), "/",
                      affiliation);
}

std::string SeatCounterKey(const std::string& region, const std::string& event_id) {
  return CounterKey(ParticipantKeys(region), RegisteredCounter(event_id));
}

std::string CountedAffiliation(const Participant& participant) {
  switch (participant.affiliation_kind()) {
    case Participant::WORKER:
    case Participant::INSTITUTION:
      return participant.affiliation();
    default:
      return "";
  }
}

RecordIndexing<Participant> ParticipantIndexing() {
  RecordIndexing<Participant> indexing;
  indexing.region_code = [](const Participant& p) { return p.region_code(); };
  indexing.archived = [](const Participant& p) { return p.archived(); };
  indexing.views = [](const Participant& p) {
    return std::vector<std::string>{ParticipantsOfEventView(p.event_id())};
  };
  auto registered = [](const Participant& p) { return p.status() == Participant::REGISTERED; };
  indexing.unique = [registered](const Participant& p) {
    std::vector<IndexValue> values;
    if (!registered(p)) return values;
    for (const std::string& key : p.person_keys()) values.push_back({"person", key});
    return values;
  };
  indexing.counted = [registered](const Participant& p) {
    std::vector<std::string> counters;
    if (!registered(p)) return counters;
    const std::string affiliation = CountedAffiliation(p);
    counters.push_back(RegisteredCounter(p.event_id()));
    counters.push_back(RegisteredCounter(p.event_id(), p.affiliation_kind(), affiliation));
    if (p.has_check_in_time()) {
      counters.push_back(CheckedInCounter(p.event_id()));
      counters.push_back(CheckedInCounter(p.event_id(), p.affiliation_kind(), affiliation));
    }
    return counters;
  };
  return indexing;
}

std::shared_ptr<ParticipantStore> MakeRedisParticipantStore(RedisClient& redis,
                                                            const std::string& region) {
  return std::make_shared<IndexedProtoRecordStore<Participant>>(redis, ParticipantKeys(region),
                                                                ParticipantIndexing());
}

}  // namespace wahana
