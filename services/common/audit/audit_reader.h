#pragma once
// Reads a service's audit trail for AuditService.ListAuditEntries: the entries indexed under one
// subject, oldest first, for SUPERVISOR, ADMIN and SYSTEM principals (access_policy.h, kAudit)
// and only those about records inside the principal's region scope. An entry's record region is
// its own (`record_region`, when the call learnt it and was about this subject), else the one the
// subject's other entries on the page show, else the deployment's region.
//
// Errors: PERMISSION_DENIED for a role that may not read the audit; INVALID_ARGUMENT naming
// `subject`, `pageSize` or `pageToken`; NOT_FOUND when the first page has nothing the principal
// may see (no entry, or none in scope: refusals leak no existence).

#include <string>

#include "absl/status/statusor.h"
#include "common/audit/audit_keys.h"
#include "common/auth/principal.h"
#include "common/redis/redis_client.h"
#include "wahana/audit/v1/audit.pb.h"

namespace wahana {

class AuditReader {
 public:
  AuditReader(RedisClient& redis, const std::string& service, std::string region)
      : redis_(redis), keys_(service, region), region_(std::move(region)) {}

  absl::StatusOr<audit::v1::ListAuditEntriesResponse> List(
      const Principal& principal, const audit::v1::ListAuditEntriesRequest& request) const;

 private:
  RedisClient& redis_;
  const AuditKeys keys_;
  const std::string region_;
};

}  // namespace wahana
