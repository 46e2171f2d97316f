#include "common/audit/audit_verify.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/audit/audit_index.h"
#include "common/audit/audit_trail.h"

namespace wahana {
namespace {

constexpr int kPage = 1000;

}  // namespace

void AuditChainChecker::Fail(const std::string& id, int64_t sequence, const char* kind,
                             std::string detail) {
  result_.ok = false;
  result_.stream_id = id;
  result_.sequence = sequence;
  result_.kind = kind;
  result_.detail = std::move(detail);
}

void AuditChainChecker::Add(const std::string& id,
                            const std::map<std::string, std::string>& fields) {
  Check(id, fields, nullptr);
}

void AuditChainChecker::Add(const std::string& id,
                            const std::vector<std::pair<std::string, std::string>>& fields) {
  std::map<std::string, std::string> by_name;
  const std::string* twice = nullptr;
  for (const auto& [name, value] : fields) {
    if (!by_name.emplace(name, value).second && twice == nullptr) twice = &name;
  }
  Check(id, by_name, twice);
}

void AuditChainChecker::Check(const std::string& id,
                              const std::map<std::string, std::string>& fields,
                              const std::string* twice) {
  ++read_;
  auto field = [&](const char* name) -> const std::string* {
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : &it->second;
  };
  const std::string* seq_text = field("seq");
  const std::string* prev = field("prev");
  const std::string* hash = field("hash");
  const std::string* bytes = field("entry");
  int64_t seq = 0;
  const bool readable = seq_text != nullptr && prev != nullptr && hash != nullptr &&
                        bytes != nullptr && absl::SimpleAtoi(*seq_text, &seq);
  if (!result_.ok) {
    if (readable) later_sequences_.push_back(seq);
    return;
  }
  if (!readable) {
    return Fail(id, seq, "altered", "a chain field (seq, prev, hash, entry) is missing");
  }
  if (twice != nullptr) {
    return Fail(id, seq, "altered", absl::StrCat("the message holds ", *twice, " twice"));
  }
  if (seq != expected_) {
    first_missing_ = expected_;
    return Fail(id, seq, seq > expected_ ? "missing" : "reordered",
                absl::StrCat("sequence ", seq, " where ", expected_, " was expected"));
  }
  if (*prev != last_hash_) {
    return Fail(id, seq, "altered", "prev is not the hash of the entry before");
  }
  if (chain_.Hash(*prev, *bytes) != *hash) {
    return Fail(id, seq, "altered", "hash does not match the entry's content");
  }
  audit::v1::AuditEntry entry;
  if (!entry.ParseFromString(*bytes) || entry.sequence() != seq) {
    return Fail(id, seq, "altered", "the entry's own sequence differs from seq");
  }
  for (const auto& [name, value] : ReadableAuditFields(entry)) {
    const std::string* copy = field(name.c_str());
    if (copy == nullptr || *copy != value) {
      return Fail(id, seq, "altered", absl::StrCat("the readable ", name, " is not the entry's"));
    }
  }
  last_hash_ = *hash;
  ++expected_;
  ++result_.entries;
}

AuditVerification AuditChainChecker::Finish(const AuditHead& head) const {
  AuditVerification result = result_;
  if (!result.ok) {
    // A sequence that turns up later was moved, not removed.
    if (result.kind == "missing" && std::find(later_sequences_.begin(), later_sequences_.end(),
                                              first_missing_) != later_sequences_.end()) {
      result.kind = "reordered";
    }
    if (result.kind == "missing") {
      result.detail += absl::StrCat(" (entry ", first_missing_, " was removed)");
    }
    result.entries = read_;
    return result;
  }
  const int64_t last = expected_ - 1;
  if (head.sequence > last) {
    result.ok = false;
    result.sequence = last + 1;
    result.kind = "missing";
    result.detail =
        absl::StrCat("the head is at sequence ", head.sequence, " but the trail ends at ", last,
                     " (the last entries were removed)");
  } else if (head.sequence < last || head.hash != last_hash_) {
    result.ok = false;
    result.sequence = head.sequence;
    result.kind = "altered";
    result.detail = "the head does not match the last entry";
  }
  return result;
}

namespace {

// "case:{16.06}:audit:subject:" as a SCAN pattern: glob characters escaped.
std::string GlobLiteral(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// The subjects that have an index key now.
absl::StatusOr<std::set<std::string>> IndexedInRedis(RedisClient& redis, const AuditKeys& keys) {
  const std::string prefix = keys.SubjectIndex("");
  std::set<std::string> subjects;
  std::string cursor = "0";
  do {
    absl::StatusOr<RedisReply> reply = redis.Command(
        {"SCAN", cursor, "MATCH", GlobLiteral(prefix) + "*", "COUNT", std::to_string(kPage)});
    if (!reply.ok()) return reply.status();
    if (reply->elements.size() != 2) return absl::InternalError("SCAN: unexpected reply");
    cursor = reply->elements[0].str;
    for (const RedisReply& key : reply->elements[1].elements) {
      subjects.insert(key.str.substr(prefix.size()));
    }
  } while (cursor != "0");
  return subjects;
}

// Every subject index against the entries (`result` is OK so far): the first problem, by subject.
absl::Status CheckIndexes(RedisClient& redis, const AuditKeys& keys,
                          const AuditIndexChecker& indexes, AuditVerification& result) {
  absl::StatusOr<std::set<std::string>> subjects = IndexedInRedis(redis, keys);
  if (!subjects.ok()) return subjects.status();
  for (const std::string& subject : indexes.Subjects()) subjects->insert(subject);
  for (const std::string& subject : *subjects) {
    const std::string key = keys.SubjectIndex(subject);
    std::vector<std::string> listed;
    bool list = true;
    for (int64_t start = 0;; start += kPage) {
      // Pipelined so a key that is not a list comes back as an error reply, not a failure.
      absl::StatusOr<std::vector<RedisReply>> page = redis.Pipeline(
          {{"LRANGE", key, std::to_string(start), std::to_string(start + kPage - 1)}});
      if (!page.ok()) return page.status();
      if (page->size() != 1 || page->front().is_error()) {
        list = false;
        break;
      }
      for (const RedisReply& id : page->front().elements) listed.push_back(id.str);
      if (static_cast<int>(page->front().elements.size()) < kPage) break;
    }
    std::optional<AuditIndexProblem> problem =
        list ? indexes.Check(subject, listed) : AuditIndexProblem{"", "is not a list"};
    if (!problem.has_value()) continue;
    result.ok = false;
    result.kind = "index";
    result.index = key;
    result.stream_id = problem->stream_id;
    result.detail = problem->detail;
    return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<AuditVerification> VerifyAuditTrail(RedisClient& redis, const AuditKeys& keys,
                                                   const AuditChain& chain) {
  AuditChainChecker checker(chain);
  AuditIndexChecker indexes;
  std::string start = "-";
  for (;;) {
    absl::StatusOr<RedisReply> page =
        redis.Command({"XRANGE", keys.stream, start, "+", "COUNT", std::to_string(kPage)});
    if (!page.ok()) return page.status();
    for (const RedisReply& message : page->elements) {
      if (message.elements.size() != 2) return absl::InternalError("XRANGE: unexpected reply");
      const std::string& id = message.elements[0].str;
      std::vector<std::pair<std::string, std::string>> fields;
      const auto& pairs = message.elements[1].elements;
      for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
        fields.emplace_back(pairs[i].str, pairs[i + 1].str);
      }
      checker.Add(id, fields);
      // The entry as the reader takes it (the first copy): when a name is held twice the chain
      // has already failed and the indexes are not checked.
      auto bytes = std::find_if(fields.begin(), fields.end(),
                                [](const auto& field) { return field.first == "entry"; });
      if (audit::v1::AuditEntry entry;
          bytes != fields.end() && entry.ParseFromString(bytes->second)) {
        indexes.AddEntry(id, entry);
      }
      start = "(" + id;
    }
    if (static_cast<int>(page->elements.size()) < kPage) break;
  }
  absl::StatusOr<AuditHead> head = ReadAuditHead(redis, keys);
  if (!head.ok()) return head.status();
  AuditVerification result = checker.Finish(*head);
  if (!result.ok) return result;  // the chain first: its problem explains the indexes'
  if (absl::Status s = CheckIndexes(redis, keys, indexes, result); !s.ok()) return s;
  return result;
}

std::string DescribeVerification(const AuditVerification& v) {
  if (v.ok) return absl::StrCat("OK: ", v.entries, " entries");
  if (v.kind == "index") {
    return absl::StrCat("BROKEN: index ", v.index,
                        v.stream_id.empty() ? "" : absl::StrCat(": entry ", v.stream_id), ": ",
                        v.detail);
  }
  std::string where =
      v.stream_id.empty() ? std::string("head") : absl::StrCat("entry ", v.stream_id);
  return absl::StrCat("BROKEN: ", where, " (seq ", v.sequence, "): ", v.kind, ": ", v.detail);
}

}  // namespace wahana
