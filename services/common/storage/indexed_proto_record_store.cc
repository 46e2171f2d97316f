#include "common/storage/indexed_proto_record_store.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/storage/exact_index.h"
#include "common/storage/page_token.h"
#include "common/storage/record_requests.h"
#include "common/storage/record_write.h"

namespace wahana {

// One index entry of a record: a member of the list index `dir`; or (kExact) the record's id
// under `value` in the exact index `dir` (member is then "<value>|<id>", to compare entries), for
// a unique claim also the index name (to name a conflict); or (kCounter) its count in the counter
// `dir`; or (kField) a guard field in its own hash `dir`. Entries compare by dir and member.
struct UntypedIndexedProtoRecordStore::Entry {
  enum class Kind { kList, kExact, kCounter, kField };
  std::string dir;
  std::string member;
  std::string unique_index;
  std::string value;
  Kind kind = Kind::kList;
  // kField: the guard field's name (dir is the record's key, value its value).
  std::string field;

  bool operator<(const Entry& other) const {
    return std::tie(dir, member) < std::tie(other.dir, other.member);
  }
  bool operator==(const Entry& other) const { return dir == other.dir && member == other.member; }
};

// An index member read with its record's bytes (`missing` when the record is gone: a bug).
struct UntypedIndexedProtoRecordStore::Row {
  std::string member;
  std::string pb;
  bool missing = false;
};

namespace {

using google::protobuf::Message;

// KEYS: the exact index; ARGV: record key prefix, value, limit, the record hash's protobuf field.
// Returns {id, pb, id, pb, ...} of the first `limit` holders of the value (pb false when the
// record is missing).
const LuaScript& FindScript() {
  static const LuaScript kScript(ExactIndexLua() + R"lua(
local prefix, value, limit, pb_field = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local out = {}
for k, id in ipairs(xi_ids(KEYS[1], value)) do
  if k > limit then break end
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', prefix .. id, pb_field)
end
return out
)lua");
  return kScript;
}

// KEYS: index directories (a second one is merged in order with the first);
// ARGV: record key prefix, min, min_raw, max, limit, the record hash's protobuf field.
// Returns {member, pb, member, pb, ...} (pb false when the record is missing).
const LuaScript& ReadScript() {
  static const LuaScript kScript(LexIndexLua() + R"lua(
local prefix, min, min_raw, max = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local limit, pb_field = tonumber(ARGV[5]), ARGV[6]
local members = {}
ix_range(KEYS[1], min, min_raw, max, limit, members)
for k = 2, #KEYS do
  local more = {}
  ix_range(KEYS[k], min, min_raw, max, limit, more)
  local merged, a, b = {}, 1, 1
  while #merged < limit and (members[a] or more[b]) do
    if not more[b] or (members[a] and ix_less(members[a], more[b])) then
      merged[#merged + 1] = members[a]
      a = a + 1
    else
      merged[#merged + 1] = more[b]
      b = b + 1
    end
  end
  members = merged
end
local out = {}
for _, m in ipairs(members) do
  out[#out + 1] = m
  out[#out + 1] = redis.call('HGET', prefix .. ix_id(m), pb_field)
end
return out
)lua");
  return kScript;
}

absl::StatusOr<std::string> StringField(const Message& record, const char* name) {
  const google::protobuf::FieldDescriptor* field = record.GetDescriptor()->FindFieldByName(name);
  if (field == nullptr || field->is_repeated() ||
      field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    return absl::InternalError(
        absl::StrCat(record.GetDescriptor()->full_name(), " has no string field ", name));
  }
  return record.GetReflection()->GetString(record, field);
}

// The record `id` and etag of a write, and the message announcing it, must agree on the version.
absl::Status CheckVersion(absl::string_view kind, const std::string& id, const std::string& etag,
                          const wahana::common::v1::Envelope& message) {
  if (id.empty() || id.find('|') != std::string::npos) {
    return absl::InternalError(absl::StrCat(kind, " id \"", id, "\" cannot be stored"));
  }
  std::optional<int64_t> version = VersionOfEtag(etag);
  if (!version) {
    return absl::InternalError(absl::StrCat(kind, " ", id, ": etag \"", etag, "\" is no version"));
  }
  if (message.aggregate_id() != id || message.aggregate_version() != *version) {
    return absl::InternalError(absl::StrCat(kind, " ", id, " version ", *version,
                                            ": its message is about ", message.aggregate_id(),
                                            " version ", message.aggregate_version()));
  }
  return absl::OkStatus();
}

// The directory key of a record's region list: live or archived, the main one or a view's.
std::string ListIndex(const RecordKeys& keys, bool archived, const std::string& view) {
  absl::string_view state = archived ? "archived" : "live";
  if (view.empty()) return keys.Index(state);
  return keys.Index(absl::StrCat(state, ":", EscapeIndexValue(view)));
}

}  // namespace

std::string UniqueIndexKey(const RecordKeys& keys, absl::string_view index) {
  return keys.Index(absl::StrCat("unique-ids:", EscapeIndexValue(index)));
}

std::string LookupIndexKey(const RecordKeys& keys, absl::string_view index) {
  return keys.Index(absl::StrCat("lookup-ids:", EscapeIndexValue(index)));
}

std::string CounterKey(const RecordKeys& keys, absl::string_view name) {
  return keys.Index(absl::StrCat("count:", EscapeIndexValue(name)));
}

namespace {

// The guards of `conditions`, in their order, after the store's own.
void AddWriteConditions(const std::vector<WriteCondition>& conditions, RecordWrite& write) {
  for (const WriteCondition& c : conditions) {
    if (c.kind == WriteCondition::Kind::kFieldMatches) {
      write.RequireHashFieldMatches(c.key, c.field, c.pattern);
    } else {
      write.RequireCountWithin(c.key, c.adding, c.limit, c.limit_key, c.limit_field);
    }
  }
}

}  // namespace

UntypedIndexedProtoRecordStore::UntypedIndexedProtoRecordStore(RedisClient& redis, RecordKeys keys,
                                                               UntypedRecordIndexing indexing)
    : base_(redis, std::move(keys)), indexing_(std::move(indexing)) {}

absl::StatusOr<std::vector<UntypedIndexedProtoRecordStore::Entry>>
UntypedIndexedProtoRecordStore::EntriesOf(const Message& record, const std::string& id) const {
  if (!indexing_.region_code || !indexing_.archived) {
    return absl::InternalError(
        absl::StrCat(keys().kind(), " indexing: region_code and archived are required"));
  }
  std::string region = indexing_.region_code(record);
  if (region.empty()) {
    return absl::InternalError(absl::StrCat(keys().kind(), " ", id, " has no region code"));
  }
  const bool archived = indexing_.archived(record);
  const std::string member = IndexMember(RegionIndexValue(region), id);
  std::vector<Entry> entries;
  entries.push_back({ListIndex(keys(), archived, ""), member, "", ""});
  if (indexing_.views) {
    for (const std::string& view : indexing_.views(record)) {
      if (!view.empty()) entries.push_back({ListIndex(keys(), archived, view), member, "", ""});
    }
  }
  if (indexing_.unique) {
    for (IndexValue& v : indexing_.unique(record)) {
      if (v.value.empty()) continue;
      entries.push_back({UniqueIndexKey(keys(), v.index), IndexMember(v.value, id), v.index,
                         v.value, Entry::Kind::kExact});
    }
  }
  if (indexing_.lookup) {
    for (const IndexValue& v : indexing_.lookup(record)) {
      if (v.value.empty()) continue;
      entries.push_back({LookupIndexKey(keys(), v.index), IndexMember(v.value, id), "", v.value,
                         Entry::Kind::kExact});
    }
  }
  if (indexing_.counted) {
    for (const std::string& name : indexing_.counted(record)) {
      if (name.empty()) continue;
      entries.push_back({CounterKey(keys(), name), name, "", "", Entry::Kind::kCounter});
    }
  }
  if (indexing_.guard_fields) {
    for (auto& [field, value] : indexing_.guard_fields(record)) {
      entries.push_back({keys().Record(id), absl::StrCat(field, "\n", value), "", value,
                         Entry::Kind::kField, field});
    }
  }
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  return entries;
}

// A create's write and what its guards mean.
struct UntypedIndexedProtoRecordStore::CreatePlan {
  RecordWrite write;
  std::string id;
  std::vector<Entry> entries;
  std::vector<const Entry*> claims;  // into `entries`
  int request_guard = -1;
  int record_guard = -1;
  int first_claim = -1;
  int first_condition = -1;
  // The record's HSET is the first command; its protobuf bytes are this argument.
  static constexpr int kRecordCommand = 0;
  static constexpr int kRecordBytesArg = 3;
};

absl::Status UntypedIndexedProtoRecordStore::PlanCreate(
    const Message& record, const wahana::common::v1::Envelope& created,
    const std::string& request_id, const ExtraCommands& extra,
    const std::vector<WriteCondition>& conditions, CreatePlan* plan) const {
  WAHANA_ASSIGN_OR_RETURN(plan->id, StringField(record, "id"));
  const std::string& id = plan->id;
  WAHANA_ASSIGN_OR_RETURN(std::string etag, StringField(record, "etag"));
  WAHANA_RETURN_IF_ERROR(CheckVersion(keys().kind(), id, etag, created));
  WAHANA_ASSIGN_OR_RETURN(plan->entries, EntriesOf(record, id));

  RecordWrite& write = plan->write;
  int guards = 0;
  plan->request_guard = request_id.empty() ? -1 : guards++;
  if (!request_id.empty()) write.RequireAbsent(keys().Request(request_id));
  plan->record_guard = guards++;
  write.RequireAbsent(keys().Record(id));
  plan->first_claim = guards;
  for (const Entry& entry : plan->entries) {
    if (entry.unique_index.empty()) continue;
    write.RequireUnclaimed(entry.dir, entry.value, id);
    plan->claims.push_back(&entry);
    ++guards;
  }
  plan->first_condition = guards;
  AddWriteConditions(conditions, write);
  write.Command({"HSET", keys().Record(id), kRecordPbField, record.SerializeAsString(),
                 kRecordEtagField, etag});
  if (!request_id.empty()) {
    write.Command(
        {"SET", keys().Request(request_id), id, "EX", std::to_string(kRequestIdTtlSeconds)});
  }
  for (const Entry& entry : plan->entries) AddEntry(entry, id, write);
  for (const std::vector<std::string>& argv : extra) write.Command(argv);
  write.Publish(keys().Stream(), created);
  return absl::OkStatus();
}

absl::StatusOr<CheckedCreate> UntypedIndexedProtoRecordStore::FinishCreate(
    const CreatePlan& plan, const AtomicWriteResult& result, const std::string& request_id,
    Message* stored) {
  CheckedCreate outcome;
  if (result.applied) {
    outcome.created = true;
    return outcome;
  }
  if (result.failed_guard == plan.request_guard) {
    absl::Status status = base_.Get(result.found, stored);
    if (absl::IsNotFound(status)) {
      return absl::InternalError(absl::StrCat("requestId ", request_id, " points at ",
                                              keys().kind(), " ", result.found,
                                              ", which does not exist"));
    }
    WAHANA_RETURN_IF_ERROR(status);
    return outcome;
  }
  if (result.failed_guard == plan.record_guard) {
    return absl::AlreadyExistsError(absl::StrCat(keys().kind(), " ", plan.id, " already exists"));
  }
  if (result.failed_guard >= plan.first_condition) {
    outcome.failed_condition = result.failed_guard - plan.first_condition;
    if (!result.found_nil) outcome.found = result.found;
    return outcome;
  }
  const int claim = result.failed_guard - plan.first_claim;
  if (claim < 0 || claim >= static_cast<int>(plan.claims.size())) {
    return absl::InternalError(absl::StrCat(keys().kind(), " create: unknown guard failed"));
  }
  return UniqueConflictError(keys().kind(), {plan.claims[claim]->unique_index, result.found});
}

absl::StatusOr<bool> UntypedIndexedProtoRecordStore::Create(
    const Message& record, const wahana::common::v1::Envelope& created,
    const std::string& request_id, Message* stored, const ExtraCommands& extra,
    const std::vector<WriteCondition>& conditions) {
  CreatePlan plan;
  WAHANA_RETURN_IF_ERROR(PlanCreate(record, created, request_id, extra, conditions, &plan));
  WAHANA_ASSIGN_OR_RETURN(AtomicWriteResult result, plan.write.Execute(redis()));
  WAHANA_ASSIGN_OR_RETURN(CheckedCreate outcome, FinishCreate(plan, result, request_id, stored));
  if (outcome.failed_condition >= 0) return conditions.at(outcome.failed_condition).refusal;
  if (outcome.created) stored->CopyFrom(record);
  return outcome.created;
}

absl::StatusOr<CheckedCreate> UntypedIndexedProtoRecordStore::CreateChecked(
    const std::string& request_id, const std::vector<FieldCondition>& conditions,
    const Numbering* numbering, const CreateBuild& build, Message* stored) {
  // Builds the create for `digits` into `*plan`; the record built stays in `*record`.
  std::vector<WriteCondition> as_conditions;
  for (const FieldCondition& c : conditions) {
    as_conditions.push_back(WriteCondition::FieldMatches(c.key, c.field, c.pattern, {}));
  }
  auto plan_for = [&](const std::string& digits, Message* record,
                      CreatePlan* plan) -> absl::Status {
    wahana::common::v1::Envelope created;
    ExtraCommands extra;
    WAHANA_RETURN_IF_ERROR(build(digits, record, &created, &extra));
    return PlanCreate(*record, created, request_id, extra, as_conditions, plan);
  };
  std::unique_ptr<Message> record(stored->New());
  if (numbering == nullptr) {
    CreatePlan plan;
    WAHANA_RETURN_IF_ERROR(plan_for("", record.get(), &plan));
    WAHANA_ASSIGN_OR_RETURN(AtomicWriteResult result, plan.write.Execute(redis()));
    WAHANA_ASSIGN_OR_RETURN(CheckedCreate outcome, FinishCreate(plan, result, request_id, stored));
    if (outcome.created) stored->GetReflection()->Swap(stored, record.get());
    return outcome;
  }

  // The same create with two placeholders: where the bytes differ, the drawn digits go.
  const int width = numbering->width;
  CreatePlan plan;
  WAHANA_RETURN_IF_ERROR(plan_for(RecordWrite::NumberPlaceholder(width, 0), record.get(), &plan));
  std::vector<RecordWrite::NumberSlot> slots;
  {
    CreatePlan variant;
    std::unique_ptr<Message> other(stored->New());
    WAHANA_RETURN_IF_ERROR(
        plan_for(RecordWrite::NumberPlaceholder(width, 1), other.get(), &variant));
    WAHANA_ASSIGN_OR_RETURN(slots, RecordWrite::NumberSlotsOf(plan.write, variant.write, width));
    plan.write.DrawNumber(numbering->counter, width, slots);
  }
  WAHANA_ASSIGN_OR_RETURN(AtomicWriteResult result, plan.write.Execute(redis()));
  std::string digits;
  if (result.number_too_wide) {
    // The counter passed `width` digits: the longer number changes the bytes' lengths, so the
    // create is written again with it in place (the number stays drawn once).
    digits = std::to_string(result.number);
    CreatePlan wide;
    WAHANA_RETURN_IF_ERROR(plan_for(digits, record.get(), &wide));
    WAHANA_ASSIGN_OR_RETURN(result, wide.write.Execute(redis()));
    WAHANA_ASSIGN_OR_RETURN(CheckedCreate outcome, FinishCreate(wide, result, request_id, stored));
    if (outcome.created) stored->GetReflection()->Swap(stored, record.get());
    return outcome;
  }
  WAHANA_ASSIGN_OR_RETURN(CheckedCreate outcome, FinishCreate(plan, result, request_id, stored));
  if (outcome.created) {
    // The record as stored: its bytes as written, with the digits drawn where the script put them.
    digits = std::to_string(result.number);
    if (static_cast<int>(digits.size()) < width) {
      digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
    }
    std::string bytes =
        plan.write.CommandArgs(CreatePlan::kRecordCommand).at(CreatePlan::kRecordBytesArg);
    for (const RecordWrite::NumberSlot& slot : slots) {
      if (slot.command == CreatePlan::kRecordCommand && slot.arg == CreatePlan::kRecordBytesArg) {
        bytes.replace(slot.offset, static_cast<size_t>(width), digits);
      }
    }
    if (!stored->ParseFromString(bytes)) {
      return absl::InternalError(
          absl::StrCat(keys().kind(), " ", plan.id, ": the record written does not parse back"));
    }
  }
  return outcome;
}

absl::Status UntypedIndexedProtoRecordStore::Get(const std::string& id, Message* record) {
  return base_.Get(id, record);
}

absl::StatusOr<bool> UntypedIndexedProtoRecordStore::FindByRequestId(const std::string& request_id,
                                                                     Message* record) {
  return base_.FindByRequestId(request_id, record);
}

absl::Status UntypedIndexedProtoRecordStore::Update(const Message& updated,
                                                    const std::string& expected_etag,
                                                    const wahana::common::v1::Envelope& changed,
                                                    bool archive, const ExtraCommands& extra,
                                                    const std::vector<WriteCondition>& conditions,
                                                    const Message* as_read) {
  const std::string& kind = keys().kind();
  WAHANA_ASSIGN_OR_RETURN(std::string id, StringField(updated, "id"));
  WAHANA_ASSIGN_OR_RETURN(std::string etag, StringField(updated, "etag"));
  // The version the change is based on: the caller's read when it says it has one at
  // expected_etag (then the write's first guard is that the stored bytes are still its bytes, so
  // the index entries removed below are exactly those in Redis), else read here.
  std::string as_read_bytes;
  if (as_read != nullptr && as_read->GetDescriptor() == updated.GetDescriptor() &&
      StringField(*as_read, "etag").value_or("") == expected_etag) {
    as_read_bytes = as_read->SerializeAsString();
  }
  std::unique_ptr<Message> read;
  const Message* current = as_read;
  if (as_read_bytes.empty()) {
    read.reset(updated.New());
    WAHANA_RETURN_IF_ERROR(base_.Get(id, read.get()));
    current = read.get();
    WAHANA_ASSIGN_OR_RETURN(std::string current_etag, StringField(*current, "etag"));
    if (current_etag != expected_etag) {
      return StaleEtagError(kind, id, expected_etag, current_etag);
    }
  }
  WAHANA_ASSIGN_OR_RETURN(std::string next_etag, NextEtag(expected_etag));
  if (etag != next_etag) {
    return absl::InternalError(absl::StrCat(kind, " ", id, ": the change of version ",
                                            expected_etag, " carries etag \"", etag, "\", not ",
                                            next_etag));
  }
  WAHANA_RETURN_IF_ERROR(CheckVersion(kind, id, etag, changed));
  if (archive) {
    if (indexing_.archived && indexing_.archived(*current)) {
      return absl::FailedPreconditionError(absl::StrCat(kind, " ", id, " is already archived"));
    }
    if (!indexing_.archived || !indexing_.archived(updated)) {
      return absl::InternalError(
          absl::StrCat("archive of ", kind, " ", id, ": the record is not marked archived"));
    }
  }
  WAHANA_ASSIGN_OR_RETURN(std::vector<Entry> before, EntriesOf(*current, id));
  WAHANA_ASSIGN_OR_RETURN(std::vector<Entry> after, EntriesOf(updated, id));
  std::vector<Entry> removed, added;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(removed));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(added));

  // Guard 0 pins the version read above, so `before` are exactly the entries in Redis.
  RecordWrite write;
  if (as_read_bytes.empty()) {
    write.RequireHashField(keys().Record(id), kRecordEtagField, expected_etag);
  } else {
    write.RequireHashField(keys().Record(id), kRecordPbField, as_read_bytes);
  }
  std::vector<const Entry*> claims;
  for (const Entry& entry : added) {
    if (entry.unique_index.empty()) continue;
    write.RequireUnclaimed(entry.dir, entry.value, id);
    claims.push_back(&entry);
  }
  const int first_condition = 1 + static_cast<int>(claims.size());
  AddWriteConditions(conditions, write);
  write.Command({"HSET", keys().Record(id), kRecordPbField, updated.SerializeAsString(),
                 kRecordEtagField, etag});
  for (const Entry& entry : removed) RemoveEntry(entry, id, write);
  for (const Entry& entry : added) AddEntry(entry, id, write);
  for (const std::vector<std::string>& argv : extra) write.Command(argv);
  write.Publish(keys().Stream(), changed);
  WAHANA_ASSIGN_OR_RETURN(AtomicWriteResult result, write.Execute(redis()));

  if (result.applied) return absl::OkStatus();
  if (result.failed_guard == 0 && !as_read_bytes.empty()) {
    // Moved on since the caller's read, or the same version serialized otherwise (written by an
    // older build): read it and decide as without the caller's copy.
    return Update(updated, expected_etag, changed, archive, extra, conditions, nullptr);
  }
  if (result.failed_guard == 0) {
    if (result.found_nil) return absl::NotFoundError(absl::StrCat(kind, " ", id, " not found"));
    return StaleEtagError(kind, id, expected_etag, result.found);
  }
  if (result.failed_guard >= first_condition &&
      result.failed_guard - first_condition < static_cast<int>(conditions.size())) {
    return conditions[result.failed_guard - first_condition].refusal;
  }
  const int claim = result.failed_guard - 1;
  if (claim < 0 || claim >= static_cast<int>(claims.size())) {
    return absl::InternalError(absl::StrCat(kind, " update: unknown guard failed"));
  }
  return UniqueConflictError(kind, {claims[claim]->unique_index, result.found});
}

absl::StatusOr<std::vector<UntypedIndexedProtoRecordStore::Row>>
UntypedIndexedProtoRecordStore::Read(const std::vector<std::string>& dirs, const LexRange& range,
                                     int limit) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis().Eval(ReadScript(), dirs,
                                       {keys().RecordPrefix(), range.min, range.min_raw, range.max,
                                        std::to_string(limit), kRecordPbField}));
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() % 2 != 0) {
    return absl::InternalError(absl::StrCat(keys().kind(), " list: unexpected script reply"));
  }
  std::vector<Row> rows(reply.elements.size() / 2);
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].member = std::move(reply.elements[2 * i].str);
    const RedisReply& pb = reply.elements[2 * i + 1];
    rows[i].missing = pb.type != RedisReply::Type::kString;
    rows[i].pb = pb.str;
  }
  return rows;
}

absl::Status UntypedIndexedProtoRecordStore::ParseRow(const Row& row, Message* record) const {
  std::string id(IdOfIndexMember(row.member));
  if (row.missing) {
    return absl::InternalError(absl::StrCat("index entry \"", row.member, "\" names ",
                                            keys().kind(), " ", id, ", which does not exist"));
  }
  if (!record->ParseFromString(row.pb)) {
    return absl::InternalError(absl::StrCat("stored ", keys().kind(), " ", id, " is not a valid ",
                                            record->GetDescriptor()->name()));
  }
  return absl::OkStatus();
}

absl::Status UntypedIndexedProtoRecordStore::List(const UntypedListQuery& query,
                                                  const Message& prototype,
                                                  std::vector<std::unique_ptr<Message>>* records,
                                                  std::string* next_page_token) {
  records->clear();
  next_page_token->clear();
  WAHANA_ASSIGN_OR_RETURN(const int page_size, ResolvePageSize(query.page_size));
  const std::string query_key = ListQueryKey(keys().kind(), query.region_prefix, query.view,
                                             query.include_archived, query.filter_key);
  LexRange range = RegionPrefixRange(query.region_prefix);
  if (!query.page_token.empty()) {
    WAHANA_ASSIGN_OR_RETURN(std::string position, DecodePageToken(query.page_token, query_key));
    if (!InLexRange(range, position)) {
      return absl::InvalidArgumentError("pageToken: not a page token of this list");
    }
    range = ResumeAfter(range, position);
  }
  std::vector<std::string> dirs = {ListIndex(keys(), false, query.view)};
  if (query.include_archived) dirs.push_back(ListIndex(keys(), true, query.view));

  // One more than a page, to know whether another page follows.
  const int want = page_size + 1;
  std::vector<std::string> members;  // of the records answered
  std::string last_read;
  int read = 0;
  bool scan_spent = false;
  while (static_cast<int>(records->size()) < want) {
    const int missing = want - static_cast<int>(records->size());
    int batch = missing;
    if (query.filter) {
      // Read ahead: a filter drops records, and each batch is a round trip.
      batch = std::min(std::max(2 * missing, 100), kMaxListScan - read);
    }
    WAHANA_ASSIGN_OR_RETURN(std::vector<Row> rows, Read(dirs, range, batch));
    for (const Row& row : rows) {
      ++read;
      last_read = row.member;
      std::unique_ptr<Message> record(prototype.New());
      WAHANA_RETURN_IF_ERROR(ParseRow(row, record.get()));
      if (query.filter && !query.filter(*record)) continue;
      records->push_back(std::move(record));
      members.push_back(row.member);
      if (static_cast<int>(records->size()) == want) break;
    }
    if (static_cast<int>(rows.size()) < batch) break;  // the range is exhausted
    if (query.filter && read >= kMaxListScan) {
      scan_spent = true;
      break;
    }
    range = ResumeAfter(range, last_read);
  }

  if (static_cast<int>(records->size()) > page_size) {
    records->resize(page_size);
    *next_page_token = EncodePageToken(query_key, members[page_size - 1]);
  } else if (scan_spent) {
    *next_page_token = EncodePageToken(query_key, last_read);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<UntypedIndexedProtoRecordStore::Row>>
UntypedIndexedProtoRecordStore::ReadExact(const std::string& index_key, const std::string& value,
                                          int limit) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis().Eval(FindScript(), {index_key},
                                                         {keys().RecordPrefix(), value,
                                                          std::to_string(limit), kRecordPbField}));
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() % 2 != 0) {
    return absl::InternalError(absl::StrCat(keys().kind(), " find: unexpected script reply"));
  }
  std::vector<Row> rows(reply.elements.size() / 2);
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].member = IndexMember(value, reply.elements[2 * i].str);
    const RedisReply& pb = reply.elements[2 * i + 1];
    rows[i].missing = pb.type != RedisReply::Type::kString;
    rows[i].pb = pb.str;
  }
  return rows;
}

void UntypedIndexedProtoRecordStore::AddEntry(const Entry& entry, const std::string& id,
                                              RecordWrite& write) {
  switch (entry.kind) {
    case Entry::Kind::kExact:
      write.ExactIndexAdd(entry.dir, entry.value, id);
      return;
    case Entry::Kind::kCounter:
      write.Command({"INCR", entry.dir});
      return;
    case Entry::Kind::kField:
      write.Command({"HSET", entry.dir, entry.field, entry.value});
      return;
    case Entry::Kind::kList:
      write.IndexAdd(entry.dir, entry.member);
      return;
  }
}

// Removals run before additions, so a guard field whose value changes is deleted, then set.
void UntypedIndexedProtoRecordStore::RemoveEntry(const Entry& entry, const std::string& id,
                                                 RecordWrite& write) {
  switch (entry.kind) {
    case Entry::Kind::kExact:
      write.ExactIndexRemove(entry.dir, entry.value, id);
      return;
    case Entry::Kind::kCounter:
      write.Command({"DECR", entry.dir});
      return;
    case Entry::Kind::kField:
      write.Command({"HDEL", entry.dir, entry.field});
      return;
    case Entry::Kind::kList:
      write.IndexRemove(entry.dir, entry.member);
      return;
  }
}

absl::StatusOr<std::vector<int64_t>> UntypedIndexedProtoRecordStore::Counts(
    const std::vector<std::string>& names) {
  std::vector<int64_t> counts;
  if (names.empty()) return counts;
  std::vector<std::string> argv = {"MGET"};
  for (const std::string& name : names) argv.push_back(CounterKey(keys(), name));
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply, redis().Command(argv));
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() != names.size()) {
    return absl::InternalError(absl::StrCat(keys().kind(), " counts: unexpected reply"));
  }
  for (const RedisReply& value : reply.elements) {
    int64_t count = 0;
    if (value.type == RedisReply::Type::kString && !absl::SimpleAtoi(value.str, &count)) {
      return absl::InternalError(absl::StrCat(keys().kind(), " counter holds \"", value.str, "\""));
    }
    counts.push_back(count);
  }
  return counts;
}

absl::StatusOr<bool> UntypedIndexedProtoRecordStore::FindUnique(const std::string& index,
                                                                const std::string& value,
                                                                Message* record) {
  if (value.empty()) return false;
  WAHANA_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          ReadExact(UniqueIndexKey(keys(), index), value, 1));
  if (rows.empty()) return false;
  WAHANA_RETURN_IF_ERROR(ParseRow(rows[0], record));
  return true;
}

absl::Status UntypedIndexedProtoRecordStore::FindIndexed(
    const std::string& index, const std::string& value, int limit, const Message& prototype,
    std::vector<std::unique_ptr<Message>>* records) {
  records->clear();
  if (limit < 1 || limit > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("limit: 1 to ", kMaxPageSize));
  }
  if (value.empty()) return absl::OkStatus();
  WAHANA_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          ReadExact(LookupIndexKey(keys(), index), value, limit));
  for (const Row& row : rows) {
    std::unique_ptr<Message> record(prototype.New());
    WAHANA_RETURN_IF_ERROR(ParseRow(row, record.get()));
    records->push_back(std::move(record));
  }
  return absl::OkStatus();
}

}  // namespace wahana
