#include "reporting/counted_messages.h"

#include "absl/strings/str_cat.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "reporting/subject_contributions.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/event/v1/event.pb.h"
#include "wahana/registry/v1/beneficiary.pb.h"
#include "wahana/registry/v1/household.pb.h"
#include "wahana/registry/v1/institution.pb.h"
#include "wahana/registry/v1/network.pb.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana {
namespace {

namespace events = wahana::event::v1;
namespace reg = wahana::registry::v1;

template <typename Message>
bool Is(const wahana::common::v1::Envelope& envelope) {
  return envelope.type() == Message::descriptor()->full_name();
}

template <typename Message>
absl::StatusOr<Message> Unpack(const wahana::common::v1::Envelope& envelope) {
  Message message;
  if (!envelope.payload().UnpackTo(&message)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "message ", envelope.message_id(), ": payload is not a ", Message::descriptor()->name()));
  }
  return message;
}

}  // namespace

bool IsKnownMessageType(const std::string& type) {
  for (const auto* descriptor :
       {reg::BeneficiaryChanged::descriptor(), reg::InstitutionChanged::descriptor(),
        reg::NetworkChanged::descriptor(), reg::WorkerChanged::descriptor(),
        reg::HouseholdChanged::descriptor(), events::EventChanged::descriptor(),
        events::ParticipantChanged::descriptor(), wahana::cases::v1::CaseChanged::descriptor()}) {
    if (descriptor->full_name() == type) return true;
  }
  return false;
}

absl::StatusOr<std::optional<CountedChange>> CountedChangeOf(
    const wahana::common::v1::Envelope& envelope, const std::string& region,
    const CountingRules& rules) {
  const OfficeCalendar& calendar = rules.calendar;
  CountedChange change;
  if (Is<reg::BeneficiaryChanged>(envelope)) {
    WAHANA_ASSIGN_OR_RETURN(auto m, Unpack<reg::BeneficiaryChanged>(envelope));
    change = {
        CountedSubject::kBeneficiary, {}, 0, BeneficiaryContribution(m.beneficiary(), calendar)};
  } else if (Is<reg::InstitutionChanged>(envelope)) {
    WAHANA_ASSIGN_OR_RETURN(auto m, Unpack<reg::InstitutionChanged>(envelope));
    change = {
        CountedSubject::kInstitution, {}, 0, InstitutionContribution(m.institution(), calendar)};
  } else if (Is<reg::NetworkChanged>(envelope)) {
    WAHANA_ASSIGN_OR_RETURN(auto m, Unpack<reg::NetworkChanged>(envelope));
    change = {CountedSubject::kNetwork, {}, 0, NetworkContribution(m.network(), calendar)};
  } else if (Is<reg::WorkerChanged>(envelope)) {
    WAHANA_ASSIGN_OR_RETURN(auto m, Unpack<reg::WorkerChanged>(envelope));
    change = {CountedSubject::kWorker, {}, 0, WorkerContribution(m.worker(), calendar)};
  } else if (Is<events::EventChanged>(envelope)) {
    WAHANA_ASSIGN_OR_RETURN(auto m, Unpack<events::EventChanged>(envelope));
    change = {CountedSubject::kEvent, {}, 0, EventContribution(m.event(), calendar)};
  } else if (Is<events::ParticipantChanged>(envelope)) {
    WAHANA_ASSIGN_OR_RETURN(auto m, Unpack<events::ParticipantChanged>(envelope));
    change = {CountedSubject::kParticipant, {}, 0, ParticipantContribution(m.participant())};
  } else if (Is<wahana::cases::v1::CaseChanged>(envelope)) {
    WAHANA_ASSIGN_OR_RETURN(auto m, Unpack<wahana::cases::v1::CaseChanged>(envelope));
    change = {CountedSubject::kCase,
              {},
              0,
              CaseworkContribution(m.case_(), rules.case_overdue_days, calendar)};
  } else {
    return std::nullopt;
  }
  change.id = envelope.aggregate_id();
  change.version = envelope.aggregate_version();
  if (change.id.empty() || change.version <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("message ", envelope.message_id(), ": no aggregate id or version"));
  }
  const std::string& place = change.contribution.region;
  if (change.contribution.counted() &&
      (!ParseRegionCode(place, "region").ok() || !RegionWithin(place, region))) {
    return absl::InvalidArgumentError(
        absl::StrCat("message ", envelope.message_id(), ": ", CountedSubjectName(change.subject),
                     " ", change.id, " has region \"", place, "\", not within ", region));
  }
  return change;
}

}  // namespace wahana
