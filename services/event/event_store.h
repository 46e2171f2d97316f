#pragma once
// Where events are kept: the interface the event logic depends on (RedisEventStore in production,
// an in-memory fake in the logic's tests).

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "wahana/common/v1/message.pb.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana {

struct CreateEventResult {
  // The stored event: the new one, or the one an earlier create with the same requestId made.
  wahana::event::v1::Event stored;
  // False when the requestId had been seen: nothing was written.
  bool created = false;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Stores `event` and appends `created` (its EventCreated message) in one atomic step: both or
  // neither. With a non-empty `request_id` already used by an earlier create, writes nothing and
  // returns that earlier event with created == false.
  virtual absl::StatusOr<CreateEventResult> Create(const wahana::event::v1::Event& event,
                                                   const wahana::common::v1::Envelope& created,
                                                   const std::string& request_id) = 0;

  // The event with `id`; NOT_FOUND when there is none.
  virtual absl::StatusOr<wahana::event::v1::Event> Get(const std::string& id) = 0;

  // The event an earlier create with `request_id` made, or nullopt.
  virtual absl::StatusOr<std::optional<wahana::event::v1::Event>> FindByRequestId(
      const std::string& request_id) = 0;

  // All errors: UNAVAILABLE when storage cannot be reached, INTERNAL for corrupt data.
};

}  // namespace wahana
