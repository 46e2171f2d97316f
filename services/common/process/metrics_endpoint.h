#pragma once
// A backend service's Prometheus endpoint: GET /metrics (text format 0.0.4, no credentials) on its
// own port, served by prometheus-cpp's pull Exposer (an embedded civetweb server), with
//
//   wahana_grpc_server_calls_total{method,code}       every call the gRPC server finished
//   wahana_grpc_server_call_duration_seconds{method}  (grpc/server_metrics.h)
//   wahana_stream_group_lag{stream,group}             the consumer groups the service runs, read
//   wahana_stream_group_pending{stream,group}         from Redis when scraped (bus/stream_lag.h)
//
// The endpoint is separate from the gRPC port so a scraper needs no gRPC and no token; keep it on
// the internal network (it binds the gRPC host).

#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/bus/stream_lag.h"
#include "common/grpc/server_metrics.h"
#include "common/redis/redis_client.h"

namespace wahana {

class MetricsEndpoint {
 public:
  // `redis` (read for the stream lag) must outlive this object.
  explicit MetricsEndpoint(RedisClient& redis);
  ~MetricsEndpoint();

  // An interceptor factory counting every call; this object must outlive the server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory() {
    return server_metrics_.InterceptorFactory();
  }
  // Reports consumer group `group` of `stream` from the next scrape on. Thread-safe.
  void WatchStreamLag(std::string stream, std::string group);
  // Serves `collectable`'s families too (read at each scrape). Call before Serve.
  void AddCollectable(std::shared_ptr<prometheus::Collectable> collectable);

  // Serves GET /metrics on `host`:`port` until destroyed; port 0 serves nothing (OK). UNAVAILABLE
  // when the address cannot be bound (port taken). Call once.
  absl::Status Serve(const std::string& host, int port);
  // The port served, 0 when nothing is.
  int port() const { return port_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  ServerMetrics server_metrics_;
  std::shared_ptr<StreamLagCollector> stream_lag_;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace wahana
