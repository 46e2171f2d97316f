#pragma once
// ApiKeyService served inside the gateway process: a gRPC server with no listening port (its calls
// authenticated like any service's), reached through its in-process channel by a Backend, so the
// gateway routes /v1/apiKeys like any other service's routes. With an audit trail, every key
// creation and revocation (and every refused attempt) leaves an entry on the gateway's trail,
// read back with GET /v1/audit?subject=apiKeys/<id>, as every service's writes do.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/audit/audit_reader.h"
#include "common/audit/audit_service.h"
#include "common/audit/audit_trail.h"
#include "common/auth/token.h"
#include "common/grpc/worker_pool.h"
#include "gateway/api_keys/api_key_service.h"
#include "gateway/api_keys/api_key_store.h"
#include "gateway/api_keys/worker_directory.h"
#include "gateway/backend.h"

namespace wahana {

class InProcessApiKeys {
 public:
  // INTERNAL when the server cannot be built. `workers` (may be null: worker links are then
  // checked for form only) and `deployment_region` go to ApiKeyLogic. `audit` (may be null: no
  // entries) is the trail key changes are written to, and `audit_reader` (with it) reads it.
  static absl::StatusOr<std::unique_ptr<InProcessApiKeys>> Start(
      std::shared_ptr<ApiKeyStore> store, std::shared_ptr<const TokenVerifier> verifier,
      std::shared_ptr<WorkerDirectory> workers = nullptr, std::string deployment_region = "",
      std::shared_ptr<AuditTrail> audit = nullptr,
      std::shared_ptr<const AuditReader> audit_reader = nullptr);
  ~InProcessApiKeys();  // Shutdown()

  // A backend for the gateway over the in-process channel; the server must outlive it.
  std::unique_ptr<Backend> MakeBackend();

  // Finishes the calls in flight and stops. Idempotent.
  void Shutdown();

 private:
  InProcessApiKeys() = default;

  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<ApiKeyGrpcService> service_;
  std::unique_ptr<AuditGrpcService> audit_service_;
  std::shared_ptr<AuditTrail> audit_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace wahana
