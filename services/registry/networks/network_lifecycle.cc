#include "registry/networks/network_lifecycle.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Network;

std::string StageName(Network::Stage stage) {
  return Network::Stage_IsValid(stage) ? Network::Stage_Name(stage)
                                       : absl::StrCat("stage ", static_cast<int>(stage));
}

}  // namespace

std::vector<Network::Stage> NextStages(Network::Stage stage) {
  switch (stage) {
    case Network::PREPARATION:
      return {Network::SOCIALIZED};
    case Network::SOCIALIZED:
      return {Network::BOARD_FORMED};
    case Network::BOARD_FORMED:
      return {Network::LEGALIZED};
    case Network::LEGALIZED:
      return {Network::ACTIVE};
    default:
      return {};
  }
}

bool Legalized(Network::Stage stage) {
  return stage == Network::LEGALIZED || stage == Network::ACTIVE || stage == Network::INACTIVE;
}

const char* MissingDecreePart(const Network::Decree& decree) {
  if (decree.number().empty()) return "decree.number";
  if (decree.date().empty()) return "decree.date";
  if (decree.issuer().empty()) return "decree.issuer";
  return "";
}

absl::Status CheckAdvance(const Network& network, Network::Stage target) {
  std::vector<Network::Stage> next = NextStages(network.stage());
  bool allowed = false;
  for (Network::Stage stage : next) allowed = allowed || stage == target;
  if (!allowed) {
    std::string names;
    for (Network::Stage stage : next) {
      absl::StrAppend(&names, names.empty() ? "" : ", ", StageName(stage));
    }
    if (names.empty()) {
      names = "none by :advance (after ACTIVE the stage follows evaluation visits: :recordVisit)";
    }
    return absl::FailedPreconditionError(
        absl::StrCat("stage: network ", network.id(), " is at ", StageName(network.stage()),
                     " and cannot move to ", StageName(target), "; allowed next: ", names));
  }
  if (target == Network::LEGALIZED) {
    const char* missing = MissingDecreePart(network.decree());
    if (*missing != '\0') {
      return absl::FailedPreconditionError(
          absl::StrCat(missing,
                       ": LEGALIZED needs the village head's decree (number, date, issuer); set it "
                       "on the network by update first"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckVisitAllowed(const Network& network) {
  if (Legalized(network.stage())) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("stage: network ", network.id(), " is at ", StageName(network.stage()),
                   "; evaluation visits start once it is LEGALIZED"));
}

}  // namespace wahana::registry
