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

// The federation settings, read once.
struct FederationSettings {
  wahana::FederationLink link;
  std::shared_ptr<const wahana::Ed25519PrivateKey> key;  // null: none given
  std::string districts_file;
  std::string province_key_file;
  std::string registry_address;
  int batch_size = 0;
  absl::Duration deadline;
  absl::Duration lookup_deadline;
  wahana::PeerTls tls;
};

// What one deployment's role runs: the pieces the gRPC service answers with, the relays to start
// and every link the status page shows.
struct RoleParts {
  std::shared_ptr<wahana::RegisteredDistricts> districts =
      std::make_shared<wahana::RegisteredDistricts>();
  std::shared_ptr<wahana::BatchReceiver> receiver;
  std::shared_ptr<wahana::DistrictLookup> lookup;
  std::shared_ptr<wahana::LookupAnswerer> answerer;
  std::vector<std::pair<wahana::RelayOptions, std::shared_ptr<wahana::FederationPeer>>> relays;
  std::vector<wahana::LinkStatusReader::Link> links;
};

absl::StatusOr<FederationSettings> ReadSettings(const std::string& region,
                                                const std::string& grpc_host) {
  wahana::EnvReader reader;
  FederationSettings settings;
  absl::StatusOr<wahana::FederationLink> link = wahana::ReadFederationLink(reader, region);
  const std::string key_file = reader.String("WAHANA_FEDERATION_KEY_FILE");
  settings.districts_file = reader.String("WAHANA_FEDERATION_DISTRICTS_FILE");
  settings.batch_size = static_cast<int>(reader.Int("WAHANA_FEDERATION_BATCH", 1, 100000));
  settings.deadline = absl::Milliseconds(reader.Int("WAHANA_FEDERATION_DEADLINE_MS", 1, 600000));
  settings.lookup_deadline =
      absl::Milliseconds(reader.Int("WAHANA_FEDERATION_LOOKUP_DEADLINE_MS", 1, 600000));
  settings.province_key_file = reader.String("WAHANA_PROVINCE_PUBLIC_KEY_FILE");
  settings.registry_address = reader.ServiceTarget("WAHANA_REGISTRY_ADDR");
  absl::StatusOr<wahana::PeerTls> tls = wahana::ReadPeerTls(reader, grpc_host);
  WAHANA_RETURN_IF_ERROR(reader.Finish());
  WAHANA_RETURN_IF_ERROR(link.status());
  WAHANA_RETURN_IF_ERROR(tls.status());
  settings.link = *std::move(link);
  settings.tls = *std::move(tls);
  if (!key_file.empty()) {
    WAHANA_ASSIGN_OR_RETURN(
        wahana::Ed25519PrivateKey loaded,
        wahana::Ed25519PrivateKey::FromPemFile(key_file, "WAHANA_FEDERATION_KEY_FILE"));
    settings.key = std::make_shared<const wahana::Ed25519PrivateKey>(std::move(loaded));
  }
  return settings;
}

// A province: receives its registered districts' batches, looks NIKs up in them, and relays the
// answers to each district's referrals back to it.
absl::StatusOr<RoleParts> ProvinceParts(wahana::ServiceRuntime& runtime,
                                        const FederationSettings& settings) {
  const std::string& region = runtime.config().region;
  RoleParts parts;
  WAHANA_ASSIGN_OR_RETURN(wahana::RegisteredDistricts loaded,
                          wahana::RegisteredDistricts::Load(settings.districts_file, region));
  parts.districts = std::make_shared<wahana::RegisteredDistricts>(std::move(loaded));
  if (parts.districts->all().empty()) {
    spdlog::warn("no WAHANA_FEDERATION_DISTRICTS_FILE districts: every batch will be refused");
  }
  parts.receiver =
      std::make_shared<wahana::BatchReceiver>(runtime.redis(), region, parts.districts);
  parts.lookup = std::make_shared<wahana::DistrictLookup>(
      region, settings.key, parts.districts, settings.lookup_deadline, settings.tls.client);
  for (const auto& [code, district] : parts.districts->all()) {
    for (auto channel :
         {wahana::federation::v1::CHANNEL_AGGREGATES, wahana::federation::v1::CHANNEL_REFERRALS}) {
      parts.links.push_back({wahana::kInbound, code, channel});
    }
    if (district.address.empty() || settings.key == nullptr) {
      spdlog::warn("federation: the answers to {}'s referrals stay here: {}", code,
                   settings.key == nullptr ? "no WAHANA_FEDERATION_KEY_FILE to sign them"
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
    parts.links.push_back(
        {wahana::kOutbound, code, answers.channel, answers.outbox, answers.group});
    parts.relays.emplace_back(answers, std::make_shared<wahana::GrpcFederationPeer>(
                                           district.address, settings.tls.client));
  }
  return parts;
}

// A district: answers its province's look-ups and receives its answers (with the province's
// public key), and, linked, relays its reports' outbox and its referrals to the province.
absl::StatusOr<RoleParts> DistrictParts(wahana::ServiceRuntime& runtime,
                                        const FederationSettings& settings) {
  const std::string& region = runtime.config().region;
  const std::string province = wahana::ParentRegionCode(region);
  RoleParts parts;
  std::optional<wahana::Ed25519PublicKey> province_key;
  if (!settings.province_key_file.empty()) {
    WAHANA_ASSIGN_OR_RETURN(
        province_key, wahana::Ed25519PublicKey::FromPemFile(settings.province_key_file,
                                                            "WAHANA_PROVINCE_PUBLIC_KEY_FILE"));
  }
  parts.answerer = std::make_shared<wahana::LookupAnswerer>(
      region, province_key,
      wahana::RegistryNikFinder(settings.registry_address, settings.lookup_deadline));
  if (settings.link.linked_district()) {
    if (settings.key == nullptr) {
      return absl::InvalidArgumentError(
          "WAHANA_FEDERATION_KEY_FILE: a district linked to its province (WAHANA_PROVINCE_ADDR) "
          "signs its batches with this key; none given");
    }
    auto peer = std::make_shared<wahana::GrpcFederationPeer>(settings.link.province_address,
                                                             settings.tls.client);
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
      options.peer = province;
      parts.links.push_back(
          {wahana::kOutbound, province, options.channel, options.outbox, options.group});
      parts.relays.emplace_back(options, peer);
    }
  }
  if (province_key.has_value()) {
    // The province's answers to this district's referrals.
    parts.receiver =
        std::make_shared<wahana::BatchReceiver>(runtime.redis(), region, *province_key);
    parts.links.push_back(
        {wahana::kInbound, province, wahana::federation::v1::CHANNEL_REFERRAL_ANSWERS});
  }
  return parts;
}

absl::Status Setup(wahana::ServiceRuntime& runtime) {
  const std::string& region = runtime.config().region;
  WAHANA_ASSIGN_OR_RETURN(FederationSettings settings,
                          ReadSettings(region, runtime.config().grpc_host));
  if (!settings.tls.listen_address.empty()) {
    runtime.AddListeningPort(settings.tls.listen_address, settings.tls.server);
  }
  spdlog::info("federation: {} {}, signing key {}", wahana::DeploymentRoleName(settings.link.role),
               region, settings.key ? settings.key->PublicKey().KeyId() : std::string("none"));
  WAHANA_ASSIGN_OR_RETURN(RoleParts parts, settings.link.role == wahana::DeploymentRole::kProvince
                                               ? ProvinceParts(runtime, settings)
                                               : DistrictParts(runtime, settings));
  for (auto& [options, peer] : parts.relays) {
    options.region = region;
    options.batch_size = settings.batch_size;
    options.deadline = settings.deadline;
    auto relay =
        std::make_shared<wahana::OutboxRelay>(runtime.redis(), options, settings.key, peer);
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
  auto status = std::make_shared<wahana::LinkStatusReader>(runtime.redis(), region,
                                                           settings.link.role, parts.links);
  runtime.AddMetrics(std::make_shared<wahana::LinkMetricsCollector>(status));
  runtime.AddService(std::make_unique<wahana::FederationGrpcService>(
      parts.receiver, parts.lookup, parts.answerer, status, runtime.pool()));
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
