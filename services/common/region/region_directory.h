#pragma once
// "Is this code a known region, and at what level?" for services that take region codes as input.
//
// RegionDirectory is the interface the services' logic depends on. GrpcRegionDirectory asks the
// registry (wahana.registry.v1.RegistryService/GetRegion) and keeps every positive answer in
// memory: regions are reference data that change once a year at most, and a district uses a few
// hundred. Negative answers are not cached, so a region loaded into the registry later is found at
// once. StaticRegionDirectory answers from a fixed list (tests, tools).

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/region/region_code.h"
#include "wahana/registry/v1/registry.grpc.pb.h"

namespace wahana {

struct RegionInfo {
  std::string code;
  std::string name;
  RegionLevelKind level = RegionLevelKind::kProvince;
  std::string parent_code;  // empty for a province
};

class RegionDirectory {
 public:
  virtual ~RegionDirectory() = default;

  // The region with `code`. `field` is the request field the code came from and starts every
  // error message. INVALID_ARGUMENT for a malformed code, NOT_FOUND for a well-formed code that is
  // not a known region, UNAVAILABLE when the directory cannot answer now (retryable).
  // Thread-safe.
  virtual absl::StatusOr<RegionInfo> GetRegion(absl::string_view code, absl::string_view field) = 0;

  // The regions one level below `code`, in code order (a report's region rows, zeros included).
  // UNIMPLEMENTED for a directory that cannot list; otherwise as GetRegion. Thread-safe.
  virtual absl::StatusOr<std::vector<RegionInfo>> ListChildren(absl::string_view code) {
    return absl::UnimplementedError(absl::StrCat("no list of the regions under ", code));
  }
};

// Asks the registry over gRPC. One channel and stub, created here and reused; every call has
// `deadline`, cut short by the deadline of the call being served (common/grpc/call_scope.h),
// and carries its request id. Thread-safe.
class GrpcRegionDirectory : public RegionDirectory {
 public:
  static constexpr std::chrono::milliseconds kDefaultDeadline{2000};

  // `address` is the registry's target (WAHANA_REGISTRY_ADDR). The channel connects lazily:
  // construction never fails, a registry that is down shows as UNAVAILABLE on the first lookup.
  explicit GrpcRegionDirectory(const std::string& address,
                               std::chrono::milliseconds deadline = kDefaultDeadline);
  GrpcRegionDirectory(std::shared_ptr<grpc::ChannelInterface> channel,
                      std::chrono::milliseconds deadline);

  absl::StatusOr<RegionInfo> GetRegion(absl::string_view code, absl::string_view field) override;
  // Asks ListRegions page by page, once per code (then remembered, with each child's GetRegion).
  absl::StatusOr<std::vector<RegionInfo>> ListChildren(absl::string_view code) override;

 private:
  std::unique_ptr<wahana::registry::v1::RegistryService::Stub> stub_;
  const std::chrono::milliseconds deadline_;
  absl::Mutex mu_;
  std::unordered_map<std::string, RegionInfo> cache_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, std::vector<RegionInfo>> children_ ABSL_GUARDED_BY(mu_);
};

// A fixed list of regions. Add() before sharing it between threads; GetRegion is then thread-safe.
class StaticRegionDirectory : public RegionDirectory {
 public:
  // `code` must be well formed; its level and parent follow from it.
  StaticRegionDirectory& Add(const std::string& code, const std::string& name = "");

  absl::StatusOr<RegionInfo> GetRegion(absl::string_view code, absl::string_view field) override;
  absl::StatusOr<std::vector<RegionInfo>> ListChildren(absl::string_view code) override;

 private:
  std::unordered_map<std::string, RegionInfo> regions_;
};

// The check a create request needs for a region field: `code` is well formed, at one of `levels`,
// within `scope` (the deployment's region) and known to `directory`. Every refusal is
// INVALID_ARGUMENT naming `field` (an unknown code too: for the caller it is a bad argument, not a
// missing resource); UNAVAILABLE when the directory cannot answer. Local checks run first, so a
// malformed or out-of-scope code never costs a call.
absl::StatusOr<RegionInfo> RequireRegion(RegionDirectory& directory, absl::string_view code,
                                         absl::string_view field, absl::string_view scope,
                                         std::initializer_list<RegionLevelKind> levels);

// "province", "regency", "subdistrict", "village".
absl::string_view RegionLevelName(RegionLevelKind level);

}  // namespace wahana
