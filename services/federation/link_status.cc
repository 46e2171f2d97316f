#include "federation/link_status.h"

#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/bus/bus_contract.h"
#include "common/region/region_code.h"
#include "common/status/status_macros.h"
#include "federation/batch_receiver.h"
#include "federation/federation_keys.h"

namespace wahana {
namespace {

using wahana::federation::v1::Channel;
using wahana::federation::v1::LinkStatus;

int64_t NumberOf(const std::map<std::string, std::string>& hash, const std::string& field) {
  int64_t value = 0;
  auto it = hash.find(field);
  if (it != hash.end() && !absl::SimpleAtoi(it->second, &value)) value = 0;
  return value;
}

void SetMillis(int64_t unix_ms, google::protobuf::Timestamp* time) {
  time->set_seconds(unix_ms / 1000);
  time->set_nanos(static_cast<int32_t>((unix_ms % 1000) * 1000000));
}

}  // namespace

LinkStatusReader::LinkStatusReader(RedisClient& redis, std::string region, DeploymentRole role,
                                   std::vector<Link> links)
    : redis_(redis),
      region_(std::move(region)),
      role_(role),
      links_(std::move(links)),
      progress_(redis) {}

absl::StatusOr<LinkStatus> LinkStatusReader::ReadLink(const Link& link) {
  const std::string& direction = link.direction;
  const std::string& peer = link.peer;
  const Channel channel = link.channel;
  WAHANA_ASSIGN_OR_RETURN(RedisReply reply,
                          redis_.Command({"HGETALL", LinkKey(region_, direction, peer)}));
  std::map<std::string, std::string> hash;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    hash[reply.elements[i].str] = reply.elements[i + 1].str;
  }
  const std::string name = ChannelName(channel);
  LinkStatus status;
  status.set_peer(peer);
  status.set_direction(direction);
  status.set_channel(channel);
  if (const int64_t last = NumberOf(hash, name + ":last_batch_time"); last > 0) {
    SetMillis(last, status.mutable_last_batch_time());
  }
  status.set_messages(NumberOf(hash, name + ":messages"));
  if (auto mark = hash.find(name + ":hwm"); mark != hash.end()) {
    status.set_high_water_mark(mark->second);
  }
  status.set_refused_batches(NumberOf(hash, "refused_batches"));
  if (const int64_t contact = NumberOf(hash, "last_contact_time"); contact > 0) {
    SetMillis(contact, status.mutable_last_contact_time());
  }
  if (auto error = hash.find("last_error"); error != hash.end()) {
    status.set_last_error(error->second);
    SetMillis(NumberOf(hash, "last_error_time"), status.mutable_last_error_time());
  }
  if (direction == kInbound) {
    status.set_lag_seconds(static_cast<double>(NumberOf(hash, name + ":lag_ms")) / 1000.0);
  } else {
    WAHANA_ASSIGN_OR_RETURN(GroupProgress progress, progress_.Read(link.stream, link.group));
    status.set_backlog(progress.lag);
    if (progress.oldest_unapplied.has_value()) {
      status.set_lag_seconds(absl::ToDoubleSeconds(absl::Now() - *progress.oldest_unapplied));
    }
  }
  return status;
}

absl::StatusOr<wahana::federation::v1::FederationStatus> LinkStatusReader::Read() {
  wahana::federation::v1::FederationStatus out;
  out.set_role(DeploymentRoleName(role_));
  out.set_region(region_);
  for (const Link& link : links_) {
    WAHANA_ASSIGN_OR_RETURN(*out.add_links(), ReadLink(link));
  }
  return out;
}

}  // namespace wahana
