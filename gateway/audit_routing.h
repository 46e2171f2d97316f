#pragma once
// GET /v1/audit (wahana.audit.v1.AuditService) has no one backend: each service keeps its own
// audit trail (issue 4), so the gateway sends the call to the service holding the records of the
// subject's collection: "cases/..." to the case service; "beneficiaries/...", "households/...",
// "workers/..." to the registry.

#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/backend.h"

namespace wahana {

inline constexpr char kAuditServiceName[] = "wahana.audit.v1.AuditService";

// Whether any of the routed `services` keeps a trail: then the audit route is served.
bool RoutesAudit(const std::vector<std::string>& services);

// The index in `backends` of the service keeping the trail of the request's `subject`.
// INVALID_ARGUMENT naming `subject` when it is empty or names no audited collection;
// UNAVAILABLE when the gateway has no address for that service.
absl::StatusOr<size_t> AuditBackendFor(const google::protobuf::Message& request,
                                       const std::vector<std::unique_ptr<Backend>>& backends);

}  // namespace wahana
