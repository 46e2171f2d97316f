#include "common/redis/redis_setup.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace wahana {
namespace {

absl::StatusOr<std::string> ReadPasswordFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream content;
  content << in.rdbuf();
  std::string password = content.str();
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
    password.pop_back();
  }
  if (password.empty()) return absl::InvalidArgumentError(absl::StrCat(path, " is empty"));
  return password;
}

}  // namespace

RedisOptions ReadRedisOptions(EnvReader& reader) {
  RedisOptions options;
  options.host = reader.String("WAHANA_REDIS_HOST");
  options.port = reader.Port("WAHANA_REDIS_PORT", 6379);
  options.pool_size = static_cast<int>(reader.Int("WAHANA_REDIS_POOL_SIZE", 1, 256));
  options.timeout_ms = static_cast<int>(reader.Int("WAHANA_REDIS_TIMEOUT_MS", 10, 600000));
  options.user = reader.String("WAHANA_REDIS_USER");
  reader.Checked("WAHANA_REDIS_PASSWORD_FILE", [&](const std::string& path) -> absl::Status {
    if (path.empty()) {
      if (options.user.empty()) return absl::OkStatus();
      return absl::InvalidArgumentError("required when WAHANA_REDIS_USER is set");
    }
    absl::StatusOr<std::string> password = ReadPasswordFile(path);
    if (!password.ok()) return password.status();
    options.password = *std::move(password);
    return absl::OkStatus();
  });
  return options;
}

absl::StatusOr<std::unique_ptr<RedisClient>> ConnectWaiting(const RedisOptions& options,
                                                            std::chrono::seconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  auto delay = std::chrono::milliseconds(100);
  for (;;) {
    auto client = RedisClient::Connect(options);
    if (client.ok()) return client;
    if (client.status().code() == absl::StatusCode::kPermissionDenied) {
      return absl::PermissionDeniedError(
          absl::StrCat(client.status().message(),
                       ": check WAHANA_REDIS_USER and the file in WAHANA_REDIS_PASSWORD_FILE"));
    }
    if (std::chrono::steady_clock::now() > deadline) return client;
    spdlog::warn("waiting for Redis: {}", std::string(client.status().message()));
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(2000));
  }
}

}  // namespace wahana
