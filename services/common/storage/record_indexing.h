#pragma once
// How the records of one kind are indexed: what an IndexedProtoRecordStore derives from a record
// to list it and find it. The store derives the index entries of the record before and after every
// change and writes the difference with the record, so the functions must be pure (the same
// record gives the same answers, whenever and wherever they run): changing them for a kind that
// has records needs a re-index.
//
// Each record is listed under its region code, in the live list or, once archived, in the
// archived one; views are further lists of a subset of the records (each with the same region
// order), for a filter that must stay fast however rare its matches (`kind=LKS`).

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/message.h"

namespace wahana {

// A value a record is found by, in the index `index` ("nik" -> "1606...").
struct IndexValue {
  std::string index;
  std::string value;
};

template <typename Record>
struct RecordIndexing {
  // Required. The record's region code ("16.06.01.2001"): lists filter by any prefix of it.
  std::function<std::string(const Record&)> region_code;
  // Required. Whether the record is archived: archived records leave the live list for the
  // archived one (both are listed with include_archived).
  std::function<bool(const Record&)> archived;
  // Values no two records may share ("nik"). A record keeps its claims when archived: an archived
  // record's values are never reused. Empty values claim nothing.
  std::function<std::vector<IndexValue>(const Record&)> unique;
  // Values records are looked up by, shared or not (a duplicate-candidate key). Keep each value
  // within 37 bytes (DigestIndexValue, lex_index.h), so index chunks stay compact. Empty values
  // are not indexed.
  std::function<std::vector<IndexValue>(const Record&)> lookup;
  // The views the record is listed in besides the main list ("kind=LKS"), live or archived as the
  // record is.
  std::function<std::vector<std::string>(const Record&)> views;
  // Counters the record counts in ("registered/01J..."): a write adds 1 to each counter the
  // record enters and takes 1 from each it leaves, with the record. What other writes guard a
  // limit on (WriteCondition::CountWithin, indexed_record_store.h) and what totals read
  // (IndexedRecordStore::Counts), at no cost per record.
  std::function<std::vector<std::string>(const Record&)> counted;
  // Fields written in the record's hash beside its bytes ({"registration", "open"}), for other
  // records' writes to guard on in their own atomic step (WriteCondition::FieldMatches): Lua
  // reads no protobuf. Names other than "pb" and "etag".
  std::function<std::vector<std::pair<std::string, std::string>>(const Record&)> guard_fields;
};

// The same over google::protobuf::Message, for the untyped store. Index and view names may be any
// text (escaped into key names: EscapeIndexValue).
using UntypedRecordIndexing = RecordIndexing<google::protobuf::Message>;

// The same functions over google::protobuf::Message (which must be a `Record`).
template <typename Record>
UntypedRecordIndexing ToUntyped(RecordIndexing<Record> typed) {
  auto cast = [](const google::protobuf::Message& m) -> const Record& {
    return static_cast<const Record&>(m);
  };
  UntypedRecordIndexing out;
  if (typed.region_code) {
    out.region_code = [f = std::move(typed.region_code), cast](const auto& m) {
      return f(cast(m));
    };
  }
  if (typed.archived) {
    out.archived = [f = std::move(typed.archived), cast](const auto& m) { return f(cast(m)); };
  }
  if (typed.unique) {
    out.unique = [f = std::move(typed.unique), cast](const auto& m) { return f(cast(m)); };
  }
  if (typed.lookup) {
    out.lookup = [f = std::move(typed.lookup), cast](const auto& m) { return f(cast(m)); };
  }
  if (typed.views) {
    out.views = [f = std::move(typed.views), cast](const auto& m) { return f(cast(m)); };
  }
  if (typed.counted) {
    out.counted = [f = std::move(typed.counted), cast](const auto& m) { return f(cast(m)); };
  }
  if (typed.guard_fields) {
    out.guard_fields = [f = std::move(typed.guard_fields), cast](const auto& m) {
      return f(cast(m));
    };
  }
  return out;
}

}  // namespace wahana
