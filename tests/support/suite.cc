#include "support/suite.h"

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "support/test_auth.h"

namespace wahana::testing {
namespace {

struct ProcessSpec {
  const char* name;
  const char* binary;
  const char* address_setting;
};

// Runs `command` through the shell; false (with its output on stderr) when it fails.
bool RunLogged(const std::string& command, const std::string& log) {
  if (std::system((command + " >" + log + " 2>&1").c_str()) == 0) return true;
  std::ifstream in(log);
  std::cerr << command << " failed:\n" << in.rdbuf() << "\n";
  return false;
}

const ProcessSpec kServices[] = {
    {"registry", WAHANA_REGISTRY_BIN, "WAHANA_REGISTRY_ADDR"},
    {"case", WAHANA_CASE_BIN, "WAHANA_CASE_ADDR"},
    {"event", WAHANA_EVENT_BIN, "WAHANA_EVENT_ADDR"},
    {"reporting", WAHANA_REPORTING_BIN, "WAHANA_REPORTING_ADDR"},
    {"federation", WAHANA_FEDERATION_BIN, "WAHANA_FEDERATION_ADDR"},
};

}  // namespace

Suite::Suite(std::map<std::string, std::string> extra_env) : extra_env_(std::move(extra_env)) {}

Suite::~Suite() {
  for (auto it = processes_.rbegin(); it != processes_.rend(); ++it) (*it)->Stop();
  processes_.clear();
  redis_.reset();
}

std::string Suite::GrpcAddress(const std::string& service, int replica) const {
  auto it = addresses_.find(service);
  if (it == addresses_.end() || replica < 0 || replica >= static_cast<int>(it->second.size())) {
    return "";
  }
  return it->second[replica];
}

int Suite::MetricsPort(const std::string& service, int replica) const {
  auto it = metrics_ports_.find(service);
  if (it == metrics_ports_.end() || replica < 0 || replica >= static_cast<int>(it->second.size())) {
    return 0;
  }
  return it->second[replica];
}

void Suite::KillReplica(const std::string& service, int replica) {
  auto it = replica_processes_.find(service);
  if (it == replica_processes_.end() || replica < 0 ||
      replica >= static_cast<int>(it->second.size())) {
    return;
  }
  it->second[replica]->Kill();
}

bool Suite::InstallRedisUsers() {
  const std::string dir = redis_->dir();
  const std::string acl = std::string("bash ") + WAHANA_ACL_SH;
  if (!RunLogged(acl + " passwords " + secrets_dir(), dir + "/acl.log") ||
      !RunLogged(acl + " write " + secrets_dir() + " " + dir + "/users.acl", dir + "/acl.log")) {
    return false;
  }
  // Every user but Redis's default, so the tests' own client (no password) keeps every right.
  auto admin = redis_->Client();
  std::ifstream rules(dir + "/users.acl");
  for (std::string line; std::getline(rules, line);) {
    std::vector<std::string> words = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (words.size() < 2 || words[0] != "user" || words[1] == "default") continue;
    words[0] = "SETUSER";
    words.insert(words.begin(), "ACL");
    auto set = admin->Command(words);
    if (!set.ok()) {
      std::cerr << "ACL SETUSER " << words[2] << " failed: " << set.status() << "\n";
      return false;
    }
  }
  return true;
}

std::map<std::string, std::string> Suite::RedisLogin(const std::string& user) const {
  return {{"WAHANA_REDIS_USER", user},
          {"WAHANA_REDIS_PASSWORD_FILE", secrets_dir() + "/redis_" + user + "_password"}};
}

std::string Suite::secrets_dir() const { return redis_->dir() + "/secrets"; }

bool Suite::Start() {
  redis_ = std::make_unique<RedisServer>();
  if (!InstallRedisUsers()) return false;
  token_secret_file_ = WriteTestTokenSecret(redis_->dir());
  token_keys_ = WriteTestTokenKeys(redis_->dir());
  std::map<std::string, std::string> env = {
      {"WAHANA_REGION", "16.06"},
      {"WAHANA_REDIS_PORT", std::to_string(redis_->port())},
      {"WAHANA_BUS_CLAIM_IDLE_MS", "1000"},
      // Tests fire requests faster than any person: no rate limit unless a test sets one.
      {"WAHANA_RATE_LIMIT_PER_SECOND", "0"},
      // Nor a limit on refused credentials: the matrix tests send many on purpose.
      {"WAHANA_AUTH_FAILURES_PER_MINUTE", "0"},
      {"WAHANA_TOKEN_SECRET_FILE", token_secret_file_},
      // The services verify the gateway's tokens; only the gateway gets the signing key (below).
      {"WAHANA_TOKEN_PUBLIC_KEY_FILE", token_keys_.public_key},
      // The event service's check-in key, as run.sh makes it.
      {"WAHANA_CHECKIN_KEY_FILE", WriteTestCheckInKey(redis_->dir())},
  };
  for (const auto& [name, value] : extra_env_) env[name] = value;
  // The deployment's first ADMIN, as deploy/local/run.sh makes it.
  {
    std::string command;
    auto bootstrap_env = env;
    bootstrap_env.merge(RedisLogin("gateway"));
    for (const auto& [name, value] : bootstrap_env) command += name + "='" + value + "' ";
    command += std::string(WAHANA_API_KEYS_BIN) + " bootstrap --out=" + admin_token_file() + " >" +
               redis_->dir() + "/bootstrap.log 2>&1";
    if (std::system(command.c_str()) != 0) {
      std::ifstream log(redis_->dir() + "/bootstrap.log");
      std::cerr << "wahana-api-keys bootstrap failed:\n" << log.rdbuf() << "\n";
      return false;
    }
    std::ifstream in(admin_token_file());
    std::getline(in, admin_key_);
  }
  // A service that cannot start (a port another process took after it was picked) is started
  // again, with the whole set on fresh ports, instead of failing the test.
  for (int attempt = 1; attempt <= 3; ++attempt) {
    switch (LaunchAndWait(env)) {
      case Readiness::kReady:
        return true;
      case Readiness::kTimedOut:
        return false;
      case Readiness::kProcessExited:
        std::cerr << "a process of the suite exited while starting (attempt " << attempt
                  << "); starting again on other ports\n";
        break;
    }
  }
  return false;
}

Suite::Readiness Suite::LaunchAndWait(std::map<std::string, std::string> env) {
  for (auto it = processes_.rbegin(); it != processes_.rend(); ++it) (*it)->Stop();
  processes_.clear();
  http_port_ = FreePort();
  env["WAHANA_HTTP_PORT"] = std::to_string(http_port_);
  for (const ProcessSpec& s : kServices) {
    auto count = replicas_.find(s.name);
    std::vector<std::string>& addresses = addresses_[s.name];
    addresses.clear();
    for (int r = 0; r < (count == replicas_.end() ? 1 : count->second); ++r) {
      addresses.push_back("127.0.0.1:" + std::to_string(FreePort()));
    }
    env[s.address_setting] = absl::StrJoin(addresses, ",");
  }
  for (const ProcessSpec& s : kServices) {
    metrics_ports_[s.name].clear();
    replica_processes_[s.name].clear();
    for (size_t r = 0; r < addresses_[s.name].size(); ++r) {
      auto own = env;
      for (auto& [name, value] : RedisLogin(s.name)) own[name] = value;
      const std::string& address = addresses_[s.name][r];
      own["WAHANA_GRPC_PORT"] = address.substr(address.find(':') + 1);
      // Each its own free port, so suites running side by side never collide on the defaults.
      auto metrics = extra_env_.find("WAHANA_METRICS_PORT");
      metrics_ports_[s.name].push_back(metrics != extra_env_.end() ? std::stoi(metrics->second)
                                                                   : FreePort());
      own["WAHANA_METRICS_PORT"] = std::to_string(metrics_ports_[s.name].back());
      if (r == 0) {
        service_env_[s.name] = own;
        process_index_[s.name] = processes_.size();
      }
      const std::string log_name = r == 0 ? s.name : s.name + ("-" + std::to_string(r + 1));
      processes_.push_back(
          std::make_unique<ChildProcess>(s.binary, own, redis_->dir() + "/" + log_name + ".log"));
      replica_processes_[s.name].push_back(processes_.back().get());
    }
  }
  auto gateway_env = env;
  gateway_env["WAHANA_TOKEN_SIGNING_KEY_FILE"] = token_keys_.signing_key;
  for (auto& [name, value] : RedisLogin("gateway")) gateway_env[name] = value;
  processes_.push_back(std::make_unique<ChildProcess>(WAHANA_GATEWAY_BIN, gateway_env,
                                                      redis_->dir() + "/gateway.log"));

  auto print_logs = [this] {
    for (auto& p : processes_) std::cerr << p->log_path() << ":\n" << p->LogTail() << "\n";
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (HttpCall(http_port_, "GET", "/readyz").status != 200) {
    for (auto& p : processes_) {
      if (!p->running()) {
        print_logs();
        return Readiness::kProcessExited;
      }
    }
    if (std::chrono::steady_clock::now() > deadline) {
      print_logs();
      return Readiness::kTimedOut;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Readiness::kReady;
}

std::string Suite::admin_token_file() const { return redis_->dir() + "/admin.token"; }

HttpResponse Suite::Call(const std::string& method, const std::string& target,
                         const std::string& body,
                         const std::map<std::string, std::string>& headers) const {
  std::map<std::string, std::string> with_credentials = headers;
  bool has_own = false;
  for (const auto& [name, value] : headers) {
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    has_own = has_own || lower == "authorization" || lower == "x-api-key";
  }
  if (!has_own) with_credentials["Authorization"] = AdminAuthorization();
  return HttpCall(http_port_, method, target, body, with_credentials);
}

HttpResponse Suite::CallAnonymously(const std::string& method, const std::string& target,
                                    const std::string& body,
                                    const std::map<std::string, std::string>& headers) const {
  return HttpCall(http_port_, method, target, body, headers);
}

nlohmann::json Suite::Json(const HttpResponse& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

void Suite::StopService(const std::string& service, int grace_ms) {
  auto it = process_index_.find(service);
  if (it != process_index_.end()) processes_[it->second]->Stop(grace_ms);
}

void Suite::RestartService(const std::string& service) {
  auto it = process_index_.find(service);
  if (it == process_index_.end()) return;
  const ProcessSpec* spec = nullptr;
  for (const ProcessSpec& s : kServices) {
    if (s.name == service) spec = &s;
  }
  std::unique_ptr<ChildProcess>& process = processes_[it->second];
  const std::string log = process->log_path();
  process->Stop();
  process = std::make_unique<ChildProcess>(spec->binary, service_env_[service], log);
  replica_processes_[service][0] = process.get();
}

int Suite::RunServiceCommand(const std::string& service, const std::string& arguments,
                             std::string* output) const {
  const ProcessSpec* spec = nullptr;
  for (const ProcessSpec& s : kServices) {
    if (s.name == service) spec = &s;
  }
  auto env = service_env_.find(service);
  if (spec == nullptr || env == service_env_.end()) return -1;
  std::string command;
  for (const auto& [name, value] : env->second) command += name + "='" + value + "' ";
  command += std::string(spec->binary) + " " + arguments + " 2>&1";
  return RunCommand(command, output);
}

int64_t Suite::Int64(const nlohmann::json& object, const char* name) {
  if (!object.is_object() || !object.contains(name)) return 0;
  const nlohmann::json& v = object[name];
  return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<int64_t>();
}

}  // namespace wahana::testing
