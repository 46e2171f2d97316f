#include "registry/networks/network_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/storage/indexed_proto_record_store.h"

namespace wahana::registry {

using wahana::registry::v1::Network;

RecordKeys NetworkKeys(const std::string& region) {
  return RecordKeys("registry", "network", region);
}

std::string StageView(Network::Stage stage) {
  return absl::StrCat("stage=", Network::Stage_Name(stage));
}

std::string AreaKey(const Network& network) {
  if (network.kind() != Network::RW) return network.village_code();
  int rw = 0;
  if (!absl::SimpleAtoi(network.rw(), &rw) || rw <= 0) return "";
  return absl::StrCat(network.village_code(), "/RW", rw);
}

RecordIndexing<Network> NetworkIndexing() {
  RecordIndexing<Network> indexing;
  indexing.region_code = [](const Network& n) { return n.village_code(); };
  indexing.archived = [](const Network& n) { return n.archived(); };
  indexing.views = [](const Network& n) { return std::vector<std::string>{StageView(n.stage())}; };
  indexing.unique = [](const Network& n) {
    std::vector<IndexValue> values;
    if (!n.archived()) values.push_back({kNetworkAreaIndex, AreaKey(n)});
    return values;
  };
  return indexing;
}

std::shared_ptr<NetworkStore> MakeRedisNetworkStore(RedisClient& redis, const std::string& region) {
  return std::make_shared<IndexedProtoRecordStore<Network>>(redis, NetworkKeys(region),
                                                            NetworkIndexing());
}

}  // namespace wahana::registry
