#pragma once
// The Redis keys of the event service, all under the deployment's hash tag ("event:{16.06}:...")
// so one create stays in one Redis Cluster slot. The stream name is the contract with consumers.

#include <string>

#include "absl/strings/str_cat.h"

namespace wahana {

// An event record: hash {pb: Event bytes, etag: version}.
inline std::string EventKey(const std::string& region, const std::string& id) {
  return absl::StrCat("event:{", region, "}:event:", id);
}

// requestId -> the id of the event it created.
inline std::string EventRequestKey(const std::string& region, const std::string& request_id) {
  return absl::StrCat("event:{", region, "}:request:", request_id);
}

// Every change of an event is a message here (EventCreated, ...).
inline std::string EventStreamKey(const std::string& region) {
  return absl::StrCat("event:{", region, "}:stream");
}

}  // namespace wahana
