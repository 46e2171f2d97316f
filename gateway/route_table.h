#pragma once
// The gateway's routes, read once at start-up from the google.api.http options of the backend
// services' descriptors: every binding of every method (additional_bindings included) becomes
// one Route. Immutable after Build, so every HTTP thread reads it without locks.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/path_template.h"

namespace wahana {

// A method replying with this type is answered with its bytes and its own Content-Type, not as
// JSON (a QR image to print).
inline constexpr char kHttpBodyType[] = "wahana.common.v1.HttpBody";
struct Route {
  std::string http_method;  // "GET", "POST", ... or a custom rule's kind
  PathTemplate path;
  // "" (no body), "*" (the whole request) or the name of a top-level request field.
  std::string body;
  // "" (the whole response) or the name of a top-level response field.
  std::string response_body;
  const google::protobuf::MethodDescriptor* method = nullptr;
  // Empty messages of the method's input and output types: New() makes the per-call messages.
  const google::protobuf::Message* request_prototype = nullptr;
  const google::protobuf::Message* response_prototype = nullptr;
  std::string grpc_method;  // "/wahana.registry.v1.RegistryService/GetRegion"
  size_t backend = 0;       // index of the service in the list given to Build
};

// Whether `route` is answered raw: its method replies with kHttpBodyType.
bool AnswersRawBytes(const Route& route);

class RouteTable {
 public:
  // What Find answers. `route` is set on a match; otherwise `allowed` lists the methods that
  // would match the path (non-empty: 405 with an Allow header; empty: 404).
  struct Match {
    const Route* route = nullptr;
    std::vector<PathBinding> bindings;
    std::vector<std::string> allowed;
  };

  // Routes for the services named in `services` (full names; `backend` is the index in this
  // list). Errors (exit at start-up, they are bugs or a broken build): NOT_FOUND for a service
  // missing from `pool` (its generated code was not linked), INVALID_ARGUMENT for a bad template,
  // a body/response_body or path variable that names no suitable field, or two routes with the
  // same method and template.
  static absl::StatusOr<RouteTable> Build(const std::vector<std::string>& services,
                                          const google::protobuf::DescriptorPool* pool =
                                              google::protobuf::DescriptorPool::generated_pool());

  // The route for `http_method` and `path` (percent-encoded, no query string). Templates with a
  // verb win over templates without one; among several matches the one with the most literal
  // segments wins, then the first declared.
  Match Find(absl::string_view http_method, absl::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  // Makes the prototypes when `pool` is not the generated pool (tests); shared so the table
  // stays movable while routes point into it.
  std::shared_ptr<google::protobuf::DynamicMessageFactory> dynamic_factory_;
};

}  // namespace wahana
