#pragma once
// wahana.auth.v1.ApiKeyService, served inside the gateway process (an in-process gRPC server the
// gateway routes to like any backend). Only an ADMIN may call it, and only within its own region
// scope: keys it creates lie inside its scope, with a role it may grant (role.h MayGrant); it
// lists and revokes only keys inside its scope (others are NOT_FOUND).

#include <memory>

#include "common/grpc/worker_pool.h"
#include "gateway/api_keys/api_key_store.h"
#include "wahana/auth/v1/api_key.grpc.pb.h"

namespace wahana {

// The checks and the store, without gRPC (testable alone).
class ApiKeyLogic {
 public:
  explicit ApiKeyLogic(std::shared_ptr<ApiKeyStore> store) : store_(std::move(store)) {}

  absl::StatusOr<auth::v1::CreateApiKeyResponse> Create(const Principal& caller,
                                                        const auth::v1::CreateApiKeyRequest& r);
  absl::StatusOr<auth::v1::ListApiKeysResponse> List(const Principal& caller);
  absl::StatusOr<auth::v1::ApiKey> Revoke(const Principal& caller,
                                          const auth::v1::RevokeApiKeyRequest& r);

 private:
  std::shared_ptr<ApiKeyStore> store_;
};

// The API form of a record (never a secret).
auth::v1::ApiKey ToApiKey(const ApiKeyRecord& record);

class ApiKeyGrpcService final : public auth::v1::ApiKeyService::CallbackService {
 public:
  // `pool` runs the Redis work and must outlive the service.
  ApiKeyGrpcService(std::shared_ptr<ApiKeyLogic> logic, WorkerPool& pool)
      : logic_(std::move(logic)), pool_(pool) {}

  grpc::ServerUnaryReactor* CreateApiKey(grpc::CallbackServerContext* context,
                                         const auth::v1::CreateApiKeyRequest* request,
                                         auth::v1::CreateApiKeyResponse* response) override;
  grpc::ServerUnaryReactor* ListApiKeys(grpc::CallbackServerContext* context,
                                        const auth::v1::ListApiKeysRequest* request,
                                        auth::v1::ListApiKeysResponse* response) override;
  grpc::ServerUnaryReactor* RevokeApiKey(grpc::CallbackServerContext* context,
                                         const auth::v1::RevokeApiKeyRequest* request,
                                         auth::v1::ApiKey* response) override;

 private:
  std::shared_ptr<ApiKeyLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana
