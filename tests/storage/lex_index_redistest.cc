// Chunked lexicographic indexes (services/common/storage/lex_index.h) against a real Redis: every
// chunk stays a listpack of at most kIndexChunkMax members, chunks partition the members in
// order, ranges read across chunks in byte order, and an emptied index leaves no key behind.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/storage/lex_index.h"
#include "common/storage/record_write.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"

namespace wahana::testing {
namespace {

constexpr char kDir[] = "test:{16.06}:index:thing:live";

class LexIndexTest : public ::testing::Test {
 protected:
  LexIndexTest() : redis_(server_.Client()) {}

  void Add(const std::vector<std::string>& members) {
    // Several members per write, as a record write adds several entries.
    for (size_t i = 0; i < members.size(); i += 10) {
      RecordWrite write;
      for (size_t j = i; j < std::min(members.size(), i + 10); ++j)
        write.IndexAdd(kDir, members[j]);
      auto result = write.Execute(*redis_);
      ASSERT_TRUE(result.ok()) << result.status();
      ASSERT_TRUE(result->applied);
    }
  }

  void Remove(const std::vector<std::string>& members) {
    for (const std::string& member : members) {
      auto result = RecordWrite().IndexRemove(kDir, member).Execute(*redis_);
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_EQ(result->replies.at(0).integer, 1) << member;
    }
  }

  // ix_range through a script of its own.
  std::vector<std::string> Range(const LexRange& range, int limit) {
    static const LuaScript kScript(LexIndexLua() + R"lua(
local out = {}
ix_range(KEYS[1], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), out)
return out
)lua");
    auto reply =
        redis_->Eval(kScript, {kDir}, {range.min, range.min_raw, range.max, std::to_string(limit)});
    EXPECT_TRUE(reply.ok()) << reply.status();
    std::vector<std::string> out;
    if (reply.ok()) {
      for (const RedisReply& e : reply->elements) out.push_back(e.str);
    }
    return out;
  }

  // Checks the chunks' invariants and returns all members, chunk by chunk.
  std::vector<std::string> CheckedMembers() {
    std::vector<std::string> all;
    auto bounds = redis_->Command({"ZRANGE", kDir, "0", "-1"});
    EXPECT_TRUE(bounds.ok()) << bounds.status();
    if (!bounds.ok()) return all;
    if (bounds->elements.empty()) return all;
    EXPECT_EQ(bounds->elements[0].str, "") << "the first chunk's bound is empty";
    for (size_t b = 0; b < bounds->elements.size(); ++b) {
      const std::string& bound = bounds->elements[b].str;
      std::string chunk = absl::StrCat(kDir, "|", bound);
      auto members = redis_->Command({"ZRANGE", chunk, "0", "-1"});
      EXPECT_TRUE(members.ok()) << members.status();
      if (!members.ok()) continue;
      EXPECT_LE(members->elements.size(), kIndexChunkMax) << chunk;
      if (b > 0) {
        EXPECT_FALSE(members->elements.empty()) << "an emptied chunk was kept: " << chunk;
      }
      auto encoding = redis_->Command({"OBJECT", "ENCODING", chunk});
      if (!members->elements.empty()) {
        EXPECT_TRUE(encoding.ok() && encoding->str == "listpack") << chunk;
      }
      for (const RedisReply& m : members->elements) {
        EXPECT_GE(m.str, bound);
        if (b + 1 < bounds->elements.size()) {
          EXPECT_LT(m.str, bounds->elements[b + 1].str);
        }
        all.push_back(m.str);
      }
    }
    return all;
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
};

std::vector<std::string> Members(int n, int villages) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    std::string village = absl::StrFormat("16.06.%02d.%04d", 1 + i % villages, 2001 + i % 7);
    out.push_back(IndexMember(RegionIndexValue(village), absl::StrFormat("01J%023d", i)));
  }
  return out;
}

TEST_F(LexIndexTest, MembersAddedInAnyOrderArePartitionedInOrderIntoListpackChunks) {
  std::vector<std::string> members = Members(1500, 9);
  std::shuffle(members.begin(), members.end(), std::mt19937(7));
  Add(members);
  std::vector<std::string> sorted = members;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(CheckedMembers(), sorted);
  EXPECT_EQ(Range(RegionPrefixRange(""), 5000), sorted);

  auto chunks = redis_->Command({"ZCARD", kDir});
  ASSERT_TRUE(chunks.ok());
  EXPECT_GE(chunks->integer, 1500 / static_cast<int>(kIndexChunkMax));
  EXPECT_LE(chunks->integer, 2 * 1500 / static_cast<int>(kIndexChunkMax) + 1);
}

TEST_F(LexIndexTest, MembersAppendedInOrderFillTheirChunks) {
  std::vector<std::string> members = Members(1000, 1);
  std::sort(members.begin(), members.end());
  Add(members);
  EXPECT_EQ(CheckedMembers(), members);
  auto chunks = redis_->Command({"ZCARD", kDir});
  ASSERT_TRUE(chunks.ok());
  EXPECT_EQ(chunks->integer, (1000 + kIndexChunkMax - 1) / kIndexChunkMax);
}

TEST_F(LexIndexTest, AddingTwiceAndRemovingTheAbsentChangeNothing) {
  std::vector<std::string> members = Members(3, 1);
  Add(members);
  auto again =
      RecordWrite().IndexAdd(kDir, members[0]).IndexRemove(kDir, "nope|X").Execute(*redis_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->replies.at(0).integer, 0);
  EXPECT_EQ(again->replies.at(1).integer, 0);
  EXPECT_EQ(CheckedMembers().size(), 3u);
}

TEST_F(LexIndexTest, RangesReadAcrossChunksAndResumeAfterAMember) {
  std::vector<std::string> members = Members(900, 3);
  std::shuffle(members.begin(), members.end(), std::mt19937(11));
  Add(members);
  std::vector<std::string> expected;
  LexRange range = RegionPrefixRange("16.06.02");
  for (const std::string& m : members) {
    if (InLexRange(range, m)) expected.push_back(m);
  }
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(expected.size(), 300u);

  // Walked in steps that straddle chunk boundaries.
  std::vector<std::string> walked;
  LexRange at = range;
  while (true) {
    std::vector<std::string> step = Range(at, 41);
    walked.insert(walked.end(), step.begin(), step.end());
    if (step.size() < 41) break;
    at = ResumeAfter(range, step.back());
  }
  EXPECT_EQ(walked, expected);
}

TEST_F(LexIndexTest, RemovingEverythingLeavesNoKey) {
  std::vector<std::string> members = Members(700, 5);
  Add(members);
  std::shuffle(members.begin(), members.end(), std::mt19937(3));
  Remove(std::vector<std::string>(members.begin(), members.begin() + 350));
  std::vector<std::string> rest(members.begin() + 350, members.end());
  std::sort(rest.begin(), rest.end());
  EXPECT_EQ(CheckedMembers(), rest);
  Remove(rest);
  EXPECT_TRUE(Keys(*redis_, "test:*").empty());
}

}  // namespace
}  // namespace wahana::testing
