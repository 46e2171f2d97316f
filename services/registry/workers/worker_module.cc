// AddWorkerService: the workers' store, logic and gRPC service in the registry process.

#include <memory>

#include "common/storage/indexed_proto_record_store.h"
#include "registry/registry_module.h"
#include "registry/workers/worker_grpc_service.h"
#include "registry/workers/worker_indexing.h"
#include "registry/workers/worker_logic.h"

namespace wahana::registry {

absl::Status AddWorkerService(RegistryModuleContext& context) {
  auto store = std::make_shared<IndexedProtoRecordStore<wahana::registry::v1::Worker>>(
      context.runtime.redis(), WorkerKeys(context.region), WorkerIndexing(context.region));
  auto logic = std::make_unique<WorkerLogic>(context.region, std::move(store), context.regions,
                                             /*now=*/nullptr, /*ids=*/nullptr,
                                             context.runtime.config().calendar);
  context.runtime.AddService(
      std::make_unique<WorkerGrpcService>(std::move(logic), context.runtime.pool()));
  return absl::OkStatus();
}

}  // namespace wahana::registry
