#include "registry/networks/network_rules.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/fields/field_checks.h"
#include "common/status/status_macros.h"
#include "registry/institutions/institution_rules.h"
#include "registry/networks/network_lifecycle.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Network;

// Board terms are planned ahead: their dates may lie in the future, within reason.
const absl::CivilDay kLatestTermDate(2200, 12, 31);

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

absl::Status CheckRw(const Network& network) {
  const std::string& rw = network.rw();
  if (network.kind() != Network::RW) {
    if (!rw.empty()) return Invalid("rw", "only for kind RW");
    return absl::OkStatus();
  }
  if (rw.empty())
    return Invalid("rw", "required for kind RW (the rukun warga number, e.g. \"003\")");
  bool digits = rw.size() <= 3 && std::all_of(rw.begin(), rw.end(), [](char c) {
                  return absl::ascii_isdigit(static_cast<unsigned char>(c));
                });
  if (!digits || rw.find_first_not_of('0') == std::string::npos) {
    return Invalid("rw", "1 to 3 digits, not 0 (e.g. \"003\")");
  }
  return absl::OkStatus();
}

absl::Status CheckDecree(const Network& network, absl::CivilDay latest) {
  const Network::Decree& decree = network.decree();
  WAHANA_RETURN_IF_ERROR(CheckLine(decree.number(), "decree.number", kMaxDecreeNumberBytes));
  WAHANA_RETURN_IF_ERROR(CheckOptionalDate(decree.date(), "decree.date", latest));
  WAHANA_RETURN_IF_ERROR(CheckLine(decree.issuer(), "decree.issuer", kMaxIssuerBytes));
  if (Legalized(network.stage())) {
    const char* missing = MissingDecreePart(decree);
    if (*missing != '\0') return Invalid(missing, "required once the network is legalized");
  }
  return absl::OkStatus();
}

absl::Status CheckBoard(const Network& network) {
  if (network.board_size() > kMaxBoardMembers) {
    return Invalid("board", absl::StrCat("at most ", kMaxBoardMembers, " members"));
  }
  for (int i = 0; i < network.board_size(); ++i) {
    const Network::BoardMember& member = network.board(i);
    const std::string prefix = absl::StrCat("board[", i, "]");
    WAHANA_RETURN_IF_ERROR(
        CheckName(member.full_name(), absl::StrCat(prefix, ".fullName"), kMaxPersonNameBytes));
    WAHANA_RETURN_IF_ERROR(CheckName(member.role(), absl::StrCat(prefix, ".role"), kMaxRoleBytes));
    absl::CivilDay start, end;
    if (!member.term_start().empty()) {
      WAHANA_ASSIGN_OR_RETURN(
          start,
          ParseDate(member.term_start(), absl::StrCat(prefix, ".termStart"), kLatestTermDate));
    }
    if (!member.term_end().empty()) {
      WAHANA_ASSIGN_OR_RETURN(
          end, ParseDate(member.term_end(), absl::StrCat(prefix, ".termEnd"), kLatestTermDate));
      if (!member.term_start().empty() && end < start) {
        return Invalid(absl::StrCat(prefix, ".termEnd"), "before termStart");
      }
    }
    if (!member.institution_id().empty()) {
      const auto& ids = network.member_institution_ids();
      if (std::find(ids.begin(), ids.end(), member.institution_id()) == ids.end()) {
        return Invalid(absl::StrCat(prefix, ".institutionId"),
                       absl::StrCat("institution ", member.institution_id(),
                                    " is not a member of this network (add it with :addMember)"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckNetworkFields(const Network& network, absl::CivilDay latest) {
  if (network.kind() != Network::VILLAGE && network.kind() != Network::RW) {
    return Invalid("kind", "required: VILLAGE (the whole desa/kelurahan) or RW");
  }
  WAHANA_RETURN_IF_ERROR(CheckName(network.name(), "name", kMaxNetworkNameBytes));
  if (network.village_code().empty()) return Invalid("villageCode", "required");
  WAHANA_RETURN_IF_ERROR(CheckRw(network));
  WAHANA_RETURN_IF_ERROR(CheckDecree(network, latest));
  return CheckBoard(network);
}

absl::Status CheckNetwork(const Network& network, const RegionRules& regions,
                          absl::CivilDay latest) {
  WAHANA_RETURN_IF_ERROR(CheckNetworkFields(network, latest));
  return regions.RequireVillage(network.village_code(), "villageCode");
}

}  // namespace wahana::registry
