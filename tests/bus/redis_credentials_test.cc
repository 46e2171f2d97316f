// Redis credentials against a private redis-server: an ACL user per process (deploy/redis/
// users.acl.in), WAHANA_REDIS_USER / WAHANA_REDIS_PASSWORD_FILE read in one place
// (common/redis/redis_setup.h), and refusals that stop a process at once with a clear message.

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/config/env_reader.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_setup.h"
#include "gtest/gtest.h"
#include "support/redis_server.h"

namespace wahana {
namespace {

using ::wahana::testing::RedisServer;

class RedisCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Client();
    // A service user kept to its own keys, as acl.sh writes them.
    ASSERT_TRUE(admin_
                    ->Command({"ACL", "SETUSER", "case", "on", ">s3cret", "resetkeys", "-@all",
                               "+@read", "+@write", "+@connection", "-@dangerous", "~case:*"})
                    .ok());
  }

  RedisOptions As(const std::string& user, const std::string& password) const {
    RedisOptions options = server_.options();
    options.user = user;
    options.password = password;
    return options;
  }

  std::string WriteFile(const std::string& name, const std::string& content) {
    std::string path = server_.dir() + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> admin_;
};

TEST_F(RedisCredentialsTest, UserReachesItsOwnKeysOnly) {
  auto client = RedisClient::Connect(As("case", "s3cret"));
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_TRUE((*client)->Command({"SET", "case:{16.06}:x", "1"}).ok());
  auto other = (*client)->Command({"GET", "registry:{16.06}:x"});
  EXPECT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("NOPERM"), std::string::npos) << other.status();
  auto flush = (*client)->Command({"FLUSHALL"});
  EXPECT_FALSE(flush.ok());
  auto stored = admin_->Command({"GET", "case:{16.06}:x"});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->str, "1");  // the refused FLUSHALL removed nothing
}

TEST_F(RedisCredentialsTest, WrongPasswordIsPermissionDeniedNamingTheUser) {
  auto client = RedisClient::Connect(As("case", "not-it"));
  ASSERT_EQ(client.status().code(), absl::StatusCode::kPermissionDenied) << client.status();
  EXPECT_NE(client.status().message().find("refused the password of user \"case\""),
            std::string::npos)
      << client.status();
  EXPECT_EQ(client.status().message().find("not-it"), std::string::npos);  // never echoed
}

TEST_F(RedisCredentialsTest, ConnectWaitingGivesUpAtOnceOnRefusedCredentialsNamingTheSettings) {
  const auto start = std::chrono::steady_clock::now();
  auto client = ConnectWaiting(As("case", "not-it"), std::chrono::seconds(30));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(client.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(client.status().message().find("WAHANA_REDIS_PASSWORD_FILE"), std::string::npos)
      << client.status();
}

TEST_F(RedisCredentialsTest, NoCredentialsWhereRedisWantsSomeIsPermissionDenied) {
  ASSERT_TRUE(admin_->Command({"ACL", "SETUSER", "default", "resetpass", ">admin-pw"}).ok());
  auto client = RedisClient::Connect(server_.options());
  ASSERT_EQ(client.status().code(), absl::StatusCode::kPermissionDenied) << client.status();
  EXPECT_NE(client.status().message().find("requires a user and password"), std::string::npos)
      << client.status();
  // The default user's password alone (AUTH <password>) is enough for it.
  auto with_password = RedisClient::Connect(As("", "admin-pw"));
  EXPECT_TRUE(with_password.ok()) << with_password.status();
}

TEST_F(RedisCredentialsTest, SettingsReadThePasswordFileWithoutItsNewline) {
  const std::string file = WriteFile("case_password", "s3cret\n");
  std::map<std::string, std::string> env = {{"WAHANA_REDIS_PORT", std::to_string(server_.port())},
                                            {"WAHANA_REDIS_USER", "case"},
                                            {"WAHANA_REDIS_PASSWORD_FILE", file}};
  EnvReader reader([&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  RedisOptions options = ReadRedisOptions(reader);
  ASSERT_TRUE(reader.Finish().ok()) << reader.Finish();
  EXPECT_EQ(options.user, "case");
  EXPECT_EQ(options.password, "s3cret");
  auto client = RedisClient::Connect(options);
  EXPECT_TRUE(client.ok()) << client.status();
}

TEST_F(RedisCredentialsTest, SettingsRefuseAUserWithoutPasswordAndAnUnreadableFile) {
  for (const auto& [user, file, expected] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"case", "", "WAHANA_REDIS_PASSWORD_FILE"},
           {"case", server_.dir() + "/missing", "cannot read"},
           {"case", WriteFile("empty", "\n"), "is empty"}}) {
    std::map<std::string, std::string> env = {{"WAHANA_REDIS_USER", user},
                                              {"WAHANA_REDIS_PASSWORD_FILE", file}};
    EnvReader reader([&](const char* name) -> const char* {
      auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    });
    ReadRedisOptions(reader);
    absl::Status status = reader.Finish();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << file;
    EXPECT_NE(status.message().find("WAHANA_REDIS_PASSWORD_FILE"), std::string::npos) << status;
    EXPECT_NE(status.message().find(expected), std::string::npos) << status;
  }
}

}  // namespace
}  // namespace wahana
