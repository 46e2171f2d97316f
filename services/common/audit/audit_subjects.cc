#include "common/audit/audit_subjects.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace wahana {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Request fields that hold a personal identifier: never copied into the trail.
bool IsPersonalIdentifier(const std::string& field) {
  return field == "nik" || field == "kk" || field == "kk_number" || field == "family_card_number";
}

std::string StringField(const Message& message, const char* name) {
  const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(name);
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return message.GetReflection()->GetString(message, field);
}

bool IsRecord(const AuditedCollection& audited, const Message& message) {
  return message.GetDescriptor()->full_name() == audited.record_type;
}

bool IsRecordField(const AuditedCollection& audited, const FieldDescriptor* field) {
  return field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         field->message_type()->full_name() == audited.record_type;
}

std::string RecordName(const AuditedCollection& audited, const std::string& id) {
  return absl::StrCat(audited.collection, "/", id);
}

// A single record the call named or answered with: sets the subject when none is set yet (or
// only a filter is), and the region.
void NameRecord(const AuditedCollection& audited, const Message& record, AuditSubjects* subjects) {
  const std::string id = StringField(record, "id");
  if (!id.empty() &&
      (subjects->subject.empty() || subjects->subject.find('/') == std::string::npos)) {
    subjects->subject = RecordName(audited, id);
  }
  const std::string region = StringField(record, "village_code");
  if (!region.empty()) subjects->record_region = region;
}

// "cases?region=16.06.01&status=INTAKE": the request's set scalar fields but paging.
std::string Filter(const AuditedCollection& audited, const Message& request) {
  std::vector<const FieldDescriptor*> fields;
  request.GetReflection()->ListFields(request, &fields);
  std::vector<std::string> terms;
  for (const FieldDescriptor* field : fields) {
    if (field->is_repeated() || field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) continue;
    // Bytes (a signed payload, its signature) are no filter, and not text.
    if (field->type() == FieldDescriptor::TYPE_BYTES) continue;
    const std::string& name = field->name();
    if (name == "page_size" || name == "page_token") continue;
    const auto* reflection = request.GetReflection();
    std::string value;
    if (IsPersonalIdentifier(name)) {
      value = "<redacted>";
    } else {
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING:
          value = reflection->GetString(request, field);
          break;
        case FieldDescriptor::CPPTYPE_ENUM:
          value = reflection->GetEnum(request, field)->name();
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          value = reflection->GetBool(request, field) ? "true" : "false";
          break;
        case FieldDescriptor::CPPTYPE_INT32:
          value = std::to_string(reflection->GetInt32(request, field));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          value = std::to_string(reflection->GetInt64(request, field));
          break;
        default:
          value = "?";
      }
    }
    terms.push_back(absl::StrCat(name, "=", value));
  }
  if (terms.empty()) return audited.collection;
  return absl::StrCat(audited.collection, "?", absl::StrJoin(terms, "&"));
}

}  // namespace

std::vector<std::string> AuditSubjects::All() const {
  std::vector<std::string> all;
  if (!subject.empty()) all.push_back(subject);
  all.insert(all.end(), returned.begin(), returned.end());
  return all;
}

void AddRequestSubjects(const AuditedCollection& audited, const Message& request,
                        AuditSubjects* subjects) {
  const std::string id = StringField(request, "id");
  if (!id.empty()) subjects->subject = RecordName(audited, id);
  const auto* descriptor = request.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (!IsRecordField(audited, field) || field->is_repeated()) continue;
    if (!request.GetReflection()->HasField(request, field)) continue;
    NameRecord(audited, request.GetReflection()->GetMessage(request, field), subjects);
  }
  if (subjects->subject.empty()) subjects->subject = Filter(audited, request);
}

void AddResponseSubjects(const AuditedCollection& audited, const Message& response,
                         AuditSubjects* subjects) {
  if (IsRecord(audited, response)) return NameRecord(audited, response, subjects);
  const auto* descriptor = response.GetDescriptor();
  const auto* reflection = response.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (!IsRecordField(audited, field)) continue;
    if (!field->is_repeated()) {
      if (reflection->HasField(response, field)) {
        NameRecord(audited, reflection->GetMessage(response, field), subjects);
      }
      continue;
    }
    for (int j = 0; j < reflection->FieldSize(response, field); ++j) {
      const Message& record = reflection->GetRepeatedMessage(response, field, j);
      const std::string id = StringField(record, "id");
      if (id.empty()) continue;
      subjects->returned.push_back(RecordName(audited, id));
      subjects->returned_regions.push_back(StringField(record, "village_code"));
    }
  }
}

}  // namespace wahana
