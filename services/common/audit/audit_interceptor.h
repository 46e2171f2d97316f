#pragma once
// The server interceptor that writes the audit trail (issue 4): for every call of an audited
// gRPC service it records who (the verified principal), what (the method and the record, found
// by audit_subjects.h), when, from where (the gateway's "x-forwarded-for" when the gateway proved
// it sent it, else the gRPC peer: forwarded_address.h), the outcome and the request id, and
// appends it to the service's AuditTrail.
//
// The answer waits for its entry: at PRE_SEND_STATUS the entry is queued and the batch proceeds
// only once the trail has written it (group commit; Proceed is called from the trail's writer).
// When the trail cannot be written, a read of personal data fails closed: the client gets
// UNAVAILABLE "audit trail unavailable" and an empty message instead of the record; a write keeps
// its real status (it is done), and the failure is logged and counted by the trail.
//
// Unary methods are audited fully; a streaming method leaves one entry with what it saw last.
// Install after the authenticating interceptor (ServiceRuntime::AddInterceptor does).

#include <grpcpp/support/server_interceptor.h>

#include <map>
#include <memory>
#include <string>

#include "common/audit/audit_subjects.h"
#include "common/audit/audit_trail.h"

namespace wahana {

// `audited`: full gRPC service name ("wahana.cases.v1.CaseService") -> its records.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeAuditInterceptorFactory(
    std::shared_ptr<AuditTrail> trail, std::map<std::string, AuditedCollection> audited);

// Whether `method` ("GetCase") only reads: Get*, List*, Lookup*, Export*. Reads fail closed.
bool IsReadMethod(const std::string& method);

}  // namespace wahana
