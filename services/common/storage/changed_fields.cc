#include "common/storage/changed_fields.h"

#include <algorithm>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"

namespace wahana {

std::vector<std::string> ChangedFieldNames(const google::protobuf::Message& before,
                                           const google::protobuf::Message& after) {
  std::vector<std::string> names;
  const google::protobuf::Descriptor* descriptor = before.GetDescriptor();
  if (after.GetDescriptor() != descriptor) return names;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->name() == "etag" || field->name() == "update_time") continue;
    std::vector<const google::protobuf::FieldDescriptor*> one = {field};
    google::protobuf::util::MessageDifferencer differencer;
    if (!differencer.CompareWithFields(before, after, one, one)) {
      names.push_back(field->json_name());
    }
  }
  return names;
}

std::vector<std::string> SortedChangedFieldNames(const google::protobuf::Message& before,
                                                 const google::protobuf::Message& after) {
  std::vector<std::string> names = ChangedFieldNames(before, after);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace wahana
