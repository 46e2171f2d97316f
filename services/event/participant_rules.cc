#include "event/participant_rules.h"

#include "absl/strings/str_cat.h"
#include "common/fields/field_checks.h"
#include "common/status/status_macros.h"
#include "common/storage/lex_index.h"
#include "common/storage/record_requests.h"
#include "registry/identity/nik.h"

namespace wahana {

using wahana::event::v1::Participant;

absl::Status CheckParticipantFields(const Participant& participant, absl::CivilDay today) {
  switch (participant.person_case()) {
    case Participant::kWorkerId:
      return CheckRecordId(participant.worker_id(), "a worker", "workerId");
    case Participant::kBeneficiaryId:
      return CheckRecordId(participant.beneficiary_id(), "a beneficiary", "beneficiaryId");
    case Participant::kInstitution: {
      const Participant::InstitutionRepresentative& rep = participant.institution();
      WAHANA_RETURN_IF_ERROR(
          CheckRecordId(rep.institution_id(), "an institution", "institution.institutionId"));
      WAHANA_RETURN_IF_ERROR(
          CheckName(rep.full_name(), "institution.fullName", kMaxParticipantNameBytes));
      return absl::OkStatus();
    }
    case Participant::kWalkIn: {
      const Participant::WalkIn& walk_in = participant.walk_in();
      WAHANA_RETURN_IF_ERROR(
          CheckName(walk_in.full_name(), "walkIn.fullName", kMaxParticipantNameBytes));
      if (walk_in.nik().empty()) {
        return absl::InvalidArgumentError(
            "walkIn.nik: required (one person registers once per event)");
      }
      WAHANA_RETURN_IF_ERROR(registry::ParseNik(walk_in.nik(), today, "walkIn.nik").status());
      return CheckLine(walk_in.affiliation(), "walkIn.affiliation", kMaxWalkInAffiliationBytes);
    }
    case Participant::PERSON_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      "participant: name one person: workerId, beneficiaryId, institution or walkIn");
}

std::string PersonKey(const std::string& event_id, const std::string& identity) {
  return DigestIndexValue(absl::StrCat(event_id, "|", identity));
}

}  // namespace wahana
