// wahana-event: the event service (wahana.event.v1.EventService) on gRPC port 50053.

#include <memory>

#include "common/config/env_reader.h"
#include "common/process/service_main.h"
#include "common/region/region_directory.h"
#include "common/status/status_macros.h"
#include "event/event_grpc_service.h"
#include "event/event_logic.h"
#include "event/redis_event_store.h"

namespace {

absl::Status Setup(wahana::ServiceRuntime& runtime) {
  wahana::EnvReader reader;
  std::string registry_address = reader.String("WAHANA_REGISTRY_ADDR");
  WAHANA_RETURN_IF_ERROR(reader.Finish());
  const std::string& region = runtime.config().region;
  auto logic = std::make_shared<wahana::EventLogic>(
      region, std::make_shared<wahana::RedisEventStore>(runtime.redis(), region),
      std::make_shared<wahana::GrpcRegionDirectory>(registry_address));
  runtime.AddService(std::make_unique<wahana::EventGrpcService>(logic, runtime.pool()));
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) { return wahana::RunService(argc, argv, "event", 50053, Setup); }
