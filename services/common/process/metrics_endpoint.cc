#include "common/process/metrics_endpoint.h"

#include <exception>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

// Two threads answer scrapes: Prometheus scrapes every few seconds, never in parallel.
constexpr int kExposerThreads = 2;

}  // namespace

MetricsEndpoint::MetricsEndpoint(RedisClient& redis)
    : registry_(std::make_shared<prometheus::Registry>()),
      server_metrics_(*registry_),
      stream_lag_(std::make_shared<StreamLagCollector>(redis)) {}

// The exposer stops (joining its threads, so no scrape is in flight) before the collectables go.
MetricsEndpoint::~MetricsEndpoint() { exposer_.reset(); }

void MetricsEndpoint::WatchStreamLag(std::string stream, std::string group) {
  stream_lag_->Watch(std::move(stream), std::move(group));
}

void MetricsEndpoint::AddCollectable(std::shared_ptr<prometheus::Collectable> collectable) {
  collectables_.push_back(std::move(collectable));
}

absl::Status MetricsEndpoint::Serve(const std::string& host, int port) {
  if (port == 0) return absl::OkStatus();
  // civetweb writes an IPv6 address in brackets.
  std::string address = host.find(':') != std::string::npos ? absl::StrCat("[", host, "]:", port)
                                                            : absl::StrCat(host, ":", port);
  try {
    // No document root: civetweb answers the registered /metrics and 404 for any other path.
    exposer_ = std::make_unique<prometheus::Exposer>(std::vector<std::string>{
        "listening_ports", address, "num_threads", std::to_string(kExposerThreads)});
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, " (port taken?): ", e.what()));
  }
  exposer_->RegisterCollectable(registry_);
  exposer_->RegisterCollectable(stream_lag_);
  for (const auto& collectable : collectables_) exposer_->RegisterCollectable(collectable);
  port_ = port;
  return absl::OkStatus();
}

}  // namespace wahana
