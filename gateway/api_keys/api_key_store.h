#pragma once
// API keys in Redis, owned by the gateway: `auth:{<region>}:apikey:<keyId>` (a hash: name, role,
// regionScope, createdBy, created, revoked, revokeTime, secretHash, workerId) and the index
// `auth:{<region>}:apikeys` (a sorted set of key ids by creation time); `auth:{<region>}:bootstrap`
// holds the id of the key `Bootstrap` made.
//
// A secret is "wk_<keyId>_<43 characters of base64url>" (256 random bits): lookup is by keyId and
// only the SHA-256 of the whole secret is stored (a fast hash suits a random 256-bit secret; there
// is nothing to brute-force), compared in constant time. Revoking is immediate: every
// Authenticate reads the record (one HGETALL), nothing is cached.
//
// `workerId` (a FIELD_WORKER key's registry worker, Principal::worker_id) came later: a hash
// without it, as every key stored before it has, is a key without a link and loads as before.
//
// Thread-safe (RedisClient is).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "common/redis/redis_client.h"

namespace wahana {

struct ApiKeyRecord {
  std::string id;
  std::string name;
  Role role = Role::kViewer;
  std::string region_scope;
  std::string created_by;
  std::string worker_id;  // "" unless a FIELD_WORKER key acts as a registry worker
  int64_t create_time_unix = 0;
  bool revoked = false;
  int64_t revoke_time_unix = 0;
};

struct CreatedApiKey {
  ApiKeyRecord record;
  std::string secret;  // shown once
};

class ApiKeyStore {
 public:
  // `region` is the deployment's region (the keys' hash tag). `redis` must outlive the store.
  ApiKeyStore(RedisClient& redis, std::string region);

  // True when `credential` has the shape of an API key secret ("wk_..."), as opposed to a JWT.
  static bool LooksLikeApiKey(absl::string_view credential);

  // Stores a new key. INVALID_ARGUMENT naming the field: name empty or longer than 200
  // characters, regionScope not a region code, workerId given for a role other than FIELD_WORKER
  // or not a record id (principal.h CheckWorkerLink). Permission checks, and whether the worker
  // exists, are the caller's.
  absl::StatusOr<CreatedApiKey> Create(const std::string& name, Role role,
                                       const std::string& region_scope,
                                       const std::string& created_by,
                                       const std::string& worker_id = "");
  // An ADMIN key for `region_scope` named "bootstrap admin", unless Bootstrap already made one
  // (ALREADY_EXISTS then, even when that key was revoked since).
  absl::StatusOr<CreatedApiKey> Bootstrap(const std::string& region_scope);

  // NOT_FOUND when there is no such key.
  absl::StatusOr<ApiKeyRecord> Get(const std::string& id);
  // Every key, revoked ones included, oldest first.
  absl::StatusOr<std::vector<ApiKeyRecord>> List();
  // Marks the key revoked (kept, for the record); revoking a revoked key changes nothing.
  // NOT_FOUND when there is no such key.
  absl::StatusOr<ApiKeyRecord> Revoke(const std::string& id);

  // The principal ("apikey:<id>", with the key's worker link) of an active key's `secret`.
  // UNAUTHENTICATED, with one message
  // for every kind of failure, when the secret is malformed, unknown, wrong or revoked;
  // UNAVAILABLE when Redis cannot be reached.
  absl::StatusOr<Principal> Authenticate(absl::string_view secret);

 private:
  std::string KeyOf(absl::string_view id) const;
  absl::StatusOr<CreatedApiKey> Insert(const std::string& name, Role role,
                                       const std::string& region_scope,
                                       const std::string& created_by, const std::string& worker_id,
                                       bool bootstrap);

  RedisClient& redis_;
  const std::string tag_;  // "auth:{16.06}:"
};

}  // namespace wahana
