#pragma once
// Where and how workers are kept: their Redis keys and how the record store lists and finds them.
//
//   registry:{16.06}:worker:<id>              the record (hash {pb: Worker bytes, etag})
//   registry:{16.06}:request:worker:<rid>     a create's requestId
//   registry:{16.06}:stream                   WorkerChanged messages (the registry's one stream)
//   registry:{16.06}:index:worker:...         lists and the NIK claims:
//     live / archived                         by region code (see WorkerRegionCode)
//     live:kind=<KIND> / archived:...         a view per kind ("kind=TKSK")
//     live:subdistrict=<code> / archived:...  a view per assigned kecamatan
//     ("subdistrict=16.06.01") unique:nik                              who holds a NIK, among live
//     workers only

#include <memory>
#include <string>

#include "common/storage/indexed_record_store.h"
#include "common/storage/record_indexing.h"
#include "common/storage/record_keys.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana::registry {

using WorkerStore = IndexedRecordStore<wahana::registry::v1::Worker>;

inline RecordKeys WorkerKeys(const std::string& region) {
  return RecordKeys("registry", "worker", region);
}

// The region a worker is listed under (lists filter by its prefix): the home base (villageCode)
// when given, else the first assigned kecamatan, else the deployment's region itself.
std::string WorkerRegionCode(const wahana::registry::v1::Worker& worker,
                             const std::string& deployment_region);

// The view names used by lists.
std::string WorkerKindView(wahana::registry::v1::Worker::Kind kind);  // "kind=TKSK"
std::string WorkerSubdistrictView(const std::string& code);           // "subdistrict=16.06.01"

// The NIK is claimed while the worker is live: archiving a worker who left releases it, so the
// same person hired again is a new record (the old one stays, archived, as history).
RecordIndexing<wahana::registry::v1::Worker> WorkerIndexing(const std::string& deployment_region);

}  // namespace wahana::registry
