#include "gateway/field_path.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace wahana {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

const FieldDescriptor* FindFieldByAnyName(const Descriptor* type, absl::string_view name) {
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->name() == name || field->json_name() == name) return field;
  }
  return nullptr;
}

absl::StatusOr<std::vector<const FieldDescriptor*>> ResolveFieldPath(const Descriptor* type,
                                                                     absl::string_view path) {
  std::vector<const FieldDescriptor*> chain;
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field = FindFieldByAnyName(type, parts[i]);
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("no field \"", parts[i], "\" in ", type->full_name()));
    }
    chain.push_back(field);
    if (i + 1 < parts.size()) {
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_repeated()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "field \"", field->name(), "\" of ", type->full_name(),
            " is not a singular message: cannot address \"", parts[i + 1], "\" inside it"));
      }
      type = field->message_type();
    }
  }
  return chain;
}

}  // namespace wahana
