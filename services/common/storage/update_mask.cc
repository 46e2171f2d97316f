#include "common/storage/update_mask.h"

#include <algorithm>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/field_mask_util.h"

namespace wahana {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FieldMask;
using google::protobuf::Message;

const FieldDescriptor* FindField(const Descriptor* descriptor, absl::string_view name) {
  const FieldDescriptor* field = descriptor->FindFieldByName(std::string(name));
  if (field != nullptr) return field;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    if (descriptor->field(i)->json_name() == name) return descriptor->field(i);
  }
  return nullptr;
}

// The fields `path` walks, checked: INVALID_ARGUMENT naming the path as the client wrote it.
absl::StatusOr<std::vector<const FieldDescriptor*>> ResolvePath(
    const Descriptor* descriptor, const std::string& path,
    const std::vector<std::string>& server_set) {
  std::vector<const FieldDescriptor*> fields;
  std::vector<absl::string_view> segments = absl::StrSplit(path, '.');
  for (size_t i = 0; i < segments.size(); ++i) {
    const FieldDescriptor* field =
        segments[i].empty() ? nullptr : FindField(descriptor, segments[i]);
    if (field == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("updateMask: unknown field \"", path, "\""));
    }
    if (i == 0 &&
        std::find(server_set.begin(), server_set.end(), field->name()) != server_set.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("updateMask: \"", path, "\" is set by the server"));
    }
    fields.push_back(field);
    if (i + 1 == segments.size()) break;
    if (field->is_repeated()) {
      return absl::InvalidArgumentError(
          absl::StrCat("updateMask: \"", path, "\" goes through a repeated field"));
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      return absl::InvalidArgumentError(absl::StrCat("updateMask: unknown field \"", path, "\""));
    }
    descriptor = field->message_type();
  }
  return fields;
}

bool IsSet(const Message& message, const FieldDescriptor* field) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  return field->is_repeated() ? reflection->FieldSize(message, field) > 0
                              : reflection->HasField(message, field);
}

// Replaces the field at the end of `path` in `record` by `patch`'s.
void Replace(const Message& patch, const std::vector<const FieldDescriptor*>& path,
             Message* record) {
  // Clear it, without creating the messages on the way when they are absent (then it is clear).
  Message* target = record;
  for (size_t i = 0; i + 1 < path.size() && target != nullptr; ++i) {
    target = IsSet(*target, path[i]) ? target->GetReflection()->MutableMessage(target, path[i])
                                     : nullptr;
  }
  if (target != nullptr) target->GetReflection()->ClearField(target, path.back());

  // Copy it when the patch sets it: merging into a cleared field is copying.
  const Message* source = &patch;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    if (!IsSet(*source, path[i])) return;
    source = &source->GetReflection()->GetMessage(*source, path[i]);
  }
  if (!IsSet(*source, path.back())) return;
  std::vector<std::string> names;
  for (const FieldDescriptor* field : path) names.push_back(field->name());
  FieldMask one;
  one.add_paths(absl::StrJoin(names, "."));
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(
      patch, one, google::protobuf::util::FieldMaskUtil::MergeOptions(), record);
}

}  // namespace

const std::vector<std::string>& DefaultServerSetFields() {
  static const std::vector<std::string> kFields = {"id", "etag", "create_time", "update_time",
                                                   "archive_time"};
  return kFields;
}

absl::Status ApplyUpdateMask(const Message& patch, const FieldMask& mask,
                             const std::vector<std::string>& server_set, Message* record) {
  const Descriptor* descriptor = record->GetDescriptor();
  if (patch.GetDescriptor() != descriptor) {
    return absl::InternalError(absl::StrCat("update mask: a ", patch.GetDescriptor()->full_name(),
                                            " cannot patch a ", descriptor->full_name()));
  }
  auto server_sets = [&](const FieldDescriptor* field) {
    return std::find(server_set.begin(), server_set.end(), field->name()) != server_set.end();
  };

  std::vector<std::vector<const FieldDescriptor*>> paths;
  if (mask.paths_size() == 1 && mask.paths(0) == "*") {
    for (int i = 0; i < descriptor->field_count(); ++i) {
      if (!server_sets(descriptor->field(i))) paths.push_back({descriptor->field(i)});
    }
  } else if (mask.paths_size() == 0) {
    std::vector<const FieldDescriptor*> set;
    patch.GetReflection()->ListFields(patch, &set);
    for (const FieldDescriptor* field : set) {
      if (!server_sets(field)) paths.push_back({field});
    }
  } else {
    for (const std::string& path : mask.paths()) {
      auto fields = ResolvePath(descriptor, path, server_set);
      if (!fields.ok()) return fields.status();
      paths.push_back(*std::move(fields));
    }
  }
  for (const auto& path : paths) Replace(patch, path, record);
  return absl::OkStatus();
}

}  // namespace wahana
