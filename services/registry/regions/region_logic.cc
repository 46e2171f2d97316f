#include "registry/regions/region_logic.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"

namespace wahana::registry {
namespace {

// Page tokens are opaque to clients: "<parent>|<last code>" in web-safe base64. Binding the parent
// in stops a token from one list being replayed against another.
std::string EncodePageToken(const std::string& parent, const std::string& last_code) {
  std::string token;
  absl::WebSafeBase64Escape(absl::StrCat(parent, "|", last_code), &token);
  return token;
}

absl::StatusOr<std::string> DecodePageToken(const std::string& token, const std::string& parent) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return absl::InvalidArgumentError("pageToken: not a token this API issued");
  }
  size_t bar = raw.find('|');
  if (bar == std::string::npos || raw.substr(0, bar) != parent) {
    return absl::InvalidArgumentError("pageToken: issued for another list (parent differs)");
  }
  std::string after = raw.substr(bar + 1);
  if (!ParseRegionCode(after, "pageToken").ok()) {
    return absl::InvalidArgumentError("pageToken: not a token this API issued");
  }
  return after;
}

}  // namespace

absl::Status RegionLogic::GetRegion(const wahana::registry::v1::GetRegionRequest& request,
                                    wahana::registry::v1::Region* response) {
  WAHANA_RETURN_IF_ERROR(ParseRegionCode(request.code(), "code").status());
  WAHANA_ASSIGN_OR_RETURN(*response, store_.Get(request.code()));
  return absl::OkStatus();
}

absl::Status RegionLogic::ListRegions(const wahana::registry::v1::ListRegionsRequest& request,
                                      wahana::registry::v1::ListRegionsResponse* response) {
  const std::string& parent = request.parent();
  if (!parent.empty()) WAHANA_RETURN_IF_ERROR(ParseRegionCode(parent, "parent").status());
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError("pageSize: must not be negative");
  }
  int page_size =
      request.page_size() == 0 ? kDefaultPageSize : std::min(request.page_size(), kMaxPageSize);
  std::string after;
  if (!request.page_token().empty()) {
    WAHANA_ASSIGN_OR_RETURN(after, DecodePageToken(request.page_token(), parent));
  }
  WAHANA_ASSIGN_OR_RETURN(RegionStore::Page page, store_.ListChildren(parent, after, page_size));
  response->set_total_size(page.total);
  if (page.more && !page.regions.empty()) {
    response->set_next_page_token(EncodePageToken(parent, page.regions.back().code()));
  }
  for (auto& region : page.regions) *response->add_regions() = std::move(region);
  return absl::OkStatus();
}

}  // namespace wahana::registry
