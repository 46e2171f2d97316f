// RedisClient against a private redis-server: binary safety, pipelines, scripts, restarts.

#include "common/redis/redis_client.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "support/redis_server.h"

namespace wahana {
namespace {

using ::wahana::testing::RedisServer;

class RedisClientTest : public ::testing::Test {
 protected:
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_ = server_.Client();
};

std::string AllBytes() {
  std::string bytes;
  for (int c = 0; c < 256; ++c) bytes.push_back(static_cast<char>(c));
  return bytes;
}

TEST_F(RedisClientTest, BinarySpaceAndCrlfDataRoundTripExactly) {
  const std::string key = std::string("k e\r\ny\0z", 8);
  const std::string value = "a b\r\nSET x y\r\n" + std::string("\0\0", 2) + AllBytes() + "%s%d";
  ASSERT_TRUE(redis_->Command({"SET", key, value}).ok());
  auto got = redis_->Command({"GET", key});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->type, RedisReply::Type::kString);
  EXPECT_EQ(got->str, value);
  // Nothing leaked into other keys: "SET x y" inside the value was not a command.
  auto keys = redis_->Command({"DBSIZE"});
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->integer, 1);

  const std::string field = std::string("f\r\n \0", 5) + AllBytes();
  ASSERT_TRUE(redis_->Command({"HSET", "h", field, value}).ok());
  auto all = redis_->Command({"HGETALL", "h"});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->elements.size(), 2u);
  EXPECT_EQ(all->elements[0].str, field);
  EXPECT_EQ(all->elements[1].str, value);
}

TEST_F(RedisClientTest, EmptyStringAndNilAreDistinct) {
  ASSERT_TRUE(redis_->Command({"SET", "empty", ""}).ok());
  auto empty = redis_->Command({"GET", "empty"});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->type, RedisReply::Type::kString);
  EXPECT_EQ(empty->str, "");
  auto missing = redis_->Command({"GET", "missing"});
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->is_nil());
}

TEST_F(RedisClientTest, PipelineReturnsOneReplyPerCommandInOrderWithErrorsInPlace) {
  auto replies = redis_->Pipeline({{"SET", "n", "41"},
                                   {"INCR", "n"},
                                   {"HSET", "n", "f", "v"},  // WRONGTYPE: stays in the result
                                   {"GET", "n"},
                                   {"RPUSH", "list", "a b", "\r\n"},
                                   {"LRANGE", "list", "0", "-1"}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 6u);
  EXPECT_EQ((*replies)[0].type, RedisReply::Type::kStatus);
  EXPECT_EQ((*replies)[0].str, "OK");
  EXPECT_EQ((*replies)[1].integer, 42);
  EXPECT_TRUE((*replies)[2].is_error());
  EXPECT_NE((*replies)[2].str.find("WRONGTYPE"), std::string::npos);
  EXPECT_EQ((*replies)[3].str, "42");
  EXPECT_EQ((*replies)[4].integer, 2);
  ASSERT_EQ((*replies)[5].elements.size(), 2u);
  EXPECT_EQ((*replies)[5].elements[0].str, "a b");
  EXPECT_EQ((*replies)[5].elements[1].str, "\r\n");
}

TEST_F(RedisClientTest, ErrorReplyOfACommandIsInternal) {
  ASSERT_TRUE(redis_->Command({"SET", "s", "v"}).ok());
  auto wrong = redis_->Command({"HGET", "s", "f"});
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInternal);
}

TEST_F(RedisClientTest, EvalFallsBackToEvalAfterScriptFlush) {
  LuaScript script("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])");
  auto first = redis_->Eval(script, {"s:{1}"}, {"one\r\n two"});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->str, "one\r\n two");

  ASSERT_TRUE(redis_->Command({"SCRIPT", "FLUSH"}).ok());
  auto cached = redis_->Command({"SCRIPT", "EXISTS", script.sha()});
  ASSERT_TRUE(cached.ok());
  ASSERT_EQ(cached->elements.at(0).integer, 0);

  auto second = redis_->Eval(script, {"s:{1}"}, {"two"});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->str, "two");
  // EVAL cached it again under the same SHA: our SHA is Redis's SHA.
  cached = redis_->Command({"SCRIPT", "EXISTS", script.sha()});
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(cached->elements.at(0).integer, 1);
}

TEST_F(RedisClientTest, ScriptErrorsWithACanonicalCodeKeepTheCode) {
  LuaScript reply_error("return redis.error_reply('ABORTED etag is stale')");
  auto aborted = redis_->Eval(reply_error, {}, {});
  EXPECT_EQ(aborted.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(aborted.status().message(), "etag is stale");

  LuaScript raised("error('NOT_FOUND case 42')");
  auto not_found = redis_->Eval(raised, {}, {});
  EXPECT_EQ(not_found.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(not_found.status().message()).find("case 42"), std::string::npos);

  LuaScript plain("return redis.error_reply('something else')");
  EXPECT_EQ(redis_->Eval(plain, {}, {}).status().code(), absl::StatusCode::kInternal);
}

TEST(RedisErrorToStatusTest, MapsCodes) {
  EXPECT_EQ(RedisErrorToStatus("ABORTED etag is stale").code(), absl::StatusCode::kAborted);
  EXPECT_EQ(RedisErrorToStatus("ERR user_script:1: ABORTED x script: abc").message(), "x");
  EXPECT_EQ(RedisErrorToStatus("LOADING Redis is loading").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(RedisErrorToStatus("WRONGTYPE Operation").code(), absl::StatusCode::kInternal);
}

// A call on a connection broken by the restart may fail UNAVAILABLE; the next one reconnects.
absl::StatusOr<RedisReply> GetAfterRestart(RedisClient& redis, const std::string& key) {
  auto first = redis.Command({"GET", key});
  if (first.ok()) return first;
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable) << first.status();
  return redis.Command({"GET", key});
}

TEST_F(RedisClientTest, WorksAgainAfterRestart) {
  ASSERT_TRUE(redis_->Command({"SET", "k", "before"}).ok());
  server_.Restart();
  auto got = GetAfterRestart(*redis_, "k");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->str, "before");  // AOF replayed
  EXPECT_TRUE(redis_->Command({"SET", "k", "after"}).ok());
}

TEST_F(RedisClientTest, UnavailableWhileDownThenWorksAfterKillAndRestart) {
  ASSERT_TRUE(redis_->Command({"SET", "k", "v"}).ok());
  server_.Kill();
  auto down = redis_->Command({"GET", "k"});
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);
  auto still_down = redis_->Command({"GET", "k"});  // reconnect attempt fails too
  EXPECT_EQ(still_down.status().code(), absl::StatusCode::kUnavailable);
  server_.Restart();
  auto got = GetAfterRestart(*redis_, "k");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->str, "v");  // written to the AOF before the reply, so SIGKILL kept it
}

TEST_F(RedisClientTest, ConnectFailsUnavailableWhenNobodyListens) {
  RedisOptions options = server_.options();
  server_.Kill();
  auto client = RedisClient::Connect(options);
  EXPECT_EQ(client.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace wahana
