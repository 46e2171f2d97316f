#pragma once
// Tests only: a descriptor pool holding wahana.gwtest.v1.ThingService, whose methods use the
// google.api.http features the real protos do not (yet): verbs, patch/delete/custom rules,
// additional_bindings, `{field=pattern}` variables, nested and repeated fields, enums, wrappers.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/text_format.h>

#include <cstdlib>
#include <memory>

#include "google/api/annotations.pb.h"  // registers the google.api.http extension for TextFormat

namespace wahana::testing {

inline constexpr char kThingFile[] = R"pb(
  name: "wahana/gwtest/v1/thing.proto"
  package: "wahana.gwtest.v1"
  syntax: "proto3"
  dependency: "google/protobuf/timestamp.proto"
  dependency: "google/protobuf/wrappers.proto"
  enum_type {
    name: "Color"
    value { name: "COLOR_UNSPECIFIED" number: 0 }
    value { name: "RED" number: 1 }
    value { name: "GREEN" number: 2 }
  }
  message_type {
    name: "Inner"
    field {
      name: "region_code"
      json_name: "regionCode"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_STRING
    }
    field { name: "count" json_name: "count" number: 2 label: LABEL_OPTIONAL type: TYPE_INT64 }
  }
  message_type {
    name: "Thing"
    field { name: "id" json_name: "id" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
    field {
      name: "page_size"
      json_name: "pageSize"
      number: 2
      label: LABEL_OPTIONAL
      type: TYPE_INT32
    }
    field { name: "tags" json_name: "tags" number: 3 label: LABEL_REPEATED type: TYPE_STRING }
    field { name: "numbers" json_name: "numbers" number: 4 label: LABEL_REPEATED type: TYPE_INT32 }
    field {
      name: "color"
      json_name: "color"
      number: 5
      label: LABEL_OPTIONAL
      type: TYPE_ENUM
      type_name: ".wahana.gwtest.v1.Color"
    }
    field {
      name: "inner"
      json_name: "inner"
      number: 6
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".wahana.gwtest.v1.Inner"
    }
    field {
      name: "when"
      json_name: "when"
      number: 7
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".google.protobuf.Timestamp"
    }
    field {
      name: "limit"
      json_name: "limit"
      number: 8
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".google.protobuf.Int32Value"
    }
    field { name: "flag" json_name: "flag" number: 9 label: LABEL_OPTIONAL type: TYPE_BOOL }
    field { name: "ratio" json_name: "ratio" number: 10 label: LABEL_OPTIONAL type: TYPE_DOUBLE }
    field { name: "blob" json_name: "blob" number: 11 label: LABEL_OPTIONAL type: TYPE_BYTES }
    field { name: "small" json_name: "small" number: 12 label: LABEL_OPTIONAL type: TYPE_UINT32 }
    field {
      name: "colors"
      json_name: "colors"
      number: 13
      label: LABEL_REPEATED
      type: TYPE_ENUM
      type_name: ".wahana.gwtest.v1.Color"
    }
    field { name: "big" json_name: "big" number: 14 label: LABEL_OPTIONAL type: TYPE_INT64 }
  }
  service {
    name: "ThingService"
    method {
      name: "GetThing"
      input_type: ".wahana.gwtest.v1.Thing"
      output_type: ".wahana.gwtest.v1.Thing"
      options {
        [google.api.http] {
          get: "/v1/things/{id}"
          additional_bindings { get: "/v1/inner/{inner.region_code}/things/{id}" }
        }
      }
    }
    method {
      name: "AssignThing"
      input_type: ".wahana.gwtest.v1.Thing"
      output_type: ".wahana.gwtest.v1.Thing"
      options {
        [google.api.http] { post: "/v1/things/{id}:assign" body: "*" }
      }
    }
    method {
      name: "UpdateThing"
      input_type: ".wahana.gwtest.v1.Thing"
      output_type: ".wahana.gwtest.v1.Thing"
      options {
        [google.api.http] { patch: "/v1/things/{id}" body: "inner" }
      }
    }
    method {
      name: "DeleteThing"
      input_type: ".wahana.gwtest.v1.Thing"
      output_type: ".wahana.gwtest.v1.Thing"
      options {
        [google.api.http] { delete: "/v1/things/{id}" }
      }
    }
    method {
      name: "LookupThing"
      input_type: ".wahana.gwtest.v1.Thing"
      output_type: ".wahana.gwtest.v1.Thing"
      options {
        [google.api.http] { get: "/v1/things:lookup" }
      }
    }
    method {
      name: "ListThings"
      input_type: ".wahana.gwtest.v1.Thing"
      output_type: ".wahana.gwtest.v1.Thing"
      options {
        [google.api.http] { get: "/v1/things" }
      }
    }
    method {
      name: "HeadThing"
      input_type: ".wahana.gwtest.v1.Thing"
      output_type: ".wahana.gwtest.v1.Thing"
      options {
        [google.api.http] { custom { kind: "HEAD" path: "/v1/things/{id}" } }
      }
    }
    method {
      name: "GetBook"
      input_type: ".wahana.gwtest.v1.Thing"
      output_type: ".wahana.gwtest.v1.Thing"
      options {
        [google.api.http] { get: "/v1/{id=shelves/*/books/*}" }
      }
    }
    method {
      name: "SetTags"
      input_type: ".wahana.gwtest.v1.Thing"
      output_type: ".wahana.gwtest.v1.Thing"
      options {
        [google.api.http] { put: "/v1/things/{id}/tags" body: "tags" }
      }
    }
  }
)pb";

// The pool (dependencies copied from the generated pool), built once and never freed.
inline const google::protobuf::DescriptorPool& ThingPool() {
  static const google::protobuf::DescriptorPool* pool = [] {
    auto* p = new google::protobuf::DescriptorPool();
    const google::protobuf::DescriptorPool* generated =
        google::protobuf::DescriptorPool::generated_pool();
    for (const char* dependency :
         {"google/protobuf/timestamp.proto", "google/protobuf/wrappers.proto"}) {
      google::protobuf::FileDescriptorProto copy;
      generated->FindFileByName(dependency)->CopyTo(&copy);
      if (p->BuildFile(copy) == nullptr) std::abort();
    }
    google::protobuf::FileDescriptorProto file;
    if (!google::protobuf::TextFormat::ParseFromString(kThingFile, &file) ||
        p->BuildFile(file) == nullptr) {
      std::abort();
    }
    return p;
  }();
  return *pool;
}

// A new, empty wahana.gwtest.v1.Thing.
inline std::unique_ptr<google::protobuf::Message> NewThing() {
  static google::protobuf::DynamicMessageFactory* factory =
      new google::protobuf::DynamicMessageFactory(&ThingPool());
  return std::unique_ptr<google::protobuf::Message>(
      factory->GetPrototype(ThingPool().FindMessageTypeByName("wahana.gwtest.v1.Thing"))->New());
}

}  // namespace wahana::testing
