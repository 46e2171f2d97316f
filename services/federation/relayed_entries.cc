#include "federation/relayed_entries.h"

#include <utility>

#include "common/bus/envelope.h"
#include "common/federation/aggregate_outbox.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {
namespace {

using wahana::federation::v1::FederationMessage;

std::string FieldOf(const std::vector<std::string>& fields, absl::string_view name) {
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i] == name) return fields[i + 1];
  }
  return "";
}

// The CaseChanged message of a case stream's entry, or nullopt for another message.
absl::StatusOr<std::optional<wahana::cases::v1::CaseChanged>> CaseChangedOf(
    const std::vector<std::string>& fields) {
  absl::StatusOr<wahana::common::v1::Envelope> envelope = ParseEntryFields(fields);
  if (!envelope.ok()) return envelope.status();
  wahana::cases::v1::CaseChanged changed;
  if (envelope->type() != wahana::cases::v1::CaseChanged::descriptor()->full_name() ||
      !envelope->payload().UnpackTo(&changed)) {
    return std::nullopt;
  }
  return changed;
}

}  // namespace

EntryReader AggregateEntries() {
  return [](const std::vector<std::string>& fields)
             -> absl::StatusOr<std::optional<FederationMessage>> {
    if (FieldOf(fields, kOutboxTypeField) != kOutboxAggregatesType) {
      return absl::InvalidArgumentError("not an aggregates entry");
    }
    absl::StatusOr<wahana::federation::v1::AggregateChange> change =
        ParseAggregateOutboxJson(FieldOf(fields, kOutboxMovesField));
    if (!change.ok()) return change.status();
    FederationMessage message;
    *message.mutable_aggregates() = *std::move(change);
    return message;
  };
}

EntryReader ProvinceReferralEntries() {
  return [](const std::vector<std::string>& fields)
             -> absl::StatusOr<std::optional<FederationMessage>> {
    absl::StatusOr<std::optional<wahana::cases::v1::CaseChanged>> read = CaseChangedOf(fields);
    if (!read.ok()) return read.status();
    if (!read->has_value()) return std::nullopt;  // another message of the case stream
    const wahana::cases::v1::CaseChanged& changed = **read;
    const wahana::cases::v1::CaseAction& action = changed.action();
    const wahana::cases::v1::Case& c = changed.case_();
    if (action.type() != wahana::cases::v1::ACTION_REFER) return std::nullopt;
    // The referral as the case keeps it (the action may carry only its number).
    const wahana::cases::v1::Referral* made = &action.referral();
    for (const wahana::cases::v1::Referral& kept : c.referrals()) {
      if (kept.number() == action.referral().number()) made = &kept;
    }
    if (made->target() != wahana::cases::v1::REFERRAL_PROVINCE) return std::nullopt;
    FederationMessage message;
    wahana::federation::v1::ProvinceReferral* referral = message.mutable_referral();
    referral->set_case_id(c.id());
    referral->set_case_number(c.number());
    referral->set_referral_number(made->number());
    referral->set_reason(made->reason());
    referral->set_category(c.category());
    referral->set_kind(c.kind());
    referral->set_village_code(c.village_code());
    referral->set_summary(c.summary());
    referral->set_urgency(c.urgency());
    referral->set_due_date(made->due_date());
    return message;
  };
}

EntryReader ReferralAnswerEntries(std::string district) {
  return [district = std::move(district)](const std::vector<std::string>& fields)
             -> absl::StatusOr<std::optional<FederationMessage>> {
    absl::StatusOr<std::optional<wahana::cases::v1::CaseChanged>> read = CaseChangedOf(fields);
    if (!read.ok()) return read.status();
    if (!read->has_value()) return std::nullopt;
    const wahana::cases::v1::CaseAction& action = (*read)->action();
    const wahana::cases::v1::Case& c = (*read)->case_();
    if (action.type() != wahana::cases::v1::ACTION_ANSWER_REFERRAL ||
        c.referred_from().region() != district) {
      return std::nullopt;
    }
    FederationMessage message;
    wahana::federation::v1::ReferralAnswer* answer = message.mutable_referral_answer();
    answer->set_region(district);
    answer->set_case_id(c.referred_from().case_id());
    answer->set_referral_number(c.referred_from().referral_number());
    answer->set_status(action.referral().status());
    answer->set_answer(action.referral().answer());
    answer->set_reason(action.reason());
    answer->set_province_case_id(c.id());
    answer->set_province_case_number(c.number());
    return message;
  };
}

}  // namespace wahana
