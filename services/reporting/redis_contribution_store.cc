#include "reporting/redis_contribution_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "reporting/lease_waiting_eval.h"
#include "reporting/report_period.h"
#include "reporting/reporting_keys.h"

namespace wahana {
namespace {

// KEYS[1] the subject's counted-records hash, KEYS[2] the rebuild lease (absent: not checked).
// ARGV[1] the record's id, ARGV[2] its version, ARGV[3] its new contribution (JSON), ARGV[4] the
// key base ("reporting:{16.06}:"), ARGV[5] the subject's name, ARGV[6] the deployment's region,
// ARGV[7] the aggregate outbox stream ('' for none): when given, the leaf cells the step moved are
// appended there as one entry (common/federation/aggregate_outbox.h).
// Answers -1 while a rebuild holds the lease, 0 when the record is counted at this version or a
// later one, 1 when applied. Counters that reach zero are deleted (a cell keeps what it counts).
const LuaScript& ApplyContributionScript() {
  static const LuaScript kScript(R"lua(
if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local id, version, base, subject = ARGV[1], tonumber(ARGV[2]), ARGV[4], ARGV[5]
local old_json = redis.call('HGET', KEYS[1], id)
local old = nil
if old_json then
  old = cjson.decode(old_json)
  if tonumber(old.v) >= version then return 0 end
end
local new = cjson.decode(ARGV[3])

local function bump(key, field, delta)
  if delta == 0 then return end
  if redis.call('HINCRBY', key, field, delta) == 0 then redis.call('HDEL', key, field) end
end
-- The leaf cells moved, for the outbox: {subject, month, code, {field: delta}} by "subj|m|r".
local leaves, leaf_order = {}, {}
local function note_leaf(subj, r, m, f, delta)
  local where = subj .. '|' .. m .. '|' .. r
  local leaf = leaves[where]
  if leaf == nil then
    leaf = {subj, m, r, {}}
    leaves[where] = leaf
    table.insert(leaf_order, leaf)
  end
  leaf[4][f] = (leaf[4][f] or 0) + delta
end
-- Moves the cell (subj, r, m) by sign x fields, and its roll-ups at r and every region above it
-- within the deployment (ARGV[6]).
local function move_cell(subj, r, m, fields, sign)
  if r == nil or r == '' then return end
  local key = base .. subj .. '_cells:' .. m .. ':' .. r
  for f, n in pairs(fields) do
    bump(key, f, sign * n)
    if ARGV[7] ~= '' then note_leaf(subj, r, m, f, sign * n) end
  end
  local code = r
  while code ~= nil and string.len(code) >= string.len(ARGV[6]) do
    local rollup = base .. subj .. '_cell_rollup:' .. m .. ':' .. code
    for f, n in pairs(fields) do bump(rollup, f, sign * n) end
    code = string.match(code, '^(.*)%.[^%.]+$')
  end
  if sign > 0 then
    redis.call('SADD', base .. subj .. '_cell_villages:' .. m, r)
    redis.call('SADD', base .. subj .. '_months', m)
  end
end
-- What a record's attached totals add to its cell: each total as it is ("participants") and
-- beside each of the record's own dimension values ("kind:3/participants"), so a row of any
-- grouping sums it.
local function attached_fields(owner_fields, attached)
  local out = {}
  for a, n in pairs(attached) do
    out[a] = n
    for f, _ in pairs(owner_fields) do
      if f ~= 'n' then out[f .. '/' .. a] = n end
    end
  end
  return out
end
local function as_table(flat)
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = tonumber(flat[i + 1]) end
  return t
end
-- Moves parent p's attached totals, and its cell while it is counted.
local function move_parent(p, fields, sign)
  if p == nil or fields == nil then return end
  local colon = string.find(p, ':', 1, true)
  local psubject, pid = string.sub(p, 1, colon - 1), string.sub(p, colon + 1)
  local attached = base .. 'attached:' .. p
  for f, n in pairs(fields) do bump(attached, f, sign * n) end
  local pjson = redis.call('HGET', base .. 'counted:' .. psubject, pid)
  if pjson then
    local parent = cjson.decode(pjson)
    move_cell(psubject, parent.r, parent.m, attached_fields(parent.f, fields), sign)
  end
end

-- The record's own cell: its fields, and what its children attached to it.
local attached = as_table(redis.call('HGETALL', base .. 'attached:' .. subject .. ':' .. id))
if old then
  move_cell(subject, old.r, old.m, old.f, -1)
  move_cell(subject, old.r, old.m, attached_fields(old.f, attached), -1)
  move_parent(old.p, old.pf, -1)
end
move_cell(subject, new.r, new.m, new.f, 1)
move_cell(subject, new.r, new.m, attached_fields(new.f, attached), 1)
redis.call('HSET', KEYS[1], id, ARGV[3])
move_parent(new.p, new.pf, 1)
if ARGV[7] ~= '' then
  local cells = {}
  for _, leaf in ipairs(leaf_order) do
    local moved = {}
    local any = false
    for f, d in pairs(leaf[4]) do
      if d ~= 0 then moved[f] = d; any = true end
    end
    if any then table.insert(cells, {leaf[1], leaf[2], leaf[3], moved}) end
  end
  if #cells > 0 then
    redis.call('XADD', ARGV[7], '*', 'type', 'aggregates', 'moves', cjson.encode({c = cells}))
  end
end
return 1
)lua");
  return kScript;
}

}  // namespace

RedisContributionStore::RedisContributionStore(RedisClient& redis, std::string region,
                                               std::string key_base, Lease lease,
                                               std::string outbox_stream)
    : redis_(redis),
      region_(std::move(region)),
      key_base_(std::move(key_base)),
      lease_(lease),
      outbox_stream_(std::move(outbox_stream)) {}

absl::StatusOr<bool> RedisContributionStore::Apply(CountedSubject subject, const std::string& id,
                                                   int64_t version,
                                                   const Contribution& contribution) {
  const absl::string_view name = CountedSubjectName(subject);
  std::vector<std::string> keys = {CountedRecordsKeyAt(key_base_, name)};
  if (lease_ == Lease::kWait) keys.push_back(RebuildLeaseKey(region_));
  WAHANA_ASSIGN_OR_RETURN(
      int64_t applied,
      EvalWaitingForRebuild(redis_, ApplyContributionScript(), keys,
                            {id, std::to_string(version), ContributionJson(version, contribution),
                             key_base_, std::string(name), region_, outbox_stream_}));
  return applied == 1;
}

absl::StatusOr<std::vector<PivotCell>> RedisContributionStore::ReadCells(
    CountedSubject subject, const std::string& prefix,
    const std::vector<absl::CivilMonth>& months) {
  return ReadPivotCells(redis_, key_base_, CountedSubjectName(subject), prefix, months);
}

absl::StatusOr<std::vector<PivotCell>> RedisContributionStore::ReadRollups(
    CountedSubject subject, const std::vector<std::string>& codes, const std::string& exact_code,
    const std::vector<absl::CivilMonth>& months) {
  return ReadPivotRollups(redis_, key_base_, CountedSubjectName(subject), codes, exact_code,
                          months);
}

absl::StatusOr<std::vector<absl::CivilMonth>> RedisContributionStore::ReadMonths(
    CountedSubject subject) {
  WAHANA_ASSIGN_OR_RETURN(
      RedisReply reply,
      redis_.Command({"SMEMBERS", PivotMonthsKeyAt(key_base_, CountedSubjectName(subject))}));
  std::vector<absl::CivilMonth> months;
  for (const RedisReply& element : reply.elements) {
    WAHANA_ASSIGN_OR_RETURN(absl::CivilMonth month, ParseMonthText(element.str));
    months.push_back(month);
  }
  std::sort(months.begin(), months.end());
  return months;
}

absl::StatusOr<std::map<std::string, Contribution>> RedisContributionStore::ReadCounted(
    CountedSubject subject) {
  WAHANA_ASSIGN_OR_RETURN(
      RedisReply reply,
      redis_.Command({"HGETALL", CountedRecordsKeyAt(key_base_, CountedSubjectName(subject))}));
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() % 2 != 0) {
    return absl::InternalError("counted records: unexpected reply");
  }
  std::map<std::string, Contribution> counted;
  for (size_t i = 0; i < reply.elements.size(); i += 2) {
    WAHANA_ASSIGN_OR_RETURN(auto parsed, ParseContributionJson(reply.elements[i + 1].str));
    counted.emplace(reply.elements[i].str, std::move(parsed.second));
  }
  return counted;
}

absl::StatusOr<std::map<std::string, int64_t>> RedisContributionStore::ReadAttached(
    const ParentRecord& parent) {
  const std::string key = AttachedTotalsKeyAt(key_base_, ParentText(parent));
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"HGETALL", key}));
  WAHANA_ASSIGN_OR_RETURN(auto pairs, NumberPairs(reply, key));
  return std::map<std::string, int64_t>(pairs.begin(), pairs.end());
}

}  // namespace wahana
