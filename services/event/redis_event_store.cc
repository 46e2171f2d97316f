#include "event/redis_event_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/bus/atomic_write.h"
#include "common/status/status_macros.h"
#include "event/event_keys.h"

namespace wahana {

using wahana::event::v1::Event;

RedisEventStore::RedisEventStore(RedisClient& redis, std::string region)
    : redis_(redis), region_(std::move(region)) {}

absl::StatusOr<CreateEventResult> RedisEventStore::Create(
    const Event& event, const wahana::common::v1::Envelope& created,
    const std::string& request_id) {
  AtomicWrite write;
  if (!request_id.empty()) write.RequireAbsent(EventRequestKey(region_, request_id));
  write.Command({"HSET", EventKey(region_, event.id()), "pb", event.SerializeAsString(), "etag",
                 event.etag()});
  if (!request_id.empty()) {
    write.Command({"SET", EventRequestKey(region_, request_id), event.id(), "EX",
                   std::to_string(kRequestIdTtlSeconds)});
  }
  write.Publish(EventStreamKey(region_), created);
  WAHANA_ASSIGN_OR_RETURN(AtomicWriteResult result, write.Execute(redis_));

  CreateEventResult out;
  if (result.applied) {
    out.stored = event;
    out.created = true;
    return out;
  }
  // Only the requestId guard exists: a concurrent or earlier create with the same requestId won.
  if (result.found_nil) return absl::InternalError("event create: guard failed without a value");
  absl::StatusOr<Event> earlier = Get(result.found);
  if (absl::IsNotFound(earlier.status())) {
    return absl::InternalError(absl::StrCat("requestId ", request_id, " points at event ",
                                            result.found, ", which does not exist"));
  }
  WAHANA_RETURN_IF_ERROR(earlier.status());
  out.stored = *std::move(earlier);
  out.created = false;
  return out;
}

absl::StatusOr<Event> RedisEventStore::Get(const std::string& id) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"HGET", EventKey(region_, id), "pb"}));
  if (reply.is_nil()) return absl::NotFoundError(absl::StrCat("event ", id, " not found"));
  Event event;
  if (reply.type != RedisReply::Type::kString || !event.ParseFromString(reply.str)) {
    return absl::InternalError(absl::StrCat("stored event ", id, " is not a valid Event"));
  }
  return event;
}

absl::StatusOr<std::optional<Event>> RedisEventStore::FindByRequestId(
    const std::string& request_id) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Command({"GET", EventRequestKey(region_, request_id)}));
  if (reply.is_nil()) return std::optional<Event>();
  absl::StatusOr<Event> event = Get(reply.str);
  if (absl::IsNotFound(event.status())) {
    return absl::InternalError(absl::StrCat("requestId ", request_id, " points at event ",
                                            reply.str, ", which does not exist"));
  }
  WAHANA_RETURN_IF_ERROR(event.status());
  return std::optional<Event>(*std::move(event));
}

}  // namespace wahana
