// Federation against a real Redis: a district's reporting counters writing their outbox, the
// district's relay sending it in signed batches, the province's receiver applying each message
// once and the province's reporting counting it. One Redis holds both deployments (their keys
// carry different hash tags, "{16.06}" and "{16}"), the link between them is a peer that calls
// the receiver directly and can be down, lose its answers, or be forged.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "common/bus/bus_contract.h"
#include "common/bus/consumer_setup.h"
#include "common/bus/envelope.h"
#include "common/crypto/ed25519_key.h"
#include "common/federation/aggregate_outbox.h"
#include "common/federation/signed_batch.h"
#include "common/ids/time_ordered_id.h"
#include "federation/batch_receiver.h"
#include "federation/federation_keys.h"
#include "federation/link_status.h"
#include "federation/outbox_relay.h"
#include "federation/registered_districts.h"
#include "federation/relayed_entries.h"
#include "nlohmann/json.hpp"
#include "reporting/case_counter_moves.h"
#include "reporting/delivered_aggregates.h"
#include "reporting/figures_before_link.h"
#include "reporting/redis_case_counts_store.h"
#include "reporting/redis_contribution_store.h"
#include "reporting/reporting_keys.h"
#include "services/services_test_util.h"
#include "support/redis_server.h"

namespace wahana::testing {
namespace {

using wahana::federation::v1::Batch;
using wahana::federation::v1::DeliverResponse;
using wahana::federation::v1::SignedBatch;

constexpr char kProvince[] = "16";
constexpr char kDistrict[] = "16.06";

// The province as the relay reaches it: the receiver itself, unless the link is down (nothing
// arrives) or loses answers (the batch is applied, the answer never comes back).
class LocalPeer : public FederationPeer {
 public:
  enum class Mode { kUp, kDown, kLoseAnswers };
  explicit LocalPeer(std::shared_ptr<BatchReceiver> receiver) : receiver_(std::move(receiver)) {}
  absl::StatusOr<DeliverResponse> Deliver(const SignedBatch& batch, absl::Duration) override {
    ++calls;
    if (mode == Mode::kDown) return absl::UnavailableError("connection refused");
    absl::StatusOr<DeliverResponse> answer = receiver_->Receive(batch);
    if (mode == Mode::kLoseAnswers) return absl::DeadlineExceededError("answer lost");
    return answer;
  }
  Mode mode = Mode::kUp;
  int calls = 0;

 private:
  std::shared_ptr<BatchReceiver> receiver_;
};

std::shared_ptr<const Ed25519PrivateKey> NewKey() {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  EXPECT_TRUE(key.ok()) << key.status();
  return std::make_shared<const Ed25519PrivateKey>(*key);
}

class FederationRedisTest : public ::testing::Test {
 protected:
  FederationRedisTest()
      : redis_(server_.Client()),
        district_key_(NewKey()),
        outbox_(OutboxStreamKey("reporting", kDistrict)),
        district_counts_(*redis_, kDistrict, outbox_),
        province_counts_(std::make_shared<RedisCaseCountsStore>(*redis_, kProvince)) {
    nlohmann::json districts = nlohmann::json::array(
        {{{"region", kDistrict}, {"publicKey", district_key_->PublicKey().PemOf()}}});
    auto parsed = RegisteredDistricts::Parse(districts.dump(), kProvince);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    districts_ = std::make_shared<RegisteredDistricts>(*std::move(parsed));
    receiver_ = std::make_shared<BatchReceiver>(*redis_, kProvince, districts_);
    peer_ = std::make_shared<LocalPeer>(receiver_);
    RelayOptions options;
    options.region = kDistrict;
    options.peer = kProvince;
    options.outbox = outbox_;
    options.batch_size = 2;
    relay_ = std::make_unique<OutboxRelay>(*redis_, options, district_key_, peer_);
    EXPECT_TRUE(relay_->CreateGroup().ok());
    ServiceConfig config = TestBusConfig();
    config.region = kProvince;
    province_consumer_ = MakeBusConsumer(
        *redis_, config, kReportingReadsFederation,
        [this](const wahana::common::v1::Envelope& envelope, const std::string&) {
          return ApplyDeliveredAggregates(*province_counts_, envelope);
        },
        "reporting-province-1");
  }

  // A case created in `village` (status INTAKE) or moved INTAKE -> ASSESSMENT, as the district's
  // reporting consumer applies it.
  void CountCase(const std::string& village, bool created = true) {
    CaseCounterMoves moves;
    moves.prefixes = PrefixesUpTo(village, kDistrict);
    moves.village = village;
    moves.intake_month = absl::CivilMonth(2026, 11);
    if (created) {
      moves.tally_moves = {{"1", 1}, {"total", 1}};
      moves.cell_moves = {{"status:1", 1}, {"category:8", 1}, {"kind:1", 1}};
    } else {
      moves.tally_moves = {{"1", -1}, {"2", 1}};
      moves.cell_moves = {{"status:1", -1}, {"status:2", 1}};
    }
    auto applied = district_counts_.Apply(TimeOrderedIdGenerator::Default().Next(), moves);
    ASSERT_TRUE(applied.ok()) << applied.status();
  }

  // Relays until the outbox has nothing left to send.
  void RelayAll() {
    for (int i = 0; i < 100; ++i) {
      absl::StatusOr<int> sent = relay_->RelayOnce(10);
      ASSERT_TRUE(sent.ok()) << sent.status();
      if (*sent == 0) return;
    }
    FAIL() << "the relay never ran out of entries";
  }

  void DrainProvince() {
    DrainGroup(*redis_, *province_consumer_, FederationStreamKey(kProvince),
               kReportingReadsFederation.group);
  }

  std::map<std::string, std::string> Hash(const std::string& key) {
    auto reply = redis_->Command({"HGETALL", key});
    EXPECT_TRUE(reply.ok()) << reply.status();
    std::map<std::string, std::string> out;
    for (size_t i = 0; reply.ok() && i + 1 < reply->elements.size(); i += 2) {
      out[reply->elements[i].str] = reply->elements[i + 1].str;
    }
    return out;
  }

  // The district's own counters under its code, and the province's copy of them.
  void ExpectProvinceEqualsDistrict() {
    for (const std::string& code : {std::string(kDistrict), std::string("16.06.01"),
                                    std::string(kVillage), std::string("16.06.02")}) {
      EXPECT_EQ(Hash(CaseCountsKey(kProvince, code)), Hash(CaseCountsKey(kDistrict, code))) << code;
      EXPECT_EQ(Hash(PivotRollupKeyAt(ReportingKeyBase(kProvince), "case", "2026-11", code)),
                Hash(PivotRollupKeyAt(ReportingKeyBase(kDistrict), "case", "2026-11", code)))
          << code;
    }
    // Rolled up to the province, which the district never counts.
    EXPECT_EQ(Hash(CaseCountsKey(kProvince, kProvince)), Hash(CaseCountsKey(kDistrict, kDistrict)));
  }

  int64_t OutboxLength() { return StreamLength(*redis_, outbox_); }

  Batch BatchOf(const std::string& sequence, const std::string& json) {
    Batch batch;
    batch.set_origin(kDistrict);
    batch.set_channel(wahana::federation::v1::CHANNEL_AGGREGATES);
    auto* message = batch.add_messages();
    message->set_sequence(sequence);
    auto change = ParseAggregateOutboxJson(json);
    EXPECT_TRUE(change.ok()) << change.status();
    *message->mutable_aggregates() = *change;
    return batch;
  }

  RedisServer server_;
  std::unique_ptr<RedisClient> redis_;
  std::shared_ptr<const Ed25519PrivateKey> district_key_;
  const std::string outbox_;
  RedisCaseCountsStore district_counts_;
  std::shared_ptr<RedisCaseCountsStore> province_counts_;
  std::shared_ptr<RegisteredDistricts> districts_;
  std::shared_ptr<BatchReceiver> receiver_;
  std::shared_ptr<LocalPeer> peer_;
  std::unique_ptr<OutboxRelay> relay_;
  std::unique_ptr<StreamConsumer> province_consumer_;
};

TEST_F(FederationRedisTest, TheProvinceCountsWhatTheDistrictCountsOnceAndRollsItUp) {
  CountCase(kVillage);
  CountCase(kVillage);
  CountCase(kOtherVillage);
  CountCase(kVillage, /*created=*/false);
  CountCase(kOtherVillage);
  ASSERT_EQ(OutboxLength(), 5);  // one entry per change, written with it

  RelayAll();
  EXPECT_EQ(peer_->calls, 3);  // batches of two
  EXPECT_EQ(OutboxLength(), 0) << "acknowledged entries are trimmed";
  DrainProvince();
  ExpectProvinceEqualsDistrict();
  EXPECT_EQ(Hash(CaseCountsKey(kProvince, kProvince))["total"], "4");

  // Both sides tell how the link is doing.
  LinkStatusReader province_status(
      *redis_, kProvince, DeploymentRole::kProvince,
      {{kInbound, kDistrict, wahana::federation::v1::CHANNEL_AGGREGATES},
       {kInbound, kDistrict, wahana::federation::v1::CHANNEL_REFERRALS}});
  auto inbound = province_status.Read();
  ASSERT_TRUE(inbound.ok()) << inbound.status();
  ASSERT_EQ(inbound->links_size(), 2);  // aggregates, referrals
  EXPECT_EQ(inbound->links(0).peer(), kDistrict);
  EXPECT_EQ(inbound->links(0).channel(), wahana::federation::v1::CHANNEL_AGGREGATES);
  EXPECT_EQ(inbound->links(0).direction(), "inbound");
  EXPECT_EQ(inbound->links(0).messages(), 5);
  EXPECT_TRUE(inbound->links(0).has_last_batch_time());
  LinkStatusReader district_status(
      *redis_, kDistrict, DeploymentRole::kDistrict,
      {{kOutbound, kProvince, wahana::federation::v1::CHANNEL_AGGREGATES, outbox_}});
  auto outbound = district_status.Read();
  ASSERT_TRUE(outbound.ok()) << outbound.status();
  ASSERT_EQ(outbound->links_size(), 1);
  EXPECT_EQ(outbound->links(0).peer(), kProvince);
  EXPECT_EQ(outbound->links(0).messages(), 5);
  EXPECT_EQ(outbound->links(0).backlog(), 0);
  EXPECT_EQ(outbound->links(0).high_water_mark(), inbound->links(0).high_water_mark());
}

TEST_F(FederationRedisTest, AnOutageKeepsEveryMessageAndTheBacklogDrainsOnceInOrder) {
  peer_->mode = LocalPeer::Mode::kDown;
  CountCase(kVillage);
  CountCase(kOtherVillage);
  CountCase(kVillage);
  absl::StatusOr<int> sent = relay_->RelayOnce(10);
  EXPECT_EQ(sent.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(OutboxLength(), 3) << "nothing is dropped while the province is away";
  LinkStatusReader district_status(
      *redis_, kDistrict, DeploymentRole::kDistrict,
      {{kOutbound, kProvince, wahana::federation::v1::CHANNEL_AGGREGATES, outbox_}});
  auto down = district_status.Read();
  ASSERT_TRUE(down.ok()) << down.status();
  EXPECT_EQ(down->links(0).backlog(), 3);
  EXPECT_NE(down->links(0).last_error().find("connection refused"), std::string::npos);
  EXPECT_GE(down->links(0).lag_seconds(), 0.0);

  // The province applies the next batch but the answer is lost: the relay sends it again and
  // the province skips what it has.
  peer_->mode = LocalPeer::Mode::kLoseAnswers;
  EXPECT_FALSE(relay_->RelayOnce(10).ok());
  CountCase(kVillage, /*created=*/false);
  peer_->mode = LocalPeer::Mode::kUp;
  RelayAll();
  DrainProvince();
  ExpectProvinceEqualsDistrict();
  EXPECT_EQ(Hash(CaseCountsKey(kProvince, kProvince))["total"], "3");
  auto up = district_status.Read();
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->links(0).backlog(), 0);
  EXPECT_EQ(up->links(0).last_error(), "") << "cleared by the next success";
  EXPECT_EQ(Hash(LinkKey(kProvince, kInbound, kDistrict))["aggregates:messages"], "4");

  // An idle link: a heartbeat answered clears the error of a heartbeat that was not.
  peer_->mode = LocalPeer::Mode::kDown;
  EXPECT_FALSE(relay_->Heartbeat().ok());
  EXPECT_NE(district_status.Read()->links(0).last_error(), "");
  peer_->mode = LocalPeer::Mode::kUp;
  ASSERT_TRUE(relay_->Heartbeat().ok());
  EXPECT_EQ(district_status.Read()->links(0).last_error(), "");
}

TEST_F(FederationRedisTest, TheRetryDelayGrowsWithJitterUpToItsCap) {
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const absl::Duration full =
        std::min(absl::Milliseconds(200) * (1 << (attempt - 1)), absl::Seconds(30));
    const absl::Duration delay = relay_->RetryDelay(attempt);
    EXPECT_GE(delay, full / 2) << attempt;
    EXPECT_LE(delay, full) << attempt;
  }
}

TEST_F(FederationRedisTest, RecordReportsTravelFromTheLuaStepToo) {
  RedisContributionStore district(*redis_, kDistrict, ReportingKeyBase(kDistrict),
                                  RedisContributionStore::Lease::kIgnore, outbox_);
  Contribution woman{kVillage, "2026-11", {{"n", 1}, {"sex:2", 1}}, std::nullopt, {}};
  ASSERT_TRUE(district.Apply(CountedSubject::kBeneficiary, "b1", 1, woman).ok());
  Contribution moved = woman;
  moved.region = kOtherVillage;
  ASSERT_TRUE(district.Apply(CountedSubject::kBeneficiary, "b1", 2, moved).ok());
  // An older version changes nothing, and sends nothing.
  ASSERT_TRUE(district.Apply(CountedSubject::kBeneficiary, "b1", 1, woman).ok());
  EXPECT_EQ(OutboxLength(), 2);

  RelayAll();
  DrainProvince();
  for (const std::string& code : {std::string(kDistrict), std::string("16.06.01"),
                                  std::string("16.06.02"), std::string(kOtherVillage)}) {
    EXPECT_EQ(Hash(PivotRollupKeyAt(ReportingKeyBase(kProvince), "beneficiary", "2026-11", code)),
              Hash(PivotRollupKeyAt(ReportingKeyBase(kDistrict), "beneficiary", "2026-11", code)))
        << code;
  }
  EXPECT_EQ(Hash(PivotRollupKeyAt(ReportingKeyBase(kProvince), "beneficiary", "2026-11",
                                  kProvince))["sex:2"],
            "1");
}

TEST_F(FederationRedisTest, FiguresFromBeforeTheLinkAreSentOnceAheadOfTheChanges) {
  // A year of work before the link: counted with no outbox.
  RedisCaseCountsStore unlinked(*redis_, kDistrict);
  RedisContributionStore records(*redis_, kDistrict, ReportingKeyBase(kDistrict));
  for (const std::string& village : {std::string(kVillage), std::string(kOtherVillage)}) {
    CaseCounterMoves moves;
    moves.prefixes = PrefixesUpTo(village, kDistrict);
    moves.village = village;
    moves.intake_month = absl::CivilMonth(2026, 3);
    moves.tally_moves = {{"1", 1}, {"total", 1}};
    moves.cell_moves = {{"status:1", 1}, {"category:8", 1}, {"kind:1", 1}};
    ASSERT_TRUE(unlinked.Apply(TimeOrderedIdGenerator::Default().Next(), moves).ok());
  }
  Contribution woman{kVillage, "2026-11", {{"n", 1}, {"sex:2", 1}}, std::nullopt, {}};
  ASSERT_TRUE(records.Apply(CountedSubject::kBeneficiary, "b1", 1, woman).ok());
  ASSERT_EQ(OutboxLength(), 0);

  absl::StatusOr<FiguresBeforeLink> sent =
      SendFiguresBeforeLink(*redis_, kDistrict, outbox_, absl::Seconds(5), /*cells_per_entry=*/2);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->cells, 3);    // two case cells (March), one beneficiary cell (November)
  EXPECT_EQ(sent->tallies, 2);  // the two villages' case tallies
  EXPECT_EQ(sent->entries, 3);  // at most two moves an entry
  EXPECT_EQ(OutboxLength(), 3);
  EXPECT_EQ(redis_->Command({"EXISTS", RebuildLeaseKey(kDistrict)})->integer, 0)
      << "the lease is given back";
  // Once: a restart sends nothing again.
  absl::StatusOr<FiguresBeforeLink> again = SendFiguresBeforeLink(*redis_, kDistrict, outbox_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->entries, 0);
  EXPECT_EQ(OutboxLength(), 3);

  // Changes after the link add on top; the province ends with the district's numbers.
  CountCase(kVillage);
  CountCase(kVillage, /*created=*/false);
  RelayAll();
  DrainProvince();
  for (const std::string& code : {std::string(kDistrict), std::string("16.06.01"),
                                  std::string(kVillage), std::string("16.06.02")}) {
    EXPECT_EQ(Hash(CaseCountsKey(kProvince, code)), Hash(CaseCountsKey(kDistrict, code))) << code;
    for (const char* month : {"2026-03", "2026-11"}) {
      EXPECT_EQ(Hash(PivotRollupKeyAt(ReportingKeyBase(kProvince), "case", month, code)),
                Hash(PivotRollupKeyAt(ReportingKeyBase(kDistrict), "case", month, code)))
          << code << " " << month;
    }
    EXPECT_EQ(Hash(PivotRollupKeyAt(ReportingKeyBase(kProvince), "beneficiary", "2026-11", code)),
              Hash(PivotRollupKeyAt(ReportingKeyBase(kDistrict), "beneficiary", "2026-11", code)))
        << code;
  }
  EXPECT_EQ(Hash(CaseCountsKey(kProvince, kProvince))["total"], "3");
}

TEST_F(FederationRedisTest, ADistrictLinkedBeforeIsNotSentItsFiguresTwice) {
  CountCase(kVillage);  // written to the outbox: linked already
  RelayAll();
  ASSERT_EQ(OutboxLength(), 0) << "trimmed once the province had it";
  absl::StatusOr<FiguresBeforeLink> sent = SendFiguresBeforeLink(*redis_, kDistrict, outbox_);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->entries, 0);
  EXPECT_EQ(OutboxLength(), 0);
  DrainProvince();
  EXPECT_EQ(Hash(CaseCountsKey(kProvince, kProvince))["total"], "1");
}

TEST_F(FederationRedisTest, FiguresWaitForARebuildToEnd) {
  CountCase(kVillage);
  redis_->Command({"DEL", outbox_}).IgnoreError();
  ASSERT_TRUE(
      redis_->Command({"SET", RebuildLeaseKey(kDistrict), "a-rebuild", "PX", "60000"}).ok());
  absl::StatusOr<FiguresBeforeLink> sent =
      SendFiguresBeforeLink(*redis_, kDistrict, outbox_, absl::Milliseconds(600));
  EXPECT_EQ(sent.status().code(), absl::StatusCode::kFailedPrecondition) << sent.status();
  EXPECT_EQ(OutboxLength(), 0) << "nothing sent while a rebuild holds the counters";
}

TEST_F(FederationRedisTest, ForgeriesAndForeignRegionsAreRefusedAndCountNothing) {
  const std::string inside = R"({"t":[["16.06.01.2001",{"total":1}]]})";
  // Signed by another key.
  auto forged = receiver_->Receive(SignBatch(BatchOf("5-0", inside), *NewKey()));
  EXPECT_EQ(forged.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(forged.status().message().find("signature"), std::string::npos) << forged.status();
  // The right key, bytes changed after signing.
  SignedBatch tampered = SignBatch(BatchOf("5-0", inside), *district_key_);
  tampered.mutable_batch()->back() ^= 1;
  EXPECT_EQ(receiver_->Receive(tampered).status().code(), absl::StatusCode::kUnauthenticated);
  // The right key, a neighbour's figures.
  auto foreign = receiver_->Receive(
      SignBatch(BatchOf("6-0", R"({"t":[["16.07.01.2001",{"total":1}]]})"), *district_key_));
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(foreign.status().message().find("16.07.01.2001"), std::string::npos);
  // An origin the province never registered.
  Batch stranger = BatchOf("7-0", R"({"t":[["16.07.01.2001",{"total":1}]]})");
  stranger.set_origin("16.07");
  EXPECT_EQ(receiver_->Receive(SignBatch(stranger, *NewKey())).status().code(),
            absl::StatusCode::kUnauthenticated);
  // Sequences that go back.
  Batch backwards = BatchOf("9-0", inside);
  *backwards.add_messages() = backwards.messages(0);
  backwards.mutable_messages(1)->set_sequence("8-0");
  EXPECT_EQ(receiver_->Receive(SignBatch(backwards, *district_key_)).status().code(),
            absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(StreamLength(*redis_, FederationStreamKey(kProvince)), 0) << "nothing applied";
  std::map<std::string, std::string> link = Hash(LinkKey(kProvince, kInbound, kDistrict));
  EXPECT_EQ(link["refused_batches"], "4");
  EXPECT_NE(link["last_error"].find("sequences must increase"), std::string::npos);
  EXPECT_TRUE(Keys(*redis_, "federation:{16}:link:inbound:16.07*").empty())
      << "an unknown origin makes no keys";

  // A batch replayed is applied once.
  SignedBatch good = SignBatch(BatchOf("10-0", inside), *district_key_);
  auto first = receiver_->Receive(good);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->applied(), 1);
  auto replay = receiver_->Receive(good);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->applied(), 0);
  EXPECT_EQ(replay->high_water_mark(), "10-0");
  EXPECT_EQ(StreamLength(*redis_, FederationStreamKey(kProvince)), 1);
}

// The case stream carries every case change; the referral channel sends only the referrals to
// the province, the province puts each on its stream once, and the case stream stays whole for
// its other readers.
TEST_F(FederationRedisTest, ReferralsToTheProvinceTravelFromTheCaseStream) {
  using wahana::cases::v1::CaseChanged;
  auto change = [](const std::string& village, wahana::cases::v1::CaseActionType type,
                   wahana::cases::v1::ReferralTarget target) {
    CaseChanged changed;
    changed.mutable_case_()->set_id("C-" + village);
    changed.mutable_case_()->set_number("16.06-2026-000007");
    changed.mutable_case_()->set_village_code(village);
    changed.mutable_case_()->set_summary("Nenek hidup sendiri");
    changed.mutable_action()->set_type(type);
    changed.mutable_action()->mutable_referral()->set_number(1);
    changed.mutable_action()->mutable_referral()->set_target(target);
    changed.mutable_action()->mutable_referral()->set_reason("panti werdha");
    return MakeEnvelope(changed, {kDistrict, changed.case_().id(), 2, village});
  };
  const std::string case_stream = CaseStreamKey(kDistrict);
  ASSERT_TRUE(redis_
                  ->Command(XaddArgv(case_stream, change(kVillage, wahana::cases::v1::ACTION_ASSIGN,
                                                         wahana::cases::v1::REFERRAL_PROVINCE)))
                  .ok());
  ASSERT_TRUE(redis_
                  ->Command(XaddArgv(case_stream, change(kVillage, wahana::cases::v1::ACTION_REFER,
                                                         wahana::cases::v1::REFERRAL_AGENCY)))
                  .ok());
  ASSERT_TRUE(redis_
                  ->Command(XaddArgv(case_stream, change(kVillage, wahana::cases::v1::ACTION_REFER,
                                                         wahana::cases::v1::REFERRAL_PROVINCE)))
                  .ok());
  RelayOptions options;
  options.region = kDistrict;
  options.peer = kProvince;
  options.outbox = case_stream;
  options.channel = wahana::federation::v1::CHANNEL_REFERRALS;
  options.read_entry = ProvinceReferralEntries();
  options.sole_reader = false;
  OutboxRelay referrals(*redis_, options, district_key_, peer_);
  ASSERT_TRUE(referrals.CreateGroup().ok());
  absl::StatusOr<int> sent = referrals.RelayOnce(10);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 1);
  EXPECT_EQ(StreamLength(*redis_, case_stream), 3) << "the case stream is not the relay's to trim";
  std::vector<wahana::common::v1::Envelope> delivered =
      StreamMessages(*redis_, FederationStreamKey(kProvince));
  ASSERT_EQ(delivered.size(), 1u);
  wahana::federation::v1::InboundReferral inbound;
  ASSERT_TRUE(delivered[0].payload().UnpackTo(&inbound));
  EXPECT_EQ(inbound.origin(), kDistrict);
  EXPECT_EQ(inbound.referral().case_id(), "C-16.06.01.2001");
  EXPECT_EQ(inbound.referral().reason(), "panti werdha");
  EXPECT_EQ(inbound.referral().village_code(), kVillage);
  // Every entry read is acknowledged: nothing is read again.
  EXPECT_EQ(*referrals.RelayOnce(10), 0);
  EXPECT_EQ(peer_->calls, 1);

  // A referral of a village outside the district is refused.
  Batch forged;
  forged.set_origin(kDistrict);
  forged.set_channel(wahana::federation::v1::CHANNEL_REFERRALS);
  auto* message = forged.add_messages();
  message->set_sequence("99999999999999-0");
  message->mutable_referral()->set_case_id("C-x");
  message->mutable_referral()->set_village_code("16.07.01.2001");
  EXPECT_EQ(receiver_->Receive(SignBatch(forged, *district_key_)).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(StreamLength(*redis_, FederationStreamKey(kProvince)), 1);
}

TEST_F(FederationRedisTest, AnswersTravelFromTheProvinceToTheDistrictTheyConcernOnly) {
  using wahana::cases::v1::CaseChanged;
  // The province's case stream: answers to two districts' referrals, and another step.
  auto answered = [](const std::string& district, wahana::cases::v1::CaseActionType type,
                     wahana::cases::v1::ReferralStatus status) {
    CaseChanged changed;
    changed.mutable_case_()->set_id("P-" + district);
    changed.mutable_case_()->set_number("16-2026-000003");
    changed.mutable_case_()->set_village_code(district + ".01.2001");
    wahana::cases::v1::ReferredFrom* from = changed.mutable_case_()->mutable_referred_from();
    from->set_region(district);
    from->set_case_id("C-" + district);
    from->set_referral_number(1);
    changed.mutable_action()->set_type(type);
    changed.mutable_action()->set_reason("kapasitas tersedia");
    changed.mutable_action()->mutable_referral()->set_status(status);
    changed.mutable_action()->mutable_referral()->set_answer("diterima");
    return MakeEnvelope(changed, {kProvince, changed.case_().id(), 2, district + ".01.2001"});
  };
  const std::string province_stream = CaseStreamKey(kProvince);
  for (const auto& envelope : {answered(kDistrict, wahana::cases::v1::ACTION_ANSWER_REFERRAL,
                                        wahana::cases::v1::REFERRAL_ACCEPTED),
                               answered("16.07", wahana::cases::v1::ACTION_ANSWER_REFERRAL,
                                        wahana::cases::v1::REFERRAL_REJECTED),
                               answered(kDistrict, wahana::cases::v1::ACTION_ADD_NOTE,
                                        wahana::cases::v1::REFERRAL_STATUS_UNSPECIFIED),
                               answered(kDistrict, wahana::cases::v1::ACTION_ANSWER_REFERRAL,
                                        wahana::cases::v1::REFERRAL_COMPLETED)}) {
    ASSERT_TRUE(redis_->Command(XaddArgv(province_stream, envelope)).ok());
  }
  // The district receives with its province's public key.
  std::shared_ptr<const Ed25519PrivateKey> province_key = NewKey();
  auto district_receiver =
      std::make_shared<BatchReceiver>(*redis_, kDistrict, province_key->PublicKey());
  auto district = std::make_shared<LocalPeer>(district_receiver);
  RelayOptions options;
  options.region = kProvince;
  options.peer = kDistrict;
  options.outbox = province_stream;
  options.group = std::string(kFederationRelayGroup) + ":" + kDistrict;
  options.channel = wahana::federation::v1::CHANNEL_REFERRAL_ANSWERS;
  options.read_entry = ReferralAnswerEntries(kDistrict);
  options.sole_reader = false;
  OutboxRelay answers(*redis_, options, province_key, district);
  ASSERT_TRUE(answers.CreateGroup().ok());
  absl::StatusOr<int> sent = answers.RelayOnce(10);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 2);
  EXPECT_EQ(*answers.RelayOnce(10), 0) << "every entry read is acknowledged, sent or not";
  EXPECT_EQ(StreamLength(*redis_, province_stream), 4) << "not the relay's to trim";
  std::vector<wahana::common::v1::Envelope> delivered =
      StreamMessages(*redis_, FederationStreamKey(kDistrict));
  ASSERT_EQ(delivered.size(), 2u) << "the district's two answers, in order, nothing of 16.07";
  wahana::federation::v1::InboundReferralAnswer first;
  ASSERT_TRUE(delivered[0].payload().UnpackTo(&first));
  EXPECT_EQ(first.origin(), kProvince);
  EXPECT_EQ(first.answer().case_id(), "C-16.06");
  EXPECT_EQ(first.answer().referral_number(), 1);
  EXPECT_EQ(first.answer().status(), wahana::cases::v1::REFERRAL_ACCEPTED);
  EXPECT_EQ(first.answer().answer(), "diterima");
  EXPECT_EQ(first.answer().reason(), "kapasitas tersedia");
  EXPECT_EQ(first.answer().province_case_id(), "P-16.06");
  wahana::federation::v1::InboundReferralAnswer second;
  ASSERT_TRUE(delivered[1].payload().UnpackTo(&second));
  EXPECT_EQ(second.answer().status(), wahana::cases::v1::REFERRAL_COMPLETED);
  EXPECT_EQ(Hash(LinkKey(kDistrict, kInbound, kProvince))["referral_answers:messages"], "2");

  // Sent again (the acknowledgement lost): nothing applied twice.
  auto answer_batch = [&](const std::string& sequence, const std::string& region) {
    Batch batch;
    batch.set_origin(kProvince);
    batch.set_channel(wahana::federation::v1::CHANNEL_REFERRAL_ANSWERS);
    auto* message = batch.add_messages();
    message->set_sequence(sequence);
    auto* answer = message->mutable_referral_answer();
    answer->set_region(region);
    answer->set_case_id("C-" + region);
    answer->set_referral_number(1);
    answer->set_status(wahana::cases::v1::REFERRAL_REJECTED);
    return batch;
  };
  const std::string mark = Hash(LinkKey(kDistrict, kInbound, kProvince))["referral_answers:hwm"];
  absl::StatusOr<DeliverResponse> again =
      district_receiver->Receive(SignBatch(answer_batch(mark, kDistrict), *province_key));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->applied(), 0);
  // Forged: signed by a district's key, or about another district, or on a district's channel.
  EXPECT_EQ(district_receiver
                ->Receive(SignBatch(answer_batch("99999999999999-0", kDistrict), *district_key_))
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(district_receiver
                ->Receive(SignBatch(answer_batch("99999999999999-0", "16.07"), *province_key))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  Batch aggregates = BatchOf("99999999999999-0", R"({"c":[],"t":[]})");
  aggregates.set_origin(kProvince);
  EXPECT_EQ(district_receiver->Receive(SignBatch(aggregates, *province_key)).status().code(),
            absl::StatusCode::kInvalidArgument);
  Batch from_district = answer_batch("99999999999999-0", kDistrict);
  from_district.set_origin(kDistrict);
  EXPECT_EQ(district_receiver->Receive(SignBatch(from_district, *district_key_)).status().code(),
            absl::StatusCode::kUnauthenticated)
      << "a district is not its own province";
  // And a province takes no answers from its districts.
  Batch to_province = answer_batch("99999999999999-0", kDistrict);
  to_province.set_origin(kDistrict);
  EXPECT_EQ(receiver_->Receive(SignBatch(to_province, *district_key_)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StreamLength(*redis_, FederationStreamKey(kDistrict)), 2);
  EXPECT_EQ(Hash(LinkKey(kDistrict, kInbound, kProvince))["refused_batches"], "3");
}

}  // namespace
}  // namespace wahana::testing
