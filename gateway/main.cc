// wahana-gateway: the HTTP/1.1 + JSON front of every Wahana gRPC method with a google.api.http
// rule. Configured by environment variables (--help lists them); stops cleanly on SIGTERM/SIGINT.

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>
#include <exception>
#include <iostream>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "common/audit/audit_chain.h"
#include "common/audit/forwarded_address.h"
#include "common/auth/auth_settings.h"
#include "common/config/env_reader.h"
#include "common/config/settings.h"
#include "common/grpc/service_channel.h"
#include "common/logging/logging.h"
#include "common/process/signals.h"
#include "common/redis/redis_setup.h"
#include "gateway/api_keys/api_key_store.h"
#include "gateway/api_keys/in_process_api_keys.h"
#include "gateway/api_keys/worker_directory.h"
#include "gateway/gateway.h"
#include "gateway/gateway_config.h"
#include "gateway/http_server.h"
#include "gateway/request_authenticator.h"

namespace {

// The registry's workers, asked when an API key is linked to one; null (links checked for form
// only) when no registry address is configured.
std::shared_ptr<wahana::WorkerDirectory> WorkerDirectoryFor(
    const wahana::GatewayConfig& config, std::shared_ptr<const wahana::TokenMinter> minter) {
  for (const wahana::BackendAddress& backend : config.backends) {
    if (backend.service != wahana::registry::v1::WorkerService::service_full_name()) continue;
    return std::make_shared<wahana::GrpcWorkerDirectory>(
        wahana::CreateServiceChannel(backend.address), std::move(minter),
        std::chrono::milliseconds(config.rpc_deadline_ms));
  }
  spdlog::warn("no registry address: API key worker links are checked for their form only");
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  wahana::BlockTerminationSignals();
  // Debian's Abseil checks every absl::Mutex acquisition (gRPC takes many per call) for lock-order
  // cycles; that debug aid costs a few percent of the gateway's throughput.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      wahana::PrintSettingsHelp("gateway", std::cout);
      return 0;
    }
    std::cerr << "wahana-gateway: unknown argument " << argv[i]
              << " (configuration is by environment variables; see --help)\n";
    return 2;
  }
  wahana::EnvReader reader;
  wahana::GatewayConfig config = wahana::ReadGatewayConfig(reader);
  if (absl::Status s = reader.Finish(); !s.ok()) {
    std::cerr << "wahana-gateway: " << s.message() << "\n";
    return 2;
  }
  if (absl::Status s = wahana::InitLogging("gateway", config.log_level, config.log_format);
      !s.ok()) {
    std::cerr << "wahana-gateway: " << s.message() << "\n";
    return 2;
  }
  absl::StatusOr<wahana::AuthKeys> keys = wahana::LoadAuthKeys(config.auth);
  if (!keys.ok()) {
    std::cerr << "wahana-gateway: " << keys.status().message() << "\n";
    return 2;
  }
  if (keys->issuer == nullptr) {
    std::cerr << "wahana-gateway: WAHANA_TOKEN_SIGNING_KEY_FILE is required: the RSA private key "
                 "(PEM, 2048 bits or more) the gateway signs the tokens it issues with "
                 "(deploy/local/run.sh makes one)\n";
    return 2;
  }
  try {
    auto redis = wahana::ConnectWaiting(config.redis);
    if (!redis.ok()) {
      spdlog::critical("cannot start: {}", std::string(redis.status().message()));
      return 1;
    }
    auto api_key_store = std::make_shared<wahana::ApiKeyStore>(**redis, config.region);
    // API-key changes are audited on the gateway's own trail (gateway:{region}:audit).
    absl::StatusOr<std::string> chain_key =
        wahana::ReadAuditChainKey(config.auth.token_secret_file);
    if (!chain_key.ok()) {
      spdlog::critical("cannot start: {}", chain_key.status().ToString());
      return 1;
    }
    auto api_keys = wahana::InProcessApiKeys::Start(
        api_key_store, keys->verifier, WorkerDirectoryFor(config, keys->issuer), config.region,
        std::make_shared<wahana::AuditTrail>(**redis, "gateway", config.region, *chain_key),
        std::make_shared<const wahana::AuditReader>(**redis, "gateway", config.region));
    if (!api_keys.ok()) {
      spdlog::critical("cannot start: {}", api_keys.status().ToString());
      return 1;
    }
    std::vector<std::unique_ptr<wahana::Backend>> extra_backends;
    extra_backends.push_back((*api_keys)->MakeBackend());
    wahana::GatewayAuth auth{
        std::make_shared<wahana::RequestAuthenticator>(
            api_key_store, keys->verifier, WorkerDirectoryFor(config, keys->issuer), config.region),
        keys->issuer, std::make_shared<const wahana::TokenEndpoint>(api_key_store, keys->issuer)};
    auto gateway = wahana::Gateway::Create(config, std::move(extra_backends), std::move(auth),
                                           wahana::DeriveForwardingKey(*chain_key));
    if (!gateway.ok()) {
      spdlog::critical("cannot start: {}", gateway.status().ToString());
      return 1;
    }
    for (const wahana::Route& route : (*gateway)->routes().routes()) {
      spdlog::debug("route {} {} -> {}", route.http_method, route.path.text(),
                    route.method->full_name());
    }
    wahana::HttpServerOptions options;
    options.host = config.http_host;
    options.port = config.http_port;
    options.threads = config.http_threads;
    options.max_body_bytes = config.max_body_bytes;
    options.max_connections_per_client = config.max_connections_per_client;
    auto server = wahana::HttpServer::Start(options, **gateway);
    if (!server.ok()) {
      spdlog::critical("cannot start: {}", server.status().ToString());
      return 1;
    }
    spdlog::info("wahana-gateway serving HTTP on {}:{} ({} routes, {} backends)", config.http_host,
                 (*server)->port(), (*gateway)->routes().routes().size(), config.backends.size());
    int signal_number = wahana::WaitForTerminationSignal();
    spdlog::info("signal {}: shutting down", signal_number);
    (*server)->Stop();
    (*api_keys)->Shutdown();
    spdlog::info("stopped");
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}
