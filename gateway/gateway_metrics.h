#pragma once
// The gateway's Prometheus metrics (served at GET /metrics, text format 0.0.4):
//
//   wahana_http_requests_total{route,method,status}          counter
//   wahana_http_request_duration_seconds{route,method,status} histogram
//   wahana_http_requests_in_flight                           gauge (routed requests being worked
//   on) wahana_http_shed_total                                   counter (503: the in-flight cap)
//   wahana_http_rate_limited_total                           counter (429: the rate limit)
//   wahana_http_auth_failures_limited_total                  counter (429: failed authentications
//                                                            from one address)
//   wahana_grpc_client_calls_total{service,method,code}      counter (the gateway's calls to
//   services) wahana_grpc_client_call_duration_seconds{service,method} histogram
//
// `route` is the path template ("/v1/cases/{id}"), never the raw path, so the series stay few;
// "unmatched" for a path no route has, the path itself for the gateway's own endpoints.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "gateway/concurrency_limiter.h"

namespace wahana {

// Built on prometheus-cpp's core library (Debian's prometheus-cpp-dev): its registry and text
// serializer; the gateway serves the text itself, so the library's HTTP exposer is not used.
// Thread-safe.
class GatewayMetrics {
 public:
  // `limiter` is read for the in-flight gauge and must outlive this object.
  explicit GatewayMetrics(const ConcurrencyLimiter& limiter);

  void RecordRequest(const std::string& route, const std::string& method, int status,
                     double seconds);
  void RecordCall(const std::string& service, const std::string& method, int grpc_code,
                  double seconds);
  void CountShed() { shed_.Increment(); }
  void CountRateLimited() { rate_limited_.Increment(); }
  void CountAuthFailuresLimited() { auth_failures_limited_.Increment(); }

  // Every metric in the text exposition format 0.0.4.
  std::string Render();

 private:
  const ConcurrencyLimiter& limiter_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& request_duration_;
  prometheus::Counter& shed_;
  prometheus::Counter& rate_limited_;
  prometheus::Counter& auth_failures_limited_;
  prometheus::Gauge& in_flight_;
  prometheus::Family<prometheus::Counter>& calls_;
  prometheus::Family<prometheus::Histogram>& call_duration_;
};

// The Content-Type of the text exposition format.
inline constexpr char kMetricsContentType[] = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace wahana
