#pragma once
// KnownSubjects on Redis: one hash per kind of record, "case:{16.06}:known:<kind>", field the
// record's id, value "<version>:<L|A>[:<region>]" (live or archived, and where it lies). Lookup is
// one pipeline of HGETs (a create checks its subjects inside its own write instead:
// KnownLiveCondition); Remember is one Lua script that compares versions, so concurrent feeds
// cannot move an entry back.
//
// Thread-safe (RedisClient is).

#include <optional>
#include <string>
#include <vector>

#include "case/known_subjects.h"
#include "common/redis/redis_client.h"
#include "common/storage/indexed_proto_record_store.h"

namespace wahana {

// The hash of known records of `kind` in `region`'s case keys.
std::string KnownSubjectsKey(const std::string& region, SubjectKind kind);

// The condition "`ref` is known live" for a write of the case service's own (a create checks its
// subjects in its own atomic write: IndexedProtoRecordStore::CreateChecked).
FieldCondition KnownLiveCondition(const std::string& region, const SubjectRef& ref);

// The state an entry's value says (nullopt: no entry, kUnknown). INTERNAL for an unreadable one.
absl::StatusOr<SubjectState> KnownSubjectStateOf(const std::optional<std::string>& value,
                                                 const SubjectRef& ref);

class RedisKnownSubjects : public KnownSubjects {
 public:
  // `redis` must outlive this. `region` is the deployment's region (the keys' hash tag).
  RedisKnownSubjects(RedisClient& redis, std::string region);

  absl::StatusOr<std::vector<SubjectState>> Lookup(const std::vector<SubjectRef>& refs) override;
  absl::StatusOr<std::vector<std::string>> RegionsOf(const std::vector<SubjectRef>& refs) override;
  absl::Status Remember(const SubjectRef& ref, int64_t version, bool archived,
                        const std::string& region, bool only_if_known) override;

 private:
  // The stored value of each of `refs` (nil when unknown), one pipelined round trip.
  absl::StatusOr<std::vector<RedisReply>> Fetch(const std::vector<SubjectRef>& refs);
  RedisClient& redis_;
  const std::string region_;
};

}  // namespace wahana
