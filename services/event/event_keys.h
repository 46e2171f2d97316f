#pragma once
// The Redis keys of the event service, all under the deployment's hash tag ("event:{16.06}:...")
// so one create stays in one Redis Cluster slot. The stream name is the contract with consumers.

#include <string>

#include "common/storage/record_keys.h"

namespace wahana {

// Events are the service's one kind of record: "event:{16.06}:event:<id>" (hash {pb: Event
// bytes, etag: version}), "event:{16.06}:request:<requestId>" (-> the id of the event it created)
// and the stream "event:{16.06}:stream", where every change of an event is a message
// (EventCreated, ...).
inline RecordKeys EventKeys(const std::string& region) {
  return RecordKeys::SoleKind("event", region);
}

}  // namespace wahana
