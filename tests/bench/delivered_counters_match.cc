#include "delivered_counters_match.h"

#include <iterator>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "reporting/reporting_keys.h"

namespace wahana::bench {
namespace {

using Hash = std::map<std::string, std::string>;

constexpr size_t kReadChunk = 500;

// The district's case hashes (the villages' sets of a month are not counters).
absl::StatusOr<std::vector<std::string>> CaseHashKeys(RedisClient& redis,
                                                      const std::string& region) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    WAHANA_ASSIGN_OR_RETURN(
        RedisReply page,
        redis.Command({"SCAN", cursor, "MATCH", CaseCountersPattern(region), "COUNT", "1000"}));
    if (page.elements.size() < 2) return absl::InternalError("SCAN: unexpected reply");
    cursor = page.elements[0].str;
    for (const RedisReply& key : page.elements[1].elements) {
      if (!absl::StrContains(key.str, ":case_cell_villages:")) keys.push_back(key.str);
    }
  } while (cursor != "0");
  return keys;
}

// HGETALL of each of `keys`, pipelined.
absl::StatusOr<std::vector<Hash>> ReadHashes(RedisClient& redis,
                                             const std::vector<std::string>& keys) {
  std::vector<Hash> hashes;
  for (size_t at = 0; at < keys.size(); at += kReadChunk) {
    std::vector<std::vector<std::string>> commands;
    for (size_t i = at; i < keys.size() && i < at + kReadChunk; ++i) {
      commands.push_back({"HGETALL", keys[i]});
    }
    WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis.Pipeline(commands));
    for (const RedisReply& reply : replies) {
      if (reply.is_error()) return absl::InternalError(absl::StrCat("HGETALL: ", reply.str));
      Hash hash;
      for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
        hash[reply.elements[i].str] = reply.elements[i + 1].str;
      }
      hashes.push_back(std::move(hash));
    }
  }
  return hashes;
}

// `hash` without its fields at "0": a counter moved up and back down in the district keeps its
// field at 0, where the province, which gets the moves summed, may never have made it. A report
// reads both as 0.
Hash WithoutZeros(Hash hash) {
  for (auto it = hash.begin(); it != hash.end();) {
    it = it->second == "0" ? hash.erase(it) : std::next(it);
  }
  return hash;
}

std::string Describe(const Hash& hash) {
  std::string out;
  for (const auto& [field, value] : hash)
    absl::StrAppend(&out, out.empty() ? "" : " ", field, "=", value);
  return out;
}

int64_t TotalOf(const Hash& tally) {
  int64_t total = 0;
  auto at = tally.find("total");
  if (at != tally.end() && !absl::SimpleAtoi(at->second, &total)) return -1;
  return total;
}

}  // namespace

absl::StatusOr<CountersMatch> CompareDeliveredCounters(RedisClient& district_redis,
                                                       const std::string& district,
                                                       RedisClient& province_redis,
                                                       const std::string& province) {
  WAHANA_ASSIGN_OR_RETURN(std::vector<std::string> district_keys,
                          CaseHashKeys(district_redis, district));
  const std::string district_base = ReportingKeyBase(district);
  const std::string province_base = ReportingKeyBase(province);
  // Each district key, its province namesake, and for a key at the district's own code the
  // province's key at its code.
  std::vector<std::string> compared, province_keys;
  for (const std::string& key : district_keys) {
    const std::string suffix = key.substr(district_base.size());
    compared.push_back(key);
    province_keys.push_back(province_base + suffix);
    if (absl::EndsWith(suffix, absl::StrCat(":", district))) {
      compared.push_back(key);
      province_keys.push_back(
          absl::StrCat(province_base, suffix.substr(0, suffix.size() - district.size()), province));
    }
  }
  WAHANA_ASSIGN_OR_RETURN(std::vector<Hash> district_hashes, ReadHashes(district_redis, compared));
  WAHANA_ASSIGN_OR_RETURN(std::vector<Hash> province_hashes,
                          ReadHashes(province_redis, province_keys));
  CountersMatch match;
  for (size_t i = 0; i < compared.size(); ++i) {
    ++match.hashes_compared;
    if (district_hashes[i] == province_hashes[i]) continue;
    if (WithoutZeros(district_hashes[i]) == WithoutZeros(province_hashes[i])) {
      ++match.differ_in_zeros;
    } else if (match.mismatches++ == 0) {
      match.first_mismatch =
          absl::StrCat(compared[i], " {", Describe(district_hashes[i]), "} but the province's {",
                       Describe(province_hashes[i]), "}");
    }
  }
  WAHANA_ASSIGN_OR_RETURN(std::vector<Hash> tallies,
                          ReadHashes(district_redis, {CaseCountsKey(district, district)}));
  WAHANA_ASSIGN_OR_RETURN(std::vector<Hash> province_tallies,
                          ReadHashes(province_redis, {CaseCountsKey(province, province)}));
  match.district_total = TotalOf(tallies[0]);
  match.province_total = TotalOf(province_tallies[0]);
  // Nothing more on the province's side than the district's figures make.
  WAHANA_ASSIGN_OR_RETURN(std::vector<std::string> province_all,
                          CaseHashKeys(province_redis, province));
  if (province_all.size() != province_keys.size()) {
    if (match.mismatches++ == 0) {
      match.first_mismatch =
          absl::StrCat("the province has ", province_all.size(),
                       " case hashes, the district's figures make ", province_keys.size());
    }
  }
  if (district_keys.empty()) {
    match.mismatches = 1;
    match.first_mismatch = "(the district has no case counters)";
  }
  return match;
}

}  // namespace wahana::bench
