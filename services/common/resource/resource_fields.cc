#include "common/resource/resource_fields.h"

#include <google/protobuf/util/message_differencer.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsSet(const Message& message, const FieldDescriptor* field) {
  const Reflection* reflection = message.GetReflection();
  if (field->is_repeated()) return reflection->FieldSize(message, field) > 0;
  return reflection->HasField(message, field);
}

// `message` with every field but `field` cleared.
std::unique_ptr<Message> OnlyField(const Message& message, const FieldDescriptor* field) {
  std::unique_ptr<Message> copy(message.New());
  copy->CopyFrom(message);
  std::vector<const FieldDescriptor*> fields;
  copy->GetReflection()->ListFields(*copy, &fields);
  for (const FieldDescriptor* other : fields) {
    if (other != field) copy->GetReflection()->ClearField(copy.get(), other);
  }
  return copy;
}

}  // namespace

void ClearFields(const std::vector<std::string>& fields, Message* record) {
  const Descriptor* descriptor = record->GetDescriptor();
  for (const std::string& name : fields) {
    const FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field != nullptr) record->GetReflection()->ClearField(record, field);
  }
}

absl::Status CheckKeptFields(const Message& patch, const Message& current,
                             const std::vector<KeptField>& kept) {
  const Descriptor* descriptor = patch.GetDescriptor();
  for (const KeptField& entry : kept) {
    const FieldDescriptor* field = descriptor->FindFieldByName(entry.name);
    if (field == nullptr || !IsSet(patch, field)) continue;
    if (google::protobuf::util::MessageDifferencer::Equals(*OnlyField(patch, field),
                                                           *OnlyField(current, field))) {
      continue;
    }
    return absl::InvalidArgumentError(absl::StrCat(field->json_name(), ": ", entry.why));
  }
  return absl::OkStatus();
}

absl::Status FillChangeMessage(const Message& record, const std::string& action,
                               const std::vector<std::string>& changed_fields,
                               const std::string& reason, Message* message) {
  const Descriptor* descriptor = message->GetDescriptor();
  const Reflection* reflection = message->GetReflection();
  const FieldDescriptor* record_field = nullptr;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (!field->is_repeated() && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        field->message_type() == record.GetDescriptor()) {
      record_field = field;
      break;
    }
  }
  if (record_field == nullptr) {
    return absl::InternalError(absl::StrCat(descriptor->full_name(), " has no field of type ",
                                            record.GetDescriptor()->full_name()));
  }
  reflection->MutableMessage(message, record_field)->CopyFrom(record);
  if (const FieldDescriptor* f = descriptor->FindFieldByName("action")) {
    reflection->SetString(message, f, action);
  }
  if (const FieldDescriptor* f = descriptor->FindFieldByName("changed_fields")) {
    reflection->ClearField(message, f);
    for (const std::string& name : changed_fields) reflection->AddString(message, f, name);
  }
  if (const FieldDescriptor* f = descriptor->FindFieldByName("reason")) {
    reflection->SetString(message, f, reason);
  }
  return absl::OkStatus();
}

std::string WithArticle(const std::string& kind) {
  const bool vowel = !kind.empty() && std::string("aeiou").find(kind.front()) != std::string::npos;
  return absl::StrCat(vowel ? "an " : "a ", kind);
}

}  // namespace wahana
