#include "common/storage/record_requests.h"

#include "absl/strings/str_cat.h"
#include "common/ids/time_ordered_id.h"
#include "common/storage/lex_index.h"

namespace wahana {

absl::Status CheckRequestId(const std::string& request_id) {
  if (request_id.size() > kMaxRequestIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("requestId: at most ", kMaxRequestIdBytes, " bytes"));
  }
  return absl::OkStatus();
}

std::string CallersRequestKey(const Principal& caller, const std::string& request_id) {
  if (request_id.empty()) return "";
  // Digested: a subject is any string a token carried; the key stays short and printable.
  return absl::StrCat(DigestIndexValue(caller.subject), ":", request_id);
}

absl::Status CheckRecordId(const std::string& id, absl::string_view a_kind,
                           absl::string_view field) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (TimeOfId(id) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", id, "\" is not ", a_kind, " id (26 characters, 0-9 A-Z)"));
  }
  return absl::OkStatus();
}

MessageFacts CreatedFacts(const std::string& origin_region, const std::string& id,
                          const std::string& region_code) {
  MessageFacts facts;
  facts.origin_region = origin_region;
  facts.aggregate_id = id;
  facts.aggregate_version = kFirstVersion;
  facts.region_code = region_code;
  return facts;
}

MessageFacts ChangedFacts(const std::string& origin_region, const std::string& id, int64_t version,
                          const std::string& region_code) {
  MessageFacts facts = CreatedFacts(origin_region, id, region_code);
  facts.aggregate_version = version;
  return facts;
}

absl::Status StaleEtagError(absl::string_view kind, const std::string& id,
                            const std::string& expected, const std::string& current) {
  return absl::AbortedError(absl::StrCat("etag: stale (\"", expected, "\"), ", kind, " ", id,
                                         " is at \"", current, "\""));
}

absl::Status CheckEtag(const std::string& requested, const std::string& current_etag,
                       absl::string_view kind, const std::string& id) {
  if (requested.empty() || requested == current_etag) return absl::OkStatus();
  return StaleEtagError(kind, id, requested, current_etag);
}

absl::Status RequireEtag(const std::string& requested, absl::string_view kind) {
  if (!requested.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("etag: required (the etag of the ", kind, " as read)"));
}

absl::StatusOr<std::string> NextEtag(const std::string& etag) {
  std::optional<int64_t> version = VersionOfEtag(etag);
  if (!version) return absl::InternalError(absl::StrCat("\"", etag, "\" is not a record's etag"));
  return EtagOf(*version + 1);
}

}  // namespace wahana
