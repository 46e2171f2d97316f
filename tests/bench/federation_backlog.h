#pragma once
// The backlog a district's outbox holds after an outage, for the federation bench: case counter
// changes applied through the district's own RedisCaseCountsStore (so each one moves the
// district's counters and appends its outbox entry in one script, as the reporting consumer
// does), spread over villages, months, categories and kinds.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/redis/redis_client.h"
#include "reporting/case_counts_store.h"

namespace wahana::bench {

// 50 village codes of `district` ("16.06.01.2001" ... "16.06.05.2010").
std::vector<std::string> BacklogVillages(const std::string& district);

// The n-th change of the backlog. Changes come in fives, one case each: its create (INTAKE), then
// four status moves up to MONITORING; every fourth case's category is corrected at the first move
// (as :assess may). Case c sits in village c % villages, month 1 + (c / villages) % 12 of `year`,
// category 1 + c % 25 and kind 1 + (c / 25) % 2.
CaseCounterMoves BacklogChange(const std::string& district,
                               const std::vector<std::string>& villages, int year, long n);

// Applies changes 0 .. `count` - 1 to the district's counters (and so its outbox `outbox`) from
// `threads` threads, each a run of whole cases in order. The first error, if any.
absl::Status WriteBacklog(RedisClient& redis, const std::string& district,
                          const std::string& outbox, long count, int threads);

}  // namespace wahana::bench
