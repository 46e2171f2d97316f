#pragma once
// The life of a backend service process, shared by all four: read and check the configuration,
// set up logging, connect to Redis, start the gRPC server (with the standard health service and
// reflection), keep the health status true to Redis' reachability, and on SIGTERM/SIGINT stop
// taking calls, finish those in flight, then stop background work.

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/service_type.h>
#include <grpcpp/support/server_interceptor.h>

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "common/auth/auth_settings.h"
#include "common/grpc/worker_pool.h"
#include "common/process/metrics_endpoint.h"
#include "common/process/service_config.h"
#include "common/redis/redis_client.h"

namespace wahana {

// What a service's setup function receives and fills in.
class ServiceRuntime {
 public:
  ServiceRuntime(ServiceConfig config, std::unique_ptr<RedisClient> redis);

  const ServiceConfig& config() const { return config_; }
  RedisClient& redis() { return *redis_; }
  WorkerPool& pool() { return *pool_; }
  // The deployment's token keys. Every call this process makes to another service already carries
  // a token for ServicePrincipal(process, region) (bearer_channel.h); every call it serves is
  // authenticated (call_authenticator.h).
  const AuthKeys& auth() const { return auth_; }

  // Registered on the server; owned by the runtime.
  void AddService(std::unique_ptr<grpc::Service> service);
  // Background work (stream consumers): `start` runs once the server is up, `stop` on shutdown,
  // after the server has finished its calls. Stops run in reverse order of registration.
  void AddBackground(std::function<void()> start, std::function<void()> stop);
  // Server interceptors run after the authenticating one (so they can read the verified
  // principal), in the order added; the server owns them.
  void AddInterceptor(
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> factory);
  // Reports the lag of consumer group `group` on `stream` at this service's /metrics (call it for
  // every stream consumer the service runs).
  void WatchStreamLag(std::string stream, std::string group);
  // Serves `collectable`'s metric families at this service's /metrics (call during setup).
  void AddMetrics(std::shared_ptr<prometheus::Collectable> collectable);
  // One more port the server listens on with `credentials` (TLS for callers from outside the
  // deployment), serving the same services behind the same interceptors as the main port.
  void AddListeningPort(std::string address, std::shared_ptr<grpc::ServerCredentials> credentials);

 private:
  friend int RunService(int, char**, const std::string&, int,
                        const std::function<absl::Status(ServiceRuntime&)>&);
  ServiceConfig config_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<MetricsEndpoint> metrics_;
  AuthKeys auth_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::vector<std::pair<std::function<void()>, std::function<void()>>> background_;
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors_;
  std::vector<std::pair<std::string, std::shared_ptr<grpc::ServerCredentials>>> extra_ports_;
};

// The whole main() of a service. Returns the process exit code: 0 after a clean shutdown, 2 for a
// bad configuration, 1 when start-up fails (Redis unreachable for 30 s, port taken, setup error).
int RunService(int argc, char** argv, const std::string& process, int default_grpc_port,
               const std::function<absl::Status(ServiceRuntime&)>& setup);

}  // namespace wahana
