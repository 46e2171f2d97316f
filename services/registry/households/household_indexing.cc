#include "registry/households/household_indexing.h"

#include <vector>

namespace wahana::registry {

using wahana::registry::v1::Household;

RecordIndexing<Household> HouseholdIndexing() {
  RecordIndexing<Household> indexing;
  indexing.region_code = [](const Household& h) { return h.village_code(); };
  indexing.archived = [](const Household& h) { return h.archived(); };
  indexing.unique = [](const Household& h) {
    std::vector<IndexValue> values;
    if (h.archived()) return values;
    values.push_back({kKkNumberIndex, h.kk_number()});
    for (const Household::Member& m : h.members()) {
      values.push_back({kMemberIndex, m.beneficiary_id()});
    }
    return values;
  };
  return indexing;
}

}  // namespace wahana::registry
