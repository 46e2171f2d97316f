#include "event/event_rules.h"

#include <google/protobuf/util/time_util.h>

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/fields/field_checks.h"
#include "common/status/status_macros.h"
#include "common/storage/record_requests.h"

namespace wahana {
namespace {

using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;
using wahana::event::v1::Event;

// The range google.protobuf.Timestamp allows (years 1-9999), as its JSON mapping does.
bool ValidTimestamp(const Timestamp& t) {
  return t.seconds() >= TimeUtil::kTimestampMinSeconds &&
         t.seconds() <= TimeUtil::kTimestampMaxSeconds && t.nanos() >= 0 && t.nanos() <= 999999999;
}

// "SOSIALISASI, PELATIHAN, ...": the enum's names but the unspecified one, from the descriptor.
std::string NamesOf(const google::protobuf::EnumDescriptor* descriptor) {
  std::vector<std::string> names;
  for (int i = 1; i < descriptor->value_count(); ++i) names.push_back(descriptor->value(i)->name());
  return absl::StrJoin(names, ", ");
}

absl::Status CheckTimes(const Event& event) {
  if (!event.has_start_time()) return absl::InvalidArgumentError("startTime: required");
  if (!ValidTimestamp(event.start_time())) {
    return absl::InvalidArgumentError("startTime: not a valid time");
  }
  if (event.has_end_time()) {
    if (!ValidTimestamp(event.end_time())) {
      return absl::InvalidArgumentError("endTime: not a valid time");
    }
    if (event.end_time() < event.start_time()) {
      return absl::InvalidArgumentError("endTime: must not be before startTime");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckOrganisers(const Event& event) {
  if (event.organiser_institution_ids_size() > kMaxEventOrganisers) {
    return absl::InvalidArgumentError(
        absl::StrCat("organiserInstitutionIds: at most ", kMaxEventOrganisers));
  }
  std::set<std::string> seen;
  for (int i = 0; i < event.organiser_institution_ids_size(); ++i) {
    const std::string& id = event.organiser_institution_ids(i);
    const std::string field = absl::StrCat("organiserInstitutionIds[", i, "]");
    if (!CheckRecordId(id, "an institution").ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": not an institution id (26 characters, 0-9 A-Z)"));
    }
    if (!seen.insert(id).second) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": institution ", id, " named twice"));
    }
  }
  if (!event.organised_by_office() && event.organiser_institution_ids_size() == 0) {
    return absl::InvalidArgumentError(
        "organisedByOffice: an event needs an organiser (the office, or organiserInstitutionIds)");
  }
  return absl::OkStatus();
}

absl::Status CheckAudience(const Event::Audience& audience) {
  std::set<int> psks;
  for (int i = 0; i < audience.psks_kinds_size(); ++i) {
    const int kind = audience.psks_kinds(i);
    if (kind == 0 || !wahana::common::v1::PsksKind_IsValid(kind) || !psks.insert(kind).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("targetAudience.psksKinds[", i, "]: one of ",
                       NamesOf(wahana::common::v1::PsksKind_descriptor()), ", each once"));
    }
  }
  std::set<int> institutions;
  for (int i = 0; i < audience.institution_kinds_size(); ++i) {
    const int kind = audience.institution_kinds(i);
    if (kind == 0 || !wahana::registry::v1::Institution::Kind_IsValid(kind) ||
        !institutions.insert(kind).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "targetAudience.institutionKinds[", i, "]: one of ",
          NamesOf(wahana::registry::v1::Institution::Kind_descriptor()), ", each once"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSpeakers(const Event& event) {
  if (event.speakers_size() > kMaxEventSpeakers) {
    return absl::InvalidArgumentError(absl::StrCat("speakers: at most ", kMaxEventSpeakers));
  }
  for (int i = 0; i < event.speakers_size(); ++i) {
    const Event::Speaker& s = event.speakers(i);
    const std::string prefix = absl::StrCat("speakers[", i, "].");
    WAHANA_RETURN_IF_ERROR(CheckName(s.full_name(), prefix + "fullName", kMaxSpeakerTextBytes));
    WAHANA_RETURN_IF_ERROR(CheckLine(s.role(), prefix + "role", kMaxSpeakerTextBytes));
    WAHANA_RETURN_IF_ERROR(
        CheckLine(s.affiliation(), prefix + "affiliation", kMaxSpeakerTextBytes));
  }
  return absl::OkStatus();
}

// The lifecycle, one row per step: PLANNED -> OPEN -> ONGOING -> DONE, or CANCELLED from any
// status but DONE.
const std::vector<EventStatusStep>& StatusSteps() {
  static const auto* const kSteps = new std::vector<EventStatusStep>{
      {Step::kEventOpen, {Event::PLANNED}, Event::OPEN, "opened"},
      {Step::kEventStart, {Event::OPEN}, Event::ONGOING, "started"},
      {Step::kEventFinish, {Event::ONGOING}, Event::DONE, "finished"},
      {Step::kEventCancel,
       {Event::PLANNED, Event::OPEN, Event::ONGOING},
       Event::CANCELLED,
       "cancelled"},
  };
  return *kSteps;
}

// "PLANNED", "PLANNED, OPEN or ONGOING".
std::string OneOf(const std::vector<Event::Status>& statuses) {
  std::string out;
  for (size_t i = 0; i < statuses.size(); ++i) {
    if (i > 0) out += i + 1 == statuses.size() ? " or " : ", ";
    out += Event::Status_Name(statuses[i]);
  }
  return out;
}

}  // namespace

absl::Status CheckEventFields(const Event& event) {
  if (event.kind() == wahana::event::v1::EVENT_KIND_UNSPECIFIED ||
      !wahana::event::v1::EventKind_IsValid(event.kind())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "kind: required, one of ", NamesOf(wahana::event::v1::EventKind_descriptor())));
  }
  WAHANA_RETURN_IF_ERROR(CheckName(event.title(), "title", kMaxEventTitleBytes));
  WAHANA_RETURN_IF_ERROR(CheckText(event.description(), "description", kMaxEventDescriptionBytes));
  WAHANA_RETURN_IF_ERROR(CheckLine(event.venue(), "venue", kMaxEventVenueBytes));
  WAHANA_RETURN_IF_ERROR(CheckTimes(event));
  WAHANA_RETURN_IF_ERROR(CheckOrganisers(event));
  if (event.capacity() < 0 || event.capacity() > kMaxEventCapacity) {
    return absl::InvalidArgumentError(
        absl::StrCat("capacity: 0 (no limit) to ", kMaxEventCapacity));
  }
  WAHANA_RETURN_IF_ERROR(CheckAudience(event.target_audience()));
  return CheckSpeakers(event);
}

absl::Status CheckEvent(const Event& event, RegionDirectory& regions,
                        const std::string& deployment_region) {
  WAHANA_RETURN_IF_ERROR(CheckEventFields(event));
  // Last: the only check that may cost a call to the registry.
  return RequireRegion(
             regions, event.region_code(), "regionCode", deployment_region,
             {RegionLevelKind::kVillage, RegionLevelKind::kSubdistrict, RegionLevelKind::kRegency})
      .status();
}

const EventStatusStep& EventStatusStepOf(Step step) {
  for (const EventStatusStep& s : StatusSteps()) {
    if (s.step == step) return s;
  }
  return StatusSteps().front();
}

absl::Status CheckEventStatusStep(Step step, Event::Status from, const std::string& event_id) {
  const EventStatusStep& rule = EventStatusStepOf(step);
  for (Event::Status allowed : rule.from) {
    if (allowed == from) return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat("status: event ", event_id, " is ",
                                                    Event::Status_Name(from), "; ", StepName(step),
                                                    " needs ", OneOf(rule.from)));
}

}  // namespace wahana
