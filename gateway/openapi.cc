#include "gateway/openapi.h"

#include <google/protobuf/descriptor.h>

#include <map>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace wahana {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using nlohmann::json;

constexpr char kStatusSchema[] = "google.rpc.Status";

std::string Ref(const std::string& schema) { return "#/components/schemas/" + schema; }

// "/v1/{name=regions/*}:get" -> "/v1/{name}:get".
std::string OpenApiPath(const std::string& template_text) {
  std::string out;
  bool in_variable = false;
  bool skipping = false;
  for (char c : template_text) {
    if (c == '{') {
      in_variable = true;
      skipping = false;
    } else if (c == '}') {
      in_variable = false;
      skipping = false;
    } else if (in_variable && c == '=') {
      skipping = true;
    }
    if (!skipping) out.push_back(c);
  }
  return out;
}

// Builds component schemas on demand, each message once.
class SchemaBuilder {
 public:
  // The schema of a value of `field`'s type (ignoring repetition).
  json ValueSchema(const FieldDescriptor& field) {
    switch (field.type()) {
      case FieldDescriptor::TYPE_DOUBLE:
        return {{"type", "number"}, {"format", "double"}};
      case FieldDescriptor::TYPE_FLOAT:
        return {{"type", "number"}, {"format", "float"}};
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32:
        return {{"type", "integer"}, {"format", "int32"}};
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        return {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}};
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
        return {{"type", "string"}, {"format", "int64"}};
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        return {{"type", "string"}, {"format", "uint64"}};
      case FieldDescriptor::TYPE_BOOL:
        return {{"type", "boolean"}};
      case FieldDescriptor::TYPE_STRING:
        return {{"type", "string"}};
      case FieldDescriptor::TYPE_BYTES:
        return {{"type", "string"}, {"format", "byte"}};
      case FieldDescriptor::TYPE_ENUM:
        return EnumSchema(*field.enum_type());
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP:
        return MessageRef(*field.message_type());
    }
    return json::object();
  }

  // The schema of `field` as it appears in its message's JSON.
  json FieldSchema(const FieldDescriptor& field) {
    if (field.is_map()) {
      return {{"type", "object"},
              {"additionalProperties", ValueSchema(*field.message_type()->map_value())}};
    }
    if (field.is_repeated()) return {{"type", "array"}, {"items", ValueSchema(field)}};
    return ValueSchema(field);
  }

  // A reference to the message's component (added if new), or the inline JSON mapping of a
  // well-known type.
  json MessageRef(const Descriptor& message) {
    const std::string& name = message.full_name();
    if (name == "google.protobuf.Timestamp") return {{"type", "string"}, {"format", "date-time"}};
    if (name == "google.protobuf.Duration") return {{"type", "string"}, {"example", "1.5s"}};
    if (name == "google.protobuf.FieldMask")
      return {{"type", "string"}, {"example", "name,status"}};
    if (name == "google.protobuf.Struct") return {{"type", "object"}};
    if (name == "google.protobuf.Value") return json::object();
    if (name == "google.protobuf.ListValue") return {{"type", "array"}, {"items", json::object()}};
    if (name == "google.protobuf.Empty") return {{"type", "object"}};
    if (message.file()->name() == "google/protobuf/wrappers.proto") {
      json value = ValueSchema(*message.FindFieldByName("value"));
      value["nullable"] = true;
      return value;
    }
    AddMessage(message);
    return {{"$ref", Ref(name)}};
  }

  json EnumSchema(const EnumDescriptor& e) {
    json values = json::array();
    for (int i = 0; i < e.value_count(); ++i) values.push_back(e.value(i)->name());
    return {{"type", "string"}, {"enum", values}};
  }

  void AddMessage(const Descriptor& message) {
    const std::string& name = message.full_name();
    if (!visited_.insert(name).second) return;
    json properties = json::object();
    for (int i = 0; i < message.field_count(); ++i) {
      const FieldDescriptor& field = *message.field(i);
      properties[field.json_name()] = FieldSchema(field);
    }
    schemas_[name] = {{"type", "object"}, {"properties", properties}};
  }

  json Schemas() {
    schemas_[kStatusSchema] = {
        {"type", "object"},
        {"description", "Every error answer: the gRPC status code, a message, details."},
        {"properties",
         {{"code", {{"type", "integer"}, {"format", "int32"}}},
          {"message", {{"type", "string"}}},
          {"details", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
    return schemas_;
  }

 private:
  std::set<std::string> visited_;
  json schemas_ = json::object();
};

// The field at dotted `path` of `message` ("institution.id"), or nullptr.
const FieldDescriptor* FindField(const Descriptor* message, const std::string& path) {
  const FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByName(std::string(part));
    if (field == nullptr) return nullptr;
    message = field->message_type();
  }
  return field;
}

bool IsQueryable(const FieldDescriptor& field) {
  return !field.is_map() && field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE;
}

json Operation(const Route& route, SchemaBuilder& schemas) {
  const Descriptor* request = route.method->input_type();
  const std::string service = route.method->service()->name();
  json op = {{"operationId", service + "_" + route.method->name()},
             {"tags", json::array({service})},
             {"summary", route.method->full_name()}};

  json parameters = json::array();
  std::set<std::string> bound;  // top-level fields the path or the body carries
  for (const std::string& path : route.path.FieldPaths()) {
    bound.insert(path.substr(0, path.find('.')));
    const FieldDescriptor* field = FindField(request, path);
    json parameter = {{"name", path}, {"in", "path"}, {"required", true}};
    parameter["schema"] = field ? schemas.ValueSchema(*field) : json{{"type", "string"}};
    parameters.push_back(parameter);
  }
  if (!route.body.empty() && route.body != "*") bound.insert(route.body);
  if (route.body != "*") {
    for (int i = 0; i < request->field_count(); ++i) {
      const FieldDescriptor& field = *request->field(i);
      if (bound.count(field.name()) || !IsQueryable(field)) continue;
      json parameter = {{"name", field.json_name()}, {"in", "query"}, {"required", false}};
      parameter["schema"] = schemas.FieldSchema(field);
      if (field.is_repeated()) {
        parameter["style"] = "form";
        parameter["explode"] = true;
      }
      parameters.push_back(parameter);
    }
  }
  if (!parameters.empty()) op["parameters"] = parameters;

  if (!route.body.empty()) {
    json body_schema;
    if (route.body == "*") {
      body_schema = schemas.MessageRef(*request);
    } else {
      const FieldDescriptor* field = request->FindFieldByName(route.body);
      body_schema = field ? schemas.FieldSchema(*field) : json::object();
    }
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", body_schema}}}}}};
  }

  json reply_schema;
  const Descriptor* response = route.method->output_type();
  if (route.response_body.empty()) {
    reply_schema = schemas.MessageRef(*response);
  } else {
    const FieldDescriptor* field = response->FindFieldByName(route.response_body);
    reply_schema = field ? schemas.FieldSchema(*field) : json::object();
  }
  json ok_content = {{"application/json", {{"schema", reply_schema}}}};
  if (AnswersRawBytes(route)) {
    ok_content = {{"*/*", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
  }
  op["responses"] = {
      {"200", {{"description", "OK"}, {"content", ok_content}}},
      {"default",
       {{"description", "An error (google.rpc.Status)"},
        {"content", {{"application/json", {{"schema", {{"$ref", Ref(kStatusSchema)}}}}}}}}}};
  return op;
}

}  // namespace

json BuildOpenApi(const std::vector<Route>& routes, bool token_routes) {
  SchemaBuilder schemas;
  json paths = json::object();
  for (const Route& route : routes) {
    std::string method = absl::AsciiStrToLower(route.http_method);
    paths[OpenApiPath(route.path.text())][method] = Operation(route, schemas);
  }
  if (token_routes) {
    const json oauth_error = {
        {"type", "object"},
        {"required", json::array({"error"})},
        {"properties",
         {{"error",
           {{"type", "string"},
            {"enum", json::array({"invalid_request", "invalid_client", "unsupported_grant_type",
                                  "temporarily_unavailable", "server_error"})}}},
          {"error_description", {{"type", "string"}}}}}};
    auto error_reply = [&](const char* description) {
      return json{{"description", description},
                  {"content", {{"application/json", {{"schema", oauth_error}}}}}};
    };
    paths["/v1/tokens"]["post"] = {
        {"operationId", "Tokens_Issue"},
        {"tags", json::array({"Tokens"})},
        {"summary",
         "OAuth 2.0 client credentials (RFC 6749 4.4): an API key for a short-lived RS256 token"},
        {"description",
         "client_id is the API key's id (the <keyId> of wk_<keyId>_...), client_secret the whole "
         "key, sent as HTTP Basic or as form fields. The token carries the key's principal and "
         "is verified with the key at /.well-known/jwks.json."},
        {"security", json::array({json::object(), {{"clientBasic", json::array()}}})},
        {"requestBody",
         {{"required", true},
          {"content",
           {{"application/x-www-form-urlencoded",
             {{"schema",
               {{"type", "object"},
                {"required", json::array({"grant_type"})},
                {"properties",
                 {{"grant_type",
                   {{"type", "string"}, {"enum", json::array({"client_credentials"})}}},
                  {"client_id", {{"type", "string"}}},
                  {"client_secret", {{"type", "string"}}}}}}}}}}}}},
        {"responses",
         {{"200",
           {{"description", "A token"},
            {"content",
             {{"application/json",
               {{"schema",
                 {{"type", "object"},
                  {"required", json::array({"access_token", "token_type", "expires_in"})},
                  {"properties",
                   {{"access_token", {{"type", "string"}}},
                    {"token_type", {{"type", "string"}, {"enum", json::array({"Bearer"})}}},
                    {"expires_in", {{"type", "integer"}}}}}}}}}}}}},
          {"400", error_reply("invalid_request or unsupported_grant_type")},
          {"401", error_reply("invalid_client (WWW-Authenticate: Basic)")},
          {"503", error_reply("temporarily_unavailable")}}}};
    paths["/.well-known/jwks.json"]["get"] = {
        {"operationId", "Tokens_Jwks"},
        {"tags", json::array({"Tokens"})},
        {"summary", "The public key (JWK Set, RFC 7517) the issued tokens are signed with"},
        {"security", json::array({json::object()})},
        {"responses",
         {{"200",
           {{"description", "The JWK Set"},
            {"content",
             {{"application/jwk-set+json",
               {{"schema",
                 {{"type", "object"},
                  {"properties",
                   {{"keys", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}}}}}}}}}};
  }
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "Wahana API"},
        {"version", "v1"},
        {"description",
         "Case management and social registry for district social offices. Generated from the "
         "services' proto descriptors; errors are google.rpc.Status objects."}}},
      {"paths", paths},
      {"components",
       {{"schemas", schemas.Schemas()},
        {"securitySchemes",
         {{"bearerAuth",
           {{"type", "http"},
            {"scheme", "bearer"},
            {"description", "An API key or a signed token (JWT)."}}},
          {"clientBasic",
           {{"type", "http"},
            {"scheme", "basic"},
            {"description", "An API key as OAuth client credentials (POST /v1/tokens)."}}}}}}},
      {"security", json::array({{{"bearerAuth", json::array()}}})},
  };
}

}  // namespace wahana
