#pragma once
// EventStore on Redis (keys in event_keys.h). An event is a hash {pb: the Event protobuf bytes,
// etag: its version}, for the reasons given in case/redis_case_store.h: one read returns the
// whole record as the API and the stream carry it, and updates can guard on the etag field inside
// the atomic write.
//
// Thread-safe (RedisClient is).

#include <string>

#include "common/redis/redis_client.h"
#include "event/event_store.h"

namespace wahana {

class RedisEventStore : public EventStore {
 public:
  // How long a requestId is remembered; a retry later than this creates a second event.
  static constexpr int kRequestIdTtlSeconds = 7 * 24 * 3600;

  // `redis` must outlive the store. `region` is the deployment's region (the keys' hash tag).
  RedisEventStore(RedisClient& redis, std::string region);

  absl::StatusOr<CreateEventResult> Create(const wahana::event::v1::Event& event,
                                           const wahana::common::v1::Envelope& created,
                                           const std::string& request_id) override;
  absl::StatusOr<wahana::event::v1::Event> Get(const std::string& id) override;
  absl::StatusOr<std::optional<wahana::event::v1::Event>> FindByRequestId(
      const std::string& request_id) override;

 private:
  RedisClient& redis_;
  const std::string region_;
};

}  // namespace wahana
