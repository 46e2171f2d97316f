#include "event/event_store.h"

#include "absl/strings/str_cat.h"
#include "common/storage/indexed_proto_record_store.h"

namespace wahana {

using wahana::event::v1::Event;

RecordKeys EventKeys(const std::string& region) { return RecordKeys("event", "event", region); }

std::string EventKindView(wahana::event::v1::EventKind kind) {
  return absl::StrCat("kind=", wahana::event::v1::EventKind_Name(kind));
}

RecordIndexing<Event> EventIndexing() {
  RecordIndexing<Event> indexing;
  indexing.region_code = [](const Event& e) { return e.region_code(); };
  indexing.archived = [](const Event& e) { return e.archived(); };
  indexing.views = [](const Event& e) { return std::vector<std::string>{EventKindView(e.kind())}; };
  return indexing;
}

std::shared_ptr<EventStore> MakeRedisEventStore(RedisClient& redis, const std::string& region) {
  return std::make_shared<IndexedProtoRecordStore<Event>>(redis, EventKeys(region),
                                                          EventIndexing());
}

}  // namespace wahana
