#include "registry/beneficiaries/redis_beneficiary_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/bus/envelope.h"
#include "common/status/status_macros.h"
#include "common/storage/lex_index.h"
#include "common/storage/proto_record_store.h"
#include "registry/beneficiaries/beneficiary_indexing.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::Beneficiary;

// Arguments per item of the import script (see ImportScript).
constexpr int kItemArgs = 22;
// XADD arguments after the stream key: "*" and four field/value pairs (XaddArgv).
constexpr int kXaddArgs = 9;

// KEYS: live list, unique:nik, lookup:duplicate, stream.
// ARGV: record key prefix, pb field, etag field, max similar; then per item (kItemArgs):
//   1 id  2-4 the NIK's exact range (min, min_raw, max; "" without a NIK)
//   5-7 the duplicate key's exact range ("" without one)  8 allow_similar ("1")
//   9 live member  10 NIK member  11 duplicate member  12 pb  13 etag  14-22 XADD arguments
// Returns one reply per item: {1} stored, {2, holder pb} NIK held, {3, pb, ...} similar records.
// Each item's checks see the writes of the items before it.
//
// The index entries are those IndexedProtoRecordStore writes, added with fewer look-ups than
// ix_add (the import's cost is index look-ups): a new record's id is in no index yet (no
// ZSCORE), and the check of a value finds the chunk its new member goes to (find_value), so the
// directory is read once per index and row.
const LuaScript& ImportScript() {
  static const LuaScript kScript(LexIndexLua() + absl::StrCat("local ITEM_ARGS = ", kItemArgs) +
                                 R"lua(
-- Up to `limit` (>= 1) members of one value ("<escaped value>|<id>": [min, max), min_raw the
-- prefix "<escaped value>|") into `out`. When fewer are found, also the bound of the chunk the new
-- `member` ("<value>|<new id>") belongs to (nil when the index does not exist yet).
local function find_value(dir, min, min_raw, max, limit, out, member)
  -- The greatest bound below max. Unless it starts with "<value>|", no chunk starts inside the
  -- value's members, so that one chunk holds them all and is the new member's: one look-up
  -- instead of ix_range's two (the common case: a value not stored yet).
  local last = redis.call('ZRANGE', dir, max, '-', 'BYLEX', 'REV', 'LIMIT', '0', '1')[1]
  if last and string.sub(last, 1, #min_raw) ~= min_raw then
    local members = redis.call('ZRANGE', ix_chunk(dir, last), min, max, 'BYLEX', 'LIMIT', '0',
                               tostring(limit))
    for _, m in ipairs(members) do out[#out + 1] = m end
    if #out >= limit then return nil end
    return last
  end
  -- Chunks start among the value's members: walk them as ix_range does, keeping the greatest
  -- bound <= member (every bound up to max is visited when fewer than `limit` are found).
  local bound = ix_bound(dir, min_raw)
  local home = bound
  while bound do
    local members = redis.call('ZRANGE', ix_chunk(dir, bound), min, max, 'BYLEX', 'LIMIT', '0',
                               tostring(limit - #out))
    for _, m in ipairs(members) do out[#out + 1] = m end
    if #out >= limit then return nil end
    bound = redis.call('ZRANGE', dir, '(' .. bound, max, 'BYLEX', 'LIMIT', '0', '1')[1]
    if bound and not ix_less(member, bound) then home = bound end
  end
  return home
end

-- Adds `member`, absent from the index (its id is new), to the chunk `bound` found for it; a
-- full chunk (or no index yet) is left to ix_add, which splits it. (Numbers in commands are
-- passed as strings here: Redis formats a Lua number with printf on every call.)
local function add_new(dir, bound, member)
  if bound then
    local chunk = ix_chunk(dir, bound)
    if redis.call('ZCARD', chunk) < IX_CHUNK_MAX then
      redis.call('ZADD', chunk, '0', member)
      return
    end
  end
  ix_add(dir, member)
end

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

local live_dir, nik_dir, dup_dir, stream = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, pb_field, etag_field = ARGV[1], ARGV[2], ARGV[3]
local max_similar = tonumber(ARGV[4])
local header = 4
if (#ARGV - header) % ITEM_ARGS ~= 0 then
  return redis.error_reply('INVALID_ARGUMENT beneficiary import: malformed arguments')
end
local out = {}
for b = header, #ARGV - 1, ITEM_ARGS do
  local result
  local nik_bound, dup_bound
  if ARGV[b + 2] ~= '' then
    local holders = {}
    nik_bound = find_value(nik_dir, ARGV[b + 2], ARGV[b + 3], ARGV[b + 4], 1, holders,
                           ARGV[b + 10])
    if holders[1] then
      result = {2, redis.call('HGET', prefix .. ix_id(holders[1]), pb_field)}
    end
  end
  if not result and ARGV[b + 5] ~= '' then
    local similar = {}
    if ARGV[b + 8] == '1' then
      -- Stored whatever shares its key: only the chunk is wanted.
      dup_bound = ix_bound(dup_dir, ARGV[b + 11])
    else
      dup_bound = find_value(dup_dir, ARGV[b + 5], ARGV[b + 6], ARGV[b + 7], max_similar, similar,
                             ARGV[b + 11])
    end
    if similar[1] then
      result = {3}
      for _, m in ipairs(similar) do
        result[#result + 1] = redis.call('HGET', prefix .. ix_id(m), pb_field)
      end
    end
  end
  if not result then
    redis.call('HSET', prefix .. ARGV[b + 1], pb_field, ARGV[b + 12], etag_field, ARGV[b + 13])
    defer_live(ARGV[b + 9])
    if ARGV[b + 10] ~= '' then add_new(nik_dir, nik_bound, ARGV[b + 10]) end
    if ARGV[b + 11] ~= '' then add_new(dup_dir, dup_bound, ARGV[b + 11]) end
    redis.call('XADD', stream, unpack(ARGV, b + 14, b + 22))
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
  const std::string nik_dir = k.Index(absl::StrCat("unique:", EscapeIndexValue(kNikIndex)));
  const std::string dup_dir = k.Index(absl::StrCat("lookup:", EscapeIndexValue(kDuplicateIndex)));
  std::vector<std::string> script_keys = {k.Index("live"), nik_dir, dup_dir, k.Stream()};
  std::vector<std::string> args;
  args.reserve(4 + (end - begin) * kItemArgs);
  args.insert(args.end(), {k.RecordPrefix(), kRecordPbField, kRecordEtagField,
                           std::to_string(kMaxSimilarReported)});
  for (size_t i = begin; i < end; ++i) {
    const Beneficiary& r = items[i].record;
    args.push_back(r.id());
    if (r.nik().empty()) {
      args.insert(args.end(), {"", "", ""});
    } else {
      LexRange range = ExactValueRange(r.nik());
      args.insert(args.end(),
                  {std::move(range.min), std::move(range.min_raw), std::move(range.max)});
    }
    const std::string dup_key = DuplicateKeyOf(r);
    if (dup_key.empty()) {
      args.insert(args.end(), {"", "", ""});
    } else {
      LexRange range = ExactValueRange(dup_key);
      args.insert(args.end(),
                  {std::move(range.min), std::move(range.min_raw), std::move(range.max)});
    }
    args.push_back(items[i].allow_similar ? "1" : "0");
    args.push_back(IndexMember(RegionIndexValue(r.village_code()), r.id()));
    args.push_back(r.nik().empty() ? "" : IndexMember(r.nik(), r.id()));
    args.push_back(dup_key.empty() ? "" : IndexMember(dup_key, r.id()));
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
