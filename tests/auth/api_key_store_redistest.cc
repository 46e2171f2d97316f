// ApiKeyStore against a real Redis: secrets are stored hashed only, a revoked key stops at once,
// bootstrap happens once.

#include "gateway/api_keys/api_key_store.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
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
  EXPECT_TRUE(absl::StartsWith(
      store_->Create("a", Role::kViewer, "16.0x", "x").status().message(), "regionScope"));
}

TEST_F(ApiKeyStoreTest, UnreachableRedisIsUnavailableNotUnauthenticated) {
  auto created = store_->Create("Viewer", Role::kViewer, "16.06", "cli");
  ASSERT_TRUE(created.ok());
  server_.Kill();
  EXPECT_EQ(store_->Authenticate(created->secret).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace wahana
