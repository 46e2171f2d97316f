// wahana-healthcheck: is one Wahana process ready? For container health checks (the image has no
// curl or grpc_health_probe, and Debian packages neither the latter nor a gRPC health client).
//
//   wahana-healthcheck grpc HOST:PORT        grpc.health.v1.Health/Check of a service: SERVING?
//   wahana-healthcheck http HOST:PORT/PATH   GET over HTTP/1.1 (the gateway's /readyz): 200?
//
// Exit 0 when ready, 1 when not (with the reason on stderr), 2 on bad usage. Deadline 3 s.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <iostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gateway/backend.h"

namespace {

constexpr auto kDeadline = std::chrono::seconds(3);
constexpr int kExitUsage = 2;

absl::Status CheckGrpc(const std::string& address) {
  wahana::Backend backend("healthcheck", address);
  absl::Notification done;
  absl::Status result;
  backend.CheckHealth(std::chrono::duration_cast<std::chrono::milliseconds>(kDeadline),
                      [&](absl::Status status) {
                        result = std::move(status);
                        done.Notify();
                      });
  done.WaitForNotification();
  return result;
}

absl::Status CheckHttp(const std::string& target) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  const size_t slash = target.find('/');
  const std::string authority = target.substr(0, slash);
  const std::string path = slash == std::string::npos ? "/" : target.substr(slash);
  const size_t colon = authority.rfind(':');
  if (colon == std::string::npos) return absl::InvalidArgumentError("expected HOST:PORT/PATH");
  try {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(kDeadline);
    boost::asio::ip::tcp::resolver resolver(io);
    stream.connect(resolver.resolve(authority.substr(0, colon), authority.substr(colon + 1)));
    http::request<http::empty_body> request(http::verb::get, path, 11);
    request.set(http::field::host, authority);
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    if (response.result_int() != 200) {
      return absl::UnavailableError(
          absl::StrCat("GET ", path, " answered ", response.result_int(), ": ", response.body()));
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("GET ", target, ": ", e.what()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode != "grpc" && mode != "http") {
    std::cerr << "usage: wahana-healthcheck grpc HOST:PORT | http HOST:PORT/PATH\n";
    return kExitUsage;
  }
  absl::Status status = mode == "grpc" ? CheckGrpc(argv[2]) : CheckHttp(argv[2]);
  if (!status.ok()) {
    std::cerr << "wahana-healthcheck: " << argv[2] << ": " << status.message() << "\n";
    return 1;
  }
  return 0;
}
