#include "common/audit/audit_index.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"

namespace wahana {

std::vector<std::string> IndexedSubjects(const audit::v1::AuditEntry& entry) {
  std::vector<std::string> subjects(entry.returned_subjects().begin(),
                                    entry.returned_subjects().end());
  if (!entry.subject().empty()) subjects.push_back(entry.subject());
  std::sort(subjects.begin(), subjects.end());
  subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
  return subjects;
}

void AuditIndexChecker::AddEntry(const std::string& stream_id, const audit::v1::AuditEntry& entry) {
  sequences_[stream_id] = entry.sequence();
  for (const std::string& subject : IndexedSubjects(entry)) expected_[subject].push_back(stream_id);
}

std::vector<std::string> AuditIndexChecker::Subjects() const {
  std::vector<std::string> subjects;
  for (const auto& [subject, ids] : expected_) subjects.push_back(subject);
  return subjects;
}

std::optional<AuditIndexProblem> AuditIndexChecker::Check(
    const std::string& subject, const std::vector<std::string>& listed) const {
  static const std::vector<std::string> kNone;
  auto it = expected_.find(subject);
  const std::vector<std::string>& expected = it == expected_.end() ? kNone : it->second;
  const std::set<std::string> should(expected.begin(), expected.end());
  std::set<std::string> seen;
  for (const std::string& id : listed) {
    auto sequence = sequences_.find(id);
    if (sequence == sequences_.end()) {
      return AuditIndexProblem{id, "lists an id that is not on the trail"};
    }
    if (should.count(id) == 0) {
      return AuditIndexProblem{
          id, absl::StrCat("lists entry ", sequence->second, ", which does not name ", subject)};
    }
    if (!seen.insert(id).second) {
      return AuditIndexProblem{id, absl::StrCat("lists entry ", sequence->second, " twice")};
    }
  }
  for (const std::string& id : expected) {
    if (seen.count(id) == 0) {
      return AuditIndexProblem{
          id, absl::StrCat("misses entry ", sequences_.at(id), ", which names ", subject)};
    }
  }
  // The same ids, each once: only the order can differ.
  for (size_t i = 0; i < listed.size(); ++i) {
    if (listed[i] != expected[i]) {
      return AuditIndexProblem{listed[i], absl::StrCat("lists entry ", sequences_.at(listed[i]),
                                                       " out of stream order")};
    }
  }
  return std::nullopt;
}

}  // namespace wahana
