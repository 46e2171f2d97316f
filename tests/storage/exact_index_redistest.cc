// Exact-value indexes (services/common/storage/exact_index.h) against a real Redis: claims and
// their guard, several holders of one looked-up value kept in id order, removal down to no key,
// and the one-time conversion of the chunked layout that came before (value_index_migration.h).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/storage/lex_index.h"
#include "common/storage/record_keys.h"
#include "common/storage/record_write.h"
#include "common/storage/value_index_migration.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"

namespace wahana::testing {
namespace {

constexpr char kIndex[] = "test:{16.06}:index:thing:lookup-ids:name";

class ExactIndexTest : public ::testing::Test {
 protected:
  ExactIndexTest() : redis_(server_.Client()) {}

  AtomicWriteResult Run(const RecordWrite& write) {
    auto result = write.Execute(*redis_);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : AtomicWriteResult{};
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
};

TEST_F(ExactIndexTest, HoldersOfOneValueStayInIdOrderAndLeaveNoKeyWhenGone) {
  EXPECT_EQ(Run(RecordWrite().ExactIndexAdd(kIndex, "Siti|Aisyah", "B")).replies.at(0).integer, 1);
  EXPECT_EQ(Run(RecordWrite().ExactIndexAdd(kIndex, "Siti|Aisyah", "A")).replies.at(0).integer, 1);
  EXPECT_EQ(Run(RecordWrite().ExactIndexAdd(kIndex, "Siti|Aisyah", "C")).replies.at(0).integer, 1);
  EXPECT_EQ(Run(RecordWrite().ExactIndexAdd(kIndex, "Siti|Aisyah", "B")).replies.at(0).integer, 0)
      << "adding a holder twice changes nothing";
  EXPECT_EQ(redis_->Command({"HGET", kIndex, "Siti|Aisyah"})->str, "A B C");

  EXPECT_EQ(Run(RecordWrite().ExactIndexRemove(kIndex, "Siti|Aisyah", "B")).replies.at(0).integer,
            1);
  EXPECT_EQ(Run(RecordWrite().ExactIndexRemove(kIndex, "Siti|Aisyah", "B")).replies.at(0).integer,
            0);
  EXPECT_EQ(redis_->Command({"HGET", kIndex, "Siti|Aisyah"})->str, "A C");
  Run(RecordWrite().ExactIndexRemove(kIndex, "Siti|Aisyah", "A"));
  Run(RecordWrite().ExactIndexRemove(kIndex, "Siti|Aisyah", "C"));
  EXPECT_EQ(redis_->Command({"EXISTS", kIndex})->integer, 0);
}

TEST_F(ExactIndexTest, AClaimedValueStopsTheWriteAndNamesItsHolder) {
  const std::string nik = "test:{16.06}:index:thing:unique-ids:nik";
  ASSERT_TRUE(Run(RecordWrite()
                      .RequireUnclaimed(nik, "1606014101800001", "A")
                      .ExactIndexAdd(nik, "1606014101800001", "A"))
                  .applied);
  // The holder may claim its own value again (an update that keeps it).
  EXPECT_TRUE(Run(RecordWrite().RequireUnclaimed(nik, "1606014101800001", "A")).applied);
  AtomicWriteResult refused = Run(RecordWrite()
                                      .RequireUnclaimed(nik, "1606014101800001", "B")
                                      .Command({"SET", "test:{16.06}:written", "1"}));
  EXPECT_FALSE(refused.applied);
  EXPECT_EQ(refused.failed_guard, 0);
  EXPECT_EQ(refused.found, "A");
  EXPECT_EQ(redis_->Command({"EXISTS", "test:{16.06}:written"})->integer, 0);
}

TEST_F(ExactIndexTest, TheChunkedLayoutConvertsOnceAndCompletely) {
  const RecordKeys keys("test", "thing", "16.06");
  const std::string old_unique = keys.Index("unique:nik");
  const std::string old_lookup = keys.Index(absl::StrCat("lookup:", EscapeIndexValue("dup|key")));
  // 300 unique entries (several chunks) and a looked-up value held by two records, one value
  // with the characters the chunked layout escapes.
  std::vector<std::string> expected_unique;
  for (int i = 0; i < 300; ++i) {
    std::string value = absl::StrCat("16060141018", 10000 + i);
    std::string id = absl::StrCat("01JD", 100000 + i);
    ASSERT_TRUE(Run(RecordWrite().IndexAdd(old_unique, IndexMember(value, id))).applied);
    expected_unique.push_back(absl::StrCat(value, "|", id));
  }
  for (const char* id : {"01JDB", "01JDA"}) {
    ASSERT_TRUE(Run(RecordWrite().IndexAdd(old_lookup, IndexMember("Nur|a\\b", id))).applied);
  }
  ASSERT_GT(Keys(*redis_, old_unique + "*").size(), 2u) << "the old index spans chunks";

  ASSERT_TRUE(MigrateValueIndexes(*redis_, keys).ok());
  EXPECT_EQ(ExactIndexMembers(*redis_, keys.Index("unique-ids:nik")), expected_unique);
  const std::string new_lookup =
      keys.Index(absl::StrCat("lookup-ids:", EscapeIndexValue("dup|key")));
  EXPECT_EQ(redis_->Command({"HGET", new_lookup, "Nur|a\\b"})->str, "01JDA 01JDB");
  EXPECT_TRUE(Keys(*redis_, keys.Index("unique:*")).empty());
  EXPECT_TRUE(Keys(*redis_, keys.Index("lookup:*")).empty());

  // A second run finds nothing to convert and changes nothing.
  ASSERT_TRUE(MigrateValueIndexes(*redis_, keys).ok());
  EXPECT_EQ(ExactIndexMembers(*redis_, keys.Index("unique-ids:nik")).size(), 300u);
}

}  // namespace
}  // namespace wahana::testing
