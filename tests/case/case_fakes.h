#pragma once
// Fakes for the case logic's tests: a CaseStore in memory (cases kept by an
// InMemoryIndexedRecordStore with the real CaseIndexing, histories beside them) and the
// known-subjects projection in memory; the registry's records are support/fake_registry_records.h.
// Header-only.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "case/case_indexing.h"
#include "case/case_number.h"
#include "case/case_store.h"
#include "case/known_subjects.h"
#include "case/mediation_events.h"
#include "support/fake_registry_records.h"
#include "support/in_memory_indexed_record_store.h"

namespace wahana::testing {

class FakeKnownSubjects;

class FakeCaseStore : public CaseStore {
 public:
  FakeCaseStore() : cases_("case", CaseIndexing()) {}

  // As RedisCaseStore: the requestId first, then the subjects (in `known`, which must be set when
  // any is required live), then the number and the write.
  absl::StatusOr<CaseCreated> Create(const std::string& regency, int year,
                                     const std::vector<SubjectRef>& live,
                                     const std::string& request_id,
                                     const NewCaseBuilder& build) override;
  absl::StatusOr<wahana::cases::v1::Case> Get(const std::string& id) override {
    return cases_.Get(id);
  }
  absl::StatusOr<std::optional<wahana::cases::v1::Case>> FindByRequestId(
      const std::string& request_id) override {
    return cases_.FindByRequestId(request_id);
  }
  absl::StatusOr<wahana::cases::v1::Case> Append(
      const wahana::cases::v1::Case& updated, const wahana::cases::v1::CaseAction& action,
      const std::string& expected_etag, const wahana::common::v1::Envelope& changed) override {
    auto result = cases_.Update(updated, expected_etag, changed);
    if (result.ok()) histories[updated.id()].push_back(action);
    return result;
  }
  absl::Status GetWithHistory(const std::string& id, int64_t offset, int limit,
                              wahana::cases::v1::Case* c,
                              wahana::cases::v1::CaseHistory* page) override {
    auto got = cases_.Get(id);
    if (!got.ok()) return got.status();
    *c = *std::move(got);
    auto it = histories.find(id);
    if (it == histories.end()) return absl::OkStatus();
    for (int64_t i = offset; i < static_cast<int64_t>(it->second.size()) && i < offset + limit;
         ++i) {
      *page->add_actions() = it->second[i];
    }
    return absl::OkStatus();
  }
  absl::StatusOr<ListPage<wahana::cases::v1::Case>> List(
      const ListQuery<wahana::cases::v1::Case>& query) override {
    return cases_.List(query);
  }
  absl::StatusOr<std::vector<wahana::cases::v1::Case>> FindIndexed(const std::string& index,
                                                                   const std::string& value,
                                                                   int limit) override {
    return cases_.FindIndexed(index, value, limit);
  }

  const std::map<std::string, wahana::cases::v1::Case>& records() const { return cases_.records; }
  const std::vector<wahana::common::v1::Envelope>& published() const { return cases_.published; }
  // Overwrites a stored case behind the logic's back (a concurrent writer).
  void Overwrite(const wahana::cases::v1::Case& c) { cases_.records[c.id()] = c; }

  std::map<std::string, std::vector<wahana::cases::v1::CaseAction>> histories;
  std::map<std::pair<std::string, int>, int64_t> sequences;
  FakeKnownSubjects* known = nullptr;
  int creates = 0;  // calls of Create

 private:
  InMemoryIndexedRecordStore<wahana::cases::v1::Case> cases_;
};

// The event service's events by id; `unavailable` makes every call fail with it.
class FakeMediationEvents : public MediationEvents {
 public:
  absl::StatusOr<wahana::event::v1::Event> GetEvent(const std::string& id) override {
    if (!unavailable.ok()) return unavailable;
    auto it = events.find(id);
    if (it == events.end()) return absl::NotFoundError(absl::StrCat("event ", id, " not found"));
    return it->second;
  }

  std::map<std::string, wahana::event::v1::Event> events;
  absl::Status unavailable;
};

// KnownSubjects in memory, with RedisKnownSubjects' version rule.
class FakeKnownSubjects : public KnownSubjects {
 public:
  struct Entry {
    int64_t version = 0;
    bool archived = false;
    std::string region;
  };

  absl::StatusOr<std::vector<SubjectState>> Lookup(const std::vector<SubjectRef>& refs) override {
    ++lookups;
    if (!unavailable.ok()) return unavailable;
    std::vector<SubjectState> out;
    for (const SubjectRef& ref : refs) {
      auto it = entries.find({ref.kind, ref.id});
      out.push_back(it == entries.end()   ? SubjectState::kUnknown
                    : it->second.archived ? SubjectState::kArchived
                                          : SubjectState::kLive);
    }
    return out;
  }
  absl::StatusOr<std::vector<std::string>> RegionsOf(const std::vector<SubjectRef>& refs) override {
    if (!unavailable.ok()) return unavailable;
    std::vector<std::string> out;
    for (const SubjectRef& ref : refs) {
      auto it = entries.find({ref.kind, ref.id});
      out.push_back(it == entries.end() ? std::string() : it->second.region);
    }
    return out;
  }
  absl::Status Remember(const SubjectRef& ref, int64_t version, bool archived,
                        const std::string& region, bool only_if_known) override {
    if (!unavailable.ok()) return unavailable;
    auto it = entries.find({ref.kind, ref.id});
    if (it == entries.end()
            ? only_if_known
            : it->second.version > version || (it->second.version == version &&
                                               (region.empty() || !it->second.region.empty()))) {
      return absl::OkStatus();
    }
    entries[{ref.kind, ref.id}] = Entry{version, archived, region};
    return absl::OkStatus();
  }

  std::map<std::pair<SubjectKind, std::string>, Entry> entries;
  absl::Status unavailable;
  int lookups = 0;
};

inline absl::StatusOr<CaseCreated> FakeCaseStore::Create(const std::string& regency, int year,
                                                         const std::vector<SubjectRef>& live,
                                                         const std::string& request_id,
                                                         const NewCaseBuilder& build) {
  ++creates;
  CaseCreated out;
  if (!request_id.empty()) {
    auto earlier = cases_.FindByRequestId(request_id);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      out.result.stored = **earlier;
      return out;
    }
  }
  if (!live.empty()) {
    if (known == nullptr) return absl::InternalError("FakeCaseStore: no known subjects");
    auto states = known->Lookup(live);
    if (!states.ok()) return states.status();
    for (size_t i = 0; i < states->size(); ++i) {
      if ((*states)[i] == SubjectState::kLive) continue;
      out.refused_subject = static_cast<int>(i);
      out.refused_state = (*states)[i];
      return out;
    }
  }
  const int64_t sequence = ++sequences[{regency, year}];
  auto made = build(FormatCaseNumber(regency, year, sequence));
  if (!made.ok()) return made.status();
  auto result = cases_.Create(made->c, made->created, request_id);
  if (!result.ok()) return result.status();
  if (result->created) histories[made->c.id()].push_back(made->opened);
  out.result = *std::move(result);
  return out;
}

}  // namespace wahana::testing
