#pragma once
// wahana.audit.v1.AuditService over a service's own trail (audit_reader.h), and the one call a
// service's setup makes to keep a trail: AddAuditTrail.

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/audit/audit_reader.h"
#include "common/audit/audit_subjects.h"
#include "common/grpc/worker_pool.h"
#include "common/process/service_main.h"
#include "wahana/audit/v1/audit.grpc.pb.h"

namespace wahana {

class AuditGrpcService final : public audit::v1::AuditService::CallbackService {
 public:
  AuditGrpcService(std::shared_ptr<const AuditReader> reader, WorkerPool& pool)
      : reader_(std::move(reader)), pool_(pool) {}

  grpc::ServerUnaryReactor* ListAuditEntries(
      grpc::CallbackServerContext* context, const audit::v1::ListAuditEntriesRequest* request,
      audit::v1::ListAuditEntriesResponse* response) override;

 private:
  std::shared_ptr<const AuditReader> reader_;
  WorkerPool& pool_;
};

// Gives the service `runtime` sets up its audit trail `<process>:{<region>}:audit`: the trail's
// writer (stopped after the server has finished its calls), the interceptor auditing every call
// of the `audited` gRPC services (full name -> records), and AuditService. The chain key derives
// from WAHANA_TOKEN_SECRET_FILE. Call once, from the setup function.
absl::Status AddAuditTrail(ServiceRuntime& runtime,
                           std::map<std::string, AuditedCollection> audited);

}  // namespace wahana
