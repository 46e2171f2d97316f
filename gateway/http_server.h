#pragma once
// The gateway's HTTP/1.1 server on Boost.Beast: asynchronous throughout, one strand per
// connection, a fixed number of threads. It reads a request (rejecting a body over the limit by
// its Content-Length before reading it, and while reading a chunked one: 413), hands it to the
// Gateway and writes the answer whenever the Gateway's callback delivers it, so no HTTP thread
// ever waits for a gRPC call. Keep-alive, pipelined requests answered in order, and
// `Expect: 100-continue` are supported.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/gateway.h"

namespace wahana {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 binds a free port; port() tells which
  int threads = 2;
  int64_t max_body_bytes = 1 << 20;
  // Open connections one client address may hold; a connection over it is answered 429 and
  // closed at once, so one client cannot take every descriptor. 0: no limit.
  int max_connections_per_client = 0;
};

class HttpServer {
 public:
  // Binds and starts serving. `gateway` answers every request and must outlive the server.
  // UNAVAILABLE when the address cannot be bound (port taken), INVALID_ARGUMENT when the host
  // does not resolve.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                           Gateway& gateway);
  ~HttpServer();

  int port() const { return port_; }

  // Stops accepting connections, shuts the gateway down (it answers what is in flight, bounded
  // by the RPC deadline), gives responses being written a few seconds to go out, then stops the
  // threads. Idempotent; the destructor calls it.
  void Stop();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<bool> stopped_{false};
};

}  // namespace wahana
