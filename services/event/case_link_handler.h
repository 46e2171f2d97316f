#pragma once
// How the event service learns which cases a mediation event serves: it consumes the case
// service's stream (group "event", bus_contract.h kEventReadsCases) and, for every CaseChanged
// whose mediation sessions name events, links each event to the case (event_case_links.h).
//
// Thread-safe when its stores are (the production ones are).

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "event/event_case_links.h"
#include "event/event_store.h"
#include "wahana/common/v1/message.pb.h"

namespace wahana {

class CaseLinkHandler {
 public:
  // `region` is the deployment's ("16.06"); `events` tells whether a named event exists.
  CaseLinkHandler(std::string region, std::shared_ptr<EventStore> events,
                  std::shared_ptr<EventCaseLinkStore> links);

  // Applies one message of the case stream; idempotent (a case is linked to an event once, so a
  // replay changes nothing). Other message types, and cases whose sessions name no event, are
  // skipped (OK); so is an event this deployment does not know (a debug log: nothing to show it
  // on). INVALID_ARGUMENT for a message that cannot be applied (a payload that is not a
  // CaseChanged, a case without an id or with a region outside the deployment): the consumer
  // moves it to the dead-letter stream and acknowledges it. UNAVAILABLE when Redis cannot be
  // reached (retried).
  absl::Status HandleCaseMessage(const wahana::common::v1::Envelope& envelope);

 private:
  const std::string region_;
  std::shared_ptr<EventStore> events_;
  std::shared_ptr<EventCaseLinkStore> links_;
};

}  // namespace wahana
