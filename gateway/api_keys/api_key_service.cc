#include "gateway/api_keys/api_key_service.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/call_authenticator.h"
#include "common/grpc/unary_call.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"

namespace wahana {
namespace {

absl::Status RequireAdmin(const Principal& caller) {
  if (caller.role != Role::kAdmin) {
    return absl::PermissionDeniedError("only an ADMIN may manage API keys");
  }
  return absl::OkStatus();
}

}  // namespace

auth::v1::ApiKey ToApiKey(const ApiKeyRecord& record) {
  auth::v1::ApiKey key;
  key.set_id(record.id);
  key.set_name(record.name);
  key.set_role(ToProtoRole(record.role));
  key.set_region_scope(record.region_scope);
  key.set_created_by(record.created_by);
  key.set_create_time_unix(record.create_time_unix);
  key.set_revoked(record.revoked);
  key.set_revoke_time_unix(record.revoke_time_unix);
  key.set_worker_id(record.worker_id);
  return key;
}

absl::Status ApiKeyLogic::CheckLinkedWorker(const Principal& caller, const std::string& worker_id,
                                            const std::string& region_scope) {
  return CheckWorkerLinkInRegistry(*workers_, caller, worker_id, region_scope, deployment_region_,
                                   "workerId");
}

absl::StatusOr<auth::v1::CreateApiKeyResponse> ApiKeyLogic::Create(
    const Principal& caller, const auth::v1::CreateApiKeyRequest& r) {
  WAHANA_RETURN_IF_ERROR(RequireAdmin(caller));
  if (r.name().empty()) return absl::InvalidArgumentError("name: required");
  WAHANA_ASSIGN_OR_RETURN(Role role, ToRole(r.role(), "role"));
  if (!MayGrant(caller.role, role)) {
    return absl::InvalidArgumentError(
        absl::StrCat("role: ", RoleName(caller.role), " may not grant ", RoleName(role)));
  }
  WAHANA_RETURN_IF_ERROR(ParseRegionCode(r.region_scope(), "regionScope").status());
  if (!Covers(caller, r.region_scope())) {
    return absl::InvalidArgumentError(
        absl::StrCat("regionScope: must lie within your own scope ", caller.region_scope));
  }
  // The form first (the store checks it again): no registry call for a link that cannot be.
  WAHANA_RETURN_IF_ERROR(CheckWorkerLink(role, r.worker_id(), "workerId"));
  if (!r.worker_id().empty() && workers_ != nullptr) {
    WAHANA_RETURN_IF_ERROR(CheckLinkedWorker(caller, r.worker_id(), r.region_scope()));
  }
  WAHANA_ASSIGN_OR_RETURN(CreatedApiKey created, store_->Create(r.name(), role, r.region_scope(),
                                                                caller.subject, r.worker_id()));
  auth::v1::CreateApiKeyResponse response;
  *response.mutable_key() = ToApiKey(created.record);
  response.set_secret(created.secret);
  return response;
}

absl::StatusOr<auth::v1::ListApiKeysResponse> ApiKeyLogic::List(const Principal& caller) {
  WAHANA_RETURN_IF_ERROR(RequireAdmin(caller));
  WAHANA_ASSIGN_OR_RETURN(std::vector<ApiKeyRecord> records, store_->List());
  auth::v1::ListApiKeysResponse response;
  for (const ApiKeyRecord& record : records) {
    if (Covers(caller, record.region_scope)) *response.add_keys() = ToApiKey(record);
  }
  return response;
}

absl::StatusOr<auth::v1::ApiKey> ApiKeyLogic::Revoke(const Principal& caller,
                                                     const auth::v1::RevokeApiKeyRequest& r) {
  WAHANA_RETURN_IF_ERROR(RequireAdmin(caller));
  WAHANA_ASSIGN_OR_RETURN(ApiKeyRecord record, store_->Get(r.id()));
  // Outside the caller's scope reads as absent.
  if (!Covers(caller, record.region_scope)) {
    return absl::NotFoundError(absl::StrCat("no API key ", r.id()));
  }
  WAHANA_ASSIGN_OR_RETURN(ApiKeyRecord revoked, store_->Revoke(r.id()));
  return ToApiKey(revoked);
}

grpc::ServerUnaryReactor* ApiKeyGrpcService::CreateApiKey(
    grpc::CallbackServerContext* context, const auth::v1::CreateApiKeyRequest* request,
    auth::v1::CreateApiKeyResponse* response) {
  return RunUnary(context, pool_, response,
                  [this, context, request]() -> absl::StatusOr<auth::v1::CreateApiKeyResponse> {
                    WAHANA_ASSIGN_OR_RETURN(Principal caller, PrincipalOf(*context));
                    return logic_->Create(caller, *request);
                  });
}

grpc::ServerUnaryReactor* ApiKeyGrpcService::ListApiKeys(
    grpc::CallbackServerContext* context, const auth::v1::ListApiKeysRequest* request,
    auth::v1::ListApiKeysResponse* response) {
  return RunUnary(context, pool_, response,
                  [this, context]() -> absl::StatusOr<auth::v1::ListApiKeysResponse> {
                    WAHANA_ASSIGN_OR_RETURN(Principal caller, PrincipalOf(*context));
                    return logic_->List(caller);
                  });
}

grpc::ServerUnaryReactor* ApiKeyGrpcService::RevokeApiKey(
    grpc::CallbackServerContext* context, const auth::v1::RevokeApiKeyRequest* request,
    auth::v1::ApiKey* response) {
  return RunUnary(context, pool_, response,
                  [this, context, request]() -> absl::StatusOr<auth::v1::ApiKey> {
                    WAHANA_ASSIGN_OR_RETURN(Principal caller, PrincipalOf(*context));
                    return logic_->Revoke(caller, *request);
                  });
}

}  // namespace wahana
