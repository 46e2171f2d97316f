#pragma once
// Chunked lexicographic indexes: the ordered sets behind listing records by region and finding
// them by a unique or looked-up value, kept small in Redis memory.
//
// An index holds members "<value>|<id>" (the value escaped so it holds no '|'), in byte order. One
// big sorted set would cost ~150 bytes a member (a skiplist node and a dict entry each); an index
// is instead cut into chunks of at most kIndexChunkMax members, each a small sorted set (score 0)
// that Redis keeps as a listpack (~45 bytes a 40-byte member), plus a directory:
//
//   <dir>              sorted set (score 0) of the chunks' lower bounds; "" is the first chunk's
//   <dir>|<bound>      the chunk holding the members >= bound and < the next bound
//
// A member lives in the chunk with the greatest bound <= it. A full chunk splits before it takes a
// member (an append past its end starts a new chunk, so ids appended in time order fill chunks
// completely); an emptied chunk is dropped with its bound. Chunks stay listpacks while
// zset-max-listpack-entries >= kIndexChunkMax (Redis' default is 128) and members stay within
// zset-max-listpack-value (default 64 bytes: 26 for the id and '|' leave 37 for the value; longer
// values still work, at skiplist cost). Each member costs about its length + 6 bytes, so long
// values are best digested (DigestIndexValue).
//
// All of it is Lua (LexIndexLua), run inside the scripts that write a record, so an index entry
// changes in the same atomic step as its record. Chunk keys are derived inside the script from the
// directory key, so they share its hash tag (same Redis Cluster slot); they are not declared as
// script KEYS.
//
// Region indexes use the value "<region code>." so that one range serves any code prefix:
// "16.06.01" matches "16.06.01.|..." and "16.06.01.2001.|..." and never "16.06.010...".

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace wahana {

// Members per chunk: Redis' default zset-max-listpack-entries.
inline constexpr size_t kIndexChunkMax = 128;

// `value` with '\' and '|' escaped ("\\", "\!"), so that it holds no '|' and distinct values stay
// distinct.
std::string EscapeIndexValue(absl::string_view value);

// The member "<escaped value>|<id>". `id` must not contain '|' (record ids are 0-9 A-Z).
std::string IndexMember(absl::string_view value, absl::string_view id);

// The id of a member: what follows its last '|' (empty when there is none).
absl::string_view IdOfIndexMember(absl::string_view member);

// The value a region index keeps for a record in `region_code` ("16.06.01.2001" ->
// "16.06.01.2001.").
std::string RegionIndexValue(absl::string_view region_code);

// ZRANGE BYLEX bounds of a range of members.
struct LexRange {
  std::string min;      // "[x", "(x" or "-"
  std::string max;      // "(x" or "+"
  std::string min_raw;  // x for "[x" and "(x"; empty for "-"
};

// The members of every record whose region code is `prefix` or lies under it; all members for an
// empty prefix.
LexRange RegionPrefixRange(absl::string_view prefix);
// The members whose value is exactly `value`.
LexRange ExactValueRange(absl::string_view value);
// `range` resumed after `member` (exclusive).
LexRange ResumeAfter(const LexRange& range, const std::string& member);
// True when `member` lies within `range` (byte order, as Redis compares).
bool InLexRange(const LexRange& range, const std::string& member);

// A short stand-in for a long value (16 base64url characters: 96 bits of its SHA-256), so that
// its members stay small. Equal values give equal digests; different values collide with
// negligible odds.
std::string DigestIndexValue(absl::string_view value);

// Lua source of functions over chunked indexes, prepended to the scripts that use them:
//   ix_add(dir, member) -> 1 added, 0 already there
//   ix_rem(dir, member) -> 1 removed, 0 absent
//   ix_range(dir, min, min_raw, max, limit, out) appends up to `limit` members in
//       [min, max) (ZRANGE BYLEX bounds) to table `out`, in order
//   ix_less(a, b) byte order of two strings (Lua's `<` follows the server's locale)
//   ix_id(member) the id of a member
const std::string& LexIndexLua();

// Lua source of ix_less alone (byte order of two strings; Lua's `<` follows the server's locale),
// for scripts that compare ids without the chunked indexes. LexIndexLua includes it.
const std::string& ByteOrderLua();

}  // namespace wahana
