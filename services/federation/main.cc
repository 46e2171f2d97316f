// wahana-federation: the link between a district deployment and its province
// (wahana.federation.v1.FederationService) on gRPC port 20055.
//   - In a district linked to its province (WAHANA_PROVINCE_ADDR): relays the reporting service's
//     outbox to the province in signed batches (outbox_relay.h).
//   - In a province: receives its registered districts' batches (batch_receiver.h) and puts them
//     on its stream, where the province's reporting service counts them.
//   - In both: GET /v1/federation/status (link_status.h).

#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <utility>

#include "common/bus/bus_contract.h"
#include "common/config/env_reader.h"
#include "common/crypto/ed25519_key.h"
#include "common/federation/deployment_role.h"
#include "common/process/service_main.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "federation/batch_receiver.h"
#include "federation/federation_grpc_service.h"
#include "federation/link_status.h"
#include "federation/outbox_relay.h"
#include "federation/registered_districts.h"

namespace {

absl::Status Setup(wahana::ServiceRuntime& runtime) {
  const std::string& region = runtime.config().region;
  wahana::EnvReader reader;
  absl::StatusOr<wahana::FederationLink> link = wahana::ReadFederationLink(reader, region);
  const std::string key_file = reader.String("WAHANA_FEDERATION_KEY_FILE");
  const std::string districts_file = reader.String("WAHANA_FEDERATION_DISTRICTS_FILE");
  const int batch_size = static_cast<int>(reader.Int("WAHANA_FEDERATION_BATCH", 1, 100000));
  const int64_t deadline_ms = reader.Int("WAHANA_FEDERATION_DEADLINE_MS", 1, 600000);
  WAHANA_RETURN_IF_ERROR(reader.Finish());
  WAHANA_RETURN_IF_ERROR(link.status());

  auto districts = std::make_shared<wahana::RegisteredDistricts>();
  std::shared_ptr<wahana::BatchReceiver> receiver;
  if (link->role == wahana::DeploymentRole::kProvince) {
    WAHANA_ASSIGN_OR_RETURN(wahana::RegisteredDistricts loaded,
                            wahana::RegisteredDistricts::Load(districts_file, region));
    districts = std::make_shared<wahana::RegisteredDistricts>(std::move(loaded));
    if (districts->all().empty()) {
      spdlog::warn("no WAHANA_FEDERATION_DISTRICTS_FILE districts: every batch will be refused");
    }
    receiver = std::make_shared<wahana::BatchReceiver>(runtime.redis(), region, districts);
  }
  if (link->linked_district()) {
    if (key_file.empty()) {
      return absl::InvalidArgumentError(
          "WAHANA_FEDERATION_KEY_FILE: a district linked to its province (WAHANA_PROVINCE_ADDR) "
          "signs its batches with this key; none given");
    }
    WAHANA_ASSIGN_OR_RETURN(
        wahana::Ed25519PrivateKey key,
        wahana::Ed25519PrivateKey::FromPemFile(key_file, "WAHANA_FEDERATION_KEY_FILE"));
    wahana::RelayOptions options;
    options.region = region;
    options.province = wahana::ParentRegionCode(region);
    options.outbox = wahana::OutboxStreamKey("reporting", region);
    options.batch_size = batch_size;
    options.deadline = absl::Milliseconds(deadline_ms);
    auto relay = std::make_shared<wahana::OutboxRelay>(
        runtime.redis(), options, std::make_shared<const wahana::Ed25519PrivateKey>(std::move(key)),
        std::make_shared<wahana::GrpcFederationPeer>(link->province_address));
    runtime.AddBackground(
        [relay] {
          absl::Status started = relay->Start();
          if (!started.ok())
            spdlog::error("federation relay did not start: {}", started.ToString());
        },
        [relay] { relay->Stop(); });
    spdlog::info("federation: relaying {} to the province at {}", options.outbox,
                 link->province_address);
  }
  auto status =
      std::make_shared<wahana::LinkStatusReader>(runtime.redis(), region, *link, districts);
  runtime.AddService(
      std::make_unique<wahana::FederationGrpcService>(receiver, status, runtime.pool()));
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  return wahana::RunService(argc, argv, "federation", 20055, Setup);
}
