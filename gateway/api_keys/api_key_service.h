#pragma once
// wahana.auth.v1.ApiKeyService, served inside the gateway process (an in-process gRPC server the
// gateway routes to like any backend). Only an ADMIN may call it, and only within its own region
// scope: keys it creates lie inside its scope, with a role it may grant (role.h MayGrant); it
// lists and revokes only keys inside its scope (others are NOT_FOUND).
//
// A FIELD_WORKER key may act as a registry worker (`workerId`, Principal::worker_id): the id must
// be a record id and the role FIELD_WORKER (INVALID_ARGUMENT naming workerId otherwise); with a
// WorkerDirectory the worker must also be one the ADMIN can read (NOT_FOUND naming workerId),
// not archived (FAILED_PRECONDITION) and work within the key's regionScope, its home base or one
// of its kecamatan lying there (INVALID_ARGUMENT); UNAVAILABLE when the registry cannot answer.
// Without a directory (no registry address configured) only the id's form is checked.

#include <memory>
#include <string>

#include "common/grpc/worker_pool.h"
#include "gateway/api_keys/api_key_store.h"
#include "gateway/api_keys/worker_directory.h"
#include "wahana/auth/v1/api_key.grpc.pb.h"

namespace wahana {

// The checks and the store, without gRPC (testable alone).
class ApiKeyLogic {
 public:
  // `workers` may be null (worker links then checked for form only); `deployment_region` is where
  // a worker with neither a home base nor a kecamatan works.
  explicit ApiKeyLogic(std::shared_ptr<ApiKeyStore> store,
                       std::shared_ptr<WorkerDirectory> workers = nullptr,
                       std::string deployment_region = "")
      : store_(std::move(store)),
        workers_(std::move(workers)),
        deployment_region_(std::move(deployment_region)) {}

  absl::StatusOr<auth::v1::CreateApiKeyResponse> Create(const Principal& caller,
                                                        const auth::v1::CreateApiKeyRequest& r);
  absl::StatusOr<auth::v1::ListApiKeysResponse> List(const Principal& caller);
  absl::StatusOr<auth::v1::ApiKey> Revoke(const Principal& caller,
                                          const auth::v1::RevokeApiKeyRequest& r);

 private:
  // The registry checks of a worker link (see the file comment).
  absl::Status CheckLinkedWorker(const Principal& caller, const std::string& worker_id,
                                 const std::string& region_scope);

  std::shared_ptr<ApiKeyStore> store_;
  std::shared_ptr<WorkerDirectory> workers_;
  const std::string deployment_region_;
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
