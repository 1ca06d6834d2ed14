#include "broker/broker.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <cstdio>
#include <set>

#include "base/check.h"
#include "base/duration.h"
#include "broker/consumer.h"
#include "broker/rebalance.h"

namespace broker {
namespace {

// Store host 127.0.0.1:10911 as RocketMQ encodes it in offsetMsgIds.
constexpr const char* kStoreHost = "7F00000100002A9F";

}  // namespace

Broker::Broker(BrokerConfig config, sim::Executor* exec, sim::EventSink* events)
    : config_(std::move(config)), exec_(exec), trace_(events) {
  SAGASIM_CHECK(!config_.delay_levels_ms.empty());
}

Topic& Broker::EnsureTopic(const std::string& name, int queues) {
  auto it = topics_.find(name);
  if (it != topics_.end()) return it->second;
  Topic topic;
  topic.name = name;
  topic.queues.resize(std::max(1, queues));
  return topics_.emplace(name, std::move(topic)).first->second;
}

const Topic* Broker::FindTopic(const std::string& name) const {
  auto it = topics_.find(name);
  return it == topics_.end() ? nullptr : &it->second;
}

std::string Broker::NewMsgId() {
  // IP 127.0.0.1, pid 0, classloader 0, then a counter: the shape of a real UNIQ_KEY.
  char buf[40];
  std::snprintf(buf, sizeof buf, "7F0000010000000000%014llX", static_cast<unsigned long long>(++msg_counter_));
  return buf;
}

base::Status Broker::ValidateBody(const std::string& body) const {
  if (body.empty()) return base::Status::InvalidInput("the message body is empty (MQClientException code 13)");
  if (static_cast<int64_t>(body.size()) > config_.max_message_size)
    return base::Status::InvalidInput("the message body size over max value, MAX: " +
                                      std::to_string(config_.max_message_size) + " (MQClientException code 13)");
  return base::Status::Ok();
}

Message& Broker::Put(Message msg, int queue_id) {
  Topic& topic = EnsureTopic(msg.topic, config_.queues_per_topic);
  SAGASIM_CHECK(queue_id >= 0 && queue_id < static_cast<int>(topic.queues.size()));
  if (retention_ != Retention::kAll && ++puts_since_compact_ >= kCompactEvery) Compact();
  Queue& queue = topic.queues[queue_id];
  msg.queue_id = queue_id;
  msg.queue_offset = queue.max_offset();
  msg.store_ms = exec_->now();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%016llX", kStoreHost, static_cast<unsigned long long>(commit_log_offset_));
  msg.offset_msg_id = buf;
  commit_log_offset_ += static_cast<int64_t>(msg.body.size()) + 200;  // header size, roughly
  queue.messages.push_back(std::move(msg));
  ++puts_;
  exec_->Wake();
  return queue.messages.back();
}

int64_t Broker::DelayOfLevel(int level) const {
  int n = static_cast<int>(config_.delay_levels_ms.size());
  level = std::clamp(level, 1, n);
  return config_.delay_levels_ms[level - 1];
}

Message Broker::CopyForResend(const Message& msg, const std::string& target_topic) const {
  Message copy;
  copy.msg_id = msg.msg_id;
  copy.topic = target_topic;
  copy.tags = msg.tags;
  copy.keys = msg.keys;
  copy.body = msg.body;
  copy.properties = msg.properties;
  copy.properties.emplace(kPropRetryTopic, msg.topic);               // set only if absent
  copy.properties.emplace(kPropOriginMessageId, msg.offset_msg_id);  // the first stored copy's
  copy.born_ms = msg.born_ms;
  copy.reconsume_times = msg.reconsume_times + 1;
  copy.last_error = msg.last_error;
  return copy;
}

void Broker::SendBack(const std::string& group, const Message& msg, int max_reconsume,
                      const std::string& service, int64_t cause, int delay_level) {
  if (msg.reconsume_times >= max_reconsume || delay_level < 0) {
    DeadLetter(group, msg, service, cause);
    return;
  }
  int level = delay_level > 0 ? delay_level : msg.reconsume_times + 3;
  int64_t delay = DelayOfLevel(level);
  Message copy = CopyForResend(msg, RetryTopic(group));
  copy.properties[kPropDelay] = std::to_string(std::min<int>(level, config_.delay_levels_ms.size()));
  copy.properties[kPropRealTopic] = RetryTopic(group);
  copy.properties[kPropRealQid] = "0";

  sim::Event e = MessageEvent(sim::EventKind::kRetry, msg, cause);
  e.group = group;
  e.service = service;
  e.attempt = msg.reconsume_times + 1;
  e.detail = "to " + RetryTopic(group) + " as reconsumeTimes " + std::to_string(copy.reconsume_times) +
             ", delay level " + std::to_string(level) + " (" + base::FormatDuration(delay) + ")";
  // Deliveries of the copy name this event as their cause.
  copy.trace_seq = trace_.Emit(std::move(e));

  // Like SCHEDULE_TOPIC_XXXX: the copy is stored into the retry queue when due.
  EnsureTopic(RetryTopic(group), 1);
  uint64_t id = next_retry_id_++;
  pending_retries_[id] = {group, copy.keys, exec_->now() + delay};
  exec_->At(exec_->now() + delay, [this, id, copy = std::move(copy)]() mutable {
    pending_retries_.erase(id);
    Put(std::move(copy), 0);
  });
}

void Broker::DeadLetter(const std::string& group, const Message& msg, const std::string& service, int64_t cause,
                        bool client_copy) {
  Message copy = CopyForResend(msg, DlqTopic(group));
  copy.properties.erase(kPropDelay);
  if (client_copy) {
    copy.properties[kPropOriginMessageId] = msg.msg_id;
    copy.born_ms = exec_->now();
  }
  EnsureTopic(DlqTopic(group), 1);
  Message& stored = Put(std::move(copy), 0);
  sim::Event e = MessageEvent(sim::EventKind::kDlq, stored, cause);
  e.group = group;
  e.service = service;
  e.attempt = msg.reconsume_times + 1;
  e.detail = "to " + DlqTopic(group) + " after " + std::to_string(stored.reconsume_times) + " deliveries" +
             (msg.last_error.empty() ? "" : ": " + msg.last_error);
  stored.trace_seq = trace_.Emit(std::move(e));
}

void Broker::Restart(int64_t down_for_ms, int64_t cause) {
  for (Consumer* c : consumers_) c->RollBackToPersisted(cause);
  down_until_ms_ = exec_->now() + down_for_ms;
  // Consumers resume by themselves once the clock reaches the end of the downtime.
  exec_->At(down_until_ms_, [this] { exec_->Wake(); });
  exec_->Wake();
}

std::vector<std::string> Broker::GroupsNamed(const std::string& named) const {
  std::set<std::string> groups = {named};
  for (const Consumer* c : consumers_)
    if (c->config().named_group == named) groups.insert(c->config().group);
  return {groups.begin(), groups.end()};
}

int64_t Broker::DlqPending(const std::string& named) const {
  int64_t n = 0;
  for (const std::string& group : GroupsNamed(named)) {
    const Topic* dlq = FindTopic(DlqTopic(group));
    if (dlq) n += dlq->queues[0].max_offset() - DlqRedriven(group);
  }
  return n;
}

int Broker::RedriveDlq(const std::string& named, int64_t cause) {
  int n = 0;
  for (const std::string& group : GroupsNamed(named)) n += RedriveOneDlq(group, cause);
  return n;
}

void Broker::Register(Consumer* consumer) {
  consumers_.push_back(consumer);
  Rebalance(consumer->config().group);
}

std::vector<Consumer*> Broker::ClientsOf(const std::string& group) const {
  std::vector<Consumer*> clients;
  for (Consumer* c : consumers_)
    if (c->config().group == group) clients.push_back(c);
  std::stable_sort(clients.begin(), clients.end(),
                   [](const Consumer* a, const Consumer* b) { return a->config().client_id < b->config().client_id; });
  return clients;
}

void Broker::Rebalance(const std::string& group) {
  std::vector<Consumer*> clients = ClientsOf(group);
  int n = static_cast<int>(clients.size());
  for (int index = 0; index < n; ++index) {
    Consumer* c = clients[index];
    if (c->config().broadcasting) {
      // RebalanceImpl.rebalanceByTopic, BROADCASTING: every queue, and no retry topic
      // (copySubscription subscribes %RETRY% in CLUSTERING only).
      std::vector<int> all(FindTopic(c->config().topic)->queues.size());
      for (size_t q = 0; q < all.size(); ++q) all[q] = static_cast<int>(q);
      c->Assign(c->config().topic, all);
      c->Assign(RetryTopic(group), {});
      continue;
    }
    // Each client rebalances the topics it subscribes: its own and %RETRY%<group>.
    for (const std::string& topic : {c->config().topic, RetryTopic(group)}) {
      int queues = static_cast<int>(FindTopic(topic)->queues.size());
      c->Assign(topic, AllocateMessageQueueAveragely(queues, n, index));
    }
  }
}

std::vector<std::string> Broker::InconsistentSubscriptions() const {
  std::set<std::string> groups;
  for (const Consumer* c : consumers_) groups.insert(c->config().group);
  std::vector<std::string> out;
  for (const std::string& group : groups) {
    std::vector<Consumer*> clients = ClientsOf(group);
    std::string line = "consumer group " + group + " has " + std::to_string(clients.size()) +
                       " clients with different subscriptions:";
    bool differ = false;
    std::string first;
    for (const Consumer* c : clients) {
      std::string sub = c->config().topic + " '" + c->config().filter.expression() + "'";
      if (first.empty()) first = sub;
      differ = differ || sub != first;
      line += " " + c->config().client_id + " subscribes " + sub + ";";
    }
    if (!differ) continue;
    line.pop_back();
    out.push_back(line + " (the rebalance spreads each topic's queues over all of them, so those allocated "
                         "to a client that does not subscribe the topic are never consumed)");
  }
  return out;
}

int Broker::RedriveOneDlq(const std::string& group, int64_t cause) {
  const Topic* dlq = FindTopic(DlqTopic(group));
  if (!dlq) return 0;
  int64_t& done = dlq_redriven_[group];
  // Copy first: Put may add to the topic map while we iterate.
  std::vector<Message> copies;
  for (int64_t off = done; off < dlq->queues[0].max_offset(); ++off) {
    Message copy = CopyForResend(dlq->queues[0].At(off), RetryTopic(group));
    copy.reconsume_times = 0;
    copies.push_back(std::move(copy));
  }
  done = dlq->queues[0].max_offset();
  EnsureTopic(RetryTopic(group), 1);
  for (Message& copy : copies) {
    Message& stored = Put(std::move(copy), 0);
    sim::Event e = MessageEvent(sim::EventKind::kRetry, stored, cause);
    e.group = group;
    e.detail = "redriven from " + DlqTopic(group) + " to " + RetryTopic(group);
    stored.trace_seq = trace_.Emit(std::move(e));
  }
  return static_cast<int>(copies.size());
}

int64_t Broker::DlqRedriven(const std::string& group) const {
  auto it = dlq_redriven_.find(group);
  return it == dlq_redriven_.end() ? 0 : it->second;
}

sim::Event Broker::MessageEvent(sim::EventKind kind, const Message& msg, int64_t cause) const {
  sim::Event e = sim::Event::Make(kind, exec_->now(), cause);
  Describe(msg, &e);
  return e;
}

void Broker::Describe(const Message& msg, sim::Event* e) {
  e->topic = msg.OriginalTopic();
  e->tags = msg.tags;
  e->queue = msg.queue_id;
  e->offset = msg.queue_offset;
  e->msg_id = msg.msg_id;
  e->event_id = msg.Property(kPropEventId);
  e->event = msg.Property(kPropEventType);
  e->order = msg.keys;
  e->born_ms = msg.born_ms;
}

void Broker::set_retention(Retention retention, std::function<bool()> before_drop) {
  retention_ = retention;
  before_drop_ = std::move(before_drop);
}

void Broker::Compact() {
  puts_since_compact_ = 0;
  if (retention_ == Retention::kAll) return;
  // Per queue: the lowest offset a group reading it may still need, and whether
  // every group subscribing it has a client holding it.
  struct Need {
    int64_t keep_from = INT64_MAX;
    std::set<std::string> subscribed, held;
  };
  std::map<const Queue*, Need> needs;
  bool persisted = retention_ == Retention::kUnpersisted;
  for (const Consumer* c : consumers_) {
    for (int slot = 0; slot < c->slot_count(); ++slot) {
      Need& n = needs[c->slot_queue(slot)];
      n.subscribed.insert(c->config().group);
      if (!c->Holds(slot)) continue;
      n.held.insert(c->config().group);
      n.keep_from = std::min(n.keep_from, c->KeepFrom(slot, persisted));
    }
  }
  bool vetted = false;
  for (auto& [name, topic] : topics_) {
    if (name.rfind("%DLQ%", 0) == 0) continue;
    for (Queue& q : topic.queues) {
      auto it = needs.find(&q);
      if (it == needs.end() || it->second.held != it->second.subscribed) continue;
      int64_t keep_from = std::min(it->second.keep_from, q.max_offset());
      if (keep_from <= q.first) continue;
      if (!vetted) {
        if (before_drop_ && !before_drop_()) return;
        vetted = true;
      }
      int64_t n = keep_from - q.first;
      q.messages.erase(q.messages.begin(), q.messages.begin() + static_cast<std::ptrdiff_t>(n));
      q.first = keep_from;
      dropped_ += n;
    }
  }
}

}  // namespace broker
