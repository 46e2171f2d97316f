#pragma once
// CPU seconds a process and a Redis server have used so far: the benches print CPU per call or
// per message beside their rates, steadier than a rate on a shared machine.

#include "common/redis/redis_client.h"

namespace wahana::bench {

// utime + stime of /proc/<pid>/stat; 0 without a pid (<= 0) or when the file cannot be read.
double ProcessCpuSeconds(int pid);

// Redis's INFO cpu: used_cpu_sys + used_cpu_user; 0 when Redis cannot be asked.
double RedisCpuSeconds(RedisClient& redis);

}  // namespace wahana::bench
