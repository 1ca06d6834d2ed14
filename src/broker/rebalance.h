#pragma once

#include <vector>

namespace broker {

// RocketMQ's AllocateMessageQueueAveragely.allocate: the queue ids (0..queues-1, in
// order) that client `index` of `clients` (sorted by client id) takes. The first
// `queues % clients` clients take one queue more; with more clients than queues the
// last clients take none.
std::vector<int> AllocateMessageQueueAveragely(int queues, int clients, int index);

}  // namespace broker
