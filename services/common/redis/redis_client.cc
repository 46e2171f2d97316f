#include "common/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <openssl/sha.h>

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace wahana {
namespace {

RedisReply Copy(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Copy(r->element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

// hiredis takes parallel arrays of pointers and lengths: binary-safe, no format string.
struct ArgvView {
  explicit ArgvView(const std::vector<std::string>& argv) {
    ptrs.reserve(argv.size());
    lens.reserve(argv.size());
    for (const std::string& a : argv) {
      ptrs.push_back(a.data());
      lens.push_back(a.size());
    }
  }
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
};

constexpr struct {
  const char* prefix;
  absl::StatusCode code;
} kScriptErrorCodes[] = {
    {"INVALID_ARGUMENT ", absl::StatusCode::kInvalidArgument},
    {"NOT_FOUND ", absl::StatusCode::kNotFound},
    {"ALREADY_EXISTS ", absl::StatusCode::kAlreadyExists},
    {"FAILED_PRECONDITION ", absl::StatusCode::kFailedPrecondition},
    {"ABORTED ", absl::StatusCode::kAborted},
    {"PERMISSION_DENIED ", absl::StatusCode::kPermissionDenied},
    {"RESOURCE_EXHAUSTED ", absl::StatusCode::kResourceExhausted},
    {"LOADING ", absl::StatusCode::kUnavailable},
    {"BUSY ", absl::StatusCode::kUnavailable},
    {"MASTERDOWN ", absl::StatusCode::kUnavailable},
    {"READONLY ", absl::StatusCode::kUnavailable},
};

}  // namespace

absl::Status RedisErrorToStatus(const std::string& error) {
  // Errors raised inside a script arrive as "ERR user_script:1: ABORTED ..." on some versions and
  // as the bare message on others; find the canonical code wherever it starts.
  for (const auto& entry : kScriptErrorCodes) {
    size_t at = error.find(entry.prefix);
    if (at != std::string::npos) {
      std::string message = error.substr(at + absl::string_view(entry.prefix).size());
      // Drop the "script: ..." suffix Redis 7 appends to script errors.
      size_t suffix = message.find(" script: ");
      if (suffix != std::string::npos) message.resize(suffix);
      return absl::Status(entry.code, message);
    }
  }
  return absl::InternalError(absl::StrCat("redis: ", error));
}

LuaScript::LuaScript(std::string source) : source_(std::move(source)) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(source_.data()), source_.size(), digest);
  char hex[2 * SHA_DIGEST_LENGTH + 1];
  for (int i = 0; i < SHA_DIGEST_LENGTH; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  sha_.assign(hex, 2 * SHA_DIGEST_LENGTH);
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Open(
    const RedisOptions& options) {
  timeval timeout{options.timeout_ms / 1000, (options.timeout_ms % 1000) * 1000};
  redisContext* context = redisConnectWithTimeout(options.host.c_str(), options.port, timeout);
  if (context == nullptr) return absl::UnavailableError("redis: cannot allocate a connection");
  if (context->err) {
    std::string why = context->errstr;
    redisFree(context);
    return absl::UnavailableError(
        absl::StrCat("redis at ", options.host, ":", options.port, " unreachable: ", why));
  }
  redisSetTimeout(context, timeout);
  redisEnableKeepAlive(context);
  std::unique_ptr<RedisConnection> connection(new RedisConnection(context));
  WAHANA_RETURN_IF_ERROR(connection->Authenticate(options));
  return connection;
}

absl::Status RedisConnection::Authenticate(const RedisOptions& options) {
  // Without credentials, PING tells whether Redis wants some (NOAUTH) before any real command.
  std::vector<std::string> argv = {"PING"};
  if (!options.password.empty()) {
    argv = {"AUTH", options.password};
    if (!options.user.empty()) argv.insert(argv.begin() + 1, options.user);
  }
  absl::StatusOr<RedisReply> reply = Command(argv);
  if (reply.ok() || broken_) return reply.status();
  const std::string who = options.user.empty() ? "default" : options.user;
  if (absl::StrContains(reply.status().message(), "NOAUTH")) {
    return absl::PermissionDeniedError(absl::StrCat("redis at ", options.host, ":", options.port,
                                                    " requires a user and password"));
  }
  if (absl::StrContains(reply.status().message(), "WRONGPASS")) {
    return absl::PermissionDeniedError(absl::StrCat(
        "redis at ", options.host, ":", options.port, " refused the password of user \"", who,
        "\" (wrong password, unknown or disabled user)"));
  }
  return reply.status();
}

RedisConnection::~RedisConnection() { redisFree(context_); }

absl::Status RedisConnection::TransportError(const char* what) {
  broken_ = true;
  return absl::UnavailableError(absl::StrCat("redis ", what, ": ", context_->errstr));
}

absl::Status RedisConnection::SetTimeoutMs(int timeout_ms) {
  timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  if (redisSetTimeout(context_, timeout) != REDIS_OK) return TransportError("set timeout");
  return absl::OkStatus();
}

absl::StatusOr<RedisReply> RedisConnection::Command(const std::vector<std::string>& argv) {
  if (broken_) return absl::UnavailableError("redis connection is broken");
  ArgvView view(argv);
  auto* reply = static_cast<redisReply*>(redisCommandArgv(context_, static_cast<int>(argv.size()),
                                                          view.ptrs.data(), view.lens.data()));
  if (reply == nullptr) return TransportError("command");
  RedisReply out = Copy(reply);
  freeReplyObject(reply);
  if (out.is_error()) return RedisErrorToStatus(out.str);
  return out;
}

absl::StatusOr<std::vector<RedisReply>> RedisConnection::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (broken_) return absl::UnavailableError("redis connection is broken");
  for (const auto& argv : commands) {
    ArgvView view(argv);
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), view.ptrs.data(),
                               view.lens.data()) != REDIS_OK) {
      return TransportError("pipeline append");
    }
  }
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      return TransportError("pipeline read");
    }
    replies.push_back(Copy(static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  return replies;
}

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Connect(const RedisOptions& options) {
  std::unique_ptr<RedisClient> client(new RedisClient(options));
  WAHANA_ASSIGN_OR_RETURN(auto first, RedisConnection::Open(options));
  WAHANA_RETURN_IF_ERROR(first->Command({"PING"}).status());
  absl::MutexLock lock(&client->mu_);
  client->open_ = 1;
  client->idle_.push_back(std::move(first));
  return client;
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisClient::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &RedisClient::CanLease));
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;  // reserved: opened below, outside the lock
  }
  auto opened = RedisConnection::Open(options_);
  if (!opened.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return opened;
}

void RedisClient::Release(std::unique_ptr<RedisConnection> connection) {
  absl::MutexLock lock(&mu_);
  if (connection->broken()) {
    // A transport error usually means Redis restarted or the network dropped: the idle
    // connections are as dead as this one, so drop them all rather than fail one call each.
    open_ -= 1 + static_cast<int>(idle_.size());
    idle_.clear();
  } else {
    idle_.push_back(std::move(connection));
  }
}

absl::StatusOr<RedisReply> RedisClient::Command(const std::vector<std::string>& argv) {
  WAHANA_ASSIGN_OR_RETURN(auto connection, Acquire());
  auto reply = connection->Command(argv);
  Release(std::move(connection));
  return reply;
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  WAHANA_ASSIGN_OR_RETURN(auto connection, Acquire());
  auto replies = connection->Pipeline(commands);
  Release(std::move(connection));
  return replies;
}

absl::StatusOr<RedisReply> RedisClient::Eval(const LuaScript& script,
                                             const std::vector<std::string>& keys,
                                             const std::vector<std::string>& args) {
  std::vector<std::string> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.push_back("EVALSHA");
  argv.push_back(script.sha());
  argv.push_back(std::to_string(keys.size()));
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  auto reply = Command(argv);
  if (!reply.ok() && absl::StrContains(reply.status().message(), "NOSCRIPT")) {
    argv[0] = "EVAL";
    argv[1] = script.source();
    return Command(argv);
  }
  return reply;
}

}  // namespace wahana
