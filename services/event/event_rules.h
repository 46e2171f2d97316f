#pragma once
// What makes an event valid, on create and after every update (the whole record is checked, so an
// update cannot leave it in a state a create would refuse), and how its status moves. Every error
// is INVALID_ARGUMENT naming the first field at fault, in JSON spelling:
//
//   kind                    required, one of EventKind
//   title                   required, at most 200 bytes, one line
//   description             at most 5000 bytes
//   regionCode              a known village, subdistrict or the regency, inside the deployment
//   venue                   at most 500 bytes, one line
//   startTime               required, a valid time
//   endTime                 a valid time, not before startTime
//   organiserInstitutionIds at most 20, each an institution id, no repeats; with
//                           organisedByOffice at least one organiser (the logic makes the office
//                           the organiser of a new event that names none)
//   capacity                0 (no limit) to 100000
//   targetAudience          known PSKS and institution kinds, no repeats
//   speakers                at most 50, each with a fullName (200 bytes), role and affiliation
//                           (200 bytes each, one line)
//
// Pure but for CheckEvent's region lookup. Thread-safe.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/access_policy.h"
#include "common/region/region_directory.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana {

inline constexpr size_t kMaxEventTitleBytes = 200;
inline constexpr size_t kMaxEventDescriptionBytes = 5000;
inline constexpr size_t kMaxEventVenueBytes = 500;
inline constexpr int kMaxEventOrganisers = 20;
inline constexpr int kMaxEventCapacity = 100000;
inline constexpr int kMaxEventSpeakers = 50;
inline constexpr size_t kMaxSpeakerTextBytes = 200;
inline constexpr size_t kMaxCancelReasonBytes = 500;

// Everything but the region: no I/O.
absl::Status CheckEventFields(const wahana::event::v1::Event& event);

// CheckEventFields, then regionCode against `regions`: a known village, subdistrict or regency
// inside `deployment_region`. UNAVAILABLE when the regions cannot be read.
absl::Status CheckEvent(const wahana::event::v1::Event& event, RegionDirectory& regions,
                        const std::string& deployment_region);

// One custom step of an event's status: from which statuses, to which, and the change message's
// action ("opened").
struct EventStatusStep {
  Step step;
  std::vector<wahana::event::v1::Event::Status> from;
  wahana::event::v1::Event::Status to;
  const char* action;
};

// The step's rule (kEventOpen, kEventStart, kEventFinish, kEventCancel).
const EventStatusStep& EventStatusStepOf(Step step);

// OK when `step` may move an event at `from`; otherwise FAILED_PRECONDITION naming both, "status:
// event 01J... is PLANNED; :start needs OPEN".
absl::Status CheckEventStatusStep(Step step, wahana::event::v1::Event::Status from,
                                  const std::string& event_id);

}  // namespace wahana
