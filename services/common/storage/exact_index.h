#pragma once
// Exact-value indexes: a record's unique values (a NIK, a KK number) and looked-up values (a
// beneficiary's duplicate key), found by the value itself, never by range or in order.
//
// One Redis hash per index: field = the value, hash value = the ids of the records holding it,
// space-separated in increasing order (one id for a unique index). A claim check, a look-up or an
// add is one HGET/HSET (~1 µs of Redis time) where a chunked lexicographic index (lex_index.h)
// needed a directory and a chunk look-up plus a chunk insert (~30 µs together: a bulk import paid
// that for every row and index). The price is memory: a hash entry costs ~90 bytes where a chunk
// member cost ~50; values that are long should be digested (DigestIndexValue) to keep it there.
//
// The functions are Lua (ExactIndexLua), run inside the scripts that write a record, so an entry
// changes in the same atomic step as its record:
//   xi_ids(hash, value) -> the ids holding `value`, a table in increasing order (empty: none)
//   xi_other(hash, value, id) -> an id other than `id` holding `value`, or nil
//   xi_add(hash, value, id) -> 1 added, 0 already there
//   xi_rem(hash, value, id) -> 1 removed, 0 absent (the field goes with its last id)
// Ids hold no space (record ids are 0-9 A-Z).

#include <string>

namespace wahana {

const std::string& ExactIndexLua();

}  // namespace wahana
