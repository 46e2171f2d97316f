// The audit trail against a private Redis: concurrent appends are group-committed, two writers
// (replicas) on one trail keep one unbroken chain, every subject is indexed, a failed write is
// reported, and `wahana-audit verify` passes an untouched trail and names a removed or altered
// entry, a rewritten readable copy, a forged second entry field and a subject index that lists a
// foreign id or misses one.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/audit/audit_metrics.h"
#include "common/audit/audit_trail.h"
#include "common/audit/audit_verify.h"
#include "support/child_process.h"
#include "support/redis_server.h"

namespace wahana {
namespace {

constexpr char kSecret[] = "audit-test-secret-0123456789abcdef0123";

audit::v1::AuditEntry Entry(const std::string& subject, const std::string& action = "GetCase") {
  audit::v1::AuditEntry entry;
  entry.set_subject(subject);
  entry.set_action(action);
  entry.set_principal_id("test:operator");
  entry.set_role("OPERATOR");
  entry.set_outcome_code("OK");
  return entry;
}

std::vector<std::string> Strings(const RedisReply& reply) {
  std::vector<std::string> out;
  for (const RedisReply& e : reply.elements) out.push_back(e.str);
  return out;
}

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override { redis_ = server_.Client(); }

  AuditVerification Verify(const std::string& service = "case") {
    absl::StatusOr<AuditVerification> v = VerifyAuditTrail(
        *redis_, AuditKeys(service, "16.06"), AuditChain(AuditChain::DeriveKey(kSecret)));
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : AuditVerification{};
  }

  std::unique_ptr<AuditTrail> MakeTrail(AuditTrailOptions options = {}) {
    return std::make_unique<AuditTrail>(*redis_, "case", "16.06", AuditChain::DeriveKey(kSecret),
                                        options);
  }

  testing::RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
};

TEST_F(AuditTrailTest, AppendWritesChainedEntryAndIndexesEverySubject) {
  auto trail = MakeTrail();
  // The indexes come from the entry itself: its subject and returned subjects, each once.
  audit::v1::AuditEntry entry = Entry("cases?region=16.06", "ListCases");
  for (const char* returned : {"cases/A", "cases/B", "cases/A"}) {
    entry.add_returned_subjects(returned);
  }
  ASSERT_TRUE(trail->AppendAndWait(entry).ok());
  ASSERT_TRUE(trail->AppendAndWait(Entry("cases/A")).ok());

  auto range = redis_->Command({"XRANGE", "case:{16.06}:audit", "-", "+"});
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->elements.size(), 2u);
  const std::string first_id = range->elements[0].elements[0].str;
  const std::string second_id = range->elements[1].elements[0].str;
  std::map<std::string, std::string> fields;
  const auto& pairs = range->elements[0].elements[1].elements;
  for (size_t i = 0; i + 1 < pairs.size(); i += 2) fields[pairs[i].str] = pairs[i + 1].str;
  EXPECT_EQ(fields["seq"], "1");
  EXPECT_EQ(fields["prev"], kGenesisHash);
  EXPECT_EQ(fields["subject"], "cases?region=16.06");
  EXPECT_EQ(fields["action"], "ListCases");
  audit::v1::AuditEntry stored;
  ASSERT_TRUE(stored.ParseFromString(fields["entry"]));
  EXPECT_EQ(stored.sequence(), 1);
  EXPECT_EQ(stored.service(), "case");
  EXPECT_EQ(stored.principal_id(), "test:operator");

  auto a = redis_->Command({"LRANGE", "case:{16.06}:audit:subject:cases/A", "0", "-1"});
  auto b = redis_->Command({"LRANGE", "case:{16.06}:audit:subject:cases/B", "0", "-1"});
  auto list =
      redis_->Command({"LRANGE", "case:{16.06}:audit:subject:cases?region=16.06", "0", "-1"});
  ASSERT_TRUE(a.ok() && b.ok() && list.ok());
  EXPECT_EQ(Strings(*a), (std::vector<std::string>{first_id, second_id}));
  EXPECT_EQ(Strings(*b), (std::vector<std::string>{first_id}));
  EXPECT_EQ(Strings(*list), (std::vector<std::string>{first_id}));

  auto head = ReadAuditHead(*redis_, trail->keys());
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->sequence, 2);
  EXPECT_TRUE(Verify().ok);
}

TEST_F(AuditTrailTest, ConcurrentAppendsAreGroupCommitted) {
  auto trail = MakeTrail();
  constexpr int kThreads = 16, kPerThread = 50;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string subject = absl::StrCat("cases/T", t);
        if (!trail->AppendAndWait(Entry(subject)).ok()) failed.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(trail->failures(), 0);
  // 16 callers waiting at once: batches hold several entries, so far fewer scripts than entries.
  EXPECT_LT(trail->scripts(), kThreads * kPerThread);
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << DescribeVerification(v);
  EXPECT_EQ(v.entries, kThreads * kPerThread);
  auto index = redis_->Command({"LLEN", "case:{16.06}:audit:subject:cases/T3"});
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->integer, kPerThread);
}

TEST_F(AuditTrailTest, TwoWritersOnOneTrailKeepOneChain) {
  // Two replicas of a service: each caches the head it last wrote, so every other batch meets a
  // moved head, re-chains and retries.
  auto first = MakeTrail();
  auto second = MakeTrail();
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (AuditTrail* trail : {first.get(), second.get()}) {
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, trail, t] {
        for (int i = 0; i < 40; ++i) {
          if (!trail->AppendAndWait(Entry(absl::StrCat("cases/W", t))).ok()) {
            failed.fetch_add(1);
          }
        }
      });
    }
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << DescribeVerification(v);
  EXPECT_EQ(v.entries, 2 * 4 * 40);
}

TEST_F(AuditTrailTest, WriterChainsAfterAnotherReplicasHead) {
  auto first = MakeTrail();
  ASSERT_TRUE(first->AppendAndWait(Entry("cases/A")).ok());
  auto second = MakeTrail();
  ASSERT_TRUE(second->AppendAndWait(Entry("cases/B")).ok());
  const int64_t scripts_before = first->scripts();
  // `first` still believes the head is at 1: the script refuses, `first` re-chains after 2.
  ASSERT_TRUE(first->AppendAndWait(Entry("cases/C")).ok());
  EXPECT_EQ(first->scripts() - scripts_before, 2);
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << DescribeVerification(v);
  EXPECT_EQ(v.entries, 3);
}

TEST_F(AuditTrailTest, AnotherWritersTurnIsWaitedForUntilItLapses) {
  // A writer that met a moved head holds the next turn (so the replica that wrote last cannot win
  // every race and starve it); the others wait for it rather than write.
  auto first = MakeTrail();
  auto second = MakeTrail();
  ASSERT_TRUE(second->AppendAndWait(Entry("cases/A")).ok());
  ASSERT_TRUE(first->AppendAndWait(Entry("cases/B")).ok());
  ASSERT_TRUE(redis_
                  ->Command({"HSET", "case:{16.06}:audit:head", "claim", "another-writer",
                             "claim_until", "99999999999999"})
                  .ok());
  AuditTrailOptions impatient;
  impatient.max_wait_for_turn = absl::Milliseconds(50);
  auto third = MakeTrail(impatient);
  absl::Status refused = third->AppendAndWait(Entry("cases/C"));
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable) << refused;
  EXPECT_NE(refused.message().find("another writer held the turn"), std::string::npos) << refused;
  EXPECT_EQ(Verify().entries, 2);

  // A claim whose holder died lapses; the next write clears it.
  ASSERT_TRUE(redis_->Command({"HSET", "case:{16.06}:audit:head", "claim_until", "1"}).ok());
  ASSERT_TRUE(third->AppendAndWait(Entry("cases/C")).ok());
  auto claim = redis_->Command({"HEXISTS", "case:{16.06}:audit:head", "claim"});
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ(claim->integer, 0);
  AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << DescribeVerification(v);
  EXPECT_EQ(v.entries, 3);
}

// The value of the one sample of family `name` in what `collector` reports, or -1.
double CollectedCounter(const AuditTrailCollector& collector, const std::string& name) {
  for (const prometheus::MetricFamily& family : collector.Collect()) {
    if (family.name == name && family.metric.size() == 1 && family.metric[0].label.size() == 1 &&
        family.metric[0].label[0].value == "case") {
      return family.metric[0].counter.value;
    }
  }
  return -1;
}

TEST_F(AuditTrailTest, UnreachableRedisFailsTheAppendAndTheMetricsSayIt) {
  std::shared_ptr<AuditTrail> trail = MakeTrail();
  AuditTrailCollector collector(trail);
  ASSERT_TRUE(trail->AppendAndWait(Entry("cases/A")).ok());
  EXPECT_EQ(CollectedCounter(collector, "wahana_audit_entries_failed_total"), 0);
  EXPECT_EQ(CollectedCounter(collector, "wahana_audit_scripts_total"), 1);
  server_.Kill();
  absl::Status status = trail->AppendAndWait(Entry("cases/A"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_EQ(trail->failures(), 1);
  EXPECT_EQ(CollectedCounter(collector, "wahana_audit_entries_failed_total"), 1);
}

TEST_F(AuditTrailTest, AppendAfterStopFailsAtOnce) {
  auto trail = MakeTrail();
  trail->Stop();
  EXPECT_EQ(trail->AppendAndWait(Entry("cases/A")).code(), absl::StatusCode::kUnavailable);
}

// wahana-audit verify, as an operator runs it.
class AuditToolTest : public AuditTrailTest {
 protected:
  void SetUp() override {
    AuditTrailTest::SetUp();
    secret_file_ = absl::StrCat(server_.dir(), "/token-secret");
    std::ofstream(secret_file_) << kSecret << "\n";
    auto trail = MakeTrail();
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(trail->AppendAndWait(Entry(absl::StrCat("cases/", i))).ok());
    }
    auto range = redis_->Command({"XRANGE", "case:{16.06}:audit", "-", "+"});
    ASSERT_TRUE(range.ok());
    for (const RedisReply& m : range->elements) ids_.push_back(m.elements[0].str);
  }

  // Runs the tool; returns the exit code, output in `output`.
  int Run(const std::string& args, std::string* output) {
    std::string command = absl::StrCat(
        "env WAHANA_REGION=16.06 WAHANA_REDIS_HOST=127.0.0.1 WAHANA_REDIS_PORT=", server_.port(),
        " WAHANA_TOKEN_SECRET_FILE=", secret_file_, " ", WAHANA_AUDIT_BIN, " ", args, " 2>&1");
    return wahana::testing::RunCommand(command, output);
  }

  // A stream entry cannot be edited in place: rebuilds the stream with the same ids, `field` of
  // the entry at `position` passed through `rewrite`; with `prepend`, that entry starts with it.
  void RewriteField(size_t position, const std::string& field,
                    const std::function<void(std::string&)>& rewrite,
                    const std::vector<std::string>& prepend = {}) {
    auto range = redis_->Command({"XRANGE", "case:{16.06}:audit", "-", "+"});
    ASSERT_TRUE(range.ok());
    ASSERT_TRUE(redis_->Command({"DEL", "case:{16.06}:audit"}).ok());
    for (size_t i = 0; i < range->elements.size(); ++i) {
      std::vector<std::string> xadd = {"XADD", "case:{16.06}:audit",
                                       range->elements[i].elements[0].str};
      if (i == position) xadd.insert(xadd.end(), prepend.begin(), prepend.end());
      const auto& pairs = range->elements[i].elements[1].elements;
      for (size_t f = 0; f + 1 < pairs.size(); f += 2) {
        std::string value = pairs[f + 1].str;
        if (i == position && pairs[f].str == field) rewrite(value);
        xadd.push_back(pairs[f].str);
        xadd.push_back(value);
      }
      ASSERT_TRUE(redis_->Command(xadd).ok());
    }
  }

  std::string secret_file_;
  std::vector<std::string> ids_;
};

TEST_F(AuditToolTest, UntouchedTrailVerifies) {
  std::string output;
  EXPECT_EQ(Run("verify", &output), 0) << output;
  EXPECT_NE(output.find("case: OK: 5 entries"), std::string::npos) << output;
  EXPECT_NE(output.find("registry: OK: 0 entries"), std::string::npos) << output;
  EXPECT_EQ(Run("verify --service=case", &output), 0) << output;
  EXPECT_EQ(output, "case: OK: 5 entries\n");
}

TEST_F(AuditToolTest, DeletedEntryIsNamed) {
  ASSERT_TRUE(redis_->Command({"XDEL", "case:{16.06}:audit", ids_[2]}).ok());
  std::string output;
  EXPECT_EQ(Run("verify --service case", &output), 1) << output;
  EXPECT_NE(output.find("BROKEN"), std::string::npos) << output;
  EXPECT_NE(output.find(ids_[3]), std::string::npos) << output;  // where the gap is seen
  EXPECT_NE(output.find("missing"), std::string::npos) << output;
  EXPECT_NE(output.find("entry 3 was removed"), std::string::npos) << output;
}

TEST_F(AuditToolTest, RewrittenEntryIsNamed) {
  RewriteField(1, "entry", [](std::string& value) {
    audit::v1::AuditEntry entry;
    ASSERT_TRUE(entry.ParseFromString(value));
    entry.set_principal_id("test:nobody");
    value = SerializeAuditEntry(entry);
  });
  std::string output;
  EXPECT_EQ(Run("verify --service=case", &output), 1) << output;
  EXPECT_NE(output.find(absl::StrCat("entry ", ids_[1], " (seq 2): altered")), std::string::npos)
      << output;
}

// A stream message may hold a field name twice: a forged entry put before the real one (which a
// reader taking the first copy would show) is named, though the real copy still hashes.
TEST_F(AuditToolTest, ForgedSecondEntryFieldIsNamed) {
  audit::v1::AuditEntry forged = Entry("cases/1");
  forged.set_sequence(2);
  forged.set_principal_id("test:nobody");
  RewriteField(1, "entry", [](std::string&) {}, {"entry", SerializeAuditEntry(forged)});
  std::string output;
  EXPECT_EQ(Run("verify --service=case", &output), 1) << output;
  EXPECT_EQ(output, absl::StrCat("case: BROKEN: entry ", ids_[1],
                                 " (seq 2): altered: the message holds entry twice\n"));
}

// Who, what and to what are shown from the hashed entry; the readable copies must agree with it.
TEST_F(AuditToolTest, RewrittenReadableCopyIsNamed) {
  for (const char* field : {"who", "subject", "action"}) {
    RewriteField(2, field, [](std::string& value) { value = "test:nobody (ADMIN)"; });
    std::string output;
    EXPECT_EQ(Run("verify --service=case", &output), 1) << field << ": " << output;
    EXPECT_NE(output.find(absl::StrCat("entry ", ids_[2], " (seq 3): altered: the readable ", field,
                                       " is not the entry's")),
              std::string::npos)
        << output;
    // Put it back for the next field.
    RewriteField(2, field, [&](std::string& value) {
      audit::v1::AuditEntry entry = Entry(absl::StrCat("cases/", 2));
      for (const auto& [name, copy] : ReadableAuditFields(entry)) {
        if (name == field) value = copy;
      }
    });
  }
  std::string output;
  EXPECT_EQ(Run("verify --service=case", &output), 0) << output;
}

TEST_F(AuditToolTest, IndexListingAnotherRecordsEntryIsNamed) {
  // cases/1's index also lists the entry about cases/3.
  ASSERT_TRUE(redis_->Command({"RPUSH", "case:{16.06}:audit:subject:cases/1", ids_[3]}).ok());
  std::string output;
  EXPECT_EQ(Run("verify --service=case", &output), 1) << output;
  EXPECT_EQ(output, absl::StrCat("case: BROKEN: index case:{16.06}:audit:subject:cases/1: entry ",
                                 ids_[3], ": lists entry 4, which does not name cases/1\n"));
}

TEST_F(AuditToolTest, IndexListingAnIdNotOnTheTrailIsNamed) {
  ASSERT_TRUE(redis_->Command({"RPUSH", "case:{16.06}:audit:subject:cases/9", "1-0"}).ok());
  std::string output;
  EXPECT_EQ(Run("verify --service=case", &output), 1) << output;
  EXPECT_NE(output.find("index case:{16.06}:audit:subject:cases/9: entry 1-0: lists an id that is "
                        "not on the trail"),
            std::string::npos)
      << output;
}

TEST_F(AuditToolTest, IndexMissingAnEntryIsNamed) {
  ASSERT_TRUE(redis_->Command({"DEL", "case:{16.06}:audit:subject:cases/2"}).ok());
  std::string output;
  EXPECT_EQ(Run("verify --service=case", &output), 1) << output;
  EXPECT_NE(output.find(absl::StrCat("index case:{16.06}:audit:subject:cases/2: entry ", ids_[2],
                                     ": misses entry 3, which names cases/2")),
            std::string::npos)
      << output;
}

TEST_F(AuditToolTest, IndexOutOfOrderIsNamed) {
  auto trail = MakeTrail();
  ASSERT_TRUE(trail->AppendAndWait(Entry("cases/0")).ok());
  auto last = redis_->Command({"LPOP", "case:{16.06}:audit:subject:cases/0"});
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(redis_->Command({"RPUSH", "case:{16.06}:audit:subject:cases/0", ids_[0]}).ok());
  std::string output;
  EXPECT_EQ(Run("verify --service=case", &output), 1) << output;
  EXPECT_NE(output.find("out of stream order"), std::string::npos) << output;
}

TEST_F(AuditToolTest, HeadOverwrittenIsNamed) {
  ASSERT_TRUE(
      redis_->Command({"HSET", "case:{16.06}:audit:head", "hash", std::string(64, '1')}).ok());
  std::string output;
  EXPECT_EQ(Run("verify --service=case", &output), 1) << output;
  EXPECT_NE(output.find("BROKEN: head"), std::string::npos) << output;
}

TEST_F(AuditToolTest, WrongSecretFails) {
  std::ofstream(secret_file_) << "another-secret-0123456789abcdef0123456\n";
  std::string output;
  EXPECT_EQ(Run("verify --service=case", &output), 1) << output;
  EXPECT_NE(output.find("altered"), std::string::npos) << output;
}

TEST_F(AuditToolTest, BadUsageExits2) {
  std::string output;
  EXPECT_EQ(Run("verify --service=event", &output), 2) << output;
  EXPECT_EQ(Run("check", &output), 2) << output;
}

}  // namespace
}  // namespace wahana
