#pragma once
// What makes a registration valid before anything is read: exactly one person, and what the
// client says of them. Every error is INVALID_ARGUMENT naming the field, in JSON spelling:
//
//   participant               one of workerId, beneficiaryId, institution, walkIn
//   workerId, beneficiaryId   a record id
//   institution.institutionId a record id
//   institution.fullName      required, a name of at most 200 bytes
//   walkIn.fullName           required, a name of at most 200 bytes
//   walkIn.nik                required, a structurally valid NIK (registry/identity/nik.h)
//   walkIn.affiliation        at most 200 bytes, one line
//   reason (of :withdraw)     at most 500 bytes
//
// Pure. Thread-safe.

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana {

inline constexpr size_t kMaxParticipantNameBytes = 200;
inline constexpr size_t kMaxWalkInAffiliationBytes = 200;
inline constexpr size_t kMaxWithdrawReasonBytes = 500;

// `today` in the office's calendar (a NIK's birth date must not be after it).
absl::Status CheckParticipantFields(const wahana::event::v1::Participant& participant,
                                    absl::CivilDay today);

// The digest claimed for one identity of a person within event `event_id` ("worker:01J...",
// "nik:1606..."): equal for the same person and event, short, and revealing nothing readable.
std::string PersonKey(const std::string& event_id, const std::string& identity);

}  // namespace wahana
