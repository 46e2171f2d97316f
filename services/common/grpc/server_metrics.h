#pragma once
// Per-method metrics of a service's gRPC server, counted by a server interceptor so no handler
// changes:
//
//   wahana_grpc_server_calls_total{method,code}        calls finished, by status code name
//   wahana_grpc_server_call_duration_seconds{method}   from the call's metadata to its status
//
// `method` is the full gRPC method ("/wahana.cases.v1.CaseService/GetCase"): a bounded set.
// Add InterceptorFactory() to the vector given to ServerBuilder::experimental()
// .SetInterceptorCreators (that call replaces earlier ones: all interceptors in one vector).

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

namespace wahana {

class ServerMetrics {
 public:
  // Registers the two families in `registry`, which must outlive this object.
  explicit ServerMetrics(prometheus::Registry& registry);

  // Thread-safe.
  void Record(const std::string& method, int grpc_code, double seconds);

  // A factory of interceptors that Record every call; this object must outlive the server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory();

 private:
  prometheus::Family<prometheus::Counter>& calls_;
  prometheus::Family<prometheus::Histogram>& duration_;
};

// "NOT_FOUND" for 5; the number as text for a code outside gRPC's list.
std::string GrpcCodeName(int code);

}  // namespace wahana
