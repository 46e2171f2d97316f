#pragma once
// The whole suite as real processes for end-to-end tests: a private Redis, the four services and
// the gateway, each on a free port, configured as deploy/local/run.sh configures them: a token
// secret shared by all (support/test_auth.h), each process logged in to Redis as its own ACL user
// (deploy/redis/acl.sh, so a command a service may not run fails here as in production) and a
// bootstrap ADMIN key for the region, made with wahana-api-keys. Start() returns once the gateway's
// /readyz answers 200.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "support/child_process.h"
#include "support/http_client.h"
#include "support/redis_server.h"
#include "support/test_auth.h"

namespace wahana::testing {

class Suite {
 public:
  // `extra_env` is added to every process's environment (WAHANA_REGION, WAHANA_BUS_*, ...).
  explicit Suite(std::map<std::string, std::string> extra_env = {});
  ~Suite();  // gateway first, then the services, then Redis

  // Runs `count` processes of `service` ("case") instead of one, each on its own ports; every
  // client of the service (the gateway, the other services) is given all their addresses. Call
  // before Start().
  void SetReplicas(const std::string& service, int count) { replicas_[service] = count; }

  // False (with every process's log tail on stderr) when not ready within 60 s.
  bool Start();

  int http_port() const { return http_port_; }
  RedisServer& redis() { return *redis_; }
  // The HS256 secret file every process is given (WAHANA_TOKEN_SECRET_FILE; support/test_auth.h).
  const std::string& token_secret_file() const { return token_secret_file_; }
  // The issuer key pair's files: the gateway's private half, the services' public half.
  const TestTokenKeyFiles& token_key_files() const { return token_keys_; }
  // "127.0.0.1:<port>" of "registry", "case", "event" or "reporting" (its replica `replica`,
  // counted from 0).
  std::string GrpcAddress(const std::string& service, int replica = 0) const;
  // The port of a service's GET /metrics (WAHANA_METRICS_PORT): a free port each, unless
  // `extra_env` sets WAHANA_METRICS_PORT for all (then that value; "0" turns the endpoints off).
  int MetricsPort(const std::string& service, int replica = 0) const;
  // Kills replica `replica` of `service` with SIGKILL (a crash) and waits until it is gone.
  void KillReplica(const std::string& service, int replica);
  // WAHANA_REDIS_USER and WAHANA_REDIS_PASSWORD_FILE of the deployment's Redis user `user`
  // (deploy/redis/users.acl.in), e.g. "audit" for wahana-audit.
  std::map<std::string, std::string> RedisLogin(const std::string& user) const;

  // Stops one service's process (SIGTERM, then SIGKILL after `grace_ms`; 0: SIGKILL at once, as
  // a crash) and starts it again with the same environment and port. Restart returns once it
  // runs (its readiness is the caller's to poll).
  void StopService(const std::string& service, int grace_ms = 10000);
  void RestartService(const std::string& service);

  // Runs `wahana-<service> <arguments>` (a one-shot command such as reporting's --rebuild) with
  // the environment the suite gives that service, waits for it and returns its exit code; its
  // output, errors included, goes to `output`.
  int RunServiceCommand(const std::string& service, const std::string& arguments,
                        std::string* output) const;

  // Calls the gateway as the bootstrap ADMIN ("Authorization: Bearer <admin key>"), unless
  // `headers` carries its own Authorization or X-Api-Key.
  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {}) const;
  // Calls with exactly `headers`: no credentials unless they are among them.
  HttpResponse CallAnonymously(const std::string& method, const std::string& target,
                               const std::string& body = "",
                               const std::map<std::string, std::string>& headers = {}) const;
  // The bootstrap ADMIN key's secret (as written to <dir>/admin.token) and its header value.
  const std::string& admin_key() const { return admin_key_; }
  std::string AdminAuthorization() const { return "Bearer " + admin_key_; }
  // <dir>/admin.token, written by `wahana-api-keys bootstrap`.
  std::string admin_token_file() const;
  // The body parsed as JSON (a discarded value when it is not JSON).
  static nlohmann::json Json(const HttpResponse& response);
  // protobuf's JSON mapping writes int64 as a string: read either.
  static int64_t Int64(const nlohmann::json& object, const char* name);

 private:
  enum class Readiness { kReady, kProcessExited, kTimedOut };
  // The deployment's Redis users (acl.sh) but the default one, with passwords in secrets_dir().
  bool InstallRedisUsers();
  std::string secrets_dir() const;
  // Stops whatever runs, starts every service and the gateway on fresh ports, waits for /readyz.
  Readiness LaunchAndWait(std::map<std::string, std::string> env);
  std::map<std::string, std::string> extra_env_;
  std::map<std::string, int> replicas_;
  std::unique_ptr<RedisServer> redis_;
  int http_port_ = 0;
  std::string token_secret_file_;
  TestTokenKeyFiles token_keys_;
  std::string admin_key_;
  // service -> one entry per replica: host:port, WAHANA_METRICS_PORT, its process
  std::map<std::string, std::vector<std::string>> addresses_;
  std::map<std::string, std::vector<int>> metrics_ports_;
  std::map<std::string, std::vector<ChildProcess*>> replica_processes_;
  std::map<std::string, std::map<std::string, std::string>> service_env_;  // service -> its env
  std::vector<std::unique_ptr<ChildProcess>> processes_;
  std::map<std::string, size_t> process_index_;  // service -> its entry in processes_
};

}  // namespace wahana::testing
