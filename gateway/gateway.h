#pragma once
// The gateway's logic, independent of the HTTP transport: turns one HttpRequest into a unary gRPC
// call chosen by the route table, and the reply (or error) into one HttpResponse.
//
//   GET /healthz  200 {"status":"ok"} while the process is up (HEAD works too, on both).
//   GET /readyz   200 {"status":"ok"} when every backend answers grpc.health.v1.Health/Check
//                 SERVING (checked concurrently, short deadline); otherwise 503
//                 {"status":"unavailable","notReady":[{"service","address","reason"}, ...]}.
//   GET /metrics  Prometheus text format 0.0.4 (gateway_metrics.h); no credentials needed.
//   GET /openapi.json  the OpenAPI 3 document of the routes (openapi.h); no credentials needed.
//   any route     the service's reply in protobuf's JSON mapping (lowerCamelCase, every field
//                 printed, enums by name), or a google.rpc.Status-shaped error (error_mapping.h).
//
// Every response carries X-Request-Id (request_id.h), the security headers (security_headers.h)
// and, when CORS is on, its headers (cors.h). Routed requests pass, in order: the CORS preflight
// (answered here), authentication (401 + WWW-Authenticate; request_authenticator.h; the backend
// then gets a token minted for the principal; a client address that has spent its failed
// authentications gets 429 + Retry-After instead, auth_failure_limiter.h), the cap on requests in
// flight (503 +
// Retry-After: 1), the per-caller rate limit (429 + Retry-After), then the body checks: 415, 413,
// JSON depth (400). Handle blocks on the network only to read an API key's record (one Redis
// HGETALL, bounded by WAHANA_REDIS_TIMEOUT_MS): the gRPC call is asynchronous and `done` runs on a
// gRPC thread when it ends.

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "gateway/access_log.h"
#include "gateway/auth_failure_limiter.h"
#include "gateway/backend.h"
#include "gateway/concurrency_limiter.h"
#include "gateway/cors.h"
#include "gateway/gateway_config.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http_exchange.h"
#include "gateway/rate_limiter.h"
#include "gateway/request_authenticator.h"
#include "gateway/route_table.h"

namespace wahana {

class Gateway {
 public:
  using Done = std::function<void(HttpResponse)>;

  // Builds the route table for `config.backends` and creates one channel per backend.
  // Errors as RouteTable::Build.
  // Without `auth` (tests against fake backends) requests are not authenticated and backends get
  // no token; wahana-gateway always passes it. `extra_backends` (the in-process ApiKeyService) are
  // routed like those of the configuration. With `forwarding_key` (forwarded_address.h) each
  // authenticated call carries the HTTP client's address and the proof that the gateway sent
  // it; without it the services record the gateway as the client.
  static absl::StatusOr<std::unique_ptr<Gateway>> Create(const GatewayConfig& config);
  static absl::StatusOr<std::unique_ptr<Gateway>> Create(
      const GatewayConfig& config, std::vector<std::unique_ptr<Backend>> extra_backends,
      GatewayAuth auth, std::string forwarding_key = "");

  Gateway(const GatewayConfig& config, RouteTable routes,
          std::vector<std::unique_ptr<Backend>> backends, GatewayAuth auth = {},
          std::string forwarding_key = "");
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
  // The 429 of a client address that has spent its failed authentications.
  HttpResponse AuthFailuresLimited(const RateLimiter::Decision& decision);
  // Metrics and the access log line of an answered request.
  void Account(const Exchange& exchange, const HttpResponse& response);

  const int64_t max_body_bytes_;
  const std::chrono::milliseconds rpc_deadline_;
  const std::chrono::milliseconds readiness_deadline_;
  const RouteTable routes_;
  const std::vector<std::unique_ptr<Backend>> backends_;
  const GatewayAuth auth_;            // empty: no authentication (see Create)
  const std::string forwarding_key_;  // empty: no forwarded client address
  // Limits (gateway/limits_config.h); probes (/healthz, /readyz) are exempt from all three.
  const int max_json_depth_;
  const CorsPolicy cors_;
  RateLimiter rate_limiter_;
  AuthFailureLimiter auth_failures_;
  ConcurrencyLimiter concurrency_;
  GatewayMetrics metrics_;          // after concurrency_, which it reads
  const std::string openapi_json_;  // built once from routes_ (declared before it)
  AccessLog access_log_;

  // Shutdown awaits no request in flight (absl::Mutex::Await re-checks it on every unlock).
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; }

  absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace wahana
