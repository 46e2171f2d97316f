#include "event/event_store.h"

#include "absl/strings/str_cat.h"
#include "common/storage/guard_field_backfill.h"
#include "common/storage/indexed_proto_record_store.h"

namespace wahana {

using wahana::event::v1::Event;

RecordKeys EventKeys(const std::string& region) { return RecordKeys("event", "event", region); }

std::string EventKindView(wahana::event::v1::EventKind kind) {
  return absl::StrCat("kind=", wahana::event::v1::EventKind_Name(kind));
}

bool TakesRegistrations(const Event& event) {
  if (event.archived()) return false;
  const Event::Status status = event.status();
  return status == Event::PLANNED || status == Event::OPEN || status == Event::ONGOING;
}

bool TakesCheckIns(const Event& event) {
  if (event.archived()) return false;
  return event.status() == Event::OPEN || event.status() == Event::ONGOING;
}

bool TakesLateCheckIns(const Event& event) {
  return TakesCheckIns(event) || (!event.archived() && event.status() == Event::DONE);
}

RecordIndexing<Event> EventIndexing() {
  RecordIndexing<Event> indexing;
  indexing.region_code = [](const Event& e) { return e.region_code(); };
  indexing.archived = [](const Event& e) { return e.archived(); };
  indexing.views = [](const Event& e) { return std::vector<std::string>{EventKindView(e.kind())}; };
  indexing.guard_fields = [](const Event& e) {
    auto state = [](bool open) { return std::string(open ? kEventOpenValue : "closed"); };
    return std::vector<std::pair<std::string, std::string>>{
        {kEventRegistrationField, state(TakesRegistrations(e))},
        {kEventCheckInField, state(TakesCheckIns(e))},
        {kEventLateCheckInField, state(TakesLateCheckIns(e))},
        {kEventCapacityField, std::to_string(e.capacity())}};
  };
  return indexing;
}

std::shared_ptr<EventStore> MakeRedisEventStore(RedisClient& redis, const std::string& region) {
  return std::make_shared<IndexedProtoRecordStore<Event>>(redis, EventKeys(region),
                                                          EventIndexing());
}

absl::Status AddMissingEventGuardFields(RedisClient& redis, const std::string& region,
                                        EventStore& events) {
  return AddMissingGuardFields<Event>(redis, EventKeys(region), events,
                                      EventIndexing().guard_fields, kEventGuardFieldsVersion);
}

}  // namespace wahana
