#include "common/storage/record_requests.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/ids/time_ordered_id.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana {
namespace {

using wahana::common::v1::Envelope;
using wahana::event::v1::Event;

TEST(RecordRequestsTest, RequestIdIsOptionalAndAtMost128Bytes) {
  EXPECT_TRUE(CheckRequestId("").ok());
  EXPECT_TRUE(CheckRequestId(std::string(128, 'r')).ok());
  absl::Status status = CheckRequestId(std::string(129, 'r'));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "requestId: at most 128 bytes");
}

TEST(RecordRequestsTest, RecordIdsAreTimeOrderedIds) {
  EXPECT_TRUE(CheckRecordId(TimeOrderedIdGenerator().Next(), "a case").ok());

  absl::Status empty = CheckRecordId("", "a case");
  EXPECT_EQ(empty.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(empty.message(), "id: required");

  absl::Status malformed = CheckRecordId("nope", "an event");
  EXPECT_EQ(malformed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(malformed.message(), "id: \"nope\" is not an event id (26 characters, 0-9 A-Z)");
}

TEST(RecordRequestsTest, CreatedFactsAreTheFirstVersionOfTheRecord) {
  MessageFacts facts = CreatedFacts("16.06", "01J0000000000000000000000A", "16.06.01.2001");
  EXPECT_EQ(facts.origin_region, "16.06");
  EXPECT_EQ(facts.aggregate_id, "01J0000000000000000000000A");
  EXPECT_EQ(facts.aggregate_version, 1);
  EXPECT_EQ(facts.region_code, "16.06.01.2001");
  EXPECT_EQ(EtagOf(facts.aggregate_version), "1");
}

TEST(RecordRequestsTest, ChangedFactsCarryTheNewVersion) {
  MessageFacts facts = ChangedFacts("16.06", "01J0000000000000000000000A", 4, "16.06.01.2001");
  EXPECT_EQ(facts.aggregate_version, 4);
  EXPECT_EQ(facts.aggregate_id, "01J0000000000000000000000A");
  EXPECT_EQ(facts.region_code, "16.06.01.2001");
}

TEST(RecordRequestsTest, EtagsAreVersions) {
  EXPECT_EQ(VersionOfEtag("1"), 1);
  EXPECT_EQ(VersionOfEtag("42"), 42);
  for (const char* bad : {"", "0", "-1", "01", "1a", " 1", "99999999999999999999"}) {
    EXPECT_FALSE(VersionOfEtag(bad).has_value()) << bad;
  }
  EXPECT_EQ(*NextEtag("1"), "2");
  EXPECT_EQ(NextEtag("x").status().code(), absl::StatusCode::kInternal);
}

TEST(RecordRequestsTest, AnEtagTheClientSentMustBeTheCurrentOne) {
  EXPECT_TRUE(CheckEtag("", "4", "beneficiary", "01J0000000000000000000000A").ok());
  EXPECT_TRUE(CheckEtag("4", "4", "beneficiary", "01J0000000000000000000000A").ok());
  absl::Status stale = CheckEtag("3", "4", "beneficiary", "01J0000000000000000000000A");
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(stale.message(),
            "etag: stale (\"3\"), beneficiary 01J0000000000000000000000A is at \"4\"");
}

// Counts look-ups, to show which requests reach storage.
class CountingStore : public RecordStore<Event> {
 public:
  absl::StatusOr<CreateResult<Event>> Create(const Event&, const Envelope&,
                                             const std::string&) override {
    return absl::UnimplementedError("not used");
  }
  absl::StatusOr<Event> Get(const std::string&) override {
    return absl::UnimplementedError("not used");
  }
  absl::StatusOr<std::optional<Event>> FindByRequestId(const std::string& request_id) override {
    ++lookups;
    auto it = earlier.find(request_id);
    if (it == earlier.end()) return std::optional<Event>();
    return std::optional<Event>(it->second);
  }

  std::map<std::string, Event> earlier;
  int lookups = 0;
};

const Principal kClerk{"sso:clerk", "", Role::kOperator, "16.06"};
const Principal kOtherClerk{"sso:other-clerk", "", Role::kOperator, "16.06"};

TEST(RecordRequestsTest, EarlierCreateAnswersTheSameCallersRetryFromStorage) {
  CountingStore store;
  store.earlier[CallersRequestKey(kClerk, "sched-1")].set_id("01J0000000000000000000000A");

  absl::StatusOr<std::optional<Event>> retry = EarlierCreate<Event>(store, kClerk, "sched-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  ASSERT_TRUE(retry->has_value());
  EXPECT_EQ((*retry)->id(), "01J0000000000000000000000A");

  absl::StatusOr<std::optional<Event>> fresh = EarlierCreate<Event>(store, kClerk, "sched-2");
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_FALSE(fresh->has_value());

  // Another caller's same requestId is its own: nothing earlier, nothing told.
  absl::StatusOr<std::optional<Event>> others = EarlierCreate<Event>(store, kOtherClerk, "sched-1");
  ASSERT_TRUE(others.ok()) << others.status();
  EXPECT_FALSE(others->has_value());
  EXPECT_EQ(store.lookups, 3);
}

TEST(RecordRequestsTest, RequestKeysAreTheCallersOwn) {
  EXPECT_EQ(CallersRequestKey(kClerk, ""), "");
  const std::string mine = CallersRequestKey(kClerk, "sched-1");
  EXPECT_TRUE(absl::EndsWith(mine, ":sched-1")) << mine;
  EXPECT_EQ(mine, CallersRequestKey(kClerk, "sched-1"));
  EXPECT_NE(mine, CallersRequestKey(kOtherClerk, "sched-1"));
  // The subject is digested: a key is short and never carries what a token said.
  const Principal odd{std::string(500, 'x') + ":\n{}", "", Role::kOperator, "16.06"};
  const std::string odd_key = CallersRequestKey(odd, "r");
  EXPECT_EQ(odd_key.size(), 16 + 2u) << odd_key;
  // Nor can a subject and a requestId be cut differently to meet another caller's key.
  EXPECT_NE(CallersRequestKey(Principal{"a:b", "", Role::kOperator, "16.06"}, "c"),
            CallersRequestKey(Principal{"a", "", Role::kOperator, "16.06"}, "b:c"));
}

TEST(RecordRequestsTest, EarlierCreateAsksStorageNothingWithoutAValidRequestId) {
  CountingStore store;
  absl::StatusOr<std::optional<Event>> none = EarlierCreate<Event>(store, kClerk, "");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(EarlierCreate<Event>(store, kClerk, std::string(129, 'r')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store.lookups, 0);
}

}  // namespace
}  // namespace wahana
