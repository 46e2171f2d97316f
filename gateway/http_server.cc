#include "gateway/http_server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/error_mapping.h"
#include "gateway/request_id.h"
#include "gateway/security_headers.h"

namespace wahana {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(60);   // keep-alive and request header
constexpr auto kBodyTimeout = std::chrono::seconds(60);   // reading one request body
constexpr auto kWriteTimeout = std::chrono::seconds(30);  // writing one response
constexpr auto kLingerTimeout = std::chrono::seconds(2);  // draining an unread body before close
constexpr size_t kLingerMaxBytes = 16 << 20;
constexpr absl::Duration kDrainOnStop = absl::Seconds(5);
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);

// What every connection shares with the server.
struct ServerState {
  ServerState(Gateway& g, uint64_t limit, int per_client)
      : gateway(g), max_body_bytes(limit), max_connections_per_client(per_client) {}

  Gateway& gateway;
  const uint64_t max_body_bytes;
  const int max_connections_per_client;
  std::atomic<bool> stopping{false};

  // One more connection from `client`, unless it holds the most it may already.
  bool OpenConnection(const std::string& client) {
    absl::MutexLock lock(&mu);
    int& open = open_by_client[client];
    if (max_connections_per_client > 0 && open >= max_connections_per_client) {
      if (open == 0) open_by_client.erase(client);
      return false;
    }
    ++open;
    return true;
  }
  void CloseConnection(const std::string& client) {
    absl::MutexLock lock(&mu);
    auto it = open_by_client.find(client);
    if (it != open_by_client.end() && --it->second <= 0) open_by_client.erase(it);
  }

  // Requests read and not yet answered on the wire; Stop waits (bounded) for zero.
  void BeginAnswer() {
    absl::MutexLock lock(&mu);
    ++answering;
  }
  void EndAnswer() {
    absl::MutexLock lock(&mu);
    --answering;
  }
  // Waits (at most `timeout`) until every read request is answered.
  void AwaitDrained(absl::Duration timeout) {
    absl::MutexLock lock(&mu);
    mu.AwaitWithTimeout(absl::Condition(this, &ServerState::Drained), timeout);
  }
  bool Drained() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return answering == 0; }

  absl::Mutex mu;
  int answering ABSL_GUARDED_BY(mu) = 0;
  absl::flat_hash_map<std::string, int> open_by_client ABSL_GUARDED_BY(mu);
};

// A connection counted against its client address for as long as its session lives.
class ClientSlot {
 public:
  ClientSlot(ServerState& state, std::string client) : state_(state), client_(std::move(client)) {}
  ~ClientSlot() { state_.CloseConnection(client_); }
  ClientSlot(const ClientSlot&) = delete;
  ClientSlot& operator=(const ClientSlot&) = delete;

 private:
  ServerState& state_;
  std::string client_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, ServerState& state, std::unique_ptr<ClientSlot> slot)
      : stream_(std::move(socket)), state_(state), slot_(std::move(slot)) {}

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->body_limit(state_.max_body_bytes);
    stream_.expires_after(kIdleTimeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    Guarded([&] {
      if (ec) return OnReadError(ec);
      if (beast::iequals(parser_->get()[http::field::expect], "100-continue") &&
          !parser_->is_done()) {
        // The client waits for this before sending the body (curl does for bodies > 1 KiB).
        auto go_on =
            std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
        stream_.expires_after(kWriteTimeout);
        http::async_write(stream_, *go_on,
                          [self = shared_from_this(), go_on](beast::error_code ec2, std::size_t) {
                            if (ec2) return self->Close();
                            self->ReadBody();
                          });
        return;
      }
      ReadBody();
    });
  }

  void ReadBody() {
    stream_.expires_after(kBodyTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    Guarded([&] {
      if (ec) return OnReadError(ec);
      Dispatch();
    });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return SendError(413, absl::StatusCode::kResourceExhausted,
                       absl::StrCat("request body larger than ", state_.max_body_bytes, " bytes"));
    }
    if (ec == http::error::header_limit) {
      return SendError(431, absl::StatusCode::kInvalidArgument, "request header too large");
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        ec.category() != http::make_error_code(http::error::end_of_stream).category()) {
      return Close();  // the client went away, timed out, or the socket failed
    }
    SendError(400, absl::StatusCode::kInvalidArgument,
              absl::StrCat("malformed HTTP request: ", ec.message()));
  }

  void Dispatch() {
    http::request<http::string_body> message = parser_->release();
    parser_.reset();
    // Credentials sent twice are ambiguous (which one did a proxy check, which one do we?):
    // refused rather than resolved by taking the first.
    for (const char* credential : {"Authorization", "X-Api-Key"}) {
      if (message.count(credential) > 1) {
        return SendError(400, absl::StatusCode::kInvalidArgument,
                         absl::StrCat(credential, ": header sent more than once"));
      }
    }
    bool close = !message.keep_alive() || state_.stopping.load();
    head_ = message.method() == http::verb::head;
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.content_type = std::string(message[http::field::content_type]);
    request.request_id = std::string(message["X-Request-Id"]);
    request.body = std::move(message.body());
    request.origin = std::string(message[http::field::origin]);
    request.cors_request_method = std::string(message[http::field::access_control_request_method]);
    beast::error_code peer_error;
    auto peer = stream_.socket().remote_endpoint(peer_error);
    if (!peer_error) request.client_address = peer.address().to_string();
    request.authorization = std::string(message[http::field::authorization]);
    request.api_key = std::string(message["X-Api-Key"]);
    state_.BeginAnswer();
    // The gateway bounds the wait with the RPC deadline.
    stream_.expires_never();
    state_.gateway.Handle(
        std::move(request), [self = shared_from_this(), close](HttpResponse response) {
          // Any thread (a gRPC callback): move to this connection's strand to write.
          net::post(self->stream_.get_executor(),
                    [self, close, response = std::move(response)]() mutable {
                      self->Guarded([&] { self->Write(std::move(response), close); });
                    });
        });
  }

  // Answers a request the session could not read whole; the connection closes afterwards.
  void SendError(int http_status, absl::StatusCode code, const std::string& message) {
    std::string header_id;
    if (parser_) header_id = std::string(parser_->get()["X-Request-Id"]);
    HttpResponse response = ErrorResponse(http_status, code, message);
    std::string request_id = AcceptOrMakeRequestId(header_id);
    spdlog::debug("unreadable request -> {}: {} request_id={}", http_status, message, request_id);
    response.headers.emplace_back("X-Request-Id", std::move(request_id));
    AddSecurityHeaders(response.headers);
    body_unread_ = true;
    head_ = false;
    state_.BeginAnswer();
    Write(std::move(response), /*close=*/true);
  }

  void Write(HttpResponse answer, bool close) {
    auto response = std::make_shared<http::response<http::string_body>>();
    response->version(11);
    response->result(static_cast<unsigned>(answer.status));
    absl::string_view reason = ReasonPhrase(answer.status);
    if (!reason.empty()) response->reason(beast::string_view(reason.data(), reason.size()));
    response->set(http::field::content_type,
                  answer.content_type.empty() ? "application/json" : answer.content_type);
    for (auto& [name, value] : answer.headers) response->set(name, value);
    response->body() = std::move(answer.body);
    response->keep_alive(!close);
    response->prepare_payload();
    if (head_) {
      // A response to HEAD announces the body's length but carries none.
      size_t length = response->body().size();
      response->body().clear();
      response->content_length(length);
    }
    stream_.expires_after(kWriteTimeout);
    http::async_write(
        stream_, *response,
        [self = shared_from_this(), response, close](beast::error_code ec, std::size_t) {
          self->state_.EndAnswer();
          self->Guarded([&] { self->OnWritten(ec, close); });
        });
  }

  void OnWritten(beast::error_code ec, bool close) {
    if (ec) return Close();
    if (!close) return ReadHeader();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (!body_unread_) return;  // dropping the session closes the socket
    // Closing with unread input makes the kernel send RST, which can destroy our error response
    // before the client reads it: read and discard until the client stops (bounded).
    stream_.expires_after(kLingerTimeout);
    Drain();
  }

  void Drain() {
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_bytes_ += n;
                              if (ec || self->drained_bytes_ > kLingerMaxBytes)
                                return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  // The last-resort catch of every completion handler: a bug costs one connection, never the
  // process.
  template <typename F>
  void Guarded(F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      spdlog::error("HTTP connection dropped: {}", e.what());
      Close();
    } catch (...) {
      spdlog::error("HTTP connection dropped: unknown exception");
      Close();
    }
  }

  beast::tcp_stream stream_;
  ServerState& state_;
  std::unique_ptr<ClientSlot> slot_;  // released when the session ends
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool body_unread_ = false;
  bool head_ = false;  // the request being answered is a HEAD
  std::array<char, 8192> drain_buffer_;
  size_t drained_bytes_ = 0;
};

}  // namespace

struct HttpServer::Impl {
  Impl(const HttpServerOptions& o, Gateway& gateway)
      : options(o),
        state(gateway, static_cast<uint64_t>(o.max_body_bytes), o.max_connections_per_client),
        acceptor(net::make_strand(ioc)),
        retry_timer(acceptor.get_executor()),
        work(net::make_work_guard(ioc)) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (ec) {
        // Out of file descriptors and the like: try again shortly rather than spin.
        spdlog::warn("HTTP accept failed: {}", ec.message());
        retry_timer.expires_after(kAcceptRetryDelay);
        retry_timer.async_wait([this](beast::error_code) {
          if (acceptor.is_open()) Accept();
        });
        return;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      const auto peer = socket.remote_endpoint(ignored);
      const std::string client = ignored ? "" : peer.address().to_string();
      if (!state.OpenConnection(client)) {
        RefuseConnection(std::move(socket), client);
        return Accept();
      }
      try {
        auto slot = std::make_unique<ClientSlot>(state, client);
        std::make_shared<Session>(std::move(socket), state, std::move(slot))->Run();
      } catch (const std::exception& e) {
        spdlog::error("HTTP session failed to start: {}", e.what());
      }
      Accept();
    });
  }

  // Over the per-client limit: a short 429 (it fits any socket buffer, so the write does not
  // block the acceptor) and close.
  void RefuseConnection(tcp::socket socket, const std::string& client) {
    static constexpr char kBody[] =
        "{\"code\":8,\"details\":[],\"message\":\"too many open connections from your "
        "address (WAHANA_HTTP_MAX_CONNECTIONS_PER_CLIENT)\"}";
    const std::string response =
        absl::StrCat("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n",
                     "Connection: close\r\nRetry-After: 1\r\nContent-Length: ", sizeof(kBody) - 1,
                     "\r\n\r\n", kBody);
    beast::error_code ignored;
    socket.non_blocking(true, ignored);
    socket.write_some(net::buffer(response), ignored);
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    spdlog::warn("HTTP connection from {} refused: {} open already", client,
                 options.max_connections_per_client);
  }

  void RunThread() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("HTTP thread: {}", e.what());
      } catch (...) {
        spdlog::error("HTTP thread: unknown exception");
      }
    }
  }

  HttpServerOptions options;
  // Before the io_context: sessions still queued in it when it is destroyed release their client
  // slot into the state (ClientSlot), which must outlive them.
  ServerState state;
  net::io_context ioc;  // before everything bound to it
  tcp::acceptor acceptor;
  net::steady_timer retry_timer;
  net::executor_work_guard<net::io_context::executor_type> work;
  std::vector<std::thread> threads;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                              Gateway& gateway) {
  auto impl = std::make_unique<Impl>(options, gateway);
  std::string where = absl::StrCat(options.host, ":", options.port);
  beast::error_code ec;
  tcp::resolver resolver(impl->ioc);
  auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot resolve HTTP address ", where, ": ", ec.message()));
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  tcp::acceptor& acceptor = impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", where, ": ", ec.message()));
  }
  int port = acceptor.local_endpoint().port();
  impl->Accept();
  int threads = std::max(1, options.threads);
  for (int i = 0; i < threads; ++i) {
    impl->threads.emplace_back([raw = impl.get()] { raw->RunThread(); });
  }
  std::unique_ptr<HttpServer> server(new HttpServer(std::move(impl)));
  server->port_ = port;
  return server;
}

void HttpServer::Stop() {
  if (stopped_.exchange(true)) return;
  Impl& impl = *impl_;
  impl.state.stopping = true;
  std::promise<void> closed;
  net::post(impl.acceptor.get_executor(), [&] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    impl.retry_timer.cancel();
    closed.set_value();
  });
  closed.get_future().wait();
  // Every answer is now posted to its connection (no gRPC callback can touch the io_context
  // after this); let the writes go out before the threads stop.
  impl.state.gateway.Shutdown();
  impl.state.AwaitDrained(kDrainOnStop);
  impl.work.reset();
  impl.ioc.stop();
  for (std::thread& t : impl.threads) t.join();
  impl.threads.clear();
}

}  // namespace wahana
