#include "gateway/route_table.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "gateway/field_path.h"
#include "google/api/annotations.pb.h"

namespace wahana {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

absl::Status RuleError(const MethodDescriptor* method, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("google.api.http rule of ", method->full_name(), ": ", why));
}

// A top-level field named by a rule's body or response_body; its proto name is stored.
absl::StatusOr<std::string> TopLevelField(const MethodDescriptor* method, const Descriptor* type,
                                          const std::string& name, absl::string_view what) {
  if (name.empty() || (name == "*" && what == "body")) return name;
  const FieldDescriptor* field = FindFieldByAnyName(type, name);
  if (field == nullptr) {
    return RuleError(method,
                     absl::StrCat(what, " \"", name, "\" is not a field of ", type->full_name()));
  }
  return field->name();
}

// A path variable must end on one value: a singular scalar, enum, or well-known wrapper-like
// message (google.protobuf.*), which the request mapper sets from text.
absl::Status CheckPathField(const MethodDescriptor* method, const std::string& field_path) {
  auto chain = ResolveFieldPath(method->input_type(), field_path);
  if (!chain.ok()) return RuleError(method, chain.status().message());
  const FieldDescriptor* last = chain->back();
  if (last->is_repeated()) {
    return RuleError(method, absl::StrCat("path variable \"", field_path, "\" is repeated"));
  }
  if (last->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
      !absl::StartsWith(last->message_type()->full_name(), "google.protobuf.")) {
    return RuleError(method, absl::StrCat("path variable \"", field_path, "\" is a message"));
  }
  return absl::OkStatus();
}

absl::Status AddRule(const google::api::HttpRule& rule, const MethodDescriptor* method,
                     size_t backend, google::protobuf::MessageFactory& factory,
                     std::vector<Route>& routes) {
  Route route;
  std::string path;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      route.http_method = "GET", path = rule.get();
      break;
    case google::api::HttpRule::kPut:
      route.http_method = "PUT", path = rule.put();
      break;
    case google::api::HttpRule::kPost:
      route.http_method = "POST", path = rule.post();
      break;
    case google::api::HttpRule::kDelete:
      route.http_method = "DELETE", path = rule.delete_();
      break;
    case google::api::HttpRule::kPatch:
      route.http_method = "PATCH", path = rule.patch();
      break;
    case google::api::HttpRule::kCustom:
      route.http_method = rule.custom().kind(), path = rule.custom().path();
      if (route.http_method.empty()) return RuleError(method, "custom rule without a kind");
      break;
    default:
      return RuleError(method, "no method and path");
  }
  auto parsed = PathTemplate::Parse(path);
  if (!parsed.ok()) return RuleError(method, parsed.status().message());
  route.path = std::move(parsed).value();
  for (const std::string& field_path : route.path.FieldPaths()) {
    WAHANA_RETURN_IF_ERROR(CheckPathField(method, field_path));
  }
  WAHANA_ASSIGN_OR_RETURN(route.body,
                          TopLevelField(method, method->input_type(), rule.body(), "body"));
  WAHANA_ASSIGN_OR_RETURN(
      route.response_body,
      TopLevelField(method, method->output_type(), rule.response_body(), "response_body"));
  route.method = method;
  route.request_prototype = factory.GetPrototype(method->input_type());
  route.response_prototype = factory.GetPrototype(method->output_type());
  if (route.request_prototype == nullptr || route.response_prototype == nullptr) {
    return RuleError(method, "no message factory for its input or output type");
  }
  route.grpc_method = absl::StrCat("/", method->service()->full_name(), "/", method->name());
  route.backend = backend;
  routes.push_back(std::move(route));
  return absl::OkStatus();
}

}  // namespace

bool AnswersRawBytes(const Route& route) {
  return route.method != nullptr && route.method->output_type()->full_name() == kHttpBodyType;
}

absl::StatusOr<RouteTable> RouteTable::Build(const std::vector<std::string>& services,
                                             const google::protobuf::DescriptorPool* pool) {
  RouteTable table;
  google::protobuf::MessageFactory* factory = google::protobuf::MessageFactory::generated_factory();
  if (pool != google::protobuf::DescriptorPool::generated_pool()) {
    table.dynamic_factory_ = std::make_shared<google::protobuf::DynamicMessageFactory>(pool);
    factory = table.dynamic_factory_.get();
  }
  for (size_t backend = 0; backend < services.size(); ++backend) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(services[backend]);
    if (service == nullptr) {
      return absl::NotFoundError(absl::StrCat(
          "service ", services[backend],
          " is not in the descriptor pool (was wahana_proto linked as a whole archive?)"));
    }
    for (int m = 0; m < service->method_count(); ++m) {
      const MethodDescriptor* method = service->method(m);
      if (!method->options().HasExtension(google::api::http)) continue;
      if (method->client_streaming() || method->server_streaming()) {
        spdlog::warn("{}: streaming methods are not served over HTTP", method->full_name());
        continue;
      }
      const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
      WAHANA_RETURN_IF_ERROR(AddRule(rule, method, backend, *factory, table.routes_));
      for (const google::api::HttpRule& extra : rule.additional_bindings()) {
        WAHANA_RETURN_IF_ERROR(AddRule(extra, method, backend, *factory, table.routes_));
      }
    }
  }
  for (size_t i = 0; i < table.routes_.size(); ++i) {
    for (size_t j = i + 1; j < table.routes_.size(); ++j) {
      const Route& a = table.routes_[i];
      const Route& b = table.routes_[j];
      if (a.http_method == b.http_method && a.path.text() == b.path.text()) {
        return absl::InvalidArgumentError(absl::StrCat(a.http_method, " ", a.path.text(),
                                                       " is bound by both ", a.method->full_name(),
                                                       " and ", b.method->full_name()));
      }
    }
  }
  return table;
}

RouteTable::Match RouteTable::Find(absl::string_view http_method, absl::string_view path) const {
  Match result;
  int best_rank = -1;
  // Pass 0 tries templates with a verb, pass 1 those without: "/v1/cases/x:assign" belongs to
  // the ":assign" route even though "/v1/cases/{id}" would match it too.
  for (int pass = 0; pass < 2; ++pass) {
    bool path_matched = false;
    for (const Route& route : routes_) {
      if (route.path.verb().empty() == (pass == 0)) continue;
      std::optional<std::vector<PathBinding>> bindings = route.path.Match(path);
      if (!bindings) continue;
      path_matched = true;
      if (route.http_method == http_method) {
        if (route.path.literal_count() > best_rank) {
          best_rank = route.path.literal_count();
          result.route = &route;
          result.bindings = std::move(*bindings);
        }
      } else if (std::find(result.allowed.begin(), result.allowed.end(), route.http_method) ==
                 result.allowed.end()) {
        result.allowed.push_back(route.http_method);
      }
    }
    if (path_matched) break;
  }
  if (result.route != nullptr) result.allowed.clear();
  return result;
}

}  // namespace wahana
