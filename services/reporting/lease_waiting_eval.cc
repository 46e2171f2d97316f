#include "reporting/lease_waiting_eval.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace wahana {
namespace {

// How often a script waiting for a rebuild looks again.
constexpr absl::Duration kRebuildPoll = absl::Milliseconds(100);

}  // namespace

absl::StatusOr<int64_t> EvalWaitingForRebuild(RedisClient& redis, const LuaScript& script,
                                              const std::vector<std::string>& keys,
                                              const std::vector<std::string>& args) {
  for (;;) {
    absl::StatusOr<RedisReply> reply = redis.Eval(script, keys, args);
    if (!reply.ok()) return reply.status();
    if (reply->type != RedisReply::Type::kInteger) {
      return absl::InternalError(absl::StrCat("counter script: unexpected reply ", reply->str));
    }
    if (reply->integer != -1) return reply->integer;
    absl::SleepFor(kRebuildPoll);
  }
}

}  // namespace wahana
