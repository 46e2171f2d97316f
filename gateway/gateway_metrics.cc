#include "gateway/gateway_metrics.h"

#include <prometheus/text_serializer.h>

#include <vector>

#include "common/grpc/server_metrics.h"

namespace wahana {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Histogram;

// Latency buckets in seconds, 1 ms to 10 s.
const Histogram::BucketBoundaries& LatencyBuckets() {
  static const Histogram::BucketBoundaries kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                       0.25,  0.5,    1,     2.5,  5,     10};
  return kBuckets;
}

}  // namespace

GatewayMetrics::GatewayMetrics(const ConcurrencyLimiter& limiter)
    : limiter_(limiter),
      registry_(std::make_shared<prometheus::Registry>()),
      requests_(BuildCounter()
                    .Name("wahana_http_requests_total")
                    .Help("HTTP requests answered by the gateway.")
                    .Register(*registry_)),
      request_duration_(BuildHistogram()
                            .Name("wahana_http_request_duration_seconds")
                            .Help("Time from reading an HTTP request to handing over its answer.")
                            .Register(*registry_)),
      shed_(BuildCounter()
                .Name("wahana_http_shed_total")
                .Help("Requests refused with 503 because too many were in flight.")
                .Register(*registry_)
                .Add({})),
      rate_limited_(BuildCounter()
                        .Name("wahana_http_rate_limited_total")
                        .Help("Requests refused with 429 by the per-caller rate limit.")
                        .Register(*registry_)
                        .Add({})),
      auth_failures_limited_(
          BuildCounter()
              .Name("wahana_http_auth_failures_limited_total")
              .Help("Requests refused with 429 because their client address had spent its failed "
                    "authentications (WAHANA_AUTH_FAILURES_PER_MINUTE).")
              .Register(*registry_)
              .Add({})),
      in_flight_(BuildGauge()
                     .Name("wahana_http_requests_in_flight")
                     .Help("Routed requests the gateway is working on now.")
                     .Register(*registry_)
                     .Add({})),
      calls_(BuildCounter()
                 .Name("wahana_grpc_client_calls_total")
                 .Help("gRPC calls from the gateway to the services, by outcome.")
                 .Register(*registry_)),
      call_duration_(BuildHistogram()
                         .Name("wahana_grpc_client_call_duration_seconds")
                         .Help("Duration of the gateway's gRPC calls to the services.")
                         .Register(*registry_)) {}

void GatewayMetrics::RecordRequest(const std::string& route, const std::string& method, int status,
                                   double seconds) {
  prometheus::Labels labels = {
      {"route", route}, {"method", method}, {"status", std::to_string(status)}};
  requests_.Add(labels).Increment();
  request_duration_.Add(labels, LatencyBuckets()).Observe(seconds);
}

void GatewayMetrics::RecordCall(const std::string& service, const std::string& method,
                                int grpc_code, double seconds) {
  calls_.Add({{"service", service}, {"method", method}, {"code", GrpcCodeName(grpc_code)}})
      .Increment();
  call_duration_.Add({{"service", service}, {"method", method}}, LatencyBuckets()).Observe(seconds);
}

std::string GatewayMetrics::Render() {
  // Sampled at scrape time: the limiter is the one source of truth.
  in_flight_.Set(static_cast<double>(limiter_.in_flight()));
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace wahana
