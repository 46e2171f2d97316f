// The audit trail's hash chain without Redis: an intact chain verifies; an altered, removed or
// moved entry, a rewritten readable copy, a field held twice, a moved head and a chain forged
// without the key are each found and named.

#include "common/audit/audit_chain.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/audit/audit_verify.h"

namespace wahana {
namespace {

struct Message {
  std::string id;
  std::map<std::string, std::string> fields;
};

class AuditChainTest : public ::testing::Test {
 protected:
  AuditChainTest() : chain_(AuditChain::DeriveKey("deployment-secret-0123456789abcdef")) {}

  // A trail of `n` entries as the stream would hold it, and its head.
  std::vector<Message> Trail(int n, const AuditChain& chain) {
    std::vector<audit::v1::AuditEntry> entries(n);
    for (int i = 0; i < n; ++i) {
      entries[i].set_subject(absl::StrCat("cases/C", i));
      entries[i].set_action("GetCase");
      entries[i].set_principal_id("op");
    }
    std::vector<SealedAuditEntry> sealed = chain.Seal(AuditHead{}, entries);
    std::vector<Message> trail;
    for (int i = 0; i < n; ++i) {
      trail.push_back({absl::StrCat("1700000000000-", i),
                       {{"seq", std::to_string(sealed[i].sequence)},
                        {"prev", sealed[i].prev},
                        {"hash", sealed[i].hash},
                        {"entry", sealed[i].bytes}}});
      for (const auto& [name, value] : ReadableAuditFields(entries[i])) {
        trail.back().fields[name] = value;
      }
    }
    head_ = AuditHead{n, sealed.back().hash};
    return trail;
  }

  AuditVerification Verify(const std::vector<Message>& trail) {
    AuditChainChecker checker(chain_);
    for (const Message& m : trail) checker.Add(m.id, m.fields);
    return checker.Finish(head_);
  }

  AuditChain chain_;
  AuditHead head_;
};

TEST_F(AuditChainTest, IntactChainVerifies) {
  AuditVerification v = Verify(Trail(5, chain_));
  EXPECT_TRUE(v.ok) << DescribeVerification(v);
  EXPECT_EQ(v.entries, 5);
  EXPECT_EQ(DescribeVerification(v), "OK: 5 entries");
}

TEST_F(AuditChainTest, EmptyTrailVerifies) {
  AuditChainChecker checker(chain_);
  AuditVerification v = checker.Finish(AuditHead{});
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.entries, 0);
}

TEST_F(AuditChainTest, SealNumbersAndLinksEntries) {
  std::vector<audit::v1::AuditEntry> entries(2);
  std::vector<SealedAuditEntry> sealed = chain_.Seal(AuditHead{7, std::string(64, 'a')}, entries);
  EXPECT_EQ(entries[0].sequence(), 8);
  EXPECT_EQ(entries[1].sequence(), 9);
  EXPECT_EQ(sealed[0].prev, std::string(64, 'a'));
  EXPECT_EQ(sealed[1].prev, sealed[0].hash);
  EXPECT_EQ(sealed[0].hash, chain_.Hash(sealed[0].prev, SerializeAuditEntry(entries[0])));
  EXPECT_EQ(sealed[0].hash.size(), 64u);
}

TEST_F(AuditChainTest, AlteredEntryIsNamed) {
  std::vector<Message> trail = Trail(5, chain_);
  audit::v1::AuditEntry entry;
  ASSERT_TRUE(entry.ParseFromString(trail[2].fields["entry"]));
  entry.set_principal_id("someone-else");
  trail[2].fields["entry"] = SerializeAuditEntry(entry);
  AuditVerification v = Verify(trail);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.stream_id, trail[2].id);
  EXPECT_EQ(v.sequence, 3);
  EXPECT_EQ(v.kind, "altered");
  EXPECT_NE(DescribeVerification(v).find(trail[2].id), std::string::npos);
}

TEST_F(AuditChainTest, AlteredEntryWithRecomputedPlainHashIsFound) {
  // Someone without the key re-hashes an entry and relinks the next one with a guessed key.
  std::vector<Message> trail = Trail(3, chain_);
  AuditChain forger(AuditChain::DeriveKey("guessed-secret"));
  trail[1].fields["hash"] = forger.Hash(trail[1].fields["prev"], trail[1].fields["entry"]);
  trail[2].fields["prev"] = trail[1].fields["hash"];
  AuditVerification v = Verify(trail);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.sequence, 2);
  EXPECT_EQ(v.kind, "altered");
}

TEST_F(AuditChainTest, ChainForgedWithoutTheKeyFails) {
  AuditChain forger(AuditChain::DeriveKey("not-the-deployment-secret"));
  std::vector<Message> forged = Trail(4, forger);
  AuditVerification v = Verify(forged);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.sequence, 1);
  EXPECT_EQ(v.kind, "altered");
}

TEST_F(AuditChainTest, DeletedEntryIsMissing) {
  std::vector<Message> trail = Trail(5, chain_);
  trail.erase(trail.begin() + 1);
  AuditVerification v = Verify(trail);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, "missing");
  EXPECT_EQ(v.sequence, 3);  // found where 2 was expected
  EXPECT_NE(v.detail.find("entry 2 was removed"), std::string::npos) << v.detail;
}

TEST_F(AuditChainTest, DeletedLastEntryIsFoundByTheHead) {
  std::vector<Message> trail = Trail(5, chain_);
  trail.pop_back();
  AuditVerification v = Verify(trail);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, "missing");
  EXPECT_EQ(v.sequence, 5);
}

TEST_F(AuditChainTest, ReorderedEntriesAreNamed) {
  std::vector<Message> trail = Trail(5, chain_);
  std::swap(trail[1].fields, trail[2].fields);
  AuditVerification v = Verify(trail);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, "reordered");
  EXPECT_EQ(v.stream_id, trail[1].id);
}

TEST_F(AuditChainTest, MovedHeadIsAltered) {
  std::vector<Message> trail = Trail(3, chain_);
  head_.hash = std::string(64, 'f');
  AuditVerification v = Verify(trail);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, "altered");
  EXPECT_EQ(DescribeVerification(v).rfind("BROKEN: head", 0), 0u);
}

TEST_F(AuditChainTest, MissingFieldIsAltered) {
  std::vector<Message> trail = Trail(3, chain_);
  trail[0].fields.erase("hash");
  AuditVerification v = Verify(trail);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, "altered");
  EXPECT_EQ(v.stream_id, trail[0].id);
}

TEST_F(AuditChainTest, ReadableCopiesAreTheEntrys) {
  std::vector<Message> trail = Trail(1, chain_);
  EXPECT_EQ(trail[0].fields["subject"], "cases/C0");
  EXPECT_EQ(trail[0].fields["action"], "GetCase");
  EXPECT_EQ(trail[0].fields["who"], "op ()");
}

// The readable copies are not hashed themselves: a rewritten one no longer matches the entry.
TEST_F(AuditChainTest, RewrittenReadableCopyIsAltered) {
  for (const char* field : {"subject", "action", "who"}) {
    std::vector<Message> trail = Trail(3, chain_);
    trail[1].fields[field] = "rewritten";
    AuditVerification v = Verify(trail);
    EXPECT_FALSE(v.ok) << field;
    EXPECT_EQ(v.kind, "altered") << field;
    EXPECT_EQ(v.stream_id, trail[1].id) << field;
    EXPECT_EQ(v.detail, absl::StrCat("the readable ", field, " is not the entry's"));
  }
}

TEST_F(AuditChainTest, MissingReadableCopyIsAltered) {
  std::vector<Message> trail = Trail(2, chain_);
  trail[0].fields.erase("who");
  AuditVerification v = Verify(trail);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.stream_id, trail[0].id);
}

// A stream message can hold a field name twice: a forged entry beside the real one (either
// order) is altered, though the real copy alone would verify.
TEST_F(AuditChainTest, AFieldHeldTwiceIsAltered) {
  std::vector<Message> trail = Trail(3, chain_);
  audit::v1::AuditEntry forged;
  ASSERT_TRUE(forged.ParseFromString(trail[1].fields["entry"]));
  forged.set_principal_id("test:nobody");
  for (bool forged_first : {true, false}) {
    AuditChainChecker checker(chain_);
    for (size_t i = 0; i < trail.size(); ++i) {
      std::vector<std::pair<std::string, std::string>> fields(trail[i].fields.begin(),
                                                              trail[i].fields.end());
      if (i == 1) {
        auto at = forged_first ? fields.begin() : fields.end();
        fields.insert(at, {"entry", SerializeAuditEntry(forged)});
      }
      checker.Add(trail[i].id, fields);
    }
    AuditVerification v = checker.Finish(head_);
    EXPECT_FALSE(v.ok) << forged_first;
    EXPECT_EQ(v.kind, "altered");
    EXPECT_EQ(v.stream_id, trail[1].id);
    EXPECT_EQ(v.detail, "the message holds entry twice");
  }
  // As pairs, an untouched trail still verifies.
  AuditChainChecker checker(chain_);
  for (const Message& m : trail) {
    checker.Add(m.id,
                std::vector<std::pair<std::string, std::string>>(m.fields.begin(), m.fields.end()));
  }
  EXPECT_TRUE(checker.Finish(head_).ok);
}

TEST(AuditChainKeyTest, KeyDependsOnTheSecret) {
  EXPECT_EQ(AuditChain::DeriveKey("a").size(), 32u);
  EXPECT_NE(AuditChain::DeriveKey("a"), AuditChain::DeriveKey("b"));
  EXPECT_NE(AuditChain::DeriveKey("a"), "a");
}

}  // namespace
}  // namespace wahana
