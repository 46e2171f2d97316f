#include "common/audit/audit_service.h"

#include "common/audit/audit_chain.h"
#include "common/audit/audit_interceptor.h"
#include "common/audit/audit_metrics.h"
#include "common/audit/audit_trail.h"
#include "common/grpc/unary_call.h"

namespace wahana {

grpc::ServerUnaryReactor* AuditGrpcService::ListAuditEntries(
    grpc::CallbackServerContext* context, const audit::v1::ListAuditEntriesRequest* request,
    audit::v1::ListAuditEntriesResponse* response) {
  return RunUnary(context, pool_, response, [reader = reader_, request](const Principal& caller) {
    return reader->List(caller, *request);
  });
}

absl::Status AddAuditTrail(ServiceRuntime& runtime,
                           std::map<std::string, AuditedCollection> audited) {
  absl::StatusOr<std::string> key = ReadAuditChainKey(runtime.config().auth.token_secret_file);
  if (!key.ok()) return key.status();
  const std::string& process = runtime.config().process;
  const std::string& region = runtime.config().region;
  auto trail = std::make_shared<AuditTrail>(runtime.redis(), process, region, *std::move(key));
  runtime.AddInterceptor(MakeAuditInterceptorFactory(trail, std::move(audited)));
  runtime.AddMetrics(std::make_shared<AuditTrailCollector>(trail));
  runtime.AddService(std::make_unique<AuditGrpcService>(
      std::make_shared<const AuditReader>(runtime.redis(), process, region), runtime.pool()));
  // After the server has answered its last call: each answer waited for its entry.
  runtime.AddBackground([] {}, [trail] { trail->Stop(); });
  return absl::OkStatus();
}

}  // namespace wahana
