#pragma once
// Reads a service's audit trail for AuditService.ListAuditEntries: the entries indexed under one
// subject, oldest first, for SUPERVISOR, ADMIN and SYSTEM principals (access_policy.h, kAudit)
// and only those about records inside the principal's region scope.
//
// The index only finds entries; each is judged by its own (chained) bytes. An entry that does not
// name the subject is dropped, as is one whose recorded region for the subject is outside the
// principal's scope: the record's region is the one the entry recorded for it (`record_region`
// for its subject, `returned_regions` for a returned subject, both taken from the records the
// call answered with), else the one the subject's other entries on the page show, else the
// deployment's region. Of an entry shown, the other records it names (a list's other results, a
// subject other than the one asked about) are removed unless their recorded region is in scope;
// one without a recorded region counts as in the deployment's region. Dropped entries and
// removed names are simply absent: nothing says they were there.
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
  // Whether `entry`, found in the index of `subject` (whose region, by the page, is
  // `subject_region`), may be shown to `principal`; when it may, removes the names it may not see.
  bool ShowTo(const Principal& principal, const std::string& subject,
              const std::string& subject_region, audit::v1::AuditEntry& entry) const;

  RedisClient& redis_;
  const AuditKeys keys_;
  const std::string region_;
};

}  // namespace wahana
