#pragma once
// Where institutions are kept: an IndexedRecordStore (common/storage/indexed_record_store.h) of
// wahana.registry.v1.Institution, in Redis under the registry's keys
//
//   registry:{<region>}:institution:<id>            the record
//   registry:{<region>}:request:institution:<rid>   a create's requestId
//   registry:{<region>}:index:institution:...       lists by region, live and archived, and one
//                                                   view per kind ("kind=LKS")
//   registry:{<region>}:stream                      InstitutionChanged messages (the registry's
//                                                   one stream)
//
// The kind is a view (a list of its own) because clients filter by it alone and some kinds are
// rare in a district; the status is a filter (most institutions are active). No unique values:
// two groups may share a name, even in one village.
//
// The network logic reads institutions through this store too (same Redis, registry-owned keys).

#include <memory>
#include <string>

#include "common/redis/redis_client.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_indexing.h"
#include "common/storage/record_keys.h"
#include "wahana/registry/v1/institution.pb.h"

namespace wahana::registry {

using InstitutionStore = IndexedRecordStore<wahana::registry::v1::Institution>;

// The keys of institutions in the deployment `region` ("16.06").
RecordKeys InstitutionKeys(const std::string& region);

// How institutions are listed: by villageCode, archived or not, views KindView(kind).
RecordIndexing<wahana::registry::v1::Institution> InstitutionIndexing();

// The view of the institutions of `kind`: "kind=LKS".
std::string KindView(wahana::registry::v1::Institution::Kind kind);

// The store on Redis. `redis` must outlive it. Thread-safe.
std::shared_ptr<InstitutionStore> MakeRedisInstitutionStore(RedisClient& redis,
                                                            const std::string& region);

}  // namespace wahana::registry
