#pragma once
// A Redis client for the services: a fixed pool of hiredis connections, each command built from an
// argument vector (never from a format string with user text), broken connections replaced on the
// next use, Lua scripts run by SHA with a fallback to EVAL when Redis has forgotten them.
//
// Thread-safe: any number of threads may call it; each call takes a connection from the pool for
// its duration (and waits when all are busy).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/redis_reply.h"

struct redisContext;

namespace wahana {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  int pool_size = 8;
  int timeout_ms = 2000;
  // Credentials sent with AUTH on every new connection; none when `password` is empty. An empty
  // `user` is Redis's "default" user. (deploy/redis/users.acl.in gives each service its own user.)
  std::string user;
  std::string password;
};

// A Lua script with its SHA1 computed once.
class LuaScript {
 public:
  explicit LuaScript(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha() const { return sha_; }

 private:
  std::string source_;
  std::string sha_;
};

// One connection. Used directly for blocking commands (XREADGROUP BLOCK) that must not hold a
// pooled connection. Not thread-safe.
class RedisConnection {
 public:
  // UNAVAILABLE when Redis cannot be reached; PERMISSION_DENIED when it refuses the credentials
  // (or asks for some and none are configured).
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Open(const RedisOptions& options);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends one command. Transport errors are UNAVAILABLE and leave the connection broken();
  // an error reply from Redis is returned as an error Status (see RedisErrorToStatus).
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv);
  // Sends all commands in one round trip. Error replies stay in the result as kError entries.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);
  // Per-command timeout (for blocking reads longer than the default).
  absl::Status SetTimeoutMs(int timeout_ms);

  bool broken() const { return broken_; }

 private:
  explicit RedisConnection(redisContext* context) : context_(context) {}
  absl::Status Authenticate(const RedisOptions& options);
  absl::Status TransportError(const char* what);

  redisContext* context_;
  bool broken_ = false;
};

class RedisClient {
 public:
  // Opens the pool; UNAVAILABLE when the first connection cannot be made.
  static absl::StatusOr<std::unique_ptr<RedisClient>> Connect(const RedisOptions& options);

  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv);
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);
  // EVALSHA, then EVAL if the script is not cached (after a Redis restart).
  absl::StatusOr<RedisReply> Eval(const LuaScript& script, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args);

  const RedisOptions& options() const { return options_; }

 private:
  explicit RedisClient(RedisOptions options) : options_(std::move(options)) {}

  // A pooled connection, reopened when the previous user left it broken.
  class Lease;
  absl::StatusOr<std::unique_ptr<RedisConnection>> Acquire();
  void Release(std::unique_ptr<RedisConnection> connection);
  // What Acquire awaits: an idle connection, or room to open one (absl::Mutex::Await re-checks
  // it on every unlock of mu_).
  bool CanLease() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !idle_.empty() || open_ < options_.pool_size;
  }

  RedisOptions options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<RedisConnection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // leased + idle
};

// Maps a Redis error reply to a Status. Lua scripts of this project raise errors that start with a
// canonical code name ("ABORTED etag is stale"), which keep their code; everything else
// (WRONGTYPE, OOM, ...) is INTERNAL, except LOADING/BUSY/MASTERDOWN which are UNAVAILABLE.
absl::Status RedisErrorToStatus(const std::string& error);

}  // namespace wahana
