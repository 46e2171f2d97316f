#include "common/process/service_main.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/bearer_channel.h"
#include "common/auth/call_authenticator.h"
#include "common/config/settings.h"
#include "common/logging/logging.h"
#include "common/process/signals.h"
#include "common/redis/redis_setup.h"

namespace wahana {
namespace {

constexpr auto kHealthInterval = std::chrono::seconds(1);
constexpr auto kShutdownGrace = std::chrono::seconds(10);
// How long a client's connection lives before the server asks it to reconnect (re-resolving the
// service's name), and how long its calls under way then have to finish.
constexpr int kMaxConnectionAgeMs = 5 * 60 * 1000;
constexpr int kMaxConnectionAgeGraceMs = 60 * 1000;

// Keeps the gRPC health status equal to "this process can reach Redis", so /readyz tells the truth.
class HealthWatcher {
 public:
  HealthWatcher(RedisClient& redis, grpc::HealthCheckServiceInterface* health)
      : redis_(redis), health_(health), thread_([this] { Loop(); }) {}
  ~HealthWatcher() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    thread_.join();
  }

 private:
  void Loop() {
    bool last = true;
    for (;;) {
      bool ok = redis_.Command({"PING"}).ok();
      if (ok != last) {
        if (ok)
          spdlog::info("Redis reachable again: SERVING");
        else
          spdlog::error("Redis unreachable: NOT_SERVING");
        last = ok;
      }
      health_->SetServingStatus(ok);
      absl::MutexLock lock(&mu_);  // the destructor's stop_ = true ends the wait at once
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_), absl::FromChrono(kHealthInterval))) return;
    }
  }

  RedisClient& redis_;
  grpc::HealthCheckServiceInterface* health_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace

ServiceRuntime::ServiceRuntime(ServiceConfig config, std::unique_ptr<RedisClient> redis)
    : config_(std::move(config)),
      redis_(std::move(redis)),
      pool_(std::make_unique<WorkerPool>(config_.worker_threads, config_.worker_queue)),
      metrics_(std::make_unique<MetricsEndpoint>(*redis_)) {}

void ServiceRuntime::AddService(std::unique_ptr<grpc::Service> service) {
  services_.push_back(std::move(service));
}

void ServiceRuntime::AddInterceptor(
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> factory) {
  interceptors_.push_back(std::move(factory));
}

void ServiceRuntime::WatchStreamLag(std::string stream, std::string group) {
  metrics_->WatchStreamLag(std::move(stream), std::move(group));
}

void ServiceRuntime::AddMetrics(std::shared_ptr<prometheus::Collectable> collectable) {
  metrics_->AddCollectable(std::move(collectable));
}

void ServiceRuntime::AddListeningPort(std::string address,
                                      std::shared_ptr<grpc::ServerCredentials> credentials) {
  extra_ports_.emplace_back(std::move(address), std::move(credentials));
}

void ServiceRuntime::AddBackground(std::function<void()> start, std::function<void()> stop) {
  background_.emplace_back(std::move(start), std::move(stop));
}

int RunService(int argc, char** argv, const std::string& process, int default_grpc_port,
               const std::function<absl::Status(ServiceRuntime&)>& setup) {
  BlockTerminationSignals();
  // Debian's Abseil checks every absl::Mutex acquisition (gRPC takes many per call) for lock-order
  // cycles; a debug aid that showed as ~5% of a service's CPU under load (perf, case create).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      PrintSettingsHelp(process, std::cout);
      return 0;
    }
    std::cerr << "wahana-" << process << ": unknown argument " << argv[i]
              << " (configuration is by environment variables; see --help)\n";
    return 2;
  }
  EnvReader reader;
  ServiceConfig config = ReadServiceConfig(reader, process, default_grpc_port);
  if (absl::Status s = reader.Finish(); !s.ok()) {
    std::cerr << "wahana-" << process << ": " << s.message() << "\n";
    return 2;
  }
  if (absl::Status s = InitLogging(process, config.log_level, config.log_format); !s.ok()) {
    std::cerr << "wahana-" << process << ": " << s.message() << "\n";
    return 2;
  }
  absl::StatusOr<AuthKeys> auth = LoadAuthKeys(config.auth);
  if (!auth.ok()) {
    std::cerr << "wahana-" << process << ": " << auth.status().message() << "\n";
    return 2;
  }
  if (auth->verifier->issuer_kid().empty()) {
    std::cerr << "wahana-" << process
              << ": WAHANA_TOKEN_PUBLIC_KEY_FILE is required: the public half (PEM) of the "
                 "gateway's token signing key, which every token for a person or an API key is "
                 "signed with (deploy/local/run.sh makes the pair)\n";
    return 2;
  }
  // Before setup creates any channel: calls to other services carry this service's token.
  AuthorizeAllOutgoingCalls(
      std::make_shared<TokenSource>(auth->minter, ServicePrincipal(process, config.region)));
  try {
    auto redis = ConnectWaiting(config.redis);
    if (!redis.ok()) {
      spdlog::critical("cannot start: {}", std::string(redis.status().message()));
      return 1;
    }
    ServiceRuntime runtime(config, std::move(redis).value());
    runtime.auth_ = *auth;
    // First of the runtime's interceptors, so its timing covers the others.
    runtime.AddInterceptor(runtime.metrics_->InterceptorFactory());
    if (absl::Status s = setup(runtime); !s.ok()) {
      spdlog::critical("cannot start: {}", s.ToString());
      return 1;
    }

    if (absl::Status s = runtime.metrics_->Serve(config.grpc_host, config.metrics_port); !s.ok()) {
      spdlog::critical("cannot start: {}", std::string(s.message()));
      return 1;
    }
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    int bound_port = 0;
    builder.AddListeningPort(config.GrpcAddress(), grpc::InsecureServerCredentials(), &bound_port);
    std::vector<int> extra_bound(runtime.extra_ports_.size(), 0);
    for (size_t i = 0; i < runtime.extra_ports_.size(); ++i) {
      builder.AddListeningPort(runtime.extra_ports_[i].first, runtime.extra_ports_[i].second,
                               &extra_bound[i]);
    }
    for (auto& service : runtime.services_) builder.RegisterService(service.get());
    // A client finds the replicas added to a running deployment (`up --scale`) only when it
    // resolves the service's name again, which gRPC does when a connection closes: each connection
    // is closed gracefully after a few minutes (calls under way finish) so the load spreads.
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, kMaxConnectionAgeMs);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, kMaxConnectionAgeGraceMs);
    // Every call is authenticated before its handler runs (health checks and reflection stay open);
    // the runtime's interceptors come after, so they see the verified principal.
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(MakeCallAuthenticationFactory(auth->verifier));
    for (auto& factory : runtime.interceptors_) creators.push_back(std::move(factory));
    builder.experimental().SetInterceptorCreators(std::move(creators));
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    if (server == nullptr || bound_port == 0) {
      spdlog::critical("cannot listen on {} (port taken or address invalid)", config.GrpcAddress());
      return 1;
    }
    for (size_t i = 0; i < extra_bound.size(); ++i) {
      if (extra_bound[i] == 0) {
        spdlog::critical("cannot listen on {} (port taken or address invalid)",
                         runtime.extra_ports_[i].first);
        return 1;
      }
      spdlog::info("also serving gRPC with TLS on {}", runtime.extra_ports_[i].first);
    }
    for (auto& [start, stop] : runtime.background_) start();
    auto health_watcher =
        std::make_unique<HealthWatcher>(runtime.redis(), server->GetHealthCheckService());
    spdlog::info("wahana-{} serving gRPC on {} for region {}", process, config.GrpcAddress(),
                 config.region);
    if (config.metrics_port != 0) {
      spdlog::info("metrics on http://{}:{}/metrics", config.grpc_host, config.metrics_port);
    }

    int signal_number = WaitForTerminationSignal();
    spdlog::info("signal {}: shutting down", signal_number);
    health_watcher.reset();
    server->GetHealthCheckService()->SetServingStatus(false);
    server->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
    server->Wait();
    for (auto it = runtime.background_.rbegin(); it != runtime.background_.rend(); ++it) {
      it->second();
    }
    spdlog::info("stopped");
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}

}  // namespace wahana
