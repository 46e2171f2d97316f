#pragma once
// Which cases a mediation event serves: the event service's own record of the case service's
// sessions that name an event (learnt from the case stream, case_link_handler.h), kept apart from
// the event's record so a link does not change the event's etag. In Redis, one list per event:
//
//   event:{<region>}:index:event-cases:<eventId>   "<caseId>|<case's region code>", in the order
//                                                  the cases were linked, each case once
//
// The case's region travels with its id so a reader can show only the cases the caller may read
// without asking the case service (a case's village never changes).

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"

namespace wahana {

// One case an event serves.
struct CaseLink {
  std::string case_id;
  std::string region_code;  // the case's village

  bool operator==(const CaseLink& other) const {
    return case_id == other.case_id && region_code == other.region_code;
  }
};

class EventCaseLinkStore {
 public:
  virtual ~EventCaseLinkStore() = default;

  // Records that event `event_id` serves case `link.case_id`, after those linked before. True when
  // it is new; false, writing nothing, when the case was linked already (a replay). UNAVAILABLE
  // when Redis cannot be reached.
  virtual absl::StatusOr<bool> Link(const std::string& event_id, const CaseLink& link) = 0;

  // The cases each of `event_ids` serves, in link order (one round trip for a page of events).
  virtual absl::StatusOr<std::vector<std::vector<CaseLink>>> Read(
      const std::vector<std::string>& event_ids) = 0;
};

// "event:{<region>}:index:event-cases:<eventId>".
std::string EventCasesKey(const std::string& region, const std::string& event_id);

// The store on Redis in deployment `region` ("16.06"). `redis` must outlive it. Thread-safe.
std::shared_ptr<EventCaseLinkStore> MakeRedisEventCaseLinkStore(RedisClient& redis,
                                                                const std::string& region);

}  // namespace wahana
