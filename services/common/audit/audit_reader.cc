#include "common/audit/audit_reader.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth/access_policy.h"
#include "common/storage/page_token.h"

namespace wahana {
namespace {

constexpr size_t kMaxSubjectLength = 256;

absl::Status CheckSubject(const std::string& subject) {
  if (subject.empty()) {
    return absl::InvalidArgumentError(
        "subject: required, a record name such as \"cases/<id>\" or \"beneficiaries/<id>\"");
  }
  if (subject.size() > kMaxSubjectLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("subject: at most ", kMaxSubjectLength, " characters"));
  }
  for (char c : subject) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return absl::InvalidArgumentError("subject: control characters are not allowed");
    }
  }
  return absl::OkStatus();
}

// The region `entry` recorded for the record `name`: its record region when it is the entry's
// subject, its returned region when it is a returned subject; "" when the entry did not learn it.
std::string RegionNamed(const audit::v1::AuditEntry& entry, const std::string& name) {
  if (entry.subject() == name && !entry.record_region().empty()) return entry.record_region();
  for (int i = 0; i < entry.returned_subjects_size(); ++i) {
    if (entry.returned_subjects(i) == name && i < entry.returned_regions_size() &&
        !entry.returned_regions(i).empty()) {
      return entry.returned_regions(i);
    }
  }
  return "";
}

}  // namespace

bool AuditReader::ShowTo(const Principal& principal, const std::string& subject,
                         const std::string& subject_region, audit::v1::AuditEntry& entry) const {
  // The index named this entry; the entry itself must name the record, in the caller's scope (an
  // index list can be edited in Redis; the entry's bytes are chained).
  const bool names_subject =
      entry.subject() == subject ||
      std::find(entry.returned_subjects().begin(), entry.returned_subjects().end(), subject) !=
          entry.returned_subjects().end();
  if (!names_subject) return false;
  const std::string region = RegionNamed(entry, subject);
  if (!Covers(principal, region.empty() ? subject_region : region)) return false;

  // The other records the entry names: only those the caller could read (a record without a
  // recorded region counts as the deployment's, as before regions were recorded).
  auto readable = [&](const std::string& name, const std::string& recorded) {
    return name == subject || Covers(principal, recorded.empty() ? region_ : recorded);
  };
  // A list's subject is its collection and filter ("cases?region=16.06.01"), not a record.
  const bool subject_is_record = entry.subject().find('?') == std::string::npos &&
                                 entry.subject().find('/') != std::string::npos;
  if (subject_is_record && !readable(entry.subject(), entry.record_region())) {
    entry.clear_subject();
    entry.clear_record_region();
  }
  audit::v1::AuditEntry kept;
  for (int i = 0; i < entry.returned_subjects_size(); ++i) {
    const std::string& name = entry.returned_subjects(i);
    const std::string recorded = i < entry.returned_regions_size() ? entry.returned_regions(i) : "";
    if (!readable(name, recorded)) continue;
    kept.add_returned_subjects(name);
    kept.add_returned_regions(recorded);
  }
  entry.mutable_returned_subjects()->Swap(kept.mutable_returned_subjects());
  entry.mutable_returned_regions()->Swap(kept.mutable_returned_regions());
  return true;
}

absl::StatusOr<audit::v1::ListAuditEntriesResponse> AuditReader::List(
    const Principal& principal, const audit::v1::ListAuditEntriesRequest& request) const {
  if (!RoleAllows(principal.role, Resource::kAudit, Action::kRead)) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", RoleName(principal.role), " may not read the audit trail"));
  }
  const std::string& subject = request.subject();
  if (absl::Status s = CheckSubject(subject); !s.ok()) return s;
  absl::StatusOr<int> page_size = ResolvePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  int64_t offset = 0;
  if (!request.page_token().empty()) {
    absl::StatusOr<std::string> position = DecodePageToken(request.page_token(), subject);
    if (!position.ok()) return position.status();
    if (!absl::SimpleAtoi(*position, &offset) || offset < 0) {
      return absl::InvalidArgumentError("pageToken: malformed");
    }
  }

  // One more than the page: whether another page follows.
  absl::StatusOr<RedisReply> ids =
      redis_.Command({"LRANGE", keys_.SubjectIndex(subject), std::to_string(offset),
                      std::to_string(offset + *page_size)});
  if (!ids.ok()) return ids.status();
  const bool more = static_cast<int>(ids->elements.size()) > *page_size;
  if (more) ids->elements.resize(*page_size);

  std::vector<std::vector<std::string>> reads;
  for (const RedisReply& id : ids->elements) {
    reads.push_back({"XRANGE", keys_.stream, id.str, id.str});
  }
  std::vector<audit::v1::AuditEntry> entries;
  if (!reads.empty()) {
    absl::StatusOr<std::vector<RedisReply>> messages = redis_.Pipeline(reads);
    if (!messages.ok()) return messages.status();
    for (const RedisReply& message : *messages) {
      // XRANGE id id: [[id, [field, value, ...]]]. An entry removed from the stream is gone from
      // the answer (wahana-audit verify reports it).
      if (message.is_error() || message.elements.size() != 1 ||
          message.elements[0].elements.size() != 2) {
        continue;
      }
      // Exactly one entry field: a message can hold a name twice, and verify checks one copy
      // only when there is one (audit_verify.h).
      const auto& pairs = message.elements[0].elements[1].elements;
      const std::string* bytes = nullptr;
      int copies = 0;
      for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
        if (pairs[i].str != "entry") continue;
        bytes = &pairs[i + 1].str;
        ++copies;
      }
      audit::v1::AuditEntry entry;
      if (copies == 1 && entry.ParseFromString(*bytes)) entries.push_back(std::move(entry));
    }
  }

  // Where the record lives, by the entries about it that say (an entry of a refused read may not).
  std::string subject_region;
  for (const audit::v1::AuditEntry& entry : entries) {
    const std::string region = RegionNamed(entry, subject);
    if (!region.empty()) {
      subject_region = region;
      break;
    }
  }
  if (subject_region.empty()) subject_region = region_;

  audit::v1::ListAuditEntriesResponse response;
  for (audit::v1::AuditEntry& entry : entries) {
    if (ShowTo(principal, subject, subject_region, entry)) {
      *response.add_entries() = std::move(entry);
    }
  }
  if (response.entries().empty() && request.page_token().empty()) {
    return absl::NotFoundError(absl::StrCat("audit entries for ", subject, " not found"));
  }
  if (more) {
    response.set_next_page_token(EncodePageToken(subject, std::to_string(offset + *page_size)));
  }
  return response;
}

}  // namespace wahana
