// wahana-event: the event service (wahana.event.v1.EventService) on gRPC port 20053.

#include <memory>

#include "common/process/service_main.h"
#include "common/region/registry_directory_from_env.h"
#include "common/status/status_macros.h"
#include "common/storage/proto_record_store.h"
#include "event/event_grpc_service.h"
#include "event/event_keys.h"
#include "event/event_logic.h"

namespace {

absl::Status Setup(wahana::ServiceRuntime& runtime) {
  WAHANA_ASSIGN_OR_RETURN(std::shared_ptr<wahana::RegionDirectory> regions,
                          wahana::RegistryDirectoryFromEnv());
  const std::string& region = runtime.config().region;
  auto store = std::make_shared<wahana::ProtoRecordStore<wahana::event::v1::Event>>(
      runtime.redis(), wahana::EventKeys(region));
  auto logic = std::make_shared<wahana::EventLogic>(region, store, regions);
  runtime.AddService(std::make_unique<wahana::EventGrpcService>(logic, runtime.pool()));
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) { return wahana::RunService(argc, argv, "event", 20053, Setup); }
