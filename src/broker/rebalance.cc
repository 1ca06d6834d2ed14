#include "broker/rebalance.h"

#include <algorithm>

namespace broker {

std::vector<int> AllocateMessageQueueAveragely(int queues, int clients, int index) {
  std::vector<int> out;
  if (queues <= 0 || clients <= 0 || index < 0 || index >= clients) return out;
  // Transcribed from AllocateMessageQueueAveragely.allocate (rocketmq-client).
  int mod = queues % clients;
  int average = queues <= clients ? 1 : (mod > 0 && index < mod ? queues / clients + 1 : queues / clients);
  int start = (mod > 0 && index < mod) ? index * average : index * average + mod;
  int range = std::min(average, queues - start);
  for (int i = 0; i < range; ++i) out.push_back((start + i) % queues);
  return out;
}

}  // namespace broker
