#include "gateway/api_keys/in_process_api_keys.h"

#include <grpcpp/health_check_service_interface.h>

#include <chrono>

#include "common/audit/audit_interceptor.h"
#include "common/auth/call_authenticator.h"

namespace wahana {
namespace {

constexpr int kWorkerThreads = 2;  // key management is rare
constexpr int kWorkerQueue = 64;

}  // namespace

absl::StatusOr<std::unique_ptr<InProcessApiKeys>> InProcessApiKeys::Start(
    std::shared_ptr<ApiKeyStore> store, std::shared_ptr<const TokenVerifier> verifier,
    std::shared_ptr<WorkerDirectory> workers, std::string deployment_region,
    std::shared_ptr<AuditTrail> audit, std::shared_ptr<const AuditReader> audit_reader) {
  std::unique_ptr<InProcessApiKeys> keys(new InProcessApiKeys());
  keys->pool_ = std::make_unique<WorkerPool>(kWorkerThreads, kWorkerQueue);
  keys->service_ = std::make_unique<ApiKeyGrpcService>(
      std::make_shared<ApiKeyLogic>(std::move(store), std::move(workers),
                                    std::move(deployment_region)),
      *keys->pool_);
  // /readyz asks every backend's health service, this one included.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.RegisterService(keys->service_.get());
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  // Authentication first: the audit entry names the verified principal.
  creators.push_back(MakeCallAuthenticationFactory(std::move(verifier)));
  if (audit != nullptr) {
    // Keys hold no personal data: their changes are audited, their lists are not.
    creators.push_back(MakeAuditInterceptorFactory(
        audit, {{auth::v1::ApiKeyService::service_full_name(),
                 {"apiKeys", "wahana.auth.v1.ApiKey", /*reads_audited=*/false}}}));
    keys->audit_ = std::move(audit);
  }
  if (audit_reader != nullptr) {
    keys->audit_service_ =
        std::make_unique<AuditGrpcService>(std::move(audit_reader), *keys->pool_);
    builder.RegisterService(keys->audit_service_.get());
  }
  builder.experimental().SetInterceptorCreators(std::move(creators));
  keys->server_ = builder.BuildAndStart();
  if (keys->server_ == nullptr) return absl::InternalError("cannot start the API key service");
  return keys;
}

InProcessApiKeys::~InProcessApiKeys() { Shutdown(); }

std::unique_ptr<Backend> InProcessApiKeys::MakeBackend() {
  return std::make_unique<Backend>(auth::v1::ApiKeyService::service_full_name(), "in-process",
                                   server_->InProcessChannel(grpc::ChannelArguments()));
}

void InProcessApiKeys::Shutdown() {
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server_->Wait();
  server_.reset();
  // After the server has answered its last call: each answer waited for its entry.
  if (audit_ != nullptr) audit_->Stop();
}

}  // namespace wahana
