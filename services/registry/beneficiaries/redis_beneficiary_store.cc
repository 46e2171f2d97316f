#include "registry/beneficiaries/redis_beneficiary_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/bus/envelope.h"
#include "common/status/status_macros.h"
#include "common/storage/exact_index.h"
#include "common/storage/lex_index.h"
#include "common/storage/proto_record_store.h"
#include "registry/beneficiaries/beneficiary_indexing.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Beneficiary;

// Arguments per item of the import script (see ImportScript).
constexpr int kItemArgs = 16;
// XADD arguments after the stream key: "*" and four field/value pairs (XaddArgv).
constexpr int kXaddArgs = 9;

// KEYS: live list, NIK index, duplicate index (exact indexes), stream.
// ARGV: record key prefix, pb field, etag field, max similar; then per item (kItemArgs):
//   1 id  2 NIK ("" without one)  3 duplicate key ("" without one)  4 allow_similar ("1")
//   5 live member  6 pb  7 etag  8-16 XADD arguments
// Returns one reply per item: {1} stored, {2, holder pb} NIK held, {3, pb, ...} similar records.
// Each item's checks see the writes of the items before it.
//
// The entries are those IndexedProtoRecordStore writes. The NIK and duplicate checks are one HGET
// each (exact_index.h); the live list's members are added per village in one ZADD where they fit.
const LuaScript& ImportScript() {
  static const LuaScript kScript(LexIndexLua() + ExactIndexLua() +
                                 absl::StrCat("local ITEM_ARGS = ", kItemArgs) + R"lua(
-- Adds the new `members` (increasing, none in the index) of one region to the live list: in one
-- ZADD when they all fall in one chunk with room for them (a batch brings a few rows per village,
-- appended after the village's last member), else one by one.
local function add_run(dir, members)
  local first, last = members[1], members[#members]
  local bound = ix_bound(dir, first)
  if bound and
      not redis.call('ZRANGE', dir, '(' .. first, '[' .. last, 'BYLEX', 'LIMIT', '0', '1')[1] then
    local chunk = ix_chunk(dir, bound)
    if redis.call('ZCARD', chunk) + #members <= IX_CHUNK_MAX then
      local args = {}
      for i, m in ipairs(members) do
        args[2 * i - 1] = '0'
        args[2 * i] = m
      end
      redis.call('ZADD', chunk, unpack(args))
      return
    end
  end
  for _, m in ipairs(members) do ix_add(dir, m) end
end

-- The live list's new members by region (the part before '|'), added together once every item is
-- done (no check reads the live list). Item ids increase (ImportBatch checks), so each run does.
local live_runs, live_order = {}, {}
local function defer_live(member)
  local region = string.match(member, '^(.*)|')
  local run = live_runs[region]
  if not run then
    run = {}
    live_runs[region] = run
    live_order[#live_order + 1] = region
  end
  run[#run + 1] = member
end

local live_dir, nik_index, dup_index, stream = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, pb_field, etag_field = ARGV[1], ARGV[2], ARGV[3]
local max_similar = tonumber(ARGV[4])
local header = 4
if (#ARGV - header) % ITEM_ARGS ~= 0 then
  return redis.error_reply('INVALID_ARGUMENT beneficiary import: malformed arguments')
end
local out = {}
for b = header, #ARGV - 1, ITEM_ARGS do
  local id, nik, dup = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3]
  local result, similar
  if nik ~= '' then
    local holder = redis.call('HGET', nik_index, nik)
    if holder then result = {2, redis.call('HGET', prefix .. holder, pb_field)} end
  end
  if not result and dup ~= '' and ARGV[b + 4] ~= '1' then
    similar = xi_ids(dup_index, dup)
    if similar[1] then
      result = {3}
      for k, other in ipairs(similar) do
        if k > max_similar then break end
        result[#result + 1] = redis.call('HGET', prefix .. other, pb_field)
      end
    end
  end
  if not result then
    redis.call('HSET', prefix .. id, pb_field, ARGV[b + 6], etag_field, ARGV[b + 7])
    defer_live(ARGV[b + 5])
    -- The NIK is unclaimed (checked above): its entry is the id alone.
    if nik ~= '' then redis.call('HSET', nik_index, nik, id) end
    if similar and not similar[1] then
      redis.call('HSET', dup_index, dup, id)  -- read above: nobody has the key yet
    elseif dup ~= '' then
      xi_add(dup_index, dup, id)
    end
    redis.call('XADD', stream, unpack(ARGV, b + 8, b + 16))
    result = {1}
  end
  out[#out + 1] = result
end
for _, region in ipairs(live_order) do add_run(live_dir, live_runs[region]) end
return out
)lua");
  return kScript;
}

// A new record as Create would accept it: id, first version, its message about it, a village.
absl::Status CheckItem(const BeneficiaryStore::ImportItem& item) {
  const Beneficiary& r = item.record;
  if (r.id().empty() || r.id().find('|') != std::string::npos ||
      r.etag() != EtagOf(kFirstVersion) || item.message.aggregate_id() != r.id() ||
      item.message.aggregate_version() != kFirstVersion || r.village_code().empty() ||
      r.archived()) {
    return absl::InternalError(absl::StrCat("beneficiary import: record \"", r.id(),
                                            "\" is not a new record with its message"));
  }
  return absl::OkStatus();
}

absl::Status ParsePb(const RedisReply& reply, Beneficiary* out) {
  if (reply.type != RedisReply::Type::kString || !out->ParseFromString(reply.str)) {
    return absl::InternalError("beneficiary import: an index names a missing or corrupt record");
  }
  return absl::OkStatus();
}

}  // namespace

RedisBeneficiaryStore::RedisBeneficiaryStore(RedisClient& redis, const std::string& region)
    : IndexedProtoRecordStore(redis, BeneficiaryKeys(region), BeneficiaryIndexing()),
      household_keys_("registry", "household", region) {}

absl::StatusOr<std::vector<BeneficiaryStore::ImportOutcome>> RedisBeneficiaryStore::ImportBatch(
    const std::vector<ImportItem>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    WAHANA_RETURN_IF_ERROR(CheckItem(items[i]));
    if (i > 0 && !(items[i - 1].record.id() < items[i].record.id())) {
      return absl::InternalError("beneficiary import: record ids must increase within a batch");
    }
  }
  std::vector<ImportOutcome> outcomes;
  outcomes.reserve(items.size());
  for (size_t begin = 0; begin < items.size(); begin += kItemsPerScript) {
    WAHANA_RETURN_IF_ERROR(
        ImportSlice(items, begin, std::min(items.size(), begin + kItemsPerScript), &outcomes));
  }
  return outcomes;
}

absl::Status RedisBeneficiaryStore::ImportSlice(const std::vector<ImportItem>& items, size_t begin,
                                                size_t end, std::vector<ImportOutcome>* outcomes) {
  const RecordKeys& k = keys();
  std::vector<std::string> script_keys = {k.Index("live"), UniqueIndexKey(k, kNikIndex),
                                          LookupIndexKey(k, kDuplicateIndex), k.Stream()};
  std::vector<std::string> args;
  args.reserve(4 + (end - begin) * kItemArgs);
  args.insert(args.end(), {k.RecordPrefix(), kRecordPbField, kRecordEtagField,
                           std::to_string(kMaxSimilarReported)});
  for (size_t i = begin; i < end; ++i) {
    const Beneficiary& r = items[i].record;
    args.push_back(r.id());
    args.push_back(r.nik());
    args.push_back(DuplicateKeyOf(r));
    args.push_back(items[i].allow_similar ? "1" : "0");
    args.push_back(IndexMember(RegionIndexValue(r.village_code()), r.id()));
    args.push_back(r.SerializeAsString());
    args.push_back(r.etag());
    std::vector<std::string> xadd = XaddArgv(k.Stream(), items[i].message);
    if (xadd.size() != 2 + kXaddArgs) return absl::InternalError("beneficiary import: XADD shape");
    for (size_t j = 2; j < xadd.size(); ++j) args.push_back(std::move(xadd[j]));
  }
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis().Eval(ImportScript(), script_keys, args));
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() != end - begin) {
    return absl::InternalError("beneficiary import: unexpected script reply");
  }
  for (const RedisReply& one : reply.elements) {
    if (one.type != RedisReply::Type::kArray || one.elements.empty()) {
      return absl::InternalError("beneficiary import: unexpected item reply");
    }
    ImportOutcome& outcome = outcomes->emplace_back();
    switch (one.elements[0].integer) {
      case 1:
        outcome.kind = ImportOutcome::Kind::kCreated;
        break;
      case 2:
      case 3:
        outcome.kind = one.elements[0].integer == 2 ? ImportOutcome::Kind::kNikHeld
                                                    : ImportOutcome::Kind::kSimilar;
        for (size_t j = 1; j < one.elements.size(); ++j) {
          WAHANA_RETURN_IF_ERROR(ParsePb(one.elements[j], &outcome.found.emplace_back()));
        }
        break;
      default:
        return absl::InternalError("beneficiary import: unknown item outcome");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> RedisBeneficiaryStore::HouseholdExists(const std::string& id) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis().Command({"EXISTS", household_keys_.Record(id)}));
  return reply.integer == 1;
}

}  // namespace wahana::registry
