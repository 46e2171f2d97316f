// The subject indexes without Redis: which indexes an entry belongs in (its own names only), and
// the check `wahana-audit verify` runs on each index list.

#include "common/audit/audit_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wahana {
namespace {

audit::v1::AuditEntry Entry(int64_t sequence, const std::string& subject,
                            std::vector<std::string> returned = {}) {
  audit::v1::AuditEntry entry;
  entry.set_sequence(sequence);
  entry.set_subject(subject);
  for (const std::string& r : returned) entry.add_returned_subjects(r);
  return entry;
}

TEST(AuditIndexTest, AnEntryIsIndexedUnderItsSubjectAndReturnedSubjectsOnce) {
  EXPECT_EQ(IndexedSubjects(Entry(1, "cases?region=16.06", {"cases/B", "cases/A", "cases/B"})),
            (std::vector<std::string>{"cases/A", "cases/B", "cases?region=16.06"}));
  EXPECT_EQ(IndexedSubjects(Entry(1, "")), std::vector<std::string>{});
}

class AuditIndexCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    checker_.AddEntry("1-0", Entry(1, "cases/A"));
    checker_.AddEntry("2-0", Entry(2, "cases?status=INTAKE", {"cases/A", "cases/B"}));
    checker_.AddEntry("3-0", Entry(3, "cases/A"));
  }
  AuditIndexChecker checker_;
};

TEST_F(AuditIndexCheckerTest, IntactIndexesPass) {
  EXPECT_EQ(checker_.Subjects(),
            (std::vector<std::string>{"cases/A", "cases/B", "cases?status=INTAKE"}));
  EXPECT_FALSE(checker_.Check("cases/A", {"1-0", "2-0", "3-0"}).has_value());
  EXPECT_FALSE(checker_.Check("cases/B", {"2-0"}).has_value());
  EXPECT_FALSE(checker_.Check("cases/none", {}).has_value());
}

TEST_F(AuditIndexCheckerTest, AnEntryOfAnotherRecordIsNamed) {
  auto problem = checker_.Check("cases/B", {"1-0", "2-0"});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->stream_id, "1-0");
  EXPECT_EQ(problem->detail, "lists entry 1, which does not name cases/B");
  // An index no entry calls for is foreign all through.
  problem = checker_.Check("cases/none", {"3-0"});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->stream_id, "3-0");
}

TEST_F(AuditIndexCheckerTest, AnIdNotOnTheTrailIsNamed) {
  auto problem = checker_.Check("cases/B", {"2-0", "9-0"});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->stream_id, "9-0");
  EXPECT_EQ(problem->detail, "lists an id that is not on the trail");
}

TEST_F(AuditIndexCheckerTest, AMissingEntryIsNamed) {
  auto problem = checker_.Check("cases/A", {"1-0", "3-0"});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->stream_id, "2-0");
  EXPECT_EQ(problem->detail, "misses entry 2, which names cases/A");
  EXPECT_TRUE(checker_.Check("cases/B", {}).has_value());  // the whole list removed
}

TEST_F(AuditIndexCheckerTest, ATwiceListedEntryIsNamed) {
  auto problem = checker_.Check("cases/B", {"2-0", "2-0"});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->detail, "lists entry 2 twice");
}

TEST_F(AuditIndexCheckerTest, OrderIsChecked) {
  auto problem = checker_.Check("cases/A", {"1-0", "3-0", "2-0"});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->stream_id, "3-0");
  EXPECT_EQ(problem->detail, "lists entry 3 out of stream order");
}

}  // namespace
}  // namespace wahana
