#pragma once
// The OpenAPI 3.0 document of the HTTP API (GET /openapi.json), generated from the routes' proto
// descriptors, so it cannot drift from what the gateway serves:
//
//  - one path per route template ("{name=regions/*}" written "{name}"), one operation per HTTP
//    method, operationId "<Service>_<Method>", tagged with the service;
//  - path parameters from the template's variables; query parameters from the request's other
//    top-level scalar, enum and repeated-scalar fields when the route has no "*" body;
//  - the request body (the whole request or the field the route names) and the 200 answer as
//    schemas; every error as the google.rpc.Status shape;
//  - components/schemas: one per message reached, in protobuf's JSON mapping: lowerCamelCase
//    names, enums by value name, 64-bit integers as strings, Timestamp as a date-time string,
//    Duration and FieldMask as strings, wrappers as their value, maps as objects;
//  - the bearer security scheme (API keys and JWTs both travel as "Authorization: Bearer").

#include <nlohmann/json.hpp>
#include <vector>

#include "gateway/route_table.h"

namespace wahana {

// The document for `routes`, and with `token_routes` POST /v1/tokens and GET
// /.well-known/jwks.json (token_endpoint.h). Deterministic (same routes, same text). Never throws
// for routes RouteTable::Build accepted.
nlohmann::json BuildOpenApi(const std::vector<Route>& routes, bool token_routes = false);

}  // namespace wahana
