// ApiKeyStore against a real Redis: secrets are stored hashed only, a revoked key stops at once,
// bootstrap happens once, a FIELD_WORKER key carries its registry worker link (and keys stored
// before links existed still load). ApiKeyLogic's worker-link checks against a fake registry.

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <map>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "gateway/api_keys/api_key_service.h"
#include "gateway/api_keys/api_key_store.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"

namespace wahana {
namespace {

class ApiKeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = server_.Client();
    store_ = std::make_unique<ApiKeyStore>(*redis_, "16.06");
  }

  // Every string value of every auth key in Redis.
  std::vector<std::string> StoredValues() {
    std::vector<std::string> values;
    for (const std::string& key : testing::Keys(*redis_, "*")) {
      values.push_back(key);
      absl::StatusOr<RedisReply> type = redis_->Command({"TYPE", key});
      if (!type.ok()) continue;
      absl::StatusOr<RedisReply> content;
      if (type->str == "hash") content = redis_->Command({"HGETALL", key});
      if (type->str == "zset") content = redis_->Command({"ZRANGE", key, "0", "-1"});
      if (type->str == "string") content = redis_->Command({"GET", key});
      if (!content.ok()) continue;
      values.push_back(content->str);
      for (const RedisReply& e : content->elements) values.push_back(e.str);
    }
    return values;
  }

  testing::RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<ApiKeyStore> store_;
};

TEST_F(ApiKeyStoreTest, CreatedKeyAuthenticatesAsItsPrincipal) {
  auto created = store_->Create("Operator Sekayu", Role::kOperator, "16.06.01", "apikey:admin");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(absl::StartsWith(created->secret, "wk_" + created->record.id + "_"));
  auto principal = store_->Authenticate(created->secret);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "apikey:" + created->record.id);
  EXPECT_EQ(principal->role, Role::kOperator);
  EXPECT_EQ(principal->region_scope, "16.06.01");
  EXPECT_EQ(principal->display_name, "Operator Sekayu");
  EXPECT_EQ(redis_->Command({"EXISTS", "auth:{16.06}:apikey:" + created->record.id})->integer, 1);
}

TEST_F(ApiKeyStoreTest, SecretIsNowhereInRedis) {
  auto created = store_->Create("Viewer", Role::kViewer, "16.06", "cli");
  ASSERT_TRUE(created.ok());
  std::string random_part = created->secret.substr(20);  // after "wk_<16 hex>_"
  ASSERT_GE(random_part.size(), 40u);
  for (const std::string& value : StoredValues()) {
    EXPECT_FALSE(absl::StrContains(value, random_part)) << value;
  }
}

TEST_F(ApiKeyStoreTest, WrongOrMalformedSecretsAreRefusedAlike) {
  auto created = store_->Create("Viewer", Role::kViewer, "16.06", "cli");
  ASSERT_TRUE(created.ok());
  std::string wrong = created->secret;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  for (const std::string& secret :
       {wrong, std::string("wk_"), std::string("wk_0123456789abcdef_abc"),
        std::string("wk_nothex_abc"), created->secret + "x", std::string("nonsense")}) {
    auto principal = store_->Authenticate(secret);
    ASSERT_FALSE(principal.ok()) << secret;
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(principal.status().message(), "unknown, revoked or malformed API key");
  }
}

TEST_F(ApiKeyStoreTest, RevokedKeyStopsAtOnceAndIsKept) {
  auto created = store_->Create("Temp", Role::kViewer, "16.06", "cli");
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(store_->Authenticate(created->secret).ok());
  auto revoked = store_->Revoke(created->record.id);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(revoked->revoked);
  EXPECT_GT(revoked->revoke_time_unix, 0);
  EXPECT_EQ(store_->Authenticate(created->secret).status().code(),
            absl::StatusCode::kUnauthenticated);
  auto listed = store_->List();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].revoked);
  EXPECT_EQ(store_->Revoke("0123456789abcdef").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ApiKeyStoreTest, BootstrapHappensOnce) {
  auto first = store_->Bootstrap("16.06");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->record.role, Role::kAdmin);
  ASSERT_TRUE(store_->Revoke(first->record.id).ok());
  EXPECT_EQ(store_->Bootstrap("16.06").status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(ApiKeyStoreTest, RejectsBadFields) {
  EXPECT_TRUE(absl::StartsWith(store_->Create(" ", Role::kViewer, "16.06", "x").status().message(),
                               "name"));
  EXPECT_TRUE(absl::StartsWith(store_->Create("a", Role::kViewer, "16.0x", "x").status().message(),
                               "regionScope"));
}

constexpr char kWorkerId[] = "01JD8X6Q0W3G7M2K9V5T4R1N8B";

TEST_F(ApiKeyStoreTest, WorkerLinkIsStoredListedAndAuthenticated) {
  auto created = store_->Create("Siti (TKSK Sekayu)", Role::kFieldWorker, "16.06.01",
                                "apikey:admin", kWorkerId);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->record.worker_id, kWorkerId);
  EXPECT_EQ(redis_->Command({"HGET", "auth:{16.06}:apikey:" + created->record.id, "workerId"})->str,
            kWorkerId);
  auto principal = store_->Authenticate(created->secret);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->worker_id, kWorkerId);
  EXPECT_EQ(principal->role, Role::kFieldWorker);
  auto listed = store_->List();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].worker_id, kWorkerId);
  EXPECT_EQ(store_->Get(created->record.id)->worker_id, kWorkerId);
  // A key without a link authenticates without one.
  auto plain = store_->Create("Budi", Role::kFieldWorker, "16.06.01", "apikey:admin");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(store_->Authenticate(plain->secret)->worker_id, "");
}

TEST_F(ApiKeyStoreTest, RejectsWorkerLinksOfOtherRolesAndMalformedIds) {
  for (Role role : {Role::kAdmin, Role::kSupervisor, Role::kOperator, Role::kViewer,
                    Role::kProvinceViewer, Role::kSystem}) {
    auto refused = store_->Create("x", role, "16.06", "cli", kWorkerId);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << RoleName(role);
    EXPECT_TRUE(absl::StartsWith(refused.status().message(), "workerId")) << refused.status();
  }
  auto malformed = store_->Create("x", Role::kFieldWorker, "16.06", "cli", "worker-7");
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(malformed.status().message(), "workerId")) << malformed.status();
  EXPECT_TRUE(store_->List()->empty());
}

// A key as the store wrote it before worker links existed: the same hash without `workerId`.
TEST_F(ApiKeyStoreTest, KeysStoredBeforeWorkerLinksStillLoad) {
  const std::string id = "00112233445566ff";
  const std::string secret = "wk_" + id + "_" + std::string(43, 'Q');
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest);
  const std::string hash = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  ASSERT_TRUE(redis_
                  ->Command({"HSET", "auth:{16.06}:apikey:" + id, "name", "Operator lama", "role",
                             "OPERATOR", "regionScope", "16.06", "createdBy", "cli", "created",
                             "1750000000", "revoked", "0", "revokeTime", "0", "secretHash", hash})
                  .ok());
  ASSERT_TRUE(redis_->Command({"ZADD", "auth:{16.06}:apikeys", "1750000000", id}).ok());
  auto principal = store_->Authenticate(secret);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->role, Role::kOperator);
  EXPECT_EQ(principal->worker_id, "");
  auto listed = store_->List();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "Operator lama");
  EXPECT_EQ((*listed)[0].worker_id, "");
  EXPECT_EQ(ToApiKey((*listed)[0]).worker_id(), "");
  ASSERT_TRUE(store_->Revoke(id).ok());
}

// The registry as ApiKeyLogic sees it: workers by id, and who asked.
class FakeWorkers final : public WorkerDirectory {
 public:
  absl::StatusOr<registry::v1::Worker> GetWorker(const Principal& caller,
                                                 const std::string& id) override {
    absl::MutexLock lock(&mu_);
    askers_.push_back(caller.subject);
    if (!answer_.ok()) return answer_;
    auto it = workers_.find(id);
    if (it == workers_.end()) return absl::NotFoundError("worker " + id + " not found");
    return it->second;
  }
  void Add(const std::string& id, const std::string& village, std::vector<std::string> subdistricts,
           bool archived = false) {
    registry::v1::Worker w;
    w.set_id(id);
    w.set_village_code(village);
    for (const std::string& code : subdistricts) w.add_subdistrict_codes(code);
    w.set_archived(archived);
    workers_[id] = w;
  }
  void Fail(absl::Status status) { answer_ = std::move(status); }
  std::vector<std::string> askers() {
    absl::MutexLock lock(&mu_);
    return askers_;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, registry::v1::Worker> workers_;
  absl::Status answer_;
  std::vector<std::string> askers_;
};

class ApiKeyLogicTest : public ApiKeyStoreTest {
 protected:
  void SetUp() override {
    ApiKeyStoreTest::SetUp();
    workers_ = std::make_shared<FakeWorkers>();
    // The fixture owns the store; the logic only borrows it.
    std::shared_ptr<ApiKeyStore> borrowed(store_.get(), [](ApiKeyStore*) {});
    logic_ = std::make_unique<ApiKeyLogic>(borrowed, workers_, "16.06");
  }
  static auth::v1::CreateApiKeyRequest Request(common::v1::Role role, const std::string& scope,
                                               const std::string& worker) {
    auth::v1::CreateApiKeyRequest r;
    r.set_name("Siti");
    r.set_role(role);
    r.set_region_scope(scope);
    r.set_worker_id(worker);
    return r;
  }
  static void ExpectRefused(const absl::StatusOr<auth::v1::CreateApiKeyResponse>& result,
                            absl::StatusCode code) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), code) << result.status();
    EXPECT_TRUE(absl::StartsWith(result.status().message(), "workerId: ")) << result.status();
  }

  const Principal admin_{"apikey:admin0000000000", "Admin", Role::kAdmin, "16.06"};
  std::shared_ptr<FakeWorkers> workers_;
  std::unique_ptr<ApiKeyLogic> logic_;
};

TEST_F(ApiKeyLogicTest, LinksAFieldWorkerKeyToAWorkerOfItsScope) {
  workers_->Add(kWorkerId, "16.06.01.2001", {"16.06.01"});
  auto created = logic_->Create(admin_, Request(common::v1::FIELD_WORKER, "16.06.01", kWorkerId));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->key().worker_id(), kWorkerId);
  // The registry was asked as the ADMIN creating the key.
  EXPECT_EQ(workers_->askers(), std::vector<std::string>{admin_.subject});
  auto listed = logic_->List(admin_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->keys_size(), 1);
  EXPECT_EQ(listed->keys(0).worker_id(), kWorkerId);
  EXPECT_EQ(store_->Authenticate(created->secret())->worker_id, kWorkerId);
  // A kecamatan served inside the scope is enough, wherever the home base is.
  constexpr char kCommuter[] = "01JD8X6Q0W3G7M2K9V5T4R1N8C";
  workers_->Add(kCommuter, "16.06.02.2001", {"16.06.02", "16.06.01"});
  EXPECT_TRUE(
      logic_->Create(admin_, Request(common::v1::FIELD_WORKER, "16.06.01", kCommuter)).ok());
}

TEST_F(ApiKeyLogicTest, RefusesLinksTheRegistryDoesNotBear) {
  workers_->Add(kWorkerId, "16.06.02.2001", {"16.06.02"});
  // Works elsewhere than the key's scope.
  ExpectRefused(logic_->Create(admin_, Request(common::v1::FIELD_WORKER, "16.06.01", kWorkerId)),
                absl::StatusCode::kInvalidArgument);
  // Unknown (or out of the ADMIN's sight).
  ExpectRefused(logic_->Create(admin_, Request(common::v1::FIELD_WORKER, "16.06.01",
                                               "01JD8X6Q0W3G7M2K9V5T4R1N8Z")),
                absl::StatusCode::kNotFound);
  // Archived.
  constexpr char kGone[] = "01JD8X6Q0W3G7M2K9V5T4R1N8D";
  workers_->Add(kGone, "16.06.01.2001", {"16.06.01"}, /*archived=*/true);
  ExpectRefused(logic_->Create(admin_, Request(common::v1::FIELD_WORKER, "16.06.01", kGone)),
                absl::StatusCode::kFailedPrecondition);
  // The registry cannot answer.
  workers_->Fail(absl::UnavailableError("registry down"));
  ExpectRefused(logic_->Create(admin_, Request(common::v1::FIELD_WORKER, "16.06", kWorkerId)),
                absl::StatusCode::kUnavailable);
  EXPECT_TRUE(store_->List()->empty());
}

TEST_F(ApiKeyLogicTest, RefusesOtherRolesAndMalformedIdsWithoutAskingTheRegistry) {
  workers_->Add(kWorkerId, "16.06.01.2001", {"16.06.01"});
  ExpectRefused(logic_->Create(admin_, Request(common::v1::OPERATOR, "16.06.01", kWorkerId)),
                absl::StatusCode::kInvalidArgument);
  ExpectRefused(logic_->Create(admin_, Request(common::v1::SUPERVISOR, "16.06", kWorkerId)),
                absl::StatusCode::kInvalidArgument);
  ExpectRefused(logic_->Create(admin_, Request(common::v1::FIELD_WORKER, "16.06.01", "w-7")),
                absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(workers_->askers().empty());
  EXPECT_TRUE(store_->List()->empty());
}

TEST_F(ApiKeyLogicTest, WithoutARegistryOnlyTheFormIsChecked) {
  ApiKeyLogic form_only(std::shared_ptr<ApiKeyStore>(store_.get(), [](ApiKeyStore*) {}));
  auto created = form_only.Create(admin_, Request(common::v1::FIELD_WORKER, "16.06.01", kWorkerId));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->key().worker_id(), kWorkerId);
  ExpectRefused(form_only.Create(admin_, Request(common::v1::VIEWER, "16.06", kWorkerId)),
                absl::StatusCode::kInvalidArgument);
}

TEST_F(ApiKeyStoreTest, UnreachableRedisIsUnavailableNotUnauthenticated) {
  auto created = store_->Create("Viewer", Role::kViewer, "16.06", "cli");
  ASSERT_TRUE(created.ok());
  server_.Kill();
  EXPECT_EQ(store_->Authenticate(created->secret).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace wahana
