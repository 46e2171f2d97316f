#pragma once
// The whole suite as real processes for end-to-end tests: a private Redis, the four services and
// the gateway, each on a free port, configured as deploy/local/run.sh configures them. Start()
// returns once the gateway's /readyz answers 200.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "support/child_process.h"
#include "support/http_client.h"
#include "support/redis_server.h"

namespace wahana::testing {

class Suite {
 public:
  // `extra_env` is added to every process's environment (WAHANA_REGION, WAHANA_BUS_*, ...).
  explicit Suite(std::map<std::string, std::string> extra_env = {});
  ~Suite();  // gateway first, then the services, then Redis

  // False (with every process's log tail on stderr) when not ready within 60 s.
  bool Start();

  int http_port() const { return http_port_; }
  RedisServer& redis() { return *redis_; }
  // "127.0.0.1:<port>" of "registry", "case", "event" or "reporting".
  std::string GrpcAddress(const std::string& service) const;

  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "") const;
  // The body parsed as JSON (a discarded value when it is not JSON).
  static nlohmann::json Json(const HttpResponse& response);
  // protobuf's JSON mapping writes int64 as a string: read either.
  static int64_t Int64(const nlohmann::json& object, const char* name);

 private:
  std::map<std::string, std::string> extra_env_;
  std::unique_ptr<RedisServer> redis_;
  int http_port_ = 0;
  std::map<std::string, std::string> addresses_;  // service -> host:port
  std::vector<std::unique_ptr<ChildProcess>> processes_;
};

}  // namespace wahana::testing
