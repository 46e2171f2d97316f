#include "registry/institutions/institution_store.h"

#include "absl/strings/str_cat.h"
#include "common/storage/indexed_proto_record_store.h"

namespace wahana::registry {

using wahana::registry::v1::Institution;

RecordKeys InstitutionKeys(const std::string& region) {
  return RecordKeys("registry", "institution", region);
}

std::string KindView(Institution::Kind kind) {
  return absl::StrCat("kind=", Institution::Kind_Name(kind));
}

RecordIndexing<Institution> InstitutionIndexing() {
  RecordIndexing<Institution> indexing;
  indexing.region_code = [](const Institution& i) { return i.village_code(); };
  indexing.archived = [](const Institution& i) { return i.archived(); };
  indexing.views = [](const Institution& i) {
    return std::vector<std::string>{KindView(i.kind())};
  };
  return indexing;
}

std::shared_ptr<InstitutionStore> MakeRedisInstitutionStore(RedisClient& redis,
                                                            const std::string& region) {
  return std::make_shared<IndexedProtoRecordStore<Institution>>(redis, InstitutionKeys(region),
                                                                InstitutionIndexing());
}

}  // namespace wahana::registry
