#include "gateway/request_mapper.h"

#include <google/protobuf/util/json_util.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/status_macros.h"
#include "gateway/field_path.h"
#include "gateway/percent_encoding.h"

namespace wahana {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status BadValue(absl::string_view source, absl::string_view text, absl::string_view want) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ": \"", absl::CHexEscape(text), "\" is not ", want));
}

std::string CanonicalPath(const std::vector<const FieldDescriptor*>& chain) {
  return absl::StrJoin(chain, ".",
                       [](std::string* out, const FieldDescriptor* f) { out->append(f->name()); });
}

// `a` is `b` or one of them lies inside the other ("case" and "case.summary").
bool Overlaps(absl::string_view a, absl::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  return b == a || (absl::StartsWith(b, a) && b[a.size()] == '.');
}

bool IsWrapperType(const Descriptor* type) {
  static const std::set<std::string> kWrappers = {
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue",  "google.protobuf.Int64Value",
      "google.protobuf.UInt64Value", "google.protobuf.Int32Value",  "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue",   "google.protobuf.StringValue", "google.protobuf.BytesValue"};
  return kWrappers.count(type->full_name()) > 0;
}

bool IsJsonStringType(const Descriptor* type) {
  return type->full_name() == "google.protobuf.Timestamp" ||
         type->full_name() == "google.protobuf.Duration" ||
         type->full_name() == "google.protobuf.FieldMask";
}

template <typename T>
bool ParseInt(absl::string_view text, T* value) {
  // SimpleAtoi skips surrounding blanks; a parameter value must be the number alone.
  if (text.empty() || absl::ascii_isspace(static_cast<unsigned char>(text.front())) ||
      absl::ascii_isspace(static_cast<unsigned char>(text.back()))) {
    return false;
  }
  return absl::SimpleAtoi(text, value);
}

absl::Status SetScalar(Message& target, const FieldDescriptor* field, absl::string_view text,
                       absl::string_view source) {
  const Reflection* r = target.GetReflection();
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!ParseInt(text, &v)) return BadValue(source, text, "a 32-bit integer");
      repeated ? r->AddInt32(&target, field, v) : r->SetInt32(&target, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!ParseInt(text, &v)) return BadValue(source, text, "a 64-bit integer");
      repeated ? r->AddInt64(&target, field, v) : r->SetInt64(&target, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!ParseInt(text, &v)) return BadValue(source, text, "an unsigned 32-bit integer");
      repeated ? r->AddUInt32(&target, field, v) : r->SetUInt32(&target, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!ParseInt(text, &v)) return BadValue(source, text, "an unsigned 64-bit integer");
      repeated ? r->AddUInt64(&target, field, v) : r->SetUInt64(&target, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double v;
      if (!absl::SimpleAtod(text, &v)) return BadValue(source, text, "a number");
      repeated ? r->AddDouble(&target, field, v) : r->SetDouble(&target, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      float v;
      if (!absl::SimpleAtof(text, &v)) return BadValue(source, text, "a number");
      repeated ? r->AddFloat(&target, field, v) : r->SetFloat(&target, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (text == "true" || text == "1") {
        v = true;
      } else if (text == "false" || text == "0") {
        v = false;
      } else {
        return BadValue(source, text, "true or false");
      }
      repeated ? r->AddBool(&target, field, v) : r->SetBool(&target, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumValueDescriptor* value = field->enum_type()->FindValueByName(std::string(text));
      int number = 0;
      if (value != nullptr) {
        number = value->number();
      } else if (!ParseInt(text, &number) ||
                 (field->enum_type()->file()->syntax() ==
                      google::protobuf::FileDescriptor::SYNTAX_PROTO2 &&
                  field->enum_type()->FindValueByNumber(number) == nullptr)) {
        return BadValue(source, text, absl::StrCat("a ", field->enum_type()->full_name()));
      }
      repeated ? r->AddEnumValue(&target, field, number) : r->SetEnumValue(&target, field, number);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v;
      if (field->type() == FieldDescriptor::TYPE_BYTES) {
        if (!absl::Base64Unescape(text, &v) && !absl::WebSafeBase64Unescape(text, &v)) {
          return BadValue(source, text, "base64");
        }
      } else {
        if (!IsValidUtf8(text)) return BadValue(source, text, "UTF-8 text");
        v = std::string(text);
      }
      repeated ? r->AddString(&target, field, std::move(v))
               : r->SetString(&target, field, std::move(v));
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return absl::InternalError("SetScalar on a message field");
  }
  return absl::OkStatus();
}

// Well-known message types written as one value: wrappers by their value, Timestamp, Duration and
// FieldMask by their JSON string form ("2026-01-02T03:04:05Z", "1.5s", "a,b.c").
absl::Status SetWellKnown(Message& target, const FieldDescriptor* field, absl::string_view text,
                          absl::string_view source) {
  const Descriptor* type = field->message_type();
  if (!IsWrapperType(type) && !IsJsonStringType(type)) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": field \"", field->name(), "\" is a ", type->full_name(),
                     " message; set its fields one by one (\"", field->json_name(), ".<field>\")"));
  }
  const Reflection* r = target.GetReflection();
  Message* value =
      field->is_repeated() ? r->AddMessage(&target, field) : r->MutableMessage(&target, field);
  if (IsWrapperType(type)) return SetScalar(*value, type->FindFieldByNumber(1), text, source);
  if (!IsValidUtf8(text)) return BadValue(source, text, "UTF-8 text");
  std::string json = nlohmann::json(std::string(text)).dump();
  if (!google::protobuf::util::JsonStringToMessage(json, value).ok()) {
    return BadValue(source, text, absl::StrCat("a valid ", type->full_name()));
  }
  return absl::OkStatus();
}

absl::Status SetField(Message& message, const std::vector<const FieldDescriptor*>& chain,
                      absl::string_view text, absl::string_view source) {
  Message* target = &message;
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    target = target->GetReflection()->MutableMessage(target, chain[i]);
  }
  const FieldDescriptor* field = chain.back();
  if (field->is_map()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": map field \"", field->name(), "\" cannot be set from the URL"));
  }
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return SetWellKnown(*target, field, text, source);
  }
  return SetScalar(*target, field, text, source);
}

// Protobuf's JSON errors name the field but read oddly ("nope: Cannot find field.",
// "(message): invalid value 12 for type TYPE_STRING"); say the same in plain words.
std::string DescribeJsonError(absl::string_view message) {
  absl::string_view text = message;
  if (absl::ConsumeSuffix(&text, ": Cannot find field.")) {
    return absl::StrCat("unknown field \"", text, "\"");
  }
  if (absl::StartsWith(text, "(")) {
    size_t close = text.find("): ");
    if (close != absl::string_view::npos) {
      return absl::StrCat("wrong type for field \"", text.substr(1, close - 1),
                          "\": ", text.substr(close + 3));
    }
  }
  return std::string(text);
}

// Walks the JSON with nlohmann's SAX parser, keeping the path of member names, so that a syntax
// error or a number no double can hold ({"memberCount": 1e400}) is reported with the field it is
// in rather than thrown.
class SyntaxChecker : public nlohmann::json_sax<nlohmann::json> {
 public:
  absl::Status status() const { return status_; }

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override {
    path_.push_back("");
    return true;
  }
  bool key(string_t& name) override {
    path_.back() = name;
    return true;
  }
  bool end_object() override {
    path_.pop_back();
    return Value();
  }
  bool start_array(std::size_t) override {
    path_.push_back("[]");
    return true;
  }
  bool end_array() override {
    path_.pop_back();
    return Value();
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    absl::string_view what = error.what();
    size_t bracket = what.find("] ");
    if (bracket != absl::string_view::npos) what.remove_prefix(bracket + 2);
    std::string field = CurrentField();
    if (error.id == 406) {  // out_of_range.406: a number too large for a double
      status_ = absl::InvalidArgumentError(
          absl::StrCat(field.empty() ? "body" : field, ": number out of range (", what, ")"));
    } else {
      status_ = absl::InvalidArgumentError(absl::StrCat("malformed JSON body: ", what,
                                                        field.empty() ? "" : " (in \"", field,
                                                        field.empty() ? "" : "\")"));
    }
    return false;
  }

 private:
  bool Value() { return true; }
  std::string CurrentField() const {
    std::string field;
    for (const std::string& part : path_) {
      if (part == "[]") {
        field += "[]";
      } else if (!part.empty()) {
        absl::StrAppend(&field, field.empty() ? "" : ".", part);
      }
    }
    return field;
  }

  std::vector<std::string> path_;
  absl::Status status_;
};

absl::Status CheckJsonSyntax(absl::string_view json) {
  SyntaxChecker checker;
  if (nlohmann::json::sax_parse(json.begin(), json.end(), &checker)) return absl::OkStatus();
  if (!checker.status().ok()) return checker.status();
  return absl::InvalidArgumentError("malformed JSON body");
}

}  // namespace

absl::Status SetFieldFromText(Message& message, absl::string_view field_path,
                              absl::string_view text, absl::string_view source) {
  auto chain = ResolveFieldPath(message.GetDescriptor(), field_path);
  if (!chain.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", chain.status().message()));
  }
  return SetField(message, *chain, text, source);
}

absl::Status ApplyQueryString(absl::string_view query, absl::string_view body_field,
                              const std::vector<std::string>& path_fields, Message& message) {
  if (query.empty()) return absl::OkStatus();
  const Descriptor* type = message.GetDescriptor();
  std::vector<std::string> bound;  // canonical paths of the path variables
  for (const std::string& path : path_fields) {
    auto chain = ResolveFieldPath(type, path);
    if (chain.ok()) bound.push_back(CanonicalPath(*chain));
  }
  std::set<std::string> seen;
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    std::optional<std::string> name = PercentDecode(kv.first, /*plus_is_space=*/true);
    if (!name || !IsValidUtf8(*name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed query parameter name \"", absl::CHexEscape(kv.first), "\""));
    }
    std::string source = absl::StrCat("query parameter \"", *name, "\"");
    std::optional<std::string> value = PercentDecode(kv.second, /*plus_is_space=*/true);
    if (!value) return absl::InvalidArgumentError(absl::StrCat(source, ": malformed %-escape"));
    if (body_field == "*") {
      return absl::InvalidArgumentError(
          absl::StrCat(source, " not allowed: this method takes every field from the body"));
    }
    auto chain = ResolveFieldPath(type, *name);
    if (!chain.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown ", source, " (", chain.status().message(), ")"));
    }
    std::string canonical = CanonicalPath(*chain);
    if (!body_field.empty() && Overlaps(canonical, body_field)) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, " not allowed: \"", body_field, "\" comes from the body"));
    }
    for (const std::string& path : bound) {
      if (Overlaps(canonical, path)) {
        return absl::InvalidArgumentError(
            absl::StrCat(source, " not allowed: \"", path, "\" comes from the path"));
      }
    }
    if (!chain->back()->is_repeated() && !seen.insert(canonical).second) {
      return absl::InvalidArgumentError(absl::StrCat(source, " given more than once"));
    }
    WAHANA_RETURN_IF_ERROR(SetField(message, *chain, *value, source));
  }
  return absl::OkStatus();
}

absl::Status ApplyJsonBody(absl::string_view json, absl::string_view body_field, Message& message) {
  if (body_field.empty()) return absl::OkStatus();
  if (absl::StripAsciiWhitespace(json).empty()) return absl::OkStatus();
  // Protobuf's parser tolerates some invalid JSON (a trailing comma) and reports syntax errors
  // with a multi-line caret drawing: check the syntax strictly first, with line and column.
  WAHANA_RETURN_IF_ERROR(CheckJsonSyntax(json));
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const google::protobuf::StringPiece input(json.data(), json.size());
  google::protobuf::util::Status status;
  if (body_field == "*") {
    status = google::protobuf::util::JsonStringToMessage(input, &message, options);
  } else {
    const FieldDescriptor* field =
        message.GetDescriptor()->FindFieldByName(std::string(body_field));
    if (field == nullptr) {
      return absl::InternalError(absl::StrCat("body field \"", body_field, "\" not in ",
                                              message.GetDescriptor()->full_name()));
    }
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()) {
      status = google::protobuf::util::JsonStringToMessage(
          input, message.GetReflection()->MutableMessage(&message, field), options);
    } else {
      // A scalar or repeated body field: parse {"<field>": <body>} and merge it in.
      std::unique_ptr<Message> wrapper(message.New());
      std::string wrapped = absl::StrCat("{\"", field->json_name(), "\":", json, "}");
      status = google::protobuf::util::JsonStringToMessage(wrapped, wrapper.get(), options);
      if (status.ok()) message.MergeFrom(*wrapper);
    }
  }
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid JSON body: ", DescribeJsonError(std::string(status.message()))));
  }
  return absl::OkStatus();
}

absl::Status BuildRequestMessage(const Route& route, const std::vector<PathBinding>& bindings,
                                 absl::string_view query, absl::string_view body,
                                 Message& message) {
  WAHANA_RETURN_IF_ERROR(ApplyJsonBody(body, route.body, message));
  std::vector<std::string> path_fields;
  path_fields.reserve(bindings.size());
  for (const PathBinding& b : bindings) path_fields.push_back(b.field_path);
  WAHANA_RETURN_IF_ERROR(ApplyQueryString(query, route.body, path_fields, message));
  for (const PathBinding& b : bindings) {
    WAHANA_RETURN_IF_ERROR(SetFieldFromText(message, b.field_path, b.value,
                                            absl::StrCat("path variable \"", b.field_path, "\"")));
  }
  return absl::OkStatus();
}

}  // namespace wahana
