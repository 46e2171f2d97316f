// WKSBM networks against a real Redis: every change writes the record, moves its stage view and
// appends its NetworkChanged message together; members are checked against institutions read
// from the same Redis; one live network per area; refused changes write nothing; the gRPC face.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/grpc/worker_pool.h"
#include "registry/institutions/institution_logic.h"
#include "registry/institutions/institution_store.h"
#include "registry/networks/network_grpc_service.h"
#include "registry/networks/network_logic.h"
#include "registry/networks/network_store.h"
#include "registry/regions/redis_region_store.h"
#include "registry/regions/region_rules.h"
#include "registry_institutions/registry_test_regions.h"
#include "support/redis_inspection.h"
#include "support/redis_server.h"
#include "support/test_auth.h"
#include "support/test_principals.h"

namespace wahana::testing {
namespace {

using wahana::registry::InstitutionLogic;
using wahana::registry::MakeRedisInstitutionStore;
using wahana::registry::MakeRedisNetworkStore;
using wahana::registry::NetworkGrpcService;
using wahana::registry::NetworkKeys;
using wahana::registry::NetworkLogic;
using wahana::registry::RedisRegionStore;
using wahana::registry::RegionRules;
using wahana::registry::v1::AdvanceNetworkRequest;
using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateInstitutionRequest;
using wahana::registry::v1::CreateNetworkRequest;
using wahana::registry::v1::Institution;
using wahana::registry::v1::ListNetworksRequest;
using wahana::registry::v1::Network;
using wahana::registry::v1::NetworkChanged;
using wahana::registry::v1::NetworkMemberRequest;
using wahana::registry::v1::RecordNetworkVisitRequest;
using wahana::registry::v1::UpdateNetworkRequest;

NetworkChanged PayloadOf(const wahana::common::v1::Envelope& envelope) {
  NetworkChanged payload;
  EXPECT_TRUE(envelope.payload().UnpackTo(&payload)) << envelope.type();
  return payload;
}

class NetworkRedisTest : public ::testing::Test {
 protected:
  NetworkRedisTest()
      : redis_(server_.Client()),
        regions_(*redis_),
        rules_(regions_, kTestRegion),
        institutions_(std::make_shared<InstitutionLogic>(
            kTestRegion, MakeRedisInstitutionStore(*redis_, kTestRegion), rules_,
            [this] { return now_; })),
        logic_(std::make_shared<NetworkLogic>(
            kTestRegion, MakeRedisNetworkStore(*redis_, kTestRegion),
            MakeRedisInstitutionStore(*redis_, kTestRegion), rules_, [this] { return now_; })) {}

  void SetUp() override { ASSERT_TRUE(LoadTestRegions(regions_).ok()); }

  absl::StatusOr<Network> TryCreate(const std::string& village,
                                    const std::string& request_id = "") {
    CreateNetworkRequest request;
    request.mutable_network()->set_kind(Network::VILLAGE);
    request.mutable_network()->set_name("WKSBM Desa " + village);
    request.mutable_network()->set_village_code(village);
    request.set_request_id(request_id);
    return logic_->CreateNetwork(TestPrincipal(Role::kAdmin), request);
  }
  Network Create(const std::string& village) {
    auto created = TryCreate(village);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Network());
  }

  std::string MakeInstitution(const std::string& village) {
    CreateInstitutionRequest request;
    request.mutable_institution()->set_kind(Institution::KARANG_TARUNA);
    request.mutable_institution()->set_name("Karang Taruna " + village);
    request.mutable_institution()->set_village_code(village);
    auto created = institutions_->CreateInstitution(TestPrincipal(Role::kAdmin), request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id() : "";
  }

  absl::StatusOr<Network> Advance(const Network& n, Network::Stage stage, const std::string& date) {
    AdvanceNetworkRequest request;
    request.set_id(n.id());
    request.set_etag(n.etag());
    request.set_stage(stage);
    request.set_date(date);
    return logic_->AdvanceNetwork(TestPrincipal(Role::kAdmin), request);
  }

  std::vector<std::string> ListIds(ListNetworksRequest request) {
    std::vector<std::string> ids;
    auto response = logic_->ListNetworks(TestPrincipal(Role::kAdmin), request);
    EXPECT_TRUE(response.ok()) << response.status();
    if (response.ok()) {
      for (const Network& n : response->networks()) ids.push_back(n.id());
    }
    return ids;
  }
  std::vector<std::string> AtStage(Network::Stage stage) {
    ListNetworksRequest request;
    request.set_stage(stage);
    return ListIds(request);
  }

  Network Stored(const std::string& id) {
    auto pb = redis_->Command({"HGET", NetworkKeys(kTestRegion).Record(id), "pb"});
    EXPECT_TRUE(pb.ok()) << pb.status();
    Network stored;
    EXPECT_TRUE(pb.ok() && stored.ParseFromString(pb->str));
    return stored;
  }

  // The NetworkChanged messages on the registry's stream (institutions' messages skipped).
  std::vector<NetworkChanged> NetworkMessages() {
    std::vector<NetworkChanged> out;
    for (const auto& envelope : StreamMessages(*redis_, stream_)) {
      if (envelope.type() == "wahana.registry.v1.NetworkChanged")
        out.push_back(PayloadOf(envelope));
    }
    return out;
  }

  const std::string stream_ = NetworkKeys(kTestRegion).Stream();
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 5, 4, 9, 0, 0), absl::UTCTimeZone());
  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  RedisRegionStore regions_;
  RegionRules rules_;
  std::shared_ptr<InstitutionLogic> institutions_;
  std::shared_ptr<NetworkLogic> logic_;
};

TEST_F(NetworkRedisTest, EachStepMovesTheStageViewAndAnnouncesBeforeAndAfter) {
  EXPECT_EQ(stream_, "registry:{16.06}:stream");
  Network n = Create(kSukarami);
  EXPECT_EQ(Stored(n.id()).SerializeAsString(), n.SerializeAsString());
  EXPECT_EQ(AtStage(Network::PREPARATION), std::vector<std::string>{n.id()});

  n = *Advance(n, Network::SOCIALIZED, "2026-01-15");
  n = *Advance(n, Network::BOARD_FORMED, "2026-02-20");
  EXPECT_TRUE(AtStage(Network::PREPARATION).empty());
  EXPECT_TRUE(AtStage(Network::SOCIALIZED).empty());
  EXPECT_EQ(AtStage(Network::BOARD_FORMED), std::vector<std::string>{n.id()});

  UpdateNetworkRequest update;
  update.mutable_network()->set_id(n.id());
  update.mutable_network()->set_etag(n.etag());
  auto* decree = update.mutable_network()->mutable_decree();
  decree->set_number("141/07/SK/SKR/2026");
  decree->set_date("2026-03-02");
  decree->set_issuer("Kepala Desa Sukarami");
  update.mutable_update_mask()->add_paths("decree");
  n = *logic_->UpdateNetwork(TestPrincipal(Role::kAdmin), update);
  n = *Advance(n, Network::LEGALIZED, "2026-03-02");

  RecordNetworkVisitRequest visit;
  visit.set_id(n.id());
  visit.set_etag(n.etag());
  visit.mutable_visit()->set_date("2026-04-20");
  visit.mutable_visit()->set_visitor("Tim Dinas Sosial Muba");
  visit.mutable_visit()->set_active(true);
  auto visited = logic_->RecordNetworkVisit(TestPrincipal(Role::kAdmin), visit);
  ASSERT_TRUE(visited.ok()) << visited.status();
  EXPECT_EQ(visited->stage(), Network::ACTIVE);
  EXPECT_EQ(AtStage(Network::ACTIVE), std::vector<std::string>{n.id()});
  EXPECT_TRUE(AtStage(Network::LEGALIZED).empty());
  EXPECT_EQ(Stored(n.id()).SerializeAsString(), visited->SerializeAsString());
  EXPECT_EQ(visited->etag(), "6");
  EXPECT_EQ(visited->stage_history_size(), 5);

  std::vector<NetworkChanged> messages = NetworkMessages();
  std::vector<std::string> actions;
  for (const auto& m : messages) actions.push_back(m.action());
  ASSERT_EQ(actions, (std::vector<std::string>{"created", "advanced", "advanced", "updated",
                                               "advanced", "visit_recorded"}));
  EXPECT_EQ(messages[0].stage_after(), Network::PREPARATION);
  EXPECT_EQ(messages[4].stage_before(), Network::BOARD_FORMED);
  EXPECT_EQ(messages[4].stage_after(), Network::LEGALIZED);
  EXPECT_EQ(messages[5].stage_before(), Network::LEGALIZED);
  EXPECT_EQ(messages[5].stage_after(), Network::ACTIVE);
  auto envelopes = StreamMessages(*redis_, stream_);
  EXPECT_EQ(envelopes.back().aggregate_version(), 6);
  EXPECT_EQ(envelopes.back().region_code(), kSukarami);

  // Backwards: refused, nothing written.
  auto back = Advance(*visited, Network::SOCIALIZED, "2026-04-21");
  EXPECT_EQ(back.status().code(), absl::StatusCode::kFailedPrecondition) << back.status();
  EXPECT_EQ(StreamLength(*redis_, stream_), 6);
}

TEST_F(NetworkRedisTest, MembersAreInstitutionsOfTheVillageOrItsKecamatan) {
  Network n = Create(kSukarami);
  std::string here = MakeInstitution(kSukarami);
  std::string neighbour = MakeInstitution(kLumpatan);
  std::string lais = MakeInstitution(kLaisDesa);
  const int64_t before = StreamLength(*redis_, stream_);

  NetworkMemberRequest add;
  add.set_id(n.id());
  add.set_etag(n.etag());
  add.set_institution_id(lais);
  auto refused = logic_->AddNetworkMember(TestPrincipal(Role::kAdmin), add);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind("institutionId:", 0), 0u) << refused.status();
  EXPECT_EQ(StreamLength(*redis_, stream_), before);

  add.set_institution_id(here);
  auto added = logic_->AddNetworkMember(TestPrincipal(Role::kAdmin), add);
  ASSERT_TRUE(added.ok()) << added.status();
  add.set_etag(added->etag());
  add.set_institution_id(neighbour);
  added = logic_->AddNetworkMember(TestPrincipal(Role::kAdmin), add);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(Stored(n.id()).member_institution_ids_size(), 2);

  // A writer still holding the first etag is refused.
  add.set_etag(n.etag());
  EXPECT_EQ(logic_->AddNetworkMember(TestPrincipal(Role::kAdmin), add).status().code(),
            absl::StatusCode::kAborted);

  NetworkMemberRequest remove;
  remove.set_id(n.id());
  remove.set_etag(added->etag());
  remove.set_institution_id(here);
  auto removed = logic_->RemoveNetworkMember(TestPrincipal(Role::kAdmin), remove);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(Stored(n.id()).member_institution_ids(0), neighbour);
  remove.set_etag(removed->etag());
  EXPECT_EQ(logic_->RemoveNetworkMember(TestPrincipal(Role::kAdmin), remove).status().code(),
            absl::StatusCode::kNotFound);

  std::vector<NetworkChanged> messages = NetworkMessages();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[1].action(), "member_added");
  EXPECT_EQ(messages[3].action(), "member_removed");
}

TEST_F(NetworkRedisTest, OneLiveNetworkPerVillageReleasedByArchive) {
  Network first = Create(kSukarami);
  auto second = TryCreate(kSukarami);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(second.status().message().find(first.id()), absl::string_view::npos);

  ArchiveRequest archive;
  archive.set_id(first.id());
  archive.set_etag(first.etag());
  archive.set_reason("dibentuk ulang");
  auto archived = logic_->ArchiveNetwork(TestPrincipal(Role::kAdmin), archive);
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_TRUE(Stored(first.id()).archived());
  EXPECT_EQ(NetworkMessages().back().reason(), "dibentuk ulang");

  Network renewed = Create(kSukarami);
  ListNetworksRequest list;
  list.set_region(kSukarami);
  EXPECT_EQ(ListIds(list), std::vector<std::string>{renewed.id()});
  list.set_show_archived(true);
  EXPECT_EQ(ListIds(list), (std::vector<std::string>{first.id(), renewed.id()}));

  // A requestId retried after the archive returns the first network, not a third one.
  Network third = *TryCreate(kLumpatan, "form-9");
  auto retried = TryCreate(kLumpatan, "form-9");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->id(), third.id());
}

TEST_F(NetworkRedisTest, GrpcServiceAnswersWithTheLogicsStatus) {
  WorkerPool pool(2, 16);
  NetworkGrpcService service(logic_, pool);
  int port = 0;
  std::unique_ptr<grpc::Server> server =
      wahana::testing::StartAuthenticatedTestServer(service, &port);
  ASSERT_NE(server, nullptr);
  auto stub = wahana::registry::v1::NetworkService::NewStub(
      wahana::testing::AuthorizedTestChannel(absl::StrCat("127.0.0.1:", port)));
  auto deadline = [] { return std::chrono::system_clock::now() + std::chrono::seconds(10); };

  Network created;
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    CreateNetworkRequest request;
    request.mutable_network()->set_kind(Network::RW);
    request.mutable_network()->set_rw("002");
    request.mutable_network()->set_name("WKSBM RW 02 Sukarami");
    request.mutable_network()->set_village_code(kSukarami);
    ASSERT_TRUE(stub->CreateNetwork(&context, request, &created).ok());
    EXPECT_EQ(created.stage(), Network::PREPARATION);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    AdvanceNetworkRequest request;
    request.set_id(created.id());
    request.set_etag(created.etag());
    request.set_stage(Network::LEGALIZED);
    request.set_date("2026-05-01");
    Network ignored;
    grpc::Status status = stub->AdvanceNetwork(&context, request, &ignored);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(status.error_message().find("allowed next: SOCIALIZED"), std::string::npos)
        << status.error_message();
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    NetworkMemberRequest request;
    request.set_id(created.id());
    request.set_etag(created.etag());
    request.set_institution_id(TimeOrderedIdGenerator::Default().Next());
    Network ignored;
    EXPECT_EQ(stub->RemoveNetworkMember(&context, request, &ignored).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    RecordNetworkVisitRequest request;
    request.set_id(created.id());
    request.set_etag(created.etag());
    request.mutable_visit()->set_date("2026-05-01");
    request.mutable_visit()->set_visitor("TKSK");
    Network ignored;
    EXPECT_EQ(stub->RecordNetworkVisit(&context, request, &ignored).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline());
    wahana::registry::v1::ListNetworksResponse listed;
    ListNetworksRequest request;
    request.set_stage(Network::PREPARATION);
    ASSERT_TRUE(stub->ListNetworks(&context, request, &listed).ok());
    ASSERT_EQ(listed.networks_size(), 1);
    EXPECT_EQ(listed.networks(0).rw(), "002");
  }
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
}

}  // namespace
}  // namespace wahana::testing
