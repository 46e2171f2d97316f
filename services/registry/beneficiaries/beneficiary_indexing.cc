#include "registry/beneficiaries/beneficiary_indexing.h"

#include <vector>

#include "registry/beneficiaries/duplicate_key.h"

namespace wahana::registry {

using wahana::registry::v1::Beneficiary;

RecordKeys BeneficiaryKeys(const std::string& region) {
  return RecordKeys("registry", kBeneficiaryKind, region);
}

std::string DuplicateKeyOf(const Beneficiary& b) {
  return DuplicateKey(b.full_name(), b.birth_date(), b.village_code());
}

RecordIndexing<Beneficiary> BeneficiaryIndexing() {
  RecordIndexing<Beneficiary> indexing;
  indexing.region_code = [](const Beneficiary& b) { return b.village_code(); };
  indexing.archived = [](const Beneficiary& b) { return b.archived(); };
  indexing.unique = [](const Beneficiary& b) {
    return std::vector<IndexValue>{{kNikIndex, b.nik()}};
  };
  indexing.lookup = [](const Beneficiary& b) {
    return std::vector<IndexValue>{{kDuplicateIndex, DuplicateKeyOf(b)}};
  };
  return indexing;
}

}  // namespace wahana::registry
