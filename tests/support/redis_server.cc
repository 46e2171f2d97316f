#include "support/redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"

namespace wahana::testing {
namespace {

constexpr auto kStartDeadline = std::chrono::seconds(10);
constexpr auto kStopDeadline = std::chrono::seconds(10);

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "RedisServer: %s\n", why.c_str());
  std::fflush(stderr);
  std::abort();
}

// redis-server from PATH, else the Debian location.
std::string FindRedisServer() {
  const char* path = std::getenv("PATH");
  if (path != nullptr) {
    for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
      std::string candidate = std::string(dir) + "/redis-server";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  if (::access("/usr/bin/redis-server", X_OK) == 0) return "/usr/bin/redis-server";
  Die("redis-server not found on PATH (apt-get install redis-server)");
}

std::string MakeTempDir() {
  std::string base = "/tmp";
  if (const char* tmp = std::getenv("TMPDIR"); tmp != nullptr && *tmp != '\0') base = tmp;
  std::string pattern = base + "/wahana-redis-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) Die("cannot create a temp dir under " + base);
  return std::string(buffer.data());
}

// Waits for `pid` to exit for up to `deadline`; true when it has been reaped.
bool WaitExit(int pid, std::chrono::steady_clock::duration deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    int status = 0;
    pid_t got = ::waitpid(pid, &status, WNOHANG);
    if (got == pid || (got < 0 && errno == ECHILD)) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

bool AnswersPing(const RedisOptions& options) {
  auto connection = RedisConnection::Open(options);
  if (!connection.ok()) return false;
  auto reply = (*connection)->Command({"PING"});
  return reply.ok() && reply->str == "PONG";
}

}  // namespace

namespace {

// The first port of the kernel's ephemeral range (outgoing connections and bind(0) take theirs
// from it), read once; the Linux default when the file is missing.
int EphemeralRangeStart() {
  static const int start = [] {
    std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
    int low = 0;
    return (range >> low) && low > 2048 ? low : 32768;
  }();
  return start;
}

bool CanBind(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) Die("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return bound;
}

}  // namespace

int FreePort() {
  // Not bind(0): the kernel hands out ports from the ephemeral range, where a client connection
  // of this or another test may take the port before the server binds it, and may hand the same
  // port out twice in a row (two services of one suite then collide). Instead a random port
  // below that range that binds now and was not handed out before in this process.
  static absl::Mutex mutex;
  static std::set<int> handed_out;
  static std::mt19937 random(std::random_device{}() ^ static_cast<unsigned>(::getpid()));
  absl::MutexLock lock(&mutex);
  const int low = 10000;
  const int high = EphemeralRangeStart() - 1;
  std::uniform_int_distribution<int> pick(low, high);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    int port = pick(random);
    if (handed_out.count(port) != 0 || !CanBind(port)) continue;
    handed_out.insert(port);
    return port;
  }
  Die("no free port between 10000 and " + std::to_string(high));
}

RedisServer::RedisServer() : dir_(MakeTempDir()) {
  // Another process may grab the free port between FreePort() and redis binding it: try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = FreePort();
    if (TryLaunch()) return;
  }
  Die("redis-server did not start (see " + dir_ + "/redis.log)");
}

RedisServer::~RedisServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

RedisOptions RedisServer::options() const {
  RedisOptions options;
  options.host = "127.0.0.1";
  options.port = port_;
  return options;
}

std::unique_ptr<RedisClient> RedisServer::Client() const {
  auto client = RedisClient::Connect(options());
  if (!client.ok()) Die("cannot connect: " + std::string(client.status().message()));
  return std::move(client).value();
}

void RedisServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!WaitExit(pid_, kStopDeadline)) {
    ::kill(pid_, SIGKILL);
    WaitExit(pid_, kStopDeadline);
  }
  pid_ = -1;
}

void RedisServer::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  WaitExit(pid_, kStopDeadline);
  pid_ = -1;
}

void RedisServer::Restart() {
  Stop();
  Launch();
}

void RedisServer::Launch() {
  if (!TryLaunch()) {
    Die("redis-server did not start on port " + std::to_string(port_) + " (see " + dir_ +
        "/redis.log)");
  }
}

bool RedisServer::TryLaunch() {
  // Everything the child needs is built before fork(): after it, only exec-safe calls.
  const std::pair<std::string, std::string> flags[] = {
      {"--port", std::to_string(port_)}, {"--dir", dir_},
      {"--appendonly", "yes"},           {"--save", ""},
      {"--bind", "127.0.0.1"},           {"--daemonize", "no"},
      {"--logfile", dir_ + "/redis.log"}};
  // The deployment's own settings file first (deploy/redis/redis.conf), so tests see what
  // production runs; the flags after it override only where a test needs to.
  std::vector<std::string> args = {FindRedisServer(), WAHANA_REDIS_CONF};
  for (const auto& [flag, value] : flags) args.insert(args.end(), {flag, value});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) Die("fork() failed");
  if (pid == 0) {
    // Do not outlive a crashed test binary.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;

  auto until = std::chrono::steady_clock::now() + kStartDeadline;
  RedisOptions probe = options();
  probe.timeout_ms = 500;
  while (std::chrono::steady_clock::now() < until) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: port taken, bad config ...
      pid_ = -1;
      return false;
    }
    if (AnswersPing(probe)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return false;
}

}  // namespace wahana::testing
