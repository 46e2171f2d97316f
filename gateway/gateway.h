#pragma once
// The gateway's logic, independent of the HTTP transport: turns one HttpRequest into a unary gRPC
// call chosen by the route table, and the reply (or error) into one HttpResponse.
//
//   GET /healthz  200 {"status":"ok"} while the process is up (HEAD works too, on both).
//   GET /readyz   200 {"status":"ok"} when every backend answers grpc.health.v1.Health/Check
//                 SERVING (checked concurrently, short deadline); otherwise 503
//                 {"status":"unavailable","notReady":[{"service","address","reason"}, ...]}.
//   any route     the service's reply in protobuf's JSON mapping (lowerCamelCase, every field
//                 printed, enums by name), or a google.rpc.Status-shaped error (error_mapping.h).
//
// Every response carries X-Request-Id (request_id.h). Handle never blocks on the network: the
// gRPC call is asynchronous and `done` runs on a gRPC thread when it ends.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/backend.h"
#include "gateway/gateway_config.h"
#include "gateway/http_exchange.h"
#include "gateway/route_table.h"

namespace wahana {

class Gateway {
 public:
  using Done = std::function<void(HttpResponse)>;

  // Builds the route table for `config.backends` and creates one channel per backend.
  // Errors as RouteTable::Build.
  static absl::StatusOr<std::unique_ptr<Gateway>> Create(const GatewayConfig& config);

  Gateway(const GatewayConfig& config, RouteTable routes,
          std::vector<std::unique_ptr<Backend>> backends);
  ~Gateway();

  // Answers `request` by calling `done` exactly once, from this thread or a gRPC thread.
  // Thread-safe; never throws.
  void Handle(HttpRequest request, Done done);

  // From now on every request gets 503; returns once the requests in flight are answered (each
  // is bounded by the RPC deadline). Idempotent.
  void Shutdown();

  const RouteTable& routes() const { return routes_; }

 private:
  struct Exchange;

  void Dispatch(const std::shared_ptr<Exchange>& exchange);
  void CallBackend(const std::shared_ptr<Exchange>& exchange, const RouteTable::Match& match,
                   absl::string_view query);
  void OnReply(const std::shared_ptr<Exchange>& exchange, const grpc::Status& status);
  void CheckReadiness(const std::shared_ptr<Exchange>& exchange);
  void Finish(const std::shared_ptr<Exchange>& exchange, HttpResponse response);

  const int64_t max_body_bytes_;
  const std::chrono::milliseconds rpc_deadline_;
  const std::chrono::milliseconds readiness_deadline_;
  const RouteTable routes_;
  const std::vector<std::unique_ptr<Backend>> backends_;

  std::mutex mu_;
  std::condition_variable idle_;
  bool closed_ = false;  // guarded by mu_
  int in_flight_ = 0;    // guarded by mu_
};

}  // namespace wahana
