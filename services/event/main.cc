// wahana-event: the event service (wahana.event.v1.EventService) on gRPC port 20053; it consumes
// the case stream to learn which cases a mediation event serves.

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <utility>

#include "common/audit/audit_service.h"
#include "common/bus/consumer_setup.h"
#include "common/config/env_reader.h"
#include "common/crypto/ed25519_key.h"
#include "common/process/service_main.h"
#include "common/region/registry_directory_from_env.h"
#include "common/registry/registry_records.h"
#include "common/status/status_macros.h"
#include "event/case_link_handler.h"
#include "event/event_grpc_service.h"
#include "event/event_logic.h"
#include "event/event_store.h"
#include "event/participant_logic.h"
#include "event/participant_store.h"

namespace {

absl::Status Setup(wahana::ServiceRuntime& runtime) {
  WAHANA_ASSIGN_OR_RETURN(std::shared_ptr<wahana::RegionDirectory> regions,
                          wahana::RegistryDirectoryFromEnv());
  wahana::EnvReader reader;
  const std::string registry_address = reader.ServiceTarget("WAHANA_REGISTRY_ADDR");
  const int64_t deadline_ms = reader.Int("WAHANA_EVENT_REGISTRY_DEADLINE_MS", 1, 600000);
  const std::string checkin_key_file = reader.String("WAHANA_CHECKIN_KEY_FILE");
  WAHANA_RETURN_IF_ERROR(reader.Finish());
  std::shared_ptr<const wahana::Ed25519PrivateKey> checkin_key;
  if (checkin_key_file.empty()) {
    spdlog::warn("no WAHANA_CHECKIN_KEY_FILE: participants get no check-in codes");
  } else {
    WAHANA_ASSIGN_OR_RETURN(
        wahana::Ed25519PrivateKey key,
        wahana::Ed25519PrivateKey::FromPemFile(checkin_key_file, "WAHANA_CHECKIN_KEY_FILE"));
    checkin_key = std::make_shared<const wahana::Ed25519PrivateKey>(std::move(key));
  }
  const std::string& region = runtime.config().region;
  auto registry = std::make_shared<wahana::GrpcRegistryRecords>(
      registry_address, std::chrono::milliseconds(deadline_ms));
  std::shared_ptr<wahana::EventStore> events = wahana::MakeRedisEventStore(runtime.redis(), region);
  // Events stored before their guard fields existed would refuse every registration.
  WAHANA_RETURN_IF_ERROR(wahana::AddMissingEventGuardFields(runtime.redis(), region, *events));
  std::shared_ptr<wahana::EventCaseLinkStore> links =
      wahana::MakeRedisEventCaseLinkStore(runtime.redis(), region);
  auto logic = std::make_shared<wahana::EventLogic>(region, events, regions, registry,
                                                    /*now=*/nullptr, /*ids=*/nullptr,
                                                    runtime.config().calendar, links);
  auto participants = std::make_shared<wahana::ParticipantLogic>(
      region, wahana::MakeRedisParticipantStore(runtime.redis(), region), events, registry,
      checkin_key, /*now=*/nullptr, /*ids=*/nullptr, runtime.config().calendar);
  runtime.AddService(
      std::make_unique<wahana::EventGrpcService>(logic, participants, runtime.pool()));
  // The cases a mediation event serves, from the case service's stream (its own group "event").
  auto case_links = std::make_shared<wahana::CaseLinkHandler>(region, events, links);
  wahana::AddBusConsumer(
      runtime, wahana::kEventReadsCases,
      [case_links](const wahana::common::v1::Envelope& envelope, const std::string& /*entry_id*/) {
        return case_links->HandleCaseMessage(envelope);
      });
  // Every call about an event leaves an entry on event:{region}:audit, as for every resource.
  return wahana::AddAuditTrail(
      runtime, {{"wahana.event.v1.EventService", {"events", "wahana.event.v1.Event"}}});
}

}  // namespace

int main(int argc, char** argv) { return wahana::RunService(argc, argv, "event", 20053, Setup); }
