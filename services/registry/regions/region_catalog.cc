#include "registry/regions/region_catalog.h"

#include <openssl/evp.h>

#include <fstream>
#include <sstream>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "common/csv/csv_reader.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Region;
using wahana::registry::v1::RegionLevel;

struct LevelFile {
  const char* file;
  RegionLevel level;
  size_t columns;  // code,name or code,parent,name
};

constexpr LevelFile kFiles[] = {
    {"provinces.csv", wahana::registry::v1::PROVINCE, 2},
    {"regencies.csv", wahana::registry::v1::REGENCY, 3},
    {"districts.csv", wahana::registry::v1::SUBDISTRICT, 3},
    {"villages.csv", wahana::registry::v1::VILLAGE, 3},
};

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("region data: cannot read ", path));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  void Update(const std::string& data) { EVP_DigestUpdate(ctx_, data.data(), data.size()); }
  std::string HexDigest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_, digest, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
      hex.push_back(kHex[digest[i] >> 4]);
      hex.push_back(kHex[digest[i] & 15]);
    }
    return hex;
  }

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace

std::string DefaultRegionsDir() {
#ifdef WAHANA_REGIONS_INSTALL_DIR
  if (std::ifstream(std::string(WAHANA_REGIONS_INSTALL_DIR) + "/provinces.csv")) {
    return WAHANA_REGIONS_INSTALL_DIR;
  }
#endif
#ifdef WAHANA_REGIONS_SOURCE_DIR
  return WAHANA_REGIONS_SOURCE_DIR;
#else
  return "data/idn-area";
#endif
}

absl::StatusOr<RegionCatalog> LoadRegionCatalog(const std::string& dir) {
  RegionCatalog catalog;
  catalog.regions.reserve(92000);
  std::unordered_set<std::string> known;
  known.reserve(92000);
  Sha256 sha;
  for (const LevelFile& spec : kFiles) {
    std::string path = absl::StrCat(dir, "/", spec.file);
    WAHANA_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    sha.Update(text);
    auto rows = ParseCsv(text);
    if (!rows.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", rows.status().message()));
    }
    for (size_t line = 1; line < rows->size(); ++line) {  // line 0 is the header
      const CsvRow& row = (*rows)[line];
      auto where = [&] { return absl::StrCat(path, " line ", line + 1, ": "); };
      if (row.size() != spec.columns) {
        return absl::InvalidArgumentError(
            absl::StrCat(where(), "expected ", spec.columns, " columns, found ", row.size()));
      }
      Region region;
      region.set_code(row[0]);
      region.set_name(row.back());
      region.set_level(spec.level);
      auto level = ParseRegionCode(region.code());
      if (!level.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(where(), level.status().message()));
      }
      if (static_cast<int>(*level) != static_cast<int>(spec.level)) {
        return absl::InvalidArgumentError(
            absl::StrCat(where(), region.code(), " is not at the level of ", spec.file));
      }
      if (spec.columns == 3) {
        region.set_parent_code(row[1]);
        if (ParentRegionCode(region.code()) != row[1] || !known.count(row[1])) {
          return absl::InvalidArgumentError(absl::StrCat(
              where(), region.code(), " has parent ", row[1], ", which is not its known parent"));
        }
      }
      if (region.name().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(where(), region.code(), " has no name"));
      }
      if (!known.insert(region.code()).second) {
        return absl::InvalidArgumentError(absl::StrCat(where(), "duplicate code ", region.code()));
      }
      catalog.regions.push_back(std::move(region));
    }
  }
  catalog.version = sha.HexDigest();
  return catalog;
}

}  // namespace wahana::registry
