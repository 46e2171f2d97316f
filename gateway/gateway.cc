#include "gateway/gateway.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/audit/forwarded_address.h"
#include "common/grpc/call_scope.h"
#include "gateway/audit_routing.h"
#include "gateway/error_mapping.h"
#include "gateway/json_depth.h"
#include "gateway/openapi.h"
#include "gateway/request_id.h"
#include "gateway/request_mapper.h"
#include "gateway/security_headers.h"

namespace wahana {
namespace {

using google::protobuf::Message;

constexpr char kJsonOk[] = R"({"status":"ok"})";

// Content-Type of a request body: JSON (application/json, application/*+json, any parameters)
// or absent. Anything else is 415.
bool IsJsonContentType(absl::string_view content_type) {
  absl::string_view media = content_type.substr(0, content_type.find(';'));
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(media));
  return lower.empty() || lower == "application/json" ||
         (absl::StartsWith(lower, "application/") && absl::EndsWith(lower, "+json"));
}

// Request targets are client text: keep log lines on one line and JSON-safe.
std::string ForLog(absl::string_view text) {
  std::string out;
  out.reserve(std::min<size_t>(text.size(), 512));
  for (char c : text.substr(0, 512)) {
    out.push_back((c < 0x20 || c == 0x7F || c == '"' || c == '\\') ? '?' : c);
  }
  return out;
}

// The HttpBody (route_table.h kHttpBodyType) `reply` answers with, as its bytes rather than JSON:
// the reply itself when it is one (AnswersRawBytes), or its top-level `http_body` field when set
// (a report the client asked for as a file); else nullptr.
const Message* HttpBodyOf(const Route& route, const Message& reply) {
  if (AnswersRawBytes(route)) return &reply;
  const google::protobuf::FieldDescriptor* field =
      reply.GetDescriptor()->FindFieldByName("http_body");
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE ||
      field->message_type()->full_name() != kHttpBodyType ||
      !reply.GetReflection()->HasField(reply, field)) {
    return nullptr;
  }
  return &reply.GetReflection()->GetMessage(reply, field);
}

// Protobuf JSON of `reply`, or of its `response_body` field alone.
absl::StatusOr<std::string> ReplyJson(const Message& reply, const std::string& response_body) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = false;
  std::string json;
  if (response_body.empty()) {
    auto status = google::protobuf::util::MessageToJsonString(reply, &json, options);
    if (!status.ok()) {
      return absl::InternalError(
          absl::StrCat("cannot print the reply as JSON: ", std::string(status.message())));
    }
    return json;
  }
  const auto* field = reply.GetDescriptor()->FindFieldByName(response_body);
  if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
      !field->is_repeated()) {
    return ReplyJson(reply.GetReflection()->GetMessage(reply, field), "");
  }
  // A scalar or repeated field: print the whole reply and take the one member.
  auto whole = ReplyJson(reply, "");
  if (!whole.ok()) return whole;
  nlohmann::json parsed = nlohmann::json::parse(*whole);
  return parsed[field->json_name()].dump();
}

// The method as a metrics label: the client's text only when it is a method HTTP defines, so a
// client cannot mint series.
std::string MethodLabel(const std::string& method) {
  static const char* const kKnown[] = {"GET",    "HEAD",    "POST",  "PUT",    "PATCH",
                                       "DELETE", "OPTIONS", "TRACE", "CONNECT"};
  for (const char* known : kKnown) {
    if (method == known) return method;
  }
  return "other";
}

}  // namespace

struct Gateway::Exchange {
  std::string method;
  std::string target;
  std::string content_type;
  std::string body;
  std::string request_id;
  std::string origin;
  std::string client_address;
  std::string authorization;  // credentials: never logged
  std::string api_key;
  // Who sent the request, once authenticated (absent without authentication, see Create).
  std::optional<Principal> principal;
  std::string route_label = "unmatched";  // metrics and access log: the path template
  int64_t bytes_in = 0;
  std::chrono::steady_clock::time_point call_started;
  bool preflight = false;     // a CORS preflight the gateway answered
  bool holds_permit = false;  // counted by concurrency_ until Finish
  std::chrono::steady_clock::time_point started;
  Done done;
  const Route* route = nullptr;
  grpc::ClientContext context;
  grpc::ByteBuffer request_bytes;
  grpc::ByteBuffer response_bytes;
};

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Create(const GatewayConfig& config) {
  return Create(config, {}, GatewayAuth{});
}

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Create(
    const GatewayConfig& config, std::vector<std::unique_ptr<Backend>> extra_backends,
    GatewayAuth auth, std::string forwarding_key) {
  std::vector<std::string> services;
  std::vector<std::unique_ptr<Backend>> backends;
  for (const BackendAddress& b : config.backends) {
    services.push_back(b.service);
    backends.push_back(std::make_unique<Backend>(b.service, b.address));
  }
  for (auto& extra : extra_backends) {
    services.push_back(extra->service());
    backends.push_back(std::move(extra));
  }
  // No backend of its own: each call goes to the service keeping the subject's trail.
  if (RoutesAudit(services)) services.push_back(kAuditServiceName);
  auto routes = RouteTable::Build(services);
  if (!routes.ok()) return routes.status();
  return std::make_unique<Gateway>(config, std::move(routes).value(), std::move(backends),
                                   std::move(auth), std::move(forwarding_key));
}

Gateway::Gateway(const GatewayConfig& config, RouteTable routes,
                 std::vector<std::unique_ptr<Backend>> backends, GatewayAuth auth,
                 std::string forwarding_key)
    : max_body_bytes_(config.max_body_bytes),
      rpc_deadline_(config.rpc_deadline_ms),
      readiness_deadline_(std::min(config.readiness_deadline_ms, config.rpc_deadline_ms)),
      routes_(std::move(routes)),
      backends_(std::move(backends)),
      auth_(std::move(auth)),
      forwarding_key_(std::move(forwarding_key)),
      max_json_depth_(config.limits.max_json_depth),
      cors_(config.limits.cors_origins),
      rate_limiter_({config.limits.rate_per_second, config.limits.rate_burst}),
      auth_failures_({config.limits.auth_failures_per_minute}),
      concurrency_(config.limits.max_in_flight),
      metrics_(concurrency_),
      openapi_json_(BuildOpenApi(routes_.routes(), auth_.tokens != nullptr)
                        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)),
      access_log_(config.limits.access_log) {}

Gateway::~Gateway() { Shutdown(); }

void Gateway::Shutdown() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  mu_.Await(absl::Condition(this, &Gateway::Idle));
}

void Gateway::Handle(HttpRequest request, Done done) {
  auto exchange = std::make_shared<Exchange>();
  exchange->started = std::chrono::steady_clock::now();
  exchange->done = std::move(done);
  {
    absl::MutexLock lock(&mu_);
    if (closed_) {
      exchange->done(ErrorResponse(503, absl::StatusCode::kUnavailable, "shutting down"));
      return;
    }
    ++in_flight_;
  }
  try {
    exchange->request_id = AcceptOrMakeRequestId(request.request_id);
    // Log lines written while this thread works for the request carry its id.
    CallScope scope(exchange->request_id, CallScope::TimePoint::max());
    exchange->method = std::move(request.method);
    exchange->target = std::move(request.target);
    exchange->content_type = std::move(request.content_type);
    exchange->bytes_in = static_cast<int64_t>(request.body.size());
    exchange->body = std::move(request.body);
    exchange->origin = std::move(request.origin);
    exchange->client_address = std::move(request.client_address);
    exchange->authorization = std::move(request.authorization);
    exchange->api_key = std::move(request.api_key);
    if (cors_.IsPreflight(exchange->method, exchange->origin, request.cors_request_method)) {
      exchange->preflight = true;
      exchange->route_label = "preflight";
      return Finish(exchange, cors_.Preflight(exchange->origin));
    }
    Dispatch(exchange);
  } catch (const std::exception& e) {
    spdlog::error("request {}: {}", exchange->request_id, e.what());
    Finish(exchange, ErrorResponse(absl::InternalError("internal error in the gateway")));
  } catch (...) {
    Finish(exchange, ErrorResponse(absl::InternalError("internal error in the gateway")));
  }
}

void Gateway::Dispatch(const std::shared_ptr<Exchange>& exchange) {
  absl::string_view target = exchange->target;
  size_t question = target.find('?');
  absl::string_view path = target.substr(0, question);
  absl::string_view query =
      question == absl::string_view::npos ? absl::string_view() : target.substr(question + 1);

  if (path == "/healthz" || path == "/readyz" || path == "/metrics" || path == "/openapi.json") {
    exchange->route_label = std::string(path);
    if (exchange->method != "GET" && exchange->method != "HEAD") {
      HttpResponse response =
          ErrorResponse(405, absl::StatusCode::kUnimplemented,
                        absl::StrCat(exchange->method, " not allowed on ", path));
      response.headers.emplace_back("Allow", "GET, HEAD");
      return Finish(exchange, std::move(response));
    }
    if (path == "/readyz") return CheckReadiness(exchange);
    if (path == "/metrics") {
      HttpResponse response;
      response.body = metrics_.Render();
      response.content_type = kMetricsContentType;
      return Finish(exchange, std::move(response));
    }
    if (path == "/openapi.json") {
      HttpResponse response;
      response.body = openapi_json_;
      return Finish(exchange, std::move(response));
    }
    HttpResponse response;
    response.body = kJsonOk;
    return Finish(exchange, std::move(response));
  }

  if (auth_.tokens != nullptr && (path == kTokenPath || path == kJwksPath)) {
    exchange->route_label = std::string(path);
    const bool token_route = path == kTokenPath;
    if (token_route ? exchange->method != "POST"
                    : exchange->method != "GET" && exchange->method != "HEAD") {
      HttpResponse response =
          ErrorResponse(405, absl::StatusCode::kUnimplemented,
                        absl::StrCat(exchange->method, " not allowed on ", path));
      response.headers.emplace_back("Allow", token_route ? "POST" : "GET, HEAD");
      return Finish(exchange, std::move(response));
    }
    if (!token_route) return Finish(exchange, auth_.tokens->Jwks());
    TokenEndpoint::Outcome outcome =
        auth_.tokens->Issue(exchange->content_type, exchange->authorization, exchange->body);
    exchange->authorization.clear();
    exchange->api_key.clear();
    exchange->body.clear();
    // Failed client authentications count as failed bearer ones do.
    if (outcome.client_failed) {
      RateLimiter::Decision failures = auth_failures_.Failed(exchange->client_address);
      if (!failures.allowed) return Finish(exchange, AuthFailuresLimited(failures));
    } else if (!outcome.subject.empty()) {
      RateLimiter::Decision failures =
          auth_failures_.Succeeded(exchange->client_address, outcome.subject);
      if (!failures.allowed) return Finish(exchange, AuthFailuresLimited(failures));
    }
    return Finish(exchange, std::move(outcome.response));
  }

  if (auth_.authenticator != nullptr) {
    absl::StatusOr<Principal> principal =
        auth_.authenticator->Authenticate(exchange->authorization, exchange->api_key);
    // Only a request that offered credentials guesses: one without any is just refused.
    const bool offered =
        !exchange->authorization.empty() || !absl::StripAsciiWhitespace(exchange->api_key).empty();
    exchange->authorization.clear();
    exchange->api_key.clear();
    if (!principal.ok()) {
      const bool unauthenticated = principal.status().code() == absl::StatusCode::kUnauthenticated;
      if (unauthenticated && offered) {
        RateLimiter::Decision failures = auth_failures_.Failed(exchange->client_address);
        if (!failures.allowed) return Finish(exchange, AuthFailuresLimited(failures));
      }
      HttpResponse response = ErrorResponse(principal.status());
      if (unauthenticated) {
        response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"wahana\"");
      }
      return Finish(exchange, std::move(response));
    }
    // Valid credentials from an address out of failures: only for principals it had before.
    RateLimiter::Decision failures =
        auth_failures_.Succeeded(exchange->client_address, principal->subject);
    if (!failures.allowed) return Finish(exchange, AuthFailuresLimited(failures));
    exchange->principal = *std::move(principal);
  }

  if (!concurrency_.TryAcquire()) {
    HttpResponse response = ErrorResponse(
        503, absl::StatusCode::kUnavailable,
        absl::StrCat("gateway overloaded: ", concurrency_.max_in_flight(),
                     " requests in flight (WAHANA_HTTP_MAX_IN_FLIGHT); retry shortly"));
    response.headers.emplace_back("Retry-After", "1");
    metrics_.CountShed();
    return Finish(exchange, std::move(response));
  }
  exchange->holds_permit = true;
  // Keyed by the principal's subject (callers behind one proxy do not share a bucket), by the
  // client address only when the gateway runs without authentication.
  RateLimiter::Decision rate = rate_limiter_.Acquire(
      exchange->principal ? exchange->principal->subject : exchange->client_address);
  if (!rate.allowed) {
    int64_t seconds = RetryAfterSeconds(rate.retry_after);
    HttpResponse response =
        ErrorResponse(429, absl::StatusCode::kResourceExhausted,
                      absl::StrCat("rate limit exceeded (WAHANA_RATE_LIMIT_PER_SECOND); retry in ",
                                   seconds, " s"));
    response.headers.emplace_back("Retry-After", std::to_string(seconds));
    metrics_.CountRateLimited();
    return Finish(exchange, std::move(response));
  }

  RouteTable::Match match = routes_.Find(exchange->method, path);
  if (match.route == nullptr) {
    if (match.allowed.empty()) {
      return Finish(exchange, ErrorResponse(absl::NotFoundError(absl::StrCat(
                                  "no route for ", exchange->method, " ", ForLog(path)))));
    }
    HttpResponse response =
        ErrorResponse(405, absl::StatusCode::kUnimplemented,
                      absl::StrCat(exchange->method, " not allowed on ", ForLog(path),
                                   "; allowed: ", absl::StrJoin(match.allowed, ", ")));
    response.headers.emplace_back("Allow", absl::StrJoin(match.allowed, ", "));
    return Finish(exchange, std::move(response));
  }
  CallBackend(exchange, match, query);
}

HttpResponse Gateway::AuthFailuresLimited(const RateLimiter::Decision& decision) {
  const int64_t seconds = RetryAfterSeconds(decision.retry_after);
  HttpResponse response =
      ErrorResponse(429, absl::StatusCode::kResourceExhausted,
                    absl::StrCat("too many failed authentications from your address "
                                 "(WAHANA_AUTH_FAILURES_PER_MINUTE); retry in ",
                                 seconds, " s"));
  response.headers.emplace_back("Retry-After", std::to_string(seconds));
  metrics_.CountAuthFailuresLimited();
  return response;
}

void Gateway::CallBackend(const std::shared_ptr<Exchange>& exchange, const RouteTable::Match& match,
                          absl::string_view query) {
  const Route& route = *match.route;
  exchange->route = &route;
  exchange->route_label = route.path.text();
  if (!route.body.empty() && !exchange->body.empty() &&
      !IsJsonContentType(exchange->content_type)) {
    return Finish(exchange,
                  ErrorResponse(415, absl::StatusCode::kInvalidArgument,
                                absl::StrCat("Content-Type \"", ForLog(exchange->content_type),
                                             "\" is not JSON: send application/json")));
  }
  if (static_cast<int64_t>(exchange->body.size()) > max_body_bytes_) {
    return Finish(exchange,
                  ErrorResponse(413, absl::StatusCode::kResourceExhausted,
                                absl::StrCat("body larger than ", max_body_bytes_, " bytes")));
  }
  if (!route.body.empty()) {
    absl::Status depth = CheckJsonDepth(exchange->body, max_json_depth_);
    if (!depth.ok()) return Finish(exchange, ErrorResponse(depth));
  }
  std::unique_ptr<Message> request(route.request_prototype->New());
  absl::Status mapped = BuildRequestMessage(route, match.bindings, query, exchange->body, *request);
  if (!mapped.ok()) return Finish(exchange, ErrorResponse(mapped));
  exchange->body.clear();
  exchange->body.shrink_to_fit();

  bool own_buffer = false;
  grpc::Status serialized = grpc::SerializationTraits<Message>::Serialize(
      *request, &exchange->request_bytes, &own_buffer);
  if (!serialized.ok()) {
    return Finish(exchange, ErrorResponse(absl::InternalError(absl::StrCat(
                                "cannot serialize the request: ", serialized.error_message()))));
  }
  exchange->context.set_deadline(std::chrono::system_clock::now() + rpc_deadline_);
  exchange->context.AddMetadata("x-request-id", exchange->request_id);
  if (exchange->principal && auth_.minter != nullptr) {
    // The services authenticate every call: speak for the principal with a short-lived token,
    // the same one for half its lifetime so the services verify it once (token.h).
    absl::StatusOr<std::string> token = auth_.minter->Reusable(*exchange->principal);
    if (!token.ok()) return Finish(exchange, ErrorResponse(token.status()));
    exchange->context.AddMetadata("authorization", absl::StrCat("Bearer ", *token));
    // The services' audit trails record where a request came from, trusting it only with the
    // proof that the gateway sent it for this token (forwarded_address.h).
    if (!exchange->client_address.empty() && !forwarding_key_.empty()) {
      exchange->context.AddMetadata(kForwardedForMetadata, exchange->client_address);
      exchange->context.AddMetadata(
          kForwardedProofMetadata,
          ForwardedProof(forwarding_key_, *token, exchange->client_address));
    }
  }
  size_t backend = route.backend;
  if (route.method->service()->full_name() == kAuditServiceName) {
    absl::StatusOr<size_t> keeper = AuditBackendFor(*request, backends_);
    if (!keeper.ok()) return Finish(exchange, ErrorResponse(keeper.status()));
    backend = *keeper;
  }
  exchange->call_started = std::chrono::steady_clock::now();
  // The call's last step: once started, only OnReply answers.
  backends_[backend]->stub().UnaryCall(
      &exchange->context, route.grpc_method, grpc::StubOptions(), &exchange->request_bytes,
      &exchange->response_bytes,
      [this, exchange](grpc::Status status) { OnReply(exchange, status); });
}

void Gateway::OnReply(const std::shared_ptr<Exchange>& exchange, const grpc::Status& status) {
  CallScope scope(exchange->request_id, CallScope::TimePoint::max());
  metrics_.RecordCall(
      exchange->route->method->service()->full_name(), exchange->route->method->name(),
      static_cast<int>(status.error_code()),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - exchange->call_started)
          .count());
  HttpResponse response;
  try {
    if (!status.ok()) {
      int code = static_cast<int>(status.error_code());
      response.status = HttpStatusForCode(code);
      response.body = StatusJson(code, status.error_message());
    } else {
      const Route& route = *exchange->route;
      std::unique_ptr<Message> reply(route.response_prototype->New());
      grpc::Status parsed =
          grpc::SerializationTraits<Message>::Deserialize(&exchange->response_bytes, reply.get());
      if (!parsed.ok()) {
        response = ErrorResponse(absl::InternalError(
            absl::StrCat(route.method->full_name(), " sent a reply that does not parse")));
      } else {
        const Message* http_body = HttpBodyOf(route, *reply);
        if (http_body != nullptr) {
          // Not JSON (a QR image to print, a CSV export): its bytes, with its own Content-Type.
          // Read by reflection: the reply may be a dynamic message of the routes' pool.
          const google::protobuf::Descriptor* type = http_body->GetDescriptor();
          const google::protobuf::Reflection* reflection = http_body->GetReflection();
          response.content_type =
              reflection->GetString(*http_body, type->FindFieldByName("content_type"));
          response.body = reflection->GetString(*http_body, type->FindFieldByName("data"));
        } else {
          absl::StatusOr<std::string> json = ReplyJson(*reply, route.response_body);
          if (json.ok()) {
            response.body = std::move(json).value();
          } else {
            response = ErrorResponse(json.status());
          }
        }
      }
    }
  } catch (const std::exception& e) {
    spdlog::error("request {}: {}", exchange->request_id, e.what());
    response = ErrorResponse(absl::InternalError("internal error in the gateway"));
  }
  Finish(exchange, std::move(response));
}

void Gateway::CheckReadiness(const std::shared_ptr<Exchange>& exchange) {
  if (backends_.empty()) {
    HttpResponse response;
    response.body = kJsonOk;
    return Finish(exchange, std::move(response));
  }
  struct Tally {
    explicit Tally(size_t backends) : pending(backends) {}
    absl::Mutex mu;
    size_t pending ABSL_GUARDED_BY(mu);
    std::vector<std::pair<size_t, std::string>> failures ABSL_GUARDED_BY(mu);
  };
  auto tally = std::make_shared<Tally>(backends_.size());
  for (size_t i = 0; i < backends_.size(); ++i) {
    backends_[i]->CheckHealth(readiness_deadline_, [this, exchange, tally, i](absl::Status s) {
      std::vector<std::pair<size_t, std::string>> failures;  // the last answer takes them all
      {
        absl::MutexLock lock(&tally->mu);
        if (!s.ok()) tally->failures.emplace_back(i, std::string(s.message()));
        if (--tally->pending > 0) return;
        failures = std::move(tally->failures);
      }
      HttpResponse response;
      if (failures.empty()) {
        response.body = kJsonOk;
      } else {
        std::sort(failures.begin(), failures.end());
        nlohmann::json not_ready = nlohmann::json::array();
        for (const auto& [index, reason] : failures) {
          not_ready.push_back({{"service", backends_[index]->service()},
                               {"address", backends_[index]->address()},
                               {"reason", reason}});
        }
        response.status = 503;
        response.body = nlohmann::json{{"status", "unavailable"}, {"notReady", not_ready}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
      Finish(exchange, std::move(response));
    });
  }
}

void Gateway::Account(const Exchange& exchange, const HttpResponse& response) {
  auto elapsed = std::chrono::steady_clock::now() - exchange.started;
  metrics_.RecordRequest(exchange.route_label, MethodLabel(exchange.method), response.status,
                         std::chrono::duration<double>(elapsed).count());
  if (!access_log_.enabled()) return;
  AccessLogEntry entry;
  entry.method = ForLog(exchange.method);
  entry.target = exchange.target;
  entry.route = exchange.route_label;
  entry.status = response.status;
  entry.duration_ms = std::chrono::duration<double, std::milli>(elapsed).count();
  entry.bytes_in = exchange.bytes_in;
  entry.bytes_out = static_cast<int64_t>(response.body.size());
  entry.request_id = exchange.request_id;
  entry.client = exchange.client_address;
  if (exchange.principal) entry.principal = exchange.principal->subject;
  access_log_.Write(entry);
}

void Gateway::Finish(const std::shared_ptr<Exchange>& exchange, HttpResponse response) {
  if (!exchange->done) return;  // already answered (a bug, but never answer twice)
  if (exchange->holds_permit) {
    exchange->holds_permit = false;
    concurrency_.Release();
  }
  response.headers.emplace_back("X-Request-Id", exchange->request_id);
  AddSecurityHeaders(response.headers);
  if (!exchange->preflight) cors_.Decorate(exchange->origin, response);
  Account(*exchange, response);
  if (spdlog::should_log(spdlog::level::debug)) {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - exchange->started)
                      .count();
    spdlog::debug("{} {} -> {} in {} us ({}) request_id={}", ForLog(exchange->method),
                  ForLog(exchange->target), response.status, micros,
                  exchange->route ? exchange->route->method->full_name() : "gateway",
                  exchange->request_id);
  }
  Done done = std::move(exchange->done);
  exchange->done = nullptr;
  try {
    done(std::move(response));
  } catch (const std::exception& e) {
    spdlog::error("request {}: answering failed: {}", exchange->request_id, e.what());
  } catch (...) {
    spdlog::error("request {}: answering failed", exchange->request_id);
  }
  absl::MutexLock lock(&mu_);
  --in_flight_;
}

}  // namespace wahana
