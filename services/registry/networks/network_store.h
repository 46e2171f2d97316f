#pragma once
// Where WKSBM networks are kept: an IndexedRecordStore (common/storage/indexed_record_store.h) of
// wahana.registry.v1.Network, in Redis under the registry's keys
//
//   registry:{<region>}:network:<id>               the record (members, board, visits inside it)
//   registry:{<region>}:request:network:<rid>      a create's requestId
//   registry:{<region>}:index:network:...          lists by region, live and archived; one view
//                                                  per stage ("stage=LEGALIZED"); the unique
//                                                  "area" of live networks
//   registry:{<region>}:stream                     NetworkChanged messages (the registry's one
//                                                  stream)
//
// The stage is a view (clients list "which networks are legalized" on its own). The area is
// unique among live networks: one network per village, one per RW of a village (AreaKey). An
// archived network releases its area, so a village whose network was dissolved (or entered by
// mistake) can form a new one.

#include <memory>
#include <string>

#include "common/redis/redis_client.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_indexing.h"
#include "common/storage/record_keys.h"
#include "wahana/registry/v1/network.pb.h"

namespace wahana::registry {

using NetworkStore = IndexedRecordStore<wahana::registry::v1::Network>;

// The unique index of the areas of live networks.
inline constexpr char kNetworkAreaIndex[] = "area";

// The keys of networks in the deployment `region` ("16.06").
RecordKeys NetworkKeys(const std::string& region);

// How networks are listed: by villageCode, archived or not, views StageView(stage), unique area.
RecordIndexing<wahana::registry::v1::Network> NetworkIndexing();

// The view of the networks at `stage`: "stage=LEGALIZED".
std::string StageView(wahana::registry::v1::Network::Stage stage);

// The area a network serves: "<villageCode>" for a village network, "<villageCode>/RW<n>" for an
// RW network (n without leading zeros: RW "003" and "3" are one area). Empty for a network whose
// rw is not a number (refused by the rules before it is stored).
std::string AreaKey(const wahana::registry::v1::Network& network);

// The store on Redis. `redis` must outlive it. Thread-safe.
std::shared_ptr<NetworkStore> MakeRedisNetworkStore(RedisClient& redis, const std::string& region);

}  // namespace wahana::registry
