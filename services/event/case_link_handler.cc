#include "event/case_link_handler.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "spdlog/spdlog.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

using wahana::cases::v1::CaseChanged;

// The events the case's sessions name, each once, in session order.
std::vector<std::string> NamedEvents(const wahana::cases::v1::Case& c) {
  std::vector<std::string> ids;
  for (const auto& session : c.mediation().sessions()) {
    const std::string& id = session.event_id();
    if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

}  // namespace

CaseLinkHandler::CaseLinkHandler(std::string region, std::shared_ptr<EventStore> events,
                                 std::shared_ptr<EventCaseLinkStore> links)
    : region_(std::move(region)), events_(std::move(events)), links_(std::move(links)) {}

absl::Status CaseLinkHandler::HandleCaseMessage(const wahana::common::v1::Envelope& envelope) {
  if (envelope.type() != CaseChanged::descriptor()->full_name()) return absl::OkStatus();
  CaseChanged changed;
  if (!envelope.payload().UnpackTo(&changed)) {
    return absl::InvalidArgumentError(
        absl::StrCat("message ", envelope.message_id(), ": payload is not a CaseChanged"));
  }
  const std::vector<std::string> event_ids = NamedEvents(changed.case_());
  // Most case messages name no event: nothing to check them for.
  if (event_ids.empty()) return absl::OkStatus();
  const std::string& case_id = changed.case_().id();
  if (case_id.empty() || case_id.find('|') != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("message ", envelope.message_id(),
                                                   ": case.id \"", case_id, "\" is not an id"));
  }
  // The case's village decides who may see the link, so it must be a code of this deployment.
  const std::string& village = changed.case_().village_code();
  if (!ParseRegionCode(village, "villageCode").ok() || !RegionWithin(village, region_)) {
    return absl::InvalidArgumentError(absl::StrCat("message ", envelope.message_id(), ": case ",
                                                   case_id, " has villageCode \"", village,
                                                   "\", not within ", region_));
  }
  for (const std::string& event_id : event_ids) {
    absl::StatusOr<wahana::event::v1::Event> event = events_->Get(event_id);
    if (absl::IsNotFound(event.status()) || absl::IsInvalidArgument(event.status())) {
      spdlog::debug("case stream message {}: case {} names event {}, which is not known here",
                    envelope.message_id(), case_id, event_id);
      continue;
    }
    WAHANA_RETURN_IF_ERROR(event.status());
    WAHANA_RETURN_IF_ERROR(links_->Link(event_id, {case_id, village}).status());
  }
  return absl::OkStatus();
}

}  // namespace wahana
