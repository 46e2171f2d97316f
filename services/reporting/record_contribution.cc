#include "reporting/record_contribution.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

constexpr CountedSubject kSubjects[] = {CountedSubject::kBeneficiary, CountedSubject::kInstitution,
                                        CountedSubject::kNetwork,     CountedSubject::kWorker,
                                        CountedSubject::kEvent,       CountedSubject::kParticipant,
                                        CountedSubject::kCase};

absl::Status Corrupt(absl::string_view json, absl::string_view why) {
  return absl::InternalError(absl::StrCat("stored contribution ", json, ": ", why));
}

// {"field": count} of `object`, or nullopt when it is not such an object.
std::optional<std::map<std::string, int64_t>> CountsOf(const nlohmann::json& object) {
  if (!object.is_object()) return std::nullopt;
  std::map<std::string, int64_t> counts;
  for (const auto& [field, count] : object.items()) {
    if (!count.is_number_integer()) return std::nullopt;
    counts[field] = count.get<int64_t>();
  }
  return counts;
}

}  // namespace

std::vector<CountedSubject> CelledSubjects() {
  return {CountedSubject::kBeneficiary, CountedSubject::kInstitution, CountedSubject::kNetwork,
          CountedSubject::kWorker,      CountedSubject::kEvent,       CountedSubject::kParticipant,
          CountedSubject::kCase};
}

absl::string_view CountedSubjectName(CountedSubject subject) {
  switch (subject) {
    case CountedSubject::kBeneficiary:
      return "beneficiary";
    case CountedSubject::kInstitution:
      return "institution";
    case CountedSubject::kNetwork:
      return "network";
    case CountedSubject::kWorker:
      return "worker";
    case CountedSubject::kEvent:
      return "event";
    case CountedSubject::kParticipant:
      return "participant";
    case CountedSubject::kCase:
      return "casework";
  }
  return "unknown";
}

std::string ParentText(const ParentRecord& parent) {
  return absl::StrCat(CountedSubjectName(parent.subject), ":", parent.id);
}

absl::StatusOr<ParentRecord> ParseParentText(absl::string_view text) {
  const size_t colon = text.find(':');
  if (colon != absl::string_view::npos && colon + 1 < text.size()) {
    for (CountedSubject subject : kSubjects) {
      if (CountedSubjectName(subject) == text.substr(0, colon)) {
        return ParentRecord{subject, std::string(text.substr(colon + 1))};
      }
    }
  }
  return absl::InternalError(absl::StrCat("\"", text, "\" names no counted record"));
}

std::string ContributionJson(int64_t version, const Contribution& contribution) {
  // Empty objects are written as {} (cjson would read [] back as a table too, but keep one form).
  nlohmann::json json = {{"v", version},
                         {"r", contribution.region},
                         {"m", contribution.month},
                         {"f", nlohmann::json::object()}};
  for (const auto& [field, count] : contribution.fields) json["f"][field] = count;
  if (contribution.parent.has_value()) {
    json["p"] = ParentText(*contribution.parent);
    json["pf"] = nlohmann::json::object();
    for (const auto& [field, count] : contribution.parent_fields) json["pf"][field] = count;
  }
  return json.dump();
}

absl::StatusOr<std::pair<int64_t, Contribution>> ParseContributionJson(absl::string_view text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return Corrupt(text, "not a JSON object");
  if (!json.contains("v") || !json["v"].is_number_integer()) return Corrupt(text, "no version");
  Contribution contribution;
  if (json.contains("r") && json["r"].is_string()) contribution.region = json["r"];
  if (json.contains("m") && json["m"].is_string()) contribution.month = json["m"];
  if (json.contains("f")) {
    auto fields = CountsOf(json["f"]);
    if (!fields.has_value()) return Corrupt(text, "fields are not counts");
    contribution.fields = std::move(*fields);
  }
  if (json.contains("p")) {
    if (!json["p"].is_string()) return Corrupt(text, "parent is not a text");
    auto parent = ParseParentText(json["p"].get<std::string>());
    if (!parent.ok()) return Corrupt(text, parent.status().message());
    contribution.parent = std::move(*parent);
    if (json.contains("pf")) {
      auto parent_fields = CountsOf(json["pf"]);
      if (!parent_fields.has_value()) return Corrupt(text, "parent fields are not counts");
      contribution.parent_fields = std::move(*parent_fields);
    }
  }
  return std::make_pair(json["v"].get<int64_t>(), std::move(contribution));
}

}  // namespace wahana
