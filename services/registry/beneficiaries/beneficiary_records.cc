#include "registry/beneficiaries/beneficiary_records.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/bus/envelope.h"
#include "common/privacy/masking.h"
#include "common/storage/record_requests.h"
#include "common/storage/record_store.h"

namespace wahana::registry {

using google::protobuf::FieldDescriptor;
using google::protobuf::util::MessageDifferencer;
using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::BeneficiaryChanged;
using wahana::registry::v1::ReviewFlag;

const std::vector<std::string>& BeneficiaryServerSetFields() {
  static const std::vector<std::string> kFields = {
      "id", "etag", "review_flags", "archived", "create_time", "update_time", "archive_time"};
  return kFields;
}

Beneficiary ClientFields(const Beneficiary& b) {
  Beneficiary out = b;
  out.clear_id();
  out.clear_etag();
  out.clear_review_flags();
  out.clear_archived();
  out.clear_create_time();
  out.clear_update_time();
  out.clear_archive_time();
  return out;
}

bool SameContent(const Beneficiary& a, const Beneficiary& b) {
  return MessageDifferencer::Equals(ClientFields(a), ClientFields(b));
}

std::vector<std::string> ChangedFields(const Beneficiary& before, const Beneficiary& after) {
  const auto& server_set = BeneficiaryServerSetFields();
  std::vector<std::string> changed;
  const google::protobuf::Descriptor* descriptor = Beneficiary::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (std::find(server_set.begin(), server_set.end(), field->name()) != server_set.end()) {
      continue;
    }
    MessageDifferencer differencer;
    if (!differencer.CompareWithFields(before, after, {field}, {field})) {
      changed.push_back(field->json_name());
    }
  }
  return changed;
}

Beneficiary MaskedForList(Beneficiary b) {
  b.set_nik(MaskIdentityNumber(b.nik()));
  b.set_kk_number(MaskIdentityNumber(b.kk_number()));
  b.clear_disability();
  b.clear_guardian();
  return b;
}

Beneficiary MaskedPersonalData(Beneficiary b) {
  b = MaskedForList(std::move(b));
  b.set_birth_date(MaskBirthDate(b.birth_date()));
  for (ReviewFlag& flag : *b.mutable_review_flags()) {
    flag.set_message(MaskedFindingMessage(flag.code(), flag.message()));
  }
  return b;
}

Beneficiary ListedAs(bool sees_personal_data, Beneficiary b) {
  if (sees_personal_data) return MaskedForList(std::move(b));
  return MaskedPersonalData(std::move(b));
}

ReviewFlag PossibleDuplicateFlag(const std::vector<Beneficiary>& others) {
  std::vector<std::string> ids;
  for (const Beneficiary& o : others) ids.push_back(o.id());
  ReviewFlag flag;
  flag.set_code("POSSIBLE_DUPLICATE");
  flag.set_field("fullName");
  flag.set_message(
      absl::StrCat("same name, birth date and village as beneficiary ", absl::StrJoin(ids, ", ")));
  return flag;
}

wahana::common::v1::Envelope BeneficiaryMessage(
    const std::string& origin_region, const Beneficiary& record, const std::string& action,
    const std::vector<std::string>& changed_fields, const std::string& reason,
    const google::protobuf::RepeatedField<int>& categories_before) {
  BeneficiaryChanged payload;
  *payload.mutable_beneficiary() = record;
  payload.set_action(action);
  for (const std::string& f : changed_fields) payload.add_changed_fields(f);
  payload.set_reason(reason);
  for (int c : categories_before) {
    payload.add_ppks_categories_before(static_cast<wahana::common::v1::PpksCategory>(c));
  }
  const int64_t version = VersionOfEtag(record.etag()).value_or(0);
  return MakeEnvelope(payload,
                      ChangedFacts(origin_region, record.id(), version, record.village_code()));
}

}  // namespace wahana::registry
