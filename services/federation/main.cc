// wahana-federation: the link between a district deployment and its province
// (wahana.federation.v1.FederationService) on gRPC port 20055.
//   - In a district linked to its province (WAHANA_PROVINCE_ADDR): relays the reporting service's
//     outbox, and the case stream's referrals to the province, in signed batches
//     (outbox_relay.h).
//   - In a province: receives its registered districts' batches (batch_receiver.h) and puts them
//     on its stream, where the province's reporting and case services take them; relays the
//     answers to each district's referrals back to that district.
//   - In a district: receives its province's answers and puts them on its stream for its case
//     service.
//   - A province looks NIKs up in its districts (district_lookup.h); a district answers its own
//     province (lookup_answerer.h).
//   - In both: GET /v1/federation/status (link_status.h).

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/audit/audit_service.h"
#include "common/bus/bus_contract.h"
#include "common/config/env_reader.h"
#include "common/crypto/ed25519_key.h"
#include "common/federation/deployment_role.h"
#include "common/process/service_main.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "federation/batch_receiver.h"
#include "federation/district_lookup.h"
#include "federation/federation_grpc_service.h"
#include "federation/federation_keys.h"
#include "federation/link_metrics.h"
#include "federation/link_status.h"
#include "federation/lookup_answerer.h"
#include "federation/outbox_relay.h"
#include "federation/peer_tls.h"
#include "federation/registered_districts.h"
#include "federation/relayed_entries.h"

namespace {

absl::Status Setup(wahana::ServiceRuntime& runtime) {
  const std::string& region = runtime.config().region;
  wahana::EnvReader reader;
  absl::StatusOr<wahana::FederationLink> link = wahana::ReadFederationLink(reader, region);
  const std::string key_file = reader.String("WAHANA_FEDERATION_KEY_FILE");
  const std::string districts_file = reader.String("WAHANA_FEDERATION_DISTRICTS_FILE");
  const int batch_size = static_cast<int>(reader.Int("WAHANA_FEDERATION_BATCH", 1, 100000));
  const int64_t deadline_ms = reader.Int("WAHANA_FEDERATION_DEADLINE_MS", 1, 600000);
  const int64_t lookup_deadline_ms = reader.Int("WAHANA_FEDERATION_LOOKUP_DEADLINE_MS", 1, 600000);
  const std::string province_key_file = reader.String("WAHANA_PROVINCE_PUBLIC_KEY_FILE");
  const std::string registry_address = reader.ServiceTarget("WAHANA_REGISTRY_ADDR");
  absl::StatusOr<wahana::PeerTls> tls = wahana::ReadPeerTls(reader, runtime.config().grpc_host);
  WAHANA_RETURN_IF_ERROR(reader.Finish());
  WAHANA_RETURN_IF_ERROR(link.status());
  WAHANA_RETURN_IF_ERROR(tls.status());
  if (!tls->listen_address.empty()) runtime.AddListeningPort(tls->listen_address, tls->server);

  std::shared_ptr<const wahana::Ed25519PrivateKey> key;
  if (!key_file.empty()) {
    WAHANA_ASSIGN_OR_RETURN(
        wahana::Ed25519PrivateKey loaded,
        wahana::Ed25519PrivateKey::FromPemFile(key_file, "WAHANA_FEDERATION_KEY_FILE"));
    key = std::make_shared<const wahana::Ed25519PrivateKey>(std::move(loaded));
  }
  spdlog::info("federation: {} {}, signing key {}", wahana::DeploymentRoleName(link->role), region,
               key ? key->PublicKey().KeyId() : std::string("none"));

  auto districts = std::make_shared<wahana::RegisteredDistricts>();
  std::shared_ptr<wahana::BatchReceiver> receiver;
  // Every link shown by GET /v1/federation/status, and the relays to start.
  std::vector<wahana::LinkStatusReader::Link> links;
  std::vector<std::pair<wahana::RelayOptions, std::shared_ptr<wahana::FederationPeer>>> relays;
  std::shared_ptr<wahana::DistrictLookup> lookup;
  std::shared_ptr<wahana::LookupAnswerer> answerer;
  if (link->role == wahana::DeploymentRole::kProvince) {
    WAHANA_ASSIGN_OR_RETURN(wahana::RegisteredDistricts loaded,
                            wahana::RegisteredDistricts::Load(districts_file, region));
    districts = std::make_shared<wahana::RegisteredDistricts>(std::move(loaded));
    if (districts->all().empty()) {
      spdlog::warn("no WAHANA_FEDERATION_DISTRICTS_FILE districts: every batch will be refused");
    }
    receiver = std::make_shared<wahana::BatchReceiver>(runtime.redis(), region, districts);
    lookup = std::make_shared<wahana::DistrictLookup>(
        region, key, districts, absl::Milliseconds(lookup_deadline_ms), tls->client);
    for (const auto& [code, district] : districts->all()) {
      for (auto channel : {wahana::federation::v1::CHANNEL_AGGREGATES,
                           wahana::federation::v1::CHANNEL_REFERRALS}) {
        links.push_back({wahana::kInbound, code, channel});
      }
      if (district.address.empty() || key == nullptr) {
        spdlog::warn("federation: the answers to {}'s referrals stay here: {}", code,
                     key == nullptr ? "no WAHANA_FEDERATION_KEY_FILE to sign them"
                                    : "no address registered for it");
        continue;
      }
      // The answers to the district's referrals, read from this province's case stream once per
      // district (its own group), signed with the province's key.
      wahana::RelayOptions answers;
      answers.peer = code;
      answers.outbox = wahana::CaseStreamKey(region);
      answers.group = absl::StrCat(wahana::kFederationRelayGroup, ":", code);
      answers.channel = wahana::federation::v1::CHANNEL_REFERRAL_ANSWERS;
      answers.read_entry = wahana::ReferralAnswerEntries(code);
      answers.sole_reader = false;
      relays.emplace_back(
          answers, std::make_shared<wahana::GrpcFederationPeer>(district.address, tls->client));
    }
  } else {
    std::optional<wahana::Ed25519PublicKey> province_key;
    if (!province_key_file.empty()) {
      WAHANA_ASSIGN_OR_RETURN(
          province_key, wahana::Ed25519PublicKey::FromPemFile(province_key_file,
                                                              "WAHANA_PROVINCE_PUBLIC_KEY_FILE"));
    }
    answerer = std::make_shared<wahana::LookupAnswerer>(
        region, province_key,
        wahana::RegistryNikFinder(registry_address, absl::Milliseconds(lookup_deadline_ms)));
    if (province_key.has_value()) {
      // The province's answers to this district's referrals.
      receiver = std::make_shared<wahana::BatchReceiver>(runtime.redis(), region, *province_key);
    }
  }
  if (link->linked_district()) {
    if (key == nullptr) {
      return absl::InvalidArgumentError(
          "WAHANA_FEDERATION_KEY_FILE: a district linked to its province (WAHANA_PROVINCE_ADDR) "
          "signs its batches with this key; none given");
    }
    auto province =
        std::make_shared<wahana::GrpcFederationPeer>(link->province_address, tls->client);
    // The reporting outbox (its own, trimmed as acknowledged) and the case stream's referrals
    // to the province (shared with the stream's other readers).
    wahana::RelayOptions aggregates;
    aggregates.outbox = wahana::OutboxStreamKey("reporting", region);
    wahana::RelayOptions referrals;
    referrals.outbox = wahana::CaseStreamKey(region);
    referrals.channel = wahana::federation::v1::CHANNEL_REFERRALS;
    referrals.read_entry = wahana::ProvinceReferralEntries();
    referrals.sole_reader = false;
    for (wahana::RelayOptions options : {aggregates, referrals}) {
      options.peer = wahana::ParentRegionCode(region);
      relays.emplace_back(options, province);
    }
  }
  for (auto& [options, peer] : relays) {
    options.region = region;
    options.batch_size = batch_size;
    options.deadline = absl::Milliseconds(deadline_ms);
    links.push_back(
        {wahana::kOutbound, options.peer, options.channel, options.outbox, options.group});
    auto relay = std::make_shared<wahana::OutboxRelay>(runtime.redis(), options, key, peer);
    runtime.AddBackground(
        [relay] {
          absl::Status started = relay->Start();
          if (!started.ok()) {
            spdlog::error("federation relay did not start: {}", started.ToString());
          }
        },
        [relay] { relay->Stop(); });
    spdlog::info("federation: relaying {} ({}) to {}", options.outbox,
                 wahana::ChannelName(options.channel), options.peer);
  }
  if (link->role == wahana::DeploymentRole::kDistrict && receiver != nullptr) {
    links.push_back({wahana::kInbound, wahana::ParentRegionCode(region),
                     wahana::federation::v1::CHANNEL_REFERRAL_ANSWERS});
  }
  auto status =
      std::make_shared<wahana::LinkStatusReader>(runtime.redis(), region, link->role, links);
  runtime.AddMetrics(std::make_shared<wahana::LinkMetricsCollector>(status));
  runtime.AddService(std::make_unique<wahana::FederationGrpcService>(receiver, lookup, answerer,
                                                                     status, runtime.pool()));
  // Every call leaves an entry on federation:{region}:audit: a province's look-ups with who
  // asked, a district's answers with the province's request id (its registry's trail holds the
  // same id for the read it made).
  return wahana::AddAuditTrail(runtime, {{"wahana.federation.v1.FederationService",
                                          {"federation", "wahana.federation.v1.DistrictMatch"}}});
}

}  // namespace

int main(int argc, char** argv) {
  return wahana::RunService(argc, argv, "federation", 20055, Setup);
}
