#include "common/region/region_directory.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/grpc/call_scope.h"
#include "common/grpc/service_channel.h"
#include "common/status/status_macros.h"

namespace wahana {
namespace {

namespace registry_pb = wahana::registry::v1;

// The registry's level enum and ours share numbering; anything else is a registry bug.
absl::StatusOr<RegionLevelKind> FromProtoLevel(registry_pb::RegionLevel level) {
  switch (level) {
    case registry_pb::PROVINCE:
      return RegionLevelKind::kProvince;
    case registry_pb::REGENCY:
      return RegionLevelKind::kRegency;
    case registry_pb::SUBDISTRICT:
      return RegionLevelKind::kSubdistrict;
    case registry_pb::VILLAGE:
      return RegionLevelKind::kVillage;
    default:
      return absl::InternalError(
          absl::StrCat("registry answered a region without a valid level (", level, ")"));
  }
}

// Maps the registry's answer to the contract of RegionDirectory::GetRegion.
absl::Status FromRegistryStatus(const grpc::Status& status, absl::string_view code,
                                absl::string_view field) {
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(absl::StrCat(field, ": \"", code, "\" is not a known region"));
    case grpc::StatusCode::INVALID_ARGUMENT:
      return absl::InvalidArgumentError(absl::StrCat(field, ": ", status.error_message()));
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::CANCELLED:
      return absl::UnavailableError(absl::StrCat(field, ": cannot check region \"", code,
                                                 "\" now, the registry is unavailable (",
                                                 status.error_message(), "); retry later"));
    default:
      return absl::InternalError(absl::StrCat("registry GetRegion(", code, ") failed with code ",
                                              status.error_code(), ": ", status.error_message()));
  }
}

}  // namespace

absl::string_view RegionLevelName(RegionLevelKind level) {
  switch (level) {
    case RegionLevelKind::kProvince:
      return "province";
    case RegionLevelKind::kRegency:
      return "regency";
    case RegionLevelKind::kSubdistrict:
      return "subdistrict";
    case RegionLevelKind::kVillage:
      return "village";
  }
  return "region";
}

GrpcRegionDirectory::GrpcRegionDirectory(const std::string& address,
                                         std::chrono::milliseconds deadline)
    : GrpcRegionDirectory(CreateServiceChannel(address), deadline) {}

GrpcRegionDirectory::GrpcRegionDirectory(std::shared_ptr<grpc::ChannelInterface> channel,
                                         std::chrono::milliseconds deadline)
    : stub_(registry_pb::RegistryService::NewStub(channel)), deadline_(deadline) {}

absl::StatusOr<RegionInfo> GrpcRegionDirectory::GetRegion(absl::string_view code,
                                                          absl::string_view field) {
  WAHANA_ASSIGN_OR_RETURN(RegionLevelKind level, ParseRegionCode(code, field));
  std::string key(code);
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }

  grpc::ClientContext context;
  // Never beyond the deadline of the call we work for; the request id goes along.
  PrepareOutgoingCall(context, deadline_);
  registry_pb::GetRegionRequest request;
  request.set_code(key);
  registry_pb::Region response;
  grpc::Status status = stub_->GetRegion(&context, request, &response);
  if (!status.ok()) return FromRegistryStatus(status, code, field);

  WAHANA_ASSIGN_OR_RETURN(RegionLevelKind answered_level, FromProtoLevel(response.level()));
  if (response.code() != key || answered_level != level) {
    return absl::InternalError(absl::StrCat("registry answered region \"", response.code(),
                                            "\" (level ", response.level(), ") for \"", key, "\""));
  }
  RegionInfo info{response.code(), response.name(), answered_level, response.parent_code()};
  absl::MutexLock lock(&mu_);
  cache_.emplace(key, info);
  return info;
}

absl::StatusOr<std::vector<RegionInfo>> GrpcRegionDirectory::ListChildren(absl::string_view code) {
  WAHANA_RETURN_IF_ERROR(ParseRegionCode(code, "region").status());
  const std::string key(code);
  {
    absl::MutexLock lock(&mu_);
    auto it = children_.find(key);
    if (it != children_.end()) return it->second;
  }
  std::vector<RegionInfo> children;
  registry_pb::ListRegionsRequest request;
  request.set_parent(key);
  request.set_page_size(500);
  do {
    grpc::ClientContext context;
    PrepareOutgoingCall(context, deadline_);
    registry_pb::ListRegionsResponse response;
    grpc::Status status = stub_->ListRegions(&context, request, &response);
    if (!status.ok()) return FromRegistryStatus(status, code, "region");
    for (const registry_pb::Region& region : response.regions()) {
      WAHANA_ASSIGN_OR_RETURN(RegionLevelKind level, FromProtoLevel(region.level()));
      children.push_back({region.code(), region.name(), level, region.parent_code()});
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  std::sort(children.begin(), children.end(),
            [](const RegionInfo& a, const RegionInfo& b) { return a.code < b.code; });
  absl::MutexLock lock(&mu_);
  for (const RegionInfo& child : children) cache_.emplace(child.code, child);
  children_.emplace(key, children);
  return children;
}

StaticRegionDirectory& StaticRegionDirectory::Add(const std::string& code,
                                                  const std::string& name) {
  auto level = ParseRegionCode(code);
  if (!level.ok()) return *this;  // documented precondition; a test would see NOT_FOUND later
  regions_[code] = RegionInfo{code, name, *level, ParentRegionCode(code)};
  return *this;
}

absl::StatusOr<RegionInfo> StaticRegionDirectory::GetRegion(absl::string_view code,
                                                            absl::string_view field) {
  WAHANA_RETURN_IF_ERROR(ParseRegionCode(code, field).status());
  auto it = regions_.find(std::string(code));
  if (it == regions_.end()) {
    return absl::NotFoundError(absl::StrCat(field, ": \"", code, "\" is not a known region"));
  }
  return it->second;
}

absl::StatusOr<std::vector<RegionInfo>> StaticRegionDirectory::ListChildren(
    absl::string_view code) {
  WAHANA_RETURN_IF_ERROR(ParseRegionCode(code, "region").status());
  std::vector<RegionInfo> children;
  for (const auto& [child_code, info] : regions_) {
    if (info.parent_code == code) children.push_back(info);
  }
  std::sort(children.begin(), children.end(),
            [](const RegionInfo& a, const RegionInfo& b) { return a.code < b.code; });
  return children;
}

absl::StatusOr<RegionInfo> RequireRegion(RegionDirectory& directory, absl::string_view code,
                                         absl::string_view field, absl::string_view scope,
                                         std::initializer_list<RegionLevelKind> levels) {
  WAHANA_ASSIGN_OR_RETURN(RegionLevelKind level, ParseRegionCode(code, field));
  if (std::find(levels.begin(), levels.end(), level) == levels.end()) {
    std::vector<std::string> names;
    for (RegionLevelKind l : levels) names.emplace_back(RegionLevelName(l));
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be a ",
                                                   absl::StrJoin(names, ", "), " code; \"", code,
                                                   "\" is a ", RegionLevelName(level), " code"));
  }
  if (!RegionWithin(code, scope)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", code, "\" is outside this deployment's region ", scope));
  }
  absl::StatusOr<RegionInfo> info = directory.GetRegion(code, field);
  if (absl::IsNotFound(info.status())) {
    return absl::InvalidArgumentError(info.status().message());
  }
  return info;
}

}  // namespace wahana
