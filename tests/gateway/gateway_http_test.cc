// The gateway over real HTTP and real gRPC, in one process: fake RegistryService, EchoService and
// CaseService servers on free ports, the gateway's HTTP server on a free port pointed at them, and
// a plain HTTP client. One test starts the wahana-gateway binary to check --help, bad
// configuration and SIGTERM.

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gateway/gateway.h"
#include "gateway/http_server.h"
#include "support/grpc_callback_queue.h"
#include "support/redis_server.h"
#include "support/test_auth.h"
#include "wahana/cases/v1/case.grpc.pb.h"
#include "wahana/registry/v1/registry.grpc.pb.h"
#include "wahana/testing/v1/echo.grpc.pb.h"

namespace wahana {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
using nlohmann::json;

constexpr int kMaxBody = 4096;
constexpr int kRpcDeadlineMs = 500;

// --- Fake services -------------------------------------------------------------------------------

// Remembers the x-request-id metadata of the last call.
class MetadataLog {
 public:
  void Record(grpc::ServerContext* context) {
    auto it = context->client_metadata().find("x-request-id");
    absl::MutexLock lock(&mu_);
    last_request_id_ = it == context->client_metadata().end()
                           ? "<none>"
                           : std::string(it->second.data(), it->second.size());
  }
  std::string last_request_id() {
    absl::MutexLock lock(&mu_);
    return last_request_id_;
  }

 private:
  absl::Mutex mu_;
  std::string last_request_id_;
};

class FakeRegistry final : public registry::v1::RegistryService::Service {
 public:
  grpc::Status GetRegion(grpc::ServerContext* context,
                         const registry::v1::GetRegionRequest* request,
                         registry::v1::Region* region) override {
    metadata.Record(context);
    const std::string& code = request->code();
    if (code == "16.06") {
      region->set_code("16.06");
      region->set_name("Kabupaten Musi Banyuasin");
      region->set_level(registry::v1::REGENCY);
      region->set_parent_code("16");
      return grpc::Status::OK;
    }
    if (code == "16") {
      region->set_code("16");
      region->set_name("Sumatera Selatan");
      region->set_level(registry::v1::PROVINCE);
      return grpc::Status::OK;
    }
    if (code == "16.06.01.2001") {
      region->set_code(code);
      region->set_name("Sungai Lilin");
      region->set_level(registry::v1::VILLAGE);
      region->set_parent_code("16.06.01");
      return grpc::Status::OK;
    }
    if (code == "slow") {
      // Answer only once the caller gives up (its deadline), bounded in case it never does.
      auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!context->IsCancelled() && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      return grpc::Status(grpc::StatusCode::CANCELLED, "caller gave up");
    }
    if (code.find_first_not_of("0123456789.") != std::string::npos) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat("code: \"", code, "\" is not a region code"));
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat("region ", code, " not found"));
  }

  grpc::Status ListRegions(grpc::ServerContext* context,
                           const registry::v1::ListRegionsRequest* request,
                           registry::v1::ListRegionsResponse* response) override {
    metadata.Record(context);
    {
      absl::MutexLock lock(&mu_);
      last_list_ = *request;
    }
    for (const char* code : {"16.06.01", "16.06.02"}) {
      registry::v1::Region* r = response->add_regions();
      r->set_code(code);
      r->set_name(absl::StrCat("Kecamatan ", code));
      r->set_level(registry::v1::SUBDISTRICT);
      r->set_parent_code(request->parent());
    }
    response->set_next_page_token("next-page");
    response->set_total_size(15);
    return grpc::Status::OK;
  }

  registry::v1::ListRegionsRequest last_list() {
    absl::MutexLock lock(&mu_);
    return last_list_;
  }

  MetadataLog metadata;

 private:
  absl::Mutex mu_;
  registry::v1::ListRegionsRequest last_list_;
};

class FakeEcho final : public testing::v1::EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext*, const testing::v1::EchoRequest* request,
                    testing::v1::EchoResponse* response) override {
    response->set_message(request->message());
    return grpc::Status::OK;
  }
};

class FakeCases final : public cases::v1::CaseService::Service {
 public:
  grpc::Status CreateCase(grpc::ServerContext*, const cases::v1::CreateCaseRequest* request,
                          cases::v1::Case* created) override {
    {
      absl::MutexLock lock(&mu_);
      last_create_ = *request;
    }
    *created = request->case_();
    created->set_id("case-1");
    created->set_number("16.06-2026-000001");
    created->set_status(cases::v1::INTAKE);
    created->mutable_create_time()->set_seconds(1767323045);
    return grpc::Status::OK;
  }
  grpc::Status GetCase(grpc::ServerContext*, const cases::v1::GetCaseRequest* request,
                       cases::v1::Case*) override {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat("case ", request->id()));
  }
  cases::v1::CreateCaseRequest last_create() {
    absl::MutexLock lock(&mu_);
    return last_create_;
  }

 private:
  absl::Mutex mu_;
  cases::v1::CreateCaseRequest last_create_;
};

// A gRPC server on a free port with the standard health service (SERVING).
struct FakeServer {
  explicit FakeServer(std::vector<grpc::Service*> services) {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    for (grpc::Service* s : services) builder.RegisterService(s);
    server = builder.BuildAndStart();
  }
  ~FakeServer() { Stop(); }
  void Stop() {
    if (server) {
      server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
      server->Wait();
      server.reset();
    }
  }
  std::string address() const { return absl::StrCat("127.0.0.1:", port); }

  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

// A local port nobody listens on (bound then released).
int ClosedPort() {
  net::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(net::ip::address_v4::loopback(), 0));
  return acceptor.local_endpoint().port();
}

// --- HTTP client ---------------------------------------------------------------------------------

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  json Json() const { return json::parse(body); }
};

Reply ToReply(const http::response<http::string_body>& res) {
  Reply reply;
  reply.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    reply.headers[std::string(field.name_string())] = std::string(field.value());
  }
  reply.body = res.body();
  return reply;
}

// Below the default (64) so the limit is reached quickly; above ConcurrentClients' 8.
constexpr int kMaxConnectionsPerClient = 12;

class Connection {
 public:
  explicit Connection(int port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::address_v4::loopback(), static_cast<uint16_t>(port)));
  }

  Reply Send(const std::string& method, const std::string& target, const std::string& body = "",
             const std::map<std::string, std::string>& headers = {}) {
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, "gateway.test");
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    http::write(socket_, req);
    return Read();
  }

  void WriteRaw(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }

  Reply Read() {
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    return ToReply(res);
  }

  // True once the server has closed the connection (reads to EOF, bounded by the server's own
  // timeouts).
  bool ClosedByServer() {
    beast::error_code ec;
    char sink[4096];
    for (;;) {
      socket_.read_some(net::buffer(sink), ec);
      if (ec) return ec == net::error::eof || ec == net::error::connection_reset;
    }
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

// --- Fixture -------------------------------------------------------------------------------------

class GatewayHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wahana::testing::HoldGrpcCallbackQueue();  // before the first gateway: see the header
    main_server_ = std::make_unique<FakeServer>(std::vector<grpc::Service*>{&registry_, &echo_});
    case_server_ = std::make_unique<FakeServer>(std::vector<grpc::Service*>{&cases_});
    ASSERT_NE(main_server_->port, 0);
    ASSERT_NE(case_server_->port, 0);
    StartGateway({{"wahana.registry.v1.RegistryService", main_server_->address()},
                  {"wahana.cases.v1.CaseService", case_server_->address()},
                  {"wahana.testing.v1.EchoService", main_server_->address()}});
  }

  void StartGateway(std::vector<BackendAddress> backends) {
    GatewayConfig config;
    config.http_port = 0;
    config.http_threads = 2;
    config.max_body_bytes = kMaxBody;
    config.rpc_deadline_ms = kRpcDeadlineMs;
    config.backends = std::move(backends);
    auto gateway = Gateway::Create(config);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = std::move(gateway).value();
    HttpServerOptions options;
    options.port = 0;
    options.threads = config.http_threads;
    options.max_body_bytes = config.max_body_bytes;
    options.max_connections_per_client = kMaxConnectionsPerClient;
    auto server = HttpServer::Start(options, *gateway_);
    ASSERT_TRUE(server.ok()) << server.status();
    http_ = std::move(server).value();
    ASSERT_NE(http_->port(), 0);
  }

  void TearDown() override {
    if (http_) http_->Stop();
    http_.reset();
    gateway_.reset();
  }

  Reply Get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return Connection(http_->port()).Send("GET", target, "", headers);
  }
  Reply Call(const std::string& method, const std::string& target, const std::string& body = "",
             const std::map<std::string, std::string>& headers = {}) {
    return Connection(http_->port()).Send(method, target, body, headers);
  }

  static void ExpectStatusBody(const Reply& reply, int http_status, int grpc_code,
                               const std::string& must_mention) {
    EXPECT_EQ(reply.status, http_status) << reply.body;
    EXPECT_EQ(reply.headers.at("Content-Type"), "application/json");
    json body = reply.Json();
    EXPECT_EQ(body["code"], grpc_code) << reply.body;
    EXPECT_TRUE(body["message"].is_string()) << reply.body;
    EXPECT_TRUE(absl::StrContains(body["message"].get<std::string>(), must_mention))
        << reply.body << " does not mention " << must_mention;
    EXPECT_EQ(body["details"], json::array()) << reply.body;
  }

  FakeRegistry registry_;
  FakeEcho echo_;
  FakeCases cases_;
  std::unique_ptr<FakeServer> main_server_;
  std::unique_ptr<FakeServer> case_server_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<HttpServer> http_;
};

// --- Routing and JSON ----------------------------------------------------------------------------

TEST_F(GatewayHttpTest, GetRegionAnswersLowerCamelCaseJson) {
  Reply reply = Get("/v1/regions/16.06");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.headers.at("Content-Type"), "application/json");
  EXPECT_EQ(reply.Json(), json::parse(R"({"code":"16.06","name":"Kabupaten Musi Banyuasin",
                                          "level":"REGENCY","parentCode":"16"})"));
}

TEST_F(GatewayHttpTest, EveryFieldIsPrintedEvenWhenEmpty) {
  Reply reply = Get("/v1/regions/16");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Json(), json::parse(R"({"code":"16","name":"Sumatera Selatan",
                                          "level":"PROVINCE","parentCode":""})"));
}

TEST_F(GatewayHttpTest, VariableWithDotsAndPercentEncoding) {
  Reply reply = Get("/v1/regions/16.06.01.2001");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Json()["code"], "16.06.01.2001");
  reply = Get("/v1/regions/16%2E06");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Json()["code"], "16.06");
}

TEST_F(GatewayHttpTest, InvalidArgumentIs400WithStatusBody) {
  ExpectStatusBody(Get("/v1/regions/16.x"), 400, 3, "is not a region code");
}

TEST_F(GatewayHttpTest, NotFoundIs404WithStatusBody) {
  ExpectStatusBody(Get("/v1/regions/99.99"), 404, 5, "region 99.99 not found");
}

TEST_F(GatewayHttpTest, DeadlineExceededIs504) {
  auto started = std::chrono::steady_clock::now();
  ExpectStatusBody(Get("/v1/regions/slow"), 504, 4, "");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_F(GatewayHttpTest, ListRegionsQueryParametersAreMapped) {
  Reply reply = Get("/v1/regions?parent=16.06&pageSize=2&pageToken=b3BhcXVl%3D");
  ASSERT_EQ(reply.status, 200) << reply.body;
  registry::v1::ListRegionsRequest seen = registry_.last_list();
  EXPECT_EQ(seen.parent(), "16.06");
  EXPECT_EQ(seen.page_size(), 2);
  EXPECT_EQ(seen.page_token(), "b3BhcXVl=");
  json body = reply.Json();
  ASSERT_EQ(body["regions"].size(), 2u);
  EXPECT_EQ(body["regions"][0],
            json::parse(R"({"code":"16.06.01","name":"Kecamatan 16.06.01","level":"SUBDISTRICT",
                            "parentCode":"16.06"})"));
  EXPECT_EQ(body["nextPageToken"], "next-page");
  EXPECT_EQ(body["totalSize"], 15);

  ASSERT_EQ(Get("/v1/regions?parent=16&page_size=3").status, 200);
  EXPECT_EQ(registry_.last_list().page_size(), 3);
}

TEST_F(GatewayHttpTest, BadQueryParametersAre400NamingThem) {
  ExpectStatusBody(Get("/v1/regions?pageSize=two"), 400, 3, "pageSize");
  ExpectStatusBody(Get("/v1/regions?colour=red"), 400, 3, "colour");
}

TEST_F(GatewayHttpTest, BodyFieldMappingWithEnumsAndQuery) {
  Reply reply = Call("POST", "/v1/cases?requestId=intake-1",
                     R"({"villageCode":"16.06.01.2001","kind":"FAMILY",
                         "category":"FAKIR_MISKIN","summary":"Rumah rusak"})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  cases::v1::CreateCaseRequest seen = cases_.last_create();
  EXPECT_EQ(seen.request_id(), "intake-1");
  EXPECT_EQ(seen.case_().kind(), cases::v1::FAMILY);
  EXPECT_EQ(seen.case_().category(), common::v1::FAKIR_MISKIN);
  json body = reply.Json();
  EXPECT_EQ(body["id"], "case-1");
  EXPECT_EQ(body["status"], "INTAKE");
  EXPECT_EQ(body["villageCode"], "16.06.01.2001");
  EXPECT_EQ(body["createTime"], "2026-01-02T03:04:05Z");
  EXPECT_EQ(body["beneficiaryId"], "");
}

TEST_F(GatewayHttpTest, WholeBodyMapping) {
  Reply reply = Call("POST", "/v1/echo", R"({"message":"halo"})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Json(), json::parse(R"({"message":"halo"})"));
}

TEST_F(GatewayHttpTest, MalformedJsonIs400SayingWhere) {
  ExpectStatusBody(Call("POST", "/v1/echo", R"({"message": )"), 400, 3, "line 1, column 13");
  ExpectStatusBody(Call("POST", "/v1/echo", R"({"message":"a",})"), 400, 3, "malformed JSON");
}

TEST_F(GatewayHttpTest, UnknownJsonFieldIs400NamingIt) {
  ExpectStatusBody(Call("POST", "/v1/echo", R"({"mesage":"halo"})"), 400, 3, "\"mesage\"");
  ExpectStatusBody(Call("POST", "/v1/cases", R"({"summary":"x","villageKode":"1"})"), 400, 3,
                   "villageKode");
}

TEST_F(GatewayHttpTest, WrongJsonTypeIs400) {
  ExpectStatusBody(Call("POST", "/v1/echo", R"({"message":12})"), 400, 3, "message");
  ExpectStatusBody(Call("POST", "/v1/cases", R"({"kind":"SPACESHIP"})"), 400, 3, "kind");
}

TEST_F(GatewayHttpTest, NonJsonContentTypeIs415) {
  ExpectStatusBody(Call("POST", "/v1/echo", "message=halo",
                        {{"Content-Type", "application/x-www-form-urlencoded"}}),
                   415, 3, "application/json");
  // Parameters and +json types are JSON.
  EXPECT_EQ(Call("POST", "/v1/echo", R"({"message":"a"})",
                 {{"Content-Type", "application/json; charset=utf-8"}})
                .status,
            200);
}

TEST_F(GatewayHttpTest, UnknownRouteIs404) {
  ExpectStatusBody(Get("/v1/nothing"), 404, 5, "/v1/nothing");
  ExpectStatusBody(Get("/v1/regions/"), 404, 5, "");
  ExpectStatusBody(Get("/v1/events/e1"), 404, 5, "");  // the event service is not fronted here
}

TEST_F(GatewayHttpTest, KnownPathWithWrongMethodIs405WithAllow) {
  Reply reply = Call("DELETE", "/v1/regions/16.06");
  ExpectStatusBody(reply, 405, 12, "DELETE");
  EXPECT_EQ(reply.headers.at("Allow"), "GET");
  reply = Call("GET", "/v1/echo");
  ExpectStatusBody(reply, 405, 12, "GET");
  EXPECT_EQ(reply.headers.at("Allow"), "POST");
  reply = Call("POST", "/healthz");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.headers.at("Allow"), "GET, HEAD");
}

// --- Body limits ---------------------------------------------------------------------------------

TEST_F(GatewayHttpTest, BodyOverTheLimitIs413ByContentLength) {
  // Only the header is sent: the answer must not wait for a body that is never read.
  Connection c(http_->port());
  c.WriteRaw(
      "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100000000\r\n\r\n");
  Reply reply = c.Read();
  ExpectStatusBody(reply, 413, 8, "4096");
  EXPECT_EQ(reply.headers.at("Connection"), "close");
  EXPECT_TRUE(c.ClosedByServer());
}

TEST_F(GatewayHttpTest, BodyOverTheLimitIs413WhenSentWhole) {
  std::string big = absl::StrCat(R"({"message":")", std::string(kMaxBody, 'x'), R"("})");
  ExpectStatusBody(Call("POST", "/v1/echo", big), 413, 8, "larger than");
  // Just under the limit is fine.
  std::string fits = absl::StrCat(R"({"message":")", std::string(kMaxBody - 20, 'x'), R"("})");
  EXPECT_EQ(Call("POST", "/v1/echo", fits).status, 200);
}

TEST_F(GatewayHttpTest, ChunkedBodyOverTheLimitIs413WhileReading) {
  Connection c(http_->port());
  std::string chunk(1000, 'x');
  std::string request =
      "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 6; ++i) request += absl::StrCat("3e8\r\n", chunk, "\r\n");
  request += "0\r\n\r\n";
  c.WriteRaw(request);
  ExpectStatusBody(c.Read(), 413, 8, "larger than");
}

TEST_F(GatewayHttpTest, ExpectContinueGetsA100BeforeTheBody) {
  Connection c(http_->port());
  std::string body = R"({"message":"lanjut"})";
  c.WriteRaw(
      absl::StrCat("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Expect: 100-continue\r\nContent-Length: ",
                   body.size(), "\r\n\r\n"));
  EXPECT_EQ(c.Read().status, 100);
  c.WriteRaw(body);
  Reply reply = c.Read();
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Json()["message"], "lanjut");
}

// --- Robustness ----------------------------------------------------------------------------------

TEST_F(GatewayHttpTest, MalformedHttpIs400AndTheGatewayLivesOn) {
  Connection c(http_->port());
  c.WriteRaw("GARBAGE\r\n\r\n");
  EXPECT_EQ(c.Read().status, 400);
  EXPECT_EQ(Get("/healthz").status, 200);
}

TEST_F(GatewayHttpTest, CredentialsSentTwiceAre400NamingTheHeader) {
  const std::string token = testing::TestToken();
  for (const std::string& headers :
       {"Authorization: Bearer " + token + "\r\nAuthorization: Bearer " + token + "\r\n",
        "Authorization: Bearer " + token + "\r\nauthorization: Bearer x\r\n",
        std::string("X-Api-Key: wk_a\r\nX-Api-Key: wk_b\r\n")}) {
    Connection c(http_->port());
    c.WriteRaw("GET /v1/regions/16.06 HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
    Reply reply = c.Read();
    EXPECT_EQ(reply.status, 400) << headers;
    EXPECT_NE(reply.body.find("header sent more than once"), std::string::npos) << reply.body;
  }
  // Once is fine.
  Connection c(http_->port());
  c.WriteRaw("GET /v1/regions/16.06 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
             "\r\n\r\n");
  EXPECT_EQ(c.Read().status, 200);
}

TEST_F(GatewayHttpTest, KeepAliveServesManyRequestsOnOneConnection) {
  Connection c(http_->port());
  for (int i = 0; i < 20; ++i) {
    Reply reply = c.Send("GET", i % 2 ? "/v1/regions/16.06" : "/v1/regions/nope!");
    EXPECT_EQ(reply.status, i % 2 ? 200 : 400);
  }
}

TEST_F(GatewayHttpTest, OneAddressHoldsAtMostTheLimitOfConnections) {
  std::vector<std::unique_ptr<Connection>> held;
  for (int i = 0; i < kMaxConnectionsPerClient; ++i) {
    held.push_back(std::make_unique<Connection>(http_->port()));
    ASSERT_EQ(held.back()->Send("GET", "/v1/regions/16.06").status, 200) << i;
  }
  {
    Connection over(http_->port());
    Reply refused = over.Read();  // answered without a request, then closed
    EXPECT_EQ(refused.status, 429);
    EXPECT_NE(refused.body.find("WAHANA_HTTP_MAX_CONNECTIONS_PER_CLIENT"), std::string::npos);
  }
  // The held ones still work; closing one frees its place.
  EXPECT_EQ(held.front()->Send("GET", "/v1/regions/16.06").status, 200);
  held.pop_back();
  Reply again;
  for (int attempt = 0; attempt < 50 && again.status != 200; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the server sees the close
    try {
      Connection fresh(http_->port());
      again = fresh.Send("GET", "/v1/regions/16.06");
    } catch (const std::exception&) {  // refused: the server may close before the request
    }
  }
  EXPECT_EQ(again.status, 200);
}

TEST_F(GatewayHttpTest, ConcurrentClients) {
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      Connection c(http_->port());
      for (int i = 0; i < 50; ++i) {
        if (c.Send("GET", "/v1/regions/16.06").status == 200) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 400);
}

// --- Request id ----------------------------------------------------------------------------------

TEST_F(GatewayHttpTest, RequestIdIsForwardedAndReturned) {
  Reply reply = Get("/v1/regions/16.06", {{"X-Request-Id", "req-abc-123"}});
  EXPECT_EQ(reply.headers.at("X-Request-Id"), "req-abc-123");
  EXPECT_EQ(registry_.metadata.last_request_id(), "req-abc-123");

  reply = Get("/v1/regions/16.06");
  std::string generated = reply.headers.at("X-Request-Id");
  EXPECT_EQ(generated.size(), 26u);
  EXPECT_EQ(registry_.metadata.last_request_id(), generated);

  // Error answers carry it too.
  EXPECT_EQ(Get("/v1/nothing", {{"X-Request-Id", "r-404"}}).headers.at("X-Request-Id"), "r-404");
}

// --- Health --------------------------------------------------------------------------------------

TEST_F(GatewayHttpTest, Healthz) {
  Reply reply = Get("/healthz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Json(), json::parse(R"({"status":"ok"})"));
}

TEST_F(GatewayHttpTest, ReadyzFollowsTheBackends) {
  Reply reply = Get("/readyz");
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Json(), json::parse(R"({"status":"ok"})"));

  case_server_->Stop();
  // The channel notices the closed connection on its own schedule: poll, bounded.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    reply = Get("/readyz");
  } while (reply.status == 200 && std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(reply.status, 503) << reply.body;
  json body = reply.Json();
  EXPECT_EQ(body["status"], "unavailable");
  ASSERT_EQ(body["notReady"].size(), 1u) << reply.body;
  EXPECT_EQ(body["notReady"][0]["service"], "wahana.cases.v1.CaseService");
  EXPECT_EQ(body["notReady"][0]["address"], case_server_->address());

  // And calls to it are 503 UNAVAILABLE while the others still work.
  ExpectStatusBody(Call("POST", "/v1/cases", R"({"summary":"x"})"), 503, 14, "");
  EXPECT_EQ(Get("/v1/regions/16.06").status, 200);
}

TEST_F(GatewayHttpTest, ReadyzIs503WhenABackendWasNeverUp) {
  http_->Stop();
  StartGateway({{"wahana.registry.v1.RegistryService", main_server_->address()},
                {"wahana.event.v1.EventService", absl::StrCat("127.0.0.1:", ClosedPort())}});
  Reply reply = Get("/readyz");
  ASSERT_EQ(reply.status, 503) << reply.body;
  json body = reply.Json();
  ASSERT_EQ(body["notReady"].size(), 1u);
  EXPECT_EQ(body["notReady"][0]["service"], "wahana.event.v1.EventService");
  ExpectStatusBody(Get("/v1/events/e1"), 503, 14, "");
}

// --- The binary ----------------------------------------------------------------------------------

#ifdef WAHANA_GATEWAY_BIN

// Runs the binary with `env` added; returns its pid.
pid_t Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  pid_t pid = fork();
  if (pid == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    std::string bin = WAHANA_GATEWAY_BIN;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

// The exit code of `pid`, waiting at most `timeout`; -1 on timeout (the child is then killed).
int WaitExit(pid_t pid, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(GatewayBinaryTest, HelpListsTheGatewaySettings) {
  FILE* out = popen(WAHANA_GATEWAY_BIN " --help", "r");
  ASSERT_NE(out, nullptr);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
  EXPECT_EQ(pclose(out), 0);
  for (const char* name : {"WAHANA_REGISTRY_ADDR", "WAHANA_CASE_ADDR", "WAHANA_EVENT_ADDR",
                           "WAHANA_REPORTING_ADDR", "WAHANA_HTTP_PORT", "WAHANA_HTTP_THREADS",
                           "WAHANA_HTTP_MAX_BODY_BYTES", "WAHANA_RPC_DEADLINE_MS"}) {
    EXPECT_TRUE(absl::StrContains(text, name)) << name << " missing from:\n" << text;
  }
  // The gateway reads Redis (API keys) and the token settings, not the services' own settings.
  EXPECT_TRUE(absl::StrContains(text, "WAHANA_REDIS_HOST"));
  EXPECT_TRUE(absl::StrContains(text, "WAHANA_TOKEN_SECRET_FILE"));
  EXPECT_TRUE(absl::StrContains(text, "WAHANA_TOKEN_SIGNING_KEY_FILE"));
  EXPECT_FALSE(absl::StrContains(text, "WAHANA_TOKEN_PUBLIC_KEY_FILE"));
  EXPECT_FALSE(absl::StrContains(text, "WAHANA_WORKER_THREADS"));
}

TEST(GatewayBinaryTest, BadConfigurationExits2) {
  pid_t pid = Spawn({}, {{"WAHANA_HTTP_THREADS", "0"}, {"WAHANA_RPC_DEADLINE_MS", "soon"}});
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(10)), 2);
}

TEST(GatewayBinaryTest, ServesThenStopsCleanlyOnSigterm) {
  FakeRegistry registry;
  FakeServer backend({&registry});
  // The binary authenticates: a token secret and the Redis holding API keys.
  testing::RedisServer redis;
  int port = ClosedPort();
  pid_t pid = Spawn(
      {}, {{"WAHANA_HTTP_PORT", std::to_string(port)},
           {"WAHANA_REGISTRY_ADDR", backend.address()},
           {"WAHANA_REDIS_PORT", std::to_string(redis.port())},
           {"WAHANA_TOKEN_SECRET_FILE", testing::WriteTestTokenSecret(redis.dir())},
           {"WAHANA_TOKEN_SIGNING_KEY_FILE", testing::WriteTestTokenKeys(redis.dir()).signing_key},
           {"WAHANA_LOG_LEVEL", "warn"}});
  const std::map<std::string, std::string> credentials = {
      {"Authorization", "Bearer " + testing::TestToken()}};
  // Poll until it listens (bounded).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  Reply reply;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      reply = Connection(port).Send("GET", "/v1/regions/16.06", "", credentials);
      break;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Json()["name"], "Kabupaten Musi Banyuasin");
  EXPECT_EQ(Connection(port).Send("GET", "/v1/regions/16.06").status, 401);
  kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(10)), 0);
}

#endif  // WAHANA_GATEWAY_BIN

}  // namespace
}  // namespace wahana
