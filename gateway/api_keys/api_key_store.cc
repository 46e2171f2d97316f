#include "gateway/api_keys/api_key_store.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/region/region_code.h"

namespace wahana {
namespace {

constexpr size_t kKeyIdBytes = 8;    // 16 hex characters
constexpr size_t kSecretBytes = 32;  // 256 bits
constexpr size_t kMaxNameLength = 200;
constexpr char kSecretPrefix[] = "wk_";
constexpr char kRefused[] = "unknown, revoked or malformed API key";

// KEYS: record, index, bootstrap marker. ARGV: bootstrap flag, id, name, role, scope, createdBy,
// created, secretHash, workerId. Returns 0 when a bootstrap key exists already.
const LuaScript& InsertScript() {
  static const LuaScript* const kScript = new LuaScript(R"lua(
if ARGV[1] == '1' then
  if not redis.call('SET', KEYS[3], ARGV[2], 'NX') then return 0 end
end
redis.call('HSET', KEYS[1], 'name', ARGV[3], 'role', ARGV[4], 'regionScope', ARGV[5],
           'createdBy', ARGV[6], 'created', ARGV[7], 'revoked', '0', 'revokeTime', '0',
           'secretHash', ARGV[8], 'workerId', ARGV[9])
redis.call('ZADD', KEYS[2], ARGV[7], ARGV[2])
return 1
)lua");
  return *kScript;
}

// KEYS: record. ARGV: now. 0 when there is no such key.
const LuaScript& RevokeScript() {
  static const LuaScript* const kScript = new LuaScript(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'revoked') ~= '1' then
  redis.call('HSET', KEYS[1], 'revoked', '1', 'revokeTime', ARGV[1])
end
return 1
)lua");
  return *kScript;
}

std::string RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) {
    return "";
  }
  return bytes;
}

std::string Sha256Hex(absl::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

bool IsKeyId(absl::string_view id) {
  return id.size() == 2 * kKeyIdBytes && std::all_of(id.begin(), id.end(), [](char c) {
           return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
         });
}

absl::Status RedisError(const absl::StatusOr<RedisReply>& reply) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::InternalError(absl::StrCat("redis: ", reply->str));
  return absl::OkStatus();
}

// The record of an HGETALL reply; NOT_FOUND when empty.
absl::StatusOr<ApiKeyRecord> ParseRecord(const std::string& id, const RedisReply& reply,
                                         std::string* secret_hash) {
  if (reply.type != RedisReply::Type::kArray || reply.elements.empty()) {
    return absl::NotFoundError(absl::StrCat("no API key ", id));
  }
  std::map<std::string, std::string> fields;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    fields[reply.elements[i].str] = reply.elements[i + 1].str;
  }
  ApiKeyRecord record;
  record.id = id;
  record.name = fields["name"];
  absl::StatusOr<Role> role = ParseRole(fields["role"]);
  if (!role.ok()) return absl::InternalError(absl::StrCat("API key ", id, " has a bad role"));
  record.role = *role;
  record.region_scope = fields["regionScope"];
  record.created_by = fields["createdBy"];
  // Absent in keys stored before worker links existed: no link.
  record.worker_id = fields["workerId"];
  (void)absl::SimpleAtoi(fields["created"], &record.create_time_unix);
  record.revoked = fields["revoked"] == "1";
  (void)absl::SimpleAtoi(fields["revokeTime"], &record.revoke_time_unix);
  if (secret_hash != nullptr) *secret_hash = fields["secretHash"];
  return record;
}

}  // namespace

ApiKeyStore::ApiKeyStore(RedisClient& redis, std::string region)
    : redis_(redis), tag_(absl::StrCat("auth:{", region, "}:")) {}

bool ApiKeyStore::LooksLikeApiKey(absl::string_view credential) {
  return absl::StartsWith(credential, kSecretPrefix);
}

std::string ApiKeyStore::KeyOf(absl::string_view id) const {
  return absl::StrCat(tag_, "apikey:", id);
}

absl::StatusOr<CreatedApiKey> ApiKeyStore::Create(const std::string& name, Role role,
                                                  const std::string& region_scope,
                                                  const std::string& created_by,
                                                  const std::string& worker_id) {
  return Insert(name, role, region_scope, created_by, worker_id, false);
}

absl::StatusOr<CreatedApiKey> ApiKeyStore::Bootstrap(const std::string& region_scope) {
  return Insert("bootstrap admin", Role::kAdmin, region_scope, "bootstrap", "", true);
}

absl::StatusOr<CreatedApiKey> ApiKeyStore::Insert(const std::string& name, Role role,
                                                  const std::string& region_scope,
                                                  const std::string& created_by,
                                                  const std::string& worker_id, bool bootstrap) {
  std::string trimmed(absl::StripAsciiWhitespace(name));
  if (trimmed.empty()) return absl::InvalidArgumentError("name: required");
  if (trimmed.size() > kMaxNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("name: at most ", kMaxNameLength, " characters"));
  }
  if (absl::Status s = ParseRegionCode(region_scope, "regionScope").status(); !s.ok()) return s;
  if (absl::Status s = CheckWorkerLink(role, worker_id, "workerId"); !s.ok()) return s;

  std::string id_bytes = RandomBytes(kKeyIdBytes);
  std::string secret_bytes = RandomBytes(kSecretBytes);
  if (id_bytes.empty() || secret_bytes.empty()) {
    return absl::InternalError("no randomness for a new API key");
  }
  CreatedApiKey created;
  ApiKeyRecord& r = created.record;
  r.id = absl::BytesToHexString(id_bytes);
  r.name = trimmed;
  r.role = role;
  r.region_scope = region_scope;
  r.created_by = created_by;
  r.worker_id = worker_id;
  r.create_time_unix = absl::ToUnixSeconds(absl::Now());
  created.secret = absl::StrCat(kSecretPrefix, r.id, "_", absl::WebSafeBase64Escape(secret_bytes));

  absl::StatusOr<RedisReply> reply = redis_.Eval(
      InsertScript(), {KeyOf(r.id), tag_ + "apikeys", tag_ + "bootstrap"},
      {bootstrap ? "1" : "0", r.id, r.name, std::string(RoleName(role)), r.region_scope,
       r.created_by, std::to_string(r.create_time_unix), Sha256Hex(created.secret), r.worker_id});
  if (absl::Status s = RedisError(reply); !s.ok()) return s;
  if (reply->integer == 0) {
    return absl::AlreadyExistsError("a bootstrap admin key exists already");
  }
  return created;
}

absl::StatusOr<ApiKeyRecord> ApiKeyStore::Get(const std::string& id) {
  if (!IsKeyId(id)) return absl::NotFoundError(absl::StrCat("no API key ", id));
  absl::StatusOr<RedisReply> reply = redis_.Command({"HGETALL", KeyOf(id)});
  if (absl::Status s = RedisError(reply); !s.ok()) return s;
  return ParseRecord(id, *reply, nullptr);
}

absl::StatusOr<std::vector<ApiKeyRecord>> ApiKeyStore::List() {
  absl::StatusOr<RedisReply> ids = redis_.Command({"ZRANGE", tag_ + "apikeys", "0", "-1"});
  if (absl::Status s = RedisError(ids); !s.ok()) return s;
  std::vector<std::vector<std::string>> commands;
  for (const RedisReply& id : ids->elements) commands.push_back({"HGETALL", KeyOf(id.str)});
  std::vector<ApiKeyRecord> records;
  if (commands.empty()) return records;
  absl::StatusOr<std::vector<RedisReply>> replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    absl::StatusOr<ApiKeyRecord> record = ParseRecord(ids->elements[i].str, (*replies)[i], nullptr);
    if (record.ok()) records.push_back(*std::move(record));
  }
  return records;
}

absl::StatusOr<ApiKeyRecord> ApiKeyStore::Revoke(const std::string& id) {
  if (!IsKeyId(id)) return absl::NotFoundError(absl::StrCat("no API key ", id));
  absl::StatusOr<RedisReply> reply =
      redis_.Eval(RevokeScript(), {KeyOf(id)}, {std::to_string(absl::ToUnixSeconds(absl::Now()))});
  if (absl::Status s = RedisError(reply); !s.ok()) return s;
  if (reply->integer == 0) return absl::NotFoundError(absl::StrCat("no API key ", id));
  return Get(id);
}

absl::StatusOr<Principal> ApiKeyStore::Authenticate(absl::string_view secret) {
  if (!LooksLikeApiKey(secret)) return absl::UnauthenticatedError(kRefused);
  absl::string_view rest = secret.substr(sizeof(kSecretPrefix) - 1);
  size_t underscore = rest.find('_');
  if (underscore == absl::string_view::npos) return absl::UnauthenticatedError(kRefused);
  std::string id(rest.substr(0, underscore));
  if (!IsKeyId(id)) return absl::UnauthenticatedError(kRefused);
  absl::StatusOr<RedisReply> reply = redis_.Command({"HGETALL", KeyOf(id)});
  if (!reply.ok()) {
    return absl::UnavailableError("cannot check the API key now (storage unreachable)");
  }
  if (reply->is_error()) return absl::InternalError(absl::StrCat("redis: ", reply->str));
  std::string stored_hash;
  absl::StatusOr<ApiKeyRecord> record = ParseRecord(id, *reply, &stored_hash);
  if (!record.ok()) return absl::UnauthenticatedError(kRefused);
  std::string hash = Sha256Hex(secret);
  if (stored_hash.size() != hash.size() ||
      CRYPTO_memcmp(stored_hash.data(), hash.data(), hash.size()) != 0 || record->revoked) {
    return absl::UnauthenticatedError(kRefused);
  }
  Principal principal;
  principal.subject = absl::StrCat("apikey:", id);
  principal.display_name = record->name;
  principal.role = record->role;
  principal.region_scope = record->region_scope;
  // Create refuses any other link; a hand-edited record's is dropped rather than minted into
  // tokens no service would accept.
  if (CheckWorkerLink(record->role, record->worker_id).ok()) {
    principal.worker_id = record->worker_id;
  }
  return principal;
}

}  // namespace wahana
