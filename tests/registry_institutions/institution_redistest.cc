// Institutions against a real Redis: the record, its index entries (seen through List) and its
// InstitutionChanged message written together; refused changes write nothing; the gRPC face.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/grpc/worker_pool.h"
#include "registry/institutions/institution_grpc_service.h"
#include "registry/institutions/institution_logic.h"
#include "registry/institutions/institution_store.h"
#include "registry/regions/redis_region_store.h"
#include "registry/regions/region_rules.h"
#include "registry_institutions/registry_test_regions.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"
#include "support/test_auth.h"
#include "support/test_principals.h"

namespace wahana::testing {
namespace {

using wahana::registry::InstitutionGrpcService;
using wahana::registry::InstitutionKeys;
using wahana::registry::InstitutionLogic;
using wahana::registry::InstitutionStore;
using wahana::registry::MakeRedisInstitutionStore;
using wahana::registry::RedisRegionStore;
using wahana::registry::RegionRules;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateInstitutionRequest;
using wahana::registry::v1::GetInstitutionRequest;
using wahana::registry::v1::Institution;
using wahana::registry::v1::InstitutionChanged;
using wahana::registry::v1::ListInstitutionsRequest;
using wahana::registry::v1::UpdateInstitutionRequest;

constexpr char kUnicodeName[] = "Majelis Taklim Nurul Huda — ‘Ar-Raḥmān’ مجلس";

CreateInstitutionRequest Request(Institution::Kind kind, const std::string& name,
                                 const std::string& village = kSukarami) {
  CreateInstitutionRequest request;
  Institution* i = request.mutable_institution();
  i->set_kind(kind);
  i->set_name(name);
  i->set_village_code(village);
  i->set_member_count(30);
  return request;
}

InstitutionChanged PayloadOf(const wahana::common::v1::Envelope& envelope) {
  InstitutionChanged payload;
  EXPECT_EQ(envelope.type(), "wahana.registry.v1.InstitutionChanged");
  EXPECT_TRUE(envelope.payload().UnpackTo(&payload));
  return payload;
}

class InstitutionRedisTest : public ::testing::Test {
 protected:
  InstitutionRedisTest()
      : redis_(server_.Client()),
        regions_(*redis_),
        rules_(regions_, kTestRegion),
        store_(MakeRedisInstitutionStore(*redis_, kTestRegion)),
        logic_(std::make_shared<InstitutionLogic>(kTestRegion, store_, rules_,
                                                  [this] { return now_; })) {}

  void SetUp() override { ASSERT_TRUE(LoadTestRegions(regions_).ok()); }

  Institution Create(const CreateInstitutionRequest& request) {
    auto created = logic_->CreateInstitution(TestPrincipal(Role::kAdmin), request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Institution());
  }

  std::vector<std::string> ListIds(ListInstitutionsRequest request) {
    std::vector<std::string> ids;
    auto response = logic_->ListInstitutions(TestPrincipal(Role::kAdmin), request);
    EXPECT_TRUE(response.ok()) << response.status();
    if (response.ok()) {
      for (const Institution& i : response->institutions()) ids.push_back(i.id());
    }
    return ids;
  }

  Institution Stored(const std::string& id) {
    auto pb = redis_->Command({"HGET", InstitutionKeys(kTestRegion).Record(id), "pb"});
    EXPECT_TRUE(pb.ok()) << pb.status();
    Institution stored;
    EXPECT_TRUE(pb.ok() && stored.ParseFromString(pb->str));
    return stored;
  }

  std::vector<wahana::common::v1::Envelope> Messages() { return StreamMessages(*redis_, stream_); }

  const std::string stream_ = InstitutionKeys(kTestRegion).Stream();
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 5, 4, 9, 0, 0), absl::UTCTimeZone());
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  RedisRegionStore regions_;
  RegionRules rules_;
  std::shared_ptr<InstitutionStore> store_;
  std::shared_ptr<InstitutionLogic> logic_;
};

TEST_F(InstitutionRedisTest, CreateWritesTheRecordItsListsAndItsMessageTogether) {
  EXPECT_EQ(stream_, "registry:{16.06}:stream");
  CreateInstitutionRequest request = Request(Institution::MAJELIS_TAKLIM, kUnicodeName);
  request.set_request_id("import-row-17");
  Institution created = Create(request);

  // The record, read back from Redis, byte for byte.
  Institution stored = Stored(created.id());
  EXPECT_EQ(stored.SerializeAsString(), created.SerializeAsString());
  EXPECT_EQ(stored.name(), kUnicodeName);
  EXPECT_EQ(stored.status(), Institution::ACTIVE);

  // Listed in its region and its kind's view, not in another's.
  ListInstitutionsRequest list;
  list.set_region("16.06.01");
  EXPECT_EQ(ListIds(list), std::vector<std::string>{created.id()});
  list.set_region("16.06.01.2001");
  EXPECT_EQ(ListIds(list), std::vector<std::string>{created.id()});
  list.set_region("16.06.02");
  EXPECT_TRUE(ListIds(list).empty());
  list.set_region("");
  list.set_kind(Institution::MAJELIS_TAKLIM);
  EXPECT_EQ(ListIds(list), std::vector<std::string>{created.id()});
  list.set_kind(Institution::PKK);
  EXPECT_TRUE(ListIds(list).empty());

  // One message, about this record.
  auto messages = Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].aggregate_id(), created.id());
  EXPECT_EQ(messages[0].aggregate_version(), 1);
  EXPECT_EQ(messages[0].region_code(), kSukarami);
  InstitutionChanged payload = PayloadOf(messages[0]);
  EXPECT_EQ(payload.action(), "created");
  EXPECT_EQ(payload.status_after(), Institution::ACTIVE);
  EXPECT_EQ(payload.institution().name(), kUnicodeName);

  // A retry returns the first record and writes nothing.
  Institution again = Create(request);
  EXPECT_EQ(again.id(), created.id());
  EXPECT_EQ(StreamLength(*redis_, stream_), 1);

  // Every key a write touched carries the deployment's hash tag.
  for (const std::string& key : Keys(*redis_, "registry:*")) {
    if (absl::StartsWith(key, "registry:{regions}")) continue;
    EXPECT_TRUE(absl::StartsWith(key, "registry:{16.06}:")) << key;
  }
}

TEST_F(InstitutionRedisTest, UpdateMovesTheKindViewAndAStaleEtagWritesNothing) {
  Institution created = Create(Request(Institution::PKK, "PKK Sukarami"));
  UpdateInstitutionRequest update;
  update.mutable_institution()->set_id(created.id());
  update.mutable_institution()->set_etag(created.etag());
  update.mutable_institution()->set_kind(Institution::ARISAN);
  update.mutable_institution()->set_status(Institution::INACTIVE);
  update.mutable_update_mask()->add_paths("kind");
  update.mutable_update_mask()->add_paths("status");
  auto updated = logic_->UpdateInstitution(TestPrincipal(Role::kAdmin), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(Stored(created.id()).SerializeAsString(), updated->SerializeAsString());

  ListInstitutionsRequest list;
  list.set_kind(Institution::PKK);
  EXPECT_TRUE(ListIds(list).empty()) << "the PKK view entry is gone";
  list.set_kind(Institution::ARISAN);
  EXPECT_EQ(ListIds(list), std::vector<std::string>{created.id()});
  list.set_status(Institution::ACTIVE);
  EXPECT_TRUE(ListIds(list).empty());
  list.set_status(Institution::INACTIVE);
  EXPECT_EQ(ListIds(list), std::vector<std::string>{created.id()});

  auto messages = Messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].aggregate_version(), 2);
  InstitutionChanged payload = PayloadOf(messages[1]);
  EXPECT_EQ(payload.action(), "updated");
  EXPECT_EQ(payload.status_before(), Institution::ACTIVE);
  EXPECT_EQ(payload.status_after(), Institution::INACTIVE);
  EXPECT_EQ(
      std::vector<std::string>(payload.changed_fields().begin(), payload.changed_fields().end()),
      (std::vector<std::string>{"kind", "status"}));

  // The old etag again: refused, nothing written.
  update.mutable_institution()->set_kind(Institution::LKS);
  auto stale = logic_->UpdateInstitution(TestPrincipal(Role::kAdmin), update);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted) << stale.status();
  EXPECT_EQ(StreamLength(*redis_, stream_), 2);
  EXPECT_EQ(Stored(created.id()).kind(), Institution::ARISAN);
}

TEST_F(InstitutionRedisTest, TwoWritersOnOneEtagOneWins) {
  Institution created = Create(Request(Institution::LKS, "LKS Harapan Bangsa"));
  auto rename = [&](const std::string& name) {
    UpdateInstitutionRequest update;
    update.mutable_institution()->set_id(created.id());
    update.mutable_institution()->set_etag("1");
    update.mutable_institution()->set_name(name);
    update.mutable_update_mask()->add_paths("name");
    return logic_->UpdateInstitution(TestPrincipal(Role::kAdmin), update);
  };
  std::vector<absl::StatusOr<Institution>> results(2, absl::UnknownError("not run"));
  std::thread a([&] { results[0] = rename("LKS A"); });
  std::thread b([&] { results[1] = rename("LKS B"); });
  a.join();
  b.join();
  int ok = 0, aborted = 0;
  for (const auto& r : results) {
    ok += r.ok();
    aborted += r.status().code() == absl::StatusCode::kAborted;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(aborted, 1);
  EXPECT_EQ(StreamLength(*redis_, stream_), 2);
  EXPECT_EQ(Stored(created.id()).etag(), "2");
}

TEST_F(InstitutionRedisTest, ArchiveMovesItToTheArchivedLists) {
  Institution kept = Create(Request(Institution::PKK, "PKK Lumpatan", kLumpatan));
  Institution gone = Create(Request(Institution::PKK, "PKK Sukarami"));
  ArchiveRequest archive;
  archive.set_id(gone.id());
  archive.set_etag(gone.etag());
  archive.set_reason("digabung dengan PKK desa induk");
  auto archived = logic_->ArchiveInstitution(TestPrincipal(Role::kAdmin), archive);
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_TRUE(Stored(gone.id()).archived());

  ListInstitutionsRequest list;
  list.set_kind(Institution::PKK);
  EXPECT_EQ(ListIds(list), std::vector<std::string>{kept.id()});
  list.set_show_archived(true);
  EXPECT_EQ(ListIds(list), (std::vector<std::string>{gone.id(), kept.id()}))
      << "region order: 16.06.01.2001 before 16.06.01.2002";

  InstitutionChanged payload = PayloadOf(Messages().back());
  EXPECT_EQ(payload.action(), "archived");
  EXPECT_EQ(payload.reason(), "digabung dengan PKK desa induk");
  EXPECT_TRUE(payload.institution().archived());

  GetInstitutionRequest get;
  get.set_id(gone.id());
  auto read = logic_->GetInstitution(TestPrincipal(Role::kAdmin), get);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->archived());
}

TEST_F(InstitutionRedisTest, PagesWalkEveryInstitutionOnceInRegionOrder) {
  std::set<std::string> made;
  for (int i = 0; i < 130; ++i) {
    const char* village = i % 3 == 0 ? kLaisDesa : (i % 3 == 1 ? kLumpatan : kSukarami);
    made.insert(Create(Request(Institution::ARISAN, absl::StrCat("Arisan ", i), village)).id());
  }
  ListInstitutionsRequest list;
  list.set_page_size(50);
  std::vector<std::string> villages;
  std::set<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    auto response = logic_->ListInstitutions(TestPrincipal(Role::kAdmin), list);
    ASSERT_TRUE(response.ok()) << response.status();
    for (const Institution& i : response->institutions()) {
      EXPECT_TRUE(seen.insert(i.id()).second) << "listed twice: " << i.id();
      villages.push_back(i.village_code());
    }
    if (response->next_page_token().empty()) break;
    list.set_page_token(response->next_page_token());
  }
  EXPECT_EQ(seen, made);
  EXPECT_TRUE(std::is_sorted(villages.begin(), villages.end()));

  ListInstitutionsRequest sekayu;
  sekayu.set_region("16.06.01");
  sekayu.set_page_size(500);
  auto response = logic_->ListInstitutions(TestPrincipal(Role::kAdmin), sekayu);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->institutions_size(), 86);  // 130 minus the 44 in Lais
}

TEST_F(InstitutionRedisTest, RefusedInputWritesNothing) {
  CreateInstitutionRequest bad = Request(Institution::KUBE, "KUBE Maju");
  bad.mutable_institution()->mutable_granary_stock()->set_rice_kg(5);
  auto refused = logic_->CreateInstitution(TestPrincipal(Role::kAdmin), bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind("granaryStock:", 0), 0u) << refused.status();
  auto outside = logic_->CreateInstitution(TestPrincipal(Role::kAdmin),
                                           Request(Institution::PKK, "PKK", "17.01.01.2001"));
  EXPECT_EQ(outside.status().message().rfind("villageCode:", 0), 0u) << outside.status();
  EXPECT_EQ(StreamLength(*redis_, stream_), 0);
  EXPECT_TRUE(Keys(*redis_, "registry:{16.06}:*").empty());
}

// The gRPC face: a server on a free port with the real logic and storage.
TEST_F(InstitutionRedisTest, GrpcServiceAnswersWithTheLogicsStatus) {
  WorkerPool pool(2, 16);
  InstitutionGrpcService service(logic_, pool);
  int port = 0;
  std::unique_ptr<grpc::Server> server =
      wahana::testing::StartAuthenticatedTestServer(service, &port);
  ASSERT_NE(server, nullptr);
  auto stub = wahana::registry::v1::InstitutionService::NewStub(
      wahana::testing::AuthorizedTestChannel(absl::StrCat("127.0.0.1:", port)));
  auto deadline = [] { return std::chrono::system_clock::now() + std::chrono::seconds(10); };

  Institution created;
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    grpc::Status status =
        stub->CreateInstitution(&context, Request(Institution::PKK, kUnicodeName), &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(created.name(), kUnicodeName);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    wahana::registry::v1::ListInstitutionsResponse listed;
    ListInstitutionsRequest list;
    list.set_region("16.06");
    ASSERT_TRUE(stub->ListInstitutions(&context, list, &listed).ok());
    ASSERT_EQ(listed.institutions_size(), 1);
    EXPECT_EQ(listed.institutions(0).id(), created.id());
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    UpdateInstitutionRequest update;
    update.mutable_institution()->set_id(created.id());
    update.mutable_institution()->set_etag("3");
    update.mutable_update_mask()->add_paths("name");
    Institution ignored;
    EXPECT_EQ(stub->UpdateInstitution(&context, update, &ignored).error_code(),
              grpc::StatusCode::ABORTED);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    ArchiveRequest archive;
    archive.set_id(created.id());
    archive.set_etag(created.etag());
    Institution archived;
    ASSERT_TRUE(stub->ArchiveInstitution(&context, archive, &archived).ok());
    EXPECT_TRUE(archived.archived());
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    GetInstitutionRequest get;
    get.set_id(TimeOrderedIdGenerator::Default().Next());
    Institution ignored;
    EXPECT_EQ(stub->GetInstitution(&context, get, &ignored).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  // The call's principal reaches the logic: another kecamatan's field worker finds nothing, as
  // for an unknown id, and may not create.
  auto outsider =
      wahana::registry::v1::InstitutionService::NewStub(wahana::testing::AuthorizedTestChannel(
          absl::StrCat("127.0.0.1:", port), TestPrincipal(Role::kFieldWorker, "16.06.02")));
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    GetInstitutionRequest get;
    get.set_id(created.id());
    Institution ignored;
    grpc::Status status = outsider->GetInstitution(&context, get, &ignored);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(status.error_message(), "institution " + created.id() + " not found");
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    Institution ignored;
    EXPECT_EQ(outsider->CreateInstitution(&context, Request(Institution::PKK, "PKK"), &ignored)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
}

}  // namespace
}  // namespace wahana::testing
