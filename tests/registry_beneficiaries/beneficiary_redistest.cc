// Beneficiaries against a real Redis: the logic and RedisBeneficiaryStore together (the record,
// the unique NIK index, the duplicate-candidate index, the stream), the import script (the same
// keys as a create; the same rows twice change nothing), and the client-streaming import over a
// real gRPC server. Regions come from a small fake (the region store has its own tests).

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/grpc/worker_pool.h"
#include "common/storage/lex_index.h"
#include "registry/beneficiaries/beneficiary_grpc_service.h"
#include "registry/beneficiaries/beneficiary_indexing.h"
#include "registry/beneficiaries/beneficiary_logic.h"
#include "registry/beneficiaries/redis_beneficiary_store.h"
#include "registry/beneficiaries/test_regions.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"
#include "support/test_auth.h"
#include "support/test_principals.h"

namespace wahana::testing {
namespace {

using wahana::registry::BeneficiaryLogic;
using wahana::registry::RedisBeneficiaryStore;
using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::BeneficiaryChanged;
using wahana::registry::v1::ImportBeneficiariesRequest;
using wahana::registry::v1::ImportBeneficiariesResponse;

constexpr char kRegion[] = "16.06";
constexpr char kStream[] = "registry:{16.06}:stream";

Beneficiary Person(int i, const std::string& nik = "") {
  Beneficiary b;
  b.set_nik(nik);
  b.set_full_name(absl::StrCat("Warga ", i));
  b.set_sex(Beneficiary::MALE);
  b.set_birth_date(absl::StrFormat("1980-01-%02d", 1 + i % 28));
  b.set_village_code(i % 2 == 0 ? "16.06.01.2001" : "16.06.02.2001");
  b.add_ppks_categories(wahana::common::v1::FAKIR_MISKIN);
  return b;
}

// A valid NIK for Person(i): a man born on its day of January 1980, serial i.
std::string NikOf(int i) { return absl::StrFormat("160601%02d0180%04d", 1 + i % 28, i + 1); }

ImportBeneficiariesRequest Rows(int from, int to, bool with_nik) {
  ImportBeneficiariesRequest request;
  for (int i = from; i < to; ++i) {
    auto* row = request.add_rows();
    row->set_line(i + 2);
    *row->mutable_beneficiary() = Person(i, with_nik ? NikOf(i) : "");
  }
  return request;
}

class BeneficiaryRedisTest : public ::testing::Test {
 protected:
  BeneficiaryRedisTest()
      : redis_(server_.Client()),
        store_(std::make_shared<RedisBeneficiaryStore>(*redis_, kRegion)),
        logic_(kRegion, store_, std::make_shared<registry::RegionRules>(regions_, kRegion)) {}

  std::string RecordKey(const std::string& id) { return "registry:{16.06}:beneficiary:" + id; }

  // Every key and its content (hash fields or sorted-set members), for before/after comparisons;
  // the stream by its length.
  std::map<std::string, std::string> Snapshot() {
    std::map<std::string, std::string> out;
    for (const std::string& key : Keys(*redis_, "*")) {
      auto type = redis_->Command({"TYPE", key});
      std::string content = type->str;
      if (type->str == "hash") {
        auto all = redis_->Command({"HGETALL", key});
        for (const auto& e : all->elements) content += "|" + e.str;
      } else if (type->str == "zset") {
        auto all = redis_->Command({"ZRANGE", key, "0", "-1"});
        for (const auto& e : all->elements) content += "|" + e.str;
      } else if (type->str == "stream") {
        content += "|" + std::to_string(StreamLength(*redis_, key));
      }
      out[key] = content;
    }
    return out;
  }

  registry::testing::FakeRegionStore regions_;
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<RedisBeneficiaryStore> store_;
  BeneficiaryLogic logic_;
};

TEST_F(BeneficiaryRedisTest, CreateWritesRecordIndexesAndMessageTogether) {
  wahana::registry::v1::CreateBeneficiaryRequest request;
  *request.mutable_beneficiary() = Person(0, NikOf(0));
  request.mutable_beneficiary()->set_full_name(
      "Siti Nur\xE2\x80\x99"
      "aini عائشة");
  auto created = logic_.CreateBeneficiary(TestPrincipal(Role::kAdmin), request);
  ASSERT_TRUE(created.ok()) << created.status();

  auto pb = redis_->Command({"HGET", RecordKey(created->id()), "pb"});
  Beneficiary stored;
  ASSERT_TRUE(stored.ParseFromString(pb->str));
  EXPECT_EQ(stored.SerializeAsString(), created->SerializeAsString());
  EXPECT_EQ(stored.full_name(),
            "Siti Nur\xE2\x80\x99"
            "aini عائشة");
  EXPECT_EQ(redis_->Command({"HGET", RecordKey(created->id()), "etag"})->str, "1");
  // The unique NIK index and the duplicate-candidate index name it.
  auto by_nik = store_->FindUnique("nik", NikOf(0));
  ASSERT_TRUE(by_nik.ok() && by_nik->has_value());
  EXPECT_EQ((*by_nik)->id(), created->id());
  auto similar = store_->FindIndexed("duplicate", registry::DuplicateKeyOf(stored), 10);
  ASSERT_TRUE(similar.ok());
  ASSERT_EQ(similar->size(), 1u);
  EXPECT_EQ(ExactIndexMembers(*redis_, "registry:{16.06}:index:beneficiary:unique-ids:nik"),
            std::vector<std::string>{absl::StrCat(NikOf(0), "|", created->id())});
  // Its message.
  auto messages = StreamMessages(*redis_, kStream);
  ASSERT_EQ(messages.size(), 1u);
  BeneficiaryChanged changed;
  ASSERT_TRUE(messages[0].payload().UnpackTo(&changed));
  EXPECT_EQ(changed.action(), "created");
  EXPECT_EQ(changed.beneficiary().id(), created->id());
  EXPECT_EQ(messages[0].region_code(), "16.06.01.2001");
}

TEST_F(BeneficiaryRedisTest, ADuplicateNikWritesNothingAndNamesTheHolder) {
  wahana::registry::v1::CreateBeneficiaryRequest request;
  *request.mutable_beneficiary() = Person(0, NikOf(0));
  auto first = logic_.CreateBeneficiary(TestPrincipal(Role::kAdmin), request);
  ASSERT_TRUE(first.ok());
  auto before = Snapshot();
  request.mutable_beneficiary()->set_full_name("Orang Lain");
  auto second = logic_.CreateBeneficiary(TestPrincipal(Role::kAdmin), request);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(second.status().message(), "nik: already used by beneficiary " + first->id());
  EXPECT_EQ(Snapshot(), before);
}

// The NIK is unique in the whole deployment; a holder outside the caller's scope is not named
// (common/resource/taken_value.h), in a create, an update or an import row alike.
TEST_F(BeneficiaryRedisTest, ANikHeldOutsideTheScopeWritesNothingAndNamesNoHolder) {
  wahana::registry::v1::CreateBeneficiaryRequest lais;
  *lais.mutable_beneficiary() = Person(1, NikOf(1));  // 16.06.02.2001
  auto holder = logic_.CreateBeneficiary(TestPrincipal(Role::kAdmin), lais);
  ASSERT_TRUE(holder.ok()) << holder.status();
  const Principal sekayu_worker = TestPrincipal(Role::kFieldWorker, "16.06.01");
  wahana::registry::v1::CreateBeneficiaryRequest no_nik;
  *no_nik.mutable_beneficiary() = Person(2);  // 16.06.01.2001
  auto own = logic_.CreateBeneficiary(sekayu_worker, no_nik);
  ASSERT_TRUE(own.ok()) << own.status();
  const auto before = Snapshot();
  constexpr char kOutside[] =
      "nik: a beneficiary with this NIK is already registered outside your region";
  auto expect_hidden = [&](const absl::Status& status, const std::string& what) {
    EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << what << ": " << status;
    EXPECT_EQ(status.message(), kOutside) << what;
    EXPECT_EQ(status.message().find(holder->id()), absl::string_view::npos) << what;
    EXPECT_EQ(status.message().find("16.06.02"), absl::string_view::npos) << what;
  };

  wahana::registry::v1::CreateBeneficiaryRequest sekayu;
  *sekayu.mutable_beneficiary() = Person(0, NikOf(1));  // 16.06.01.2001
  expect_hidden(logic_.CreateBeneficiary(sekayu_worker, sekayu).status(), "create");

  wahana::registry::v1::UpdateBeneficiaryRequest update;
  update.mutable_beneficiary()->set_id(own->id());
  update.mutable_beneficiary()->set_etag(own->etag());
  update.mutable_beneficiary()->set_nik(NikOf(1));
  update.mutable_update_mask()->add_paths("nik");
  expect_hidden(logic_.UpdateBeneficiary(sekayu_worker, update).status(), "update");

  ImportBeneficiariesRequest rows;
  *rows.add_rows()->mutable_beneficiary() = Person(0, NikOf(1));
  auto import = logic_.StartImport(sekayu_worker);
  ASSERT_TRUE(import->AddBatch(rows).ok());
  ASSERT_EQ(import->totals().rejections_size(), 1);
  EXPECT_EQ(import->totals().rejections(0).field(), "nik");
  EXPECT_EQ(import->totals().rejections(0).reason(),
            "a beneficiary with this NIK is already registered outside your region");

  EXPECT_EQ(Snapshot(), before) << "nothing stored changes";

  // A worker of Lais may read the holder, and is told which record it is.
  wahana::registry::v1::CreateBeneficiaryRequest in_lais;
  *in_lais.mutable_beneficiary() = Person(3, NikOf(1));  // 16.06.02.2001
  auto named = logic_.CreateBeneficiary(TestPrincipal(Role::kFieldWorker, "16.06.02"), in_lais);
  EXPECT_EQ(named.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(named.status().message(), "nik: already used by beneficiary " + holder->id());
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(BeneficiaryRedisTest, ImportedRecordsAreKeptAsCreatedOnesAre) {
  auto import = logic_.StartImport(TestPrincipal(Role::kAdmin));
  ASSERT_TRUE(import->AddBatch(Rows(0, 10, true)).ok());
  EXPECT_EQ(import->totals().created(), 10);
  // Found by NIK, by duplicate key, listed by region, and changed like any record.
  auto found = store_->FindUnique("nik", NikOf(4));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->full_name(), "Warga 4");
  wahana::registry::v1::ListBeneficiariesRequest list;
  list.set_region("16.06.01");
  auto page = logic_.ListBeneficiaries(TestPrincipal(Role::kAdmin), list);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->beneficiaries_size(), 5);
  wahana::registry::v1::UpdateBeneficiaryRequest update;
  update.mutable_beneficiary()->set_id((*found)->id());
  update.mutable_beneficiary()->set_etag((*found)->etag());
  update.mutable_beneficiary()->set_village_code("16.06.02.2001");
  update.mutable_update_mask()->add_paths("villageCode");
  auto moved = logic_.UpdateBeneficiary(TestPrincipal(Role::kAdmin), update);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(logic_.ListBeneficiaries(TestPrincipal(Role::kAdmin), list)->beneficiaries_size(), 4);
  wahana::registry::v1::ArchiveRequest archive;
  archive.set_id((*found)->id());
  archive.set_etag(moved->etag());
  ASSERT_TRUE(logic_.ArchiveBeneficiary(TestPrincipal(Role::kAdmin), archive).ok());
  // Twelve messages: ten imported, an update, an archive.
  auto messages = StreamMessages(*redis_, kStream);
  ASSERT_EQ(messages.size(), 12u);
  BeneficiaryChanged changed;
  ASSERT_TRUE(messages[0].payload().UnpackTo(&changed));
  EXPECT_EQ(changed.action(), "imported");
  EXPECT_EQ(messages[0].aggregate_version(), 1);
}

TEST_F(BeneficiaryRedisTest, TheSameRowsTwiceChangeNothing) {
  auto first = logic_.StartImport(TestPrincipal(Role::kAdmin));
  ASSERT_TRUE(first->AddBatch(Rows(0, 300, true)).ok());
  ASSERT_TRUE(first->AddBatch(Rows(300, 400, false)).ok());
  EXPECT_EQ(first->totals().created(), 400);
  auto before = Snapshot();
  const int64_t stream_length = StreamLength(*redis_, kStream);

  auto second = logic_.StartImport(TestPrincipal(Role::kAdmin));
  ASSERT_TRUE(second->AddBatch(Rows(0, 300, true)).ok());
  ASSERT_TRUE(second->AddBatch(Rows(300, 400, false)).ok());
  EXPECT_EQ(second->totals().received(), 400);
  EXPECT_EQ(second->totals().created(), 0);
  EXPECT_EQ(second->totals().unchanged(), 400);
  EXPECT_EQ(second->totals().rejected(), 0);
  EXPECT_EQ(StreamLength(*redis_, kStream), stream_length);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(BeneficiaryRedisTest, ImportFlagsPossibleDuplicatesAndRejectsOtherContentUnderANik) {
  auto first = logic_.StartImport(TestPrincipal(Role::kAdmin));
  ASSERT_TRUE(first->AddBatch(Rows(0, 2, true)).ok());
  ImportBeneficiariesRequest next;
  auto* similar = next.add_rows();
  similar->set_line(10);
  *similar->mutable_beneficiary() = Person(0);  // no NIK, same name, birth date and village
  similar->mutable_beneficiary()->set_address("Dusun II");
  auto* conflicting = next.add_rows();
  conflicting->set_line(11);
  *conflicting->mutable_beneficiary() = Person(1, NikOf(1));
  conflicting->mutable_beneficiary()->set_address("Dusun III");
  auto second = logic_.StartImport(TestPrincipal(Role::kAdmin));
  ASSERT_TRUE(second->AddBatch(next).ok());
  EXPECT_EQ(second->totals().created(), 1);
  ASSERT_EQ(second->totals().rejections_size(), 1);
  EXPECT_EQ(second->totals().rejections(0).line(), 11);
  auto holder = store_->FindUnique("nik", NikOf(1));
  EXPECT_EQ(second->totals().rejections(0).reason(),
            "already used by beneficiary " + (*holder)->id());
  auto candidates = store_->FindIndexed("duplicate", registry::DuplicateKeyOf(Person(0)), 10);
  ASSERT_EQ(candidates->size(), 2u);
  const Beneficiary& flagged = (*candidates)[1];
  ASSERT_EQ(flagged.review_flags_size(), 1);
  EXPECT_EQ(flagged.review_flags(0).code(), "POSSIBLE_DUPLICATE");
  EXPECT_EQ(flagged.address(), "Dusun II");
}

// Every member of a chunked index lies in the chunk with the greatest bound <= it, and no chunk
// outgrows kIndexChunkMax (lex_index.h): what the import script's shortcuts must keep.
void ExpectChunkedIndexConsistent(RedisClient& redis, const std::string& dir, size_t members) {
  auto bounds = redis.Command({"ZRANGE", dir, "0", "-1"});
  ASSERT_TRUE(bounds.ok());
  ASSERT_FALSE(bounds->elements.empty()) << dir;
  EXPECT_EQ(bounds->elements[0].str, "") << dir;
  size_t total = 0;
  for (size_t i = 0; i < bounds->elements.size(); ++i) {
    const std::string& bound = bounds->elements[i].str;
    auto chunk = redis.Command({"ZRANGE", dir + "|" + bound, "0", "-1"});
    ASSERT_TRUE(chunk.ok());
    EXPECT_LE(chunk->elements.size(), kIndexChunkMax) << dir << "|" << bound;
    for (const RedisReply& m : chunk->elements) {
      EXPECT_GE(m.str, bound) << dir;
      if (i + 1 < bounds->elements.size()) {
        EXPECT_LT(m.str, bounds->elements[i + 1].str) << dir;
      }
    }
    total += chunk->elements.size();
  }
  EXPECT_EQ(total, members) << dir;
}

TEST_F(BeneficiaryRedisTest, ImportKeepsChunkedIndexesConsistent) {
  // 2000 rows over two villages; every 10 rows share a name and birth date (possible duplicates
  // that are stored, flagged), so values repeat inside chunks and chunks split.
  auto import = logic_.StartImport(TestPrincipal(Role::kAdmin));
  for (int from = 0; from < 2000; from += 500) {
    ImportBeneficiariesRequest batch;
    for (int i = from; i < from + 500; ++i) {
      auto* row = batch.add_rows();
      row->set_line(i + 2);
      Beneficiary b = Person(i / 10, NikOf(i));
      b.set_birth_date(absl::StrFormat("1980-01-%02d", 1 + i % 28));
      b.set_full_name(absl::StrCat("Warga ", (i / 10) % 7));
      b.set_address(absl::StrCat("Rumah ", i));
      *row->mutable_beneficiary() = b;
    }
    ASSERT_TRUE(import->AddBatch(batch).ok());
  }
  ASSERT_EQ(import->totals().created(), 2000) << import->totals().DebugString().substr(0, 500);
  const std::string index = "registry:{16.06}:index:beneficiary:";
  ExpectChunkedIndexConsistent(*redis_, index + "live", 2000);
  EXPECT_EQ(ExactIndexMembers(*redis_, index + "unique-ids:nik").size(), 2000u);
  EXPECT_EQ(ExactIndexMembers(*redis_, index + "lookup-ids:duplicate").size(), 2000u);
  // Moving records out of their duplicate key removes exactly their member.
  for (int i = 0; i < 2000; i += 97) {
    auto found = store_->FindUnique("nik", NikOf(i));
    ASSERT_TRUE(found.ok() && found->has_value());
    wahana::registry::v1::UpdateBeneficiaryRequest update;
    update.mutable_beneficiary()->set_id((*found)->id());
    update.mutable_beneficiary()->set_etag((*found)->etag());
    update.mutable_beneficiary()->set_full_name(absl::StrCat("Pindah ", i));
    update.mutable_update_mask()->add_paths("fullName");
    auto updated = logic_.UpdateBeneficiary(TestPrincipal(Role::kAdmin), update);
    ASSERT_TRUE(updated.ok()) << updated.status();
    auto old_key = store_->FindIndexed("duplicate", registry::DuplicateKeyOf(**found), 500);
    for (const Beneficiary& b : *old_key) EXPECT_NE(b.id(), (*found)->id());
  }
  EXPECT_EQ(ExactIndexMembers(*redis_, index + "lookup-ids:duplicate").size(), 2000u);
}

TEST_F(BeneficiaryRedisTest, HouseholdsAreReadByKey) {
  EXPECT_FALSE(*store_->HouseholdExists("01JD0000000000000000000001"));
  ASSERT_TRUE(redis_
                  ->Command({"HSET", "registry:{16.06}:household:01JD0000000000000000000001", "pb",
                             "", "etag", "1"})
                  .ok());
  EXPECT_TRUE(*store_->HouseholdExists("01JD0000000000000000000001"));
}

// The client-streaming import through a real gRPC server.
class BeneficiaryStreamTest : public BeneficiaryRedisTest {
 protected:
  BeneficiaryStreamTest() : pool_(2, 16) {
    auto regions = std::make_shared<registry::RegionRules>(regions_, kRegion);
    service_ = std::make_unique<registry::BeneficiaryGrpcService>(
        std::make_unique<BeneficiaryLogic>(kRegion, store_, regions), pool_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(service_.get());
    wahana::testing::InstallTestCallAuthentication(builder);
    server_grpc_ = builder.BuildAndStart();
    stub_ = wahana::registry::v1::BeneficiaryService::NewStub(
        wahana::testing::AuthorizedTestChannel(absl::StrCat("127.0.0.1:", port_)));
  }
  ~BeneficiaryStreamTest() override { server_grpc_->Shutdown(); }

  grpc::Status Stream(const std::vector<ImportBeneficiariesRequest>& batches,
                      ImportBeneficiariesResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    auto writer = stub_->StreamImportBeneficiaries(&context, response);
    for (const auto& batch : batches) {
      if (!writer->Write(batch)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  WorkerPool pool_;
  std::unique_ptr<registry::BeneficiaryGrpcService> service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_grpc_;
  std::unique_ptr<wahana::registry::v1::BeneficiaryService::Stub> stub_;
};

TEST_F(BeneficiaryStreamTest, BatchesAreStoredInOrderAndTotalsAnswerTheStream) {
  std::vector<ImportBeneficiariesRequest> batches;
  for (int from = 0; from < 1000; from += 100) batches.push_back(Rows(from, from + 100, true));
  batches[3].mutable_rows(5)->mutable_beneficiary()->set_sex(
      Beneficiary::SEX_UNSPECIFIED);  // line 307
  ImportBeneficiariesResponse response;
  grpc::Status status = Stream(batches, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.received(), 1000);
  EXPECT_EQ(response.created(), 999);
  ASSERT_EQ(response.rejections_size(), 1);
  EXPECT_EQ(response.rejections(0).line(), 307);
  EXPECT_EQ(response.rejections(0).field(), "sex");
  EXPECT_EQ(StreamLength(*redis_, kStream), 999);

  ImportBeneficiariesResponse again;
  ASSERT_TRUE(Stream(batches, &again).ok());
  EXPECT_EQ(again.unchanged(), 999);
  EXPECT_EQ(again.created(), 0);
  EXPECT_EQ(StreamLength(*redis_, kStream), 999);
}

TEST_F(BeneficiaryStreamTest, AnEmptyStreamAndAStorageFailure) {
  ImportBeneficiariesResponse response;
  ASSERT_TRUE(Stream({}, &response).ok());
  EXPECT_EQ(response.received(), 0);
  server_.Kill();
  grpc::Status status = Stream({Rows(0, 10, true), Rows(10, 20, true)}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

TEST_F(BeneficiaryStreamTest, ImportOverUnaryRpc) {
  grpc::ClientContext context;
  ImportBeneficiariesResponse response;
  ASSERT_TRUE(stub_->ImportBeneficiaries(&context, Rows(0, 50, false), &response).ok());
  EXPECT_EQ(response.created(), 50);
}

}  // namespace
}  // namespace wahana::testing
