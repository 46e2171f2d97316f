#include "registry/workers/worker_indexing.h"

#include "absl/strings/str_cat.h"
#include "common/registry/record_regions.h"

namespace wahana::registry {

using wahana::registry::v1::Worker;

std::string WorkerRegionCode(const Worker& worker, const std::string& deployment_region) {
  return RegionOfRecord(worker, deployment_region);
}

std::string WorkerKindView(Worker::Kind kind) {
  return absl::StrCat("kind=", Worker::Kind_Name(kind));
}

std::string WorkerSubdistrictView(const std::string& code) {
  return absl::StrCat("subdistrict=", code);
}

RecordIndexing<Worker> WorkerIndexing(const std::string& deployment_region) {
  RecordIndexing<Worker> indexing;
  indexing.region_code = [deployment_region](const Worker& w) {
    return WorkerRegionCode(w, deployment_region);
  };
  indexing.archived = [](const Worker& w) { return w.archived(); };
  indexing.unique = [](const Worker& w) {
    std::vector<IndexValue> values;
    if (!w.archived()) values.push_back({"nik", w.nik()});
    return values;
  };
  indexing.views = [](const Worker& w) {
    std::vector<std::string> views;
    views.push_back(WorkerKindView(w.kind()));
    for (const std::string& code : w.subdistrict_codes()) {
      views.push_back(WorkerSubdistrictView(code));
    }
    return views;
  };
  return indexing;
}

}  // namespace wahana::registry
