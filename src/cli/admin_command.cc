#include "cli/admin_command.h"

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "base/escape.h"
#include "base/virtual_time.h"
#include "broker/broker_store.h"
#include "broker/tag_filter.h"
#include "cli/conventions.h"
#include "cli/exit_code.h"
#include "services/consumer_groups.h"
#include "store/db.h"

namespace cli {
namespace {

constexpr const char* kBrokerName = "broker-a";

// Names, keys, bodies and errors come from the scenario file: never raw to a terminal.
std::string Safe(const std::string& text) { return base::EscapeForTerminal(text); }

struct Subscription {
  std::string group, topic, expression;
};

class AdminViews {
 public:
  AdminViews(store::Db* db, std::FILE* out) : db_(db), out_(out) {}

  int TopicList() {
    store::Statement& q = db_->Prepare("SELECT name FROM topic ORDER BY name");
    while (q.Step()) std::fprintf(out_, "%s\n", Safe(q.Text(0)).c_str());
    return kExitOk;
  }

  int TopicStatus(const std::string& topic) {
    int64_t queues = QueueCount(topic);
    if (queues < 0) return Fail("topic " + Safe(topic) + " does not exist");
    std::fprintf(out_, "%-32s  %-4s  %-20s  %-20s    %s\n", "#Broker Name", "#QID", "#Min Offset", "#Max Offset",
                 "#Last Updated");
    for (int64_t q = 0; q < queues; ++q) {
      int64_t max = MaxOffset(topic, q);
      std::string last = max > 0 ? base::FormatVirtualDate(StoreTime(topic, q, max - 1), true) : "";
      std::fprintf(out_, "%-32s  %-4lld  %-20d  %-20lld    %s\n", kBrokerName, static_cast<long long>(q), 0,
                   static_cast<long long>(max), last.c_str());
    }
    return kExitOk;
  }

  int ConsumerProgress(const std::string& group) {
    if (group.empty()) return GroupList();
    store::Statement& q = db_->Prepare(
        "SELECT topic, queue_id, pull_offset, persisted_offset, client_id FROM consumer_offset WHERE group_name = ? "
        "ORDER BY topic, queue_id");
    q.Bind(1, group);
    struct Row {
      std::string topic;
      int64_t queue, pull, consumer;
      std::string client;
    };
    std::vector<Row> rows;
    while (q.Step()) rows.push_back({q.Text(0), q.Int(1), q.Int(2), q.Int(3), q.Text(4)});
    q.Reset();
    if (rows.empty()) return Fail("consumer group " + Safe(group) + " does not exist" + Safe(PerBindingHint(group)));
    std::fprintf(out_, "%-64s  %-32s  %-4s  %-20s  %-20s  %-20s  %-20s  %-20s  %s\n", "#Topic", "#Broker Name", "#QID",
                 "#Broker Offset", "#Consumer Offset", "#Client IP", "#Diff", "#Inflight", "#LastTime");
    int64_t diff_total = 0, inflight_total = 0;
    for (const Row& r : rows) {
      int64_t broker_offset = MaxOffset(r.topic, r.queue);
      // ConsumerProgressSubCommand: diff = broker - consumer offset, inflight = pull -
      // consumer offset; #Client IP is the client holding the queue (N/A for none).
      int64_t diff = broker_offset - r.consumer, inflight = r.pull - r.consumer;
      diff_total += diff;
      inflight_total += inflight;
      std::string last = r.consumer > 0 ? base::FormatVirtualDate(StoreTime(r.topic, r.queue, r.consumer - 1)) : "N/A";
      std::fprintf(out_, "%-64s  %-32s  %-4lld  %-20lld  %-20lld  %-20s  %-20lld  %-20lld  %s\n", Safe(r.topic).c_str(),
                   kBrokerName, static_cast<long long>(r.queue), static_cast<long long>(broker_offset),
                   static_cast<long long>(r.consumer), r.client.empty() ? "N/A" : r.client.c_str(),
                   static_cast<long long>(diff),
                   static_cast<long long>(inflight), last.c_str());
    }
    std::fprintf(out_, "\nConsume TPS: %.2f\n", 0.0);
    std::fprintf(out_, "Consume Diff Total: %lld\n", static_cast<long long>(diff_total));
    std::fprintf(out_, "Consume Inflight Total: %lld\n", static_cast<long long>(inflight_total));
    return kExitOk;
  }

  // mqadmin consumerConnection (ConsumerConnectionSubCommand): the group's clients,
  // the broker's subscription table (one row per topic, %RETRY%<group> included), and,
  // as consumerStatus warns, a line when the clients subscribe differently.
  int ConsumerConnection(const std::string& group) {
    store::Statement& q = db_->Prepare(
        "SELECT client_id, topic, expression, message_model FROM subscription WHERE group_name = ? "
        "ORDER BY client_id, topic");
    q.Bind(1, group);
    struct Client {
      std::string id, topic, expression, model;
    };
    std::vector<Client> clients;
    while (q.Step()) clients.push_back({q.Text(0), q.Text(1), q.Text(2), q.Text(3)});
    q.Reset();
    if (clients.empty()) return Fail("consumer group " + Safe(group) + " has no clients (not online)" + Safe(PerBindingHint(group)));
    std::fprintf(out_, "%-36s %-22s %-10s %s\n", "#ClientId", "#ClientAddr", "#Language", "#Version");
    std::set<std::string> ids;
    for (const Client& c : clients) {
      if (!ids.insert(c.id).second) continue;
      // The client's address: 127.0.0.1 and an ephemeral port, one per client.
      std::string addr = "127.0.0.1:" + std::to_string(50000 + ids.size());
      std::fprintf(out_, "%-36s %-22s %-10s %s\n", c.id.c_str(), addr.c_str(), "JAVA", "V5_1_4");
    }
    std::map<std::string, std::string> table;  // topic -> expression, last writer wins as on the broker
    bool clustering = false;
    for (const Client& c : clients) {
      table[c.topic] = c.expression;
      if (c.model == "CLUSTERING") clustering = true;
    }
    if (clustering) table["%RETRY%" + group] = "*";
    std::fprintf(out_, "\nBelow is subscription:\n");
    std::fprintf(out_, "%-20s %s\n", "#Topic", "#SubExpression");
    for (const auto& [topic, expression] : table) std::fprintf(out_, "%-20s %s\n", topic.c_str(), expression.c_str());
    std::fprintf(out_, "\n");
    std::fprintf(out_, "ConsumeType: %s\n", "CONSUME_PASSIVELY");
    std::fprintf(out_, "MessageModel: %s\n", clients.front().model.c_str());
    std::fprintf(out_, "ConsumeFromWhere: %s\n", "CONSUME_FROM_LAST_OFFSET");
    std::set<std::string> distinct;
    for (const Client& c : clients) distinct.insert(c.topic + " " + c.expression);
    if (distinct.size() > 1) {
      std::string line = "\nWARN: subscription inconsistent: the group's clients subscribe differently (";
      for (size_t i = 0; i < clients.size(); ++i)
        line += (i ? "; " : "") + clients[i].id + " subscribes " + clients[i].topic + " " + clients[i].expression;
      line += "); queues allocated to a client that does not subscribe their topic are not consumed";
      std::fprintf(out_, "%s\n", line.c_str());
    }
    return kExitOk;
  }

  int QueryMsg(const std::string& msg_id) {
    store::Statement& q = db_->Prepare(
        "SELECT topic, queue_id, queue_offset, offset_msg_id, tags, keys, body, properties, born_ms, store_ms, "
        "reconsume_times, last_error FROM message WHERE msg_id = ? ORDER BY store_ms, topic, queue_id, queue_offset");
    q.Bind(1, msg_id);
    struct Copy {
      std::string topic;
      int64_t queue, offset;
      std::string offset_msg_id, tags, keys, body, properties;
      int64_t born, stored, reconsume;
      std::string last_error;
    };
    std::vector<Copy> copies;
    while (q.Step())
      copies.push_back({q.Text(0), q.Int(1), q.Int(2), q.Text(3), q.Text(4), q.Text(5), q.Text(6), q.Text(7),
                        q.Int(8), q.Int(9), q.Int(10), q.Text(11)});
    q.Reset();
    if (copies.empty()) return Fail("no message with msgId " + Safe(msg_id));
    for (size_t i = 0; i < copies.size(); ++i) {
      const Copy& c = copies[i];
      if (i) std::fprintf(out_, "\n");
      Line("OffsetID:", c.offset_msg_id);
      Line("Topic:", c.topic);
      Line("Tags:", "[" + c.tags + "]");
      Line("Keys:", "[" + c.keys + "]");
      Line("Queue ID:", std::to_string(c.queue));
      Line("Queue Offset:", std::to_string(c.offset));
      Line("CommitLog Offset:", std::to_string(std::stoll(c.offset_msg_id.substr(16), nullptr, 16)));
      Line("Reconsume Times:", std::to_string(c.reconsume));
      Line("Born Timestamp:", base::FormatVirtualDate(c.born, true));
      Line("Store Timestamp:", base::FormatVirtualDate(c.stored, true));
      Line("Born Host:", "127.0.0.1");
      Line("Store Host:", "127.0.0.1:10911");
      Line("System Flag:", "0");
      Line("Properties:", PropertiesText(c.properties));
      Line("Message Body:", c.body);
      if (!c.last_error.empty()) Line("Last Error:", c.last_error);
      std::fprintf(out_, "\n");
      Tracks(c.topic, c.queue, c.offset, c.tags);
    }
    return kExitOk;
  }

  int Dlq(const std::string& group) {
    std::string topic = "%DLQ%" + group;
    std::fprintf(out_, "%-34s  %-10s  %-22s  %-16s  %-20s  %-9s  %s\n", "#MsgId", "#Order", "#Original Topic",
                 "#Reconsume Times", "#Store Time", "#Redriven", "#Last Error");
    if (QueueCount(topic) < 0) return kExitOk;  // like the dashboard: no DLQ topic yet, nothing in it
    int64_t redriven = 0;
    store::Statement& r = db_->Prepare("SELECT redriven_offset FROM dlq_redrive WHERE group_name = ?");
    r.Bind(1, group);
    if (r.Step()) redriven = r.Int(0);
    r.Reset();
    store::Statement& q = db_->Prepare(
        "SELECT msg_id, keys, properties, reconsume_times, store_ms, last_error, queue_offset FROM message "
        "WHERE topic = ? ORDER BY queue_offset");
    q.Bind(1, topic);
    while (q.Step()) {
      std::string original = nlohmann::json::parse(q.Text(2)).value("RETRY_TOPIC", std::string());
      std::fprintf(out_, "%-34s  %-10s  %-22s  %-16lld  %-20s  %-9s  %s\n", Safe(q.Text(0)).c_str(),
                   Safe(q.Text(1)).c_str(), Safe(original).c_str(), static_cast<long long>(q.Int(3)),
                   base::FormatVirtualDate(q.Int(4)).c_str(), q.Int(6) < redriven ? "yes" : "no",
                   Safe(q.Text(5)).c_str());
    }
    q.Reset();
    return kExitOk;
  }

 private:
  // Under consumerGroups per-binding a service's group name is not a RocketMQ group:
  // name the groups it stands for.
  std::string PerBindingHint(const std::string& group) {
    store::Statement& q = db_->Prepare("SELECT DISTINCT group_name FROM subscription ORDER BY 1");
    std::string names;
    while (q.Step()) {
      std::string g = q.Text(0);
      if (g != group && services::GroupNamed(group, g)) names += (names.empty() ? "" : ", ") + g;
    }
    q.Reset();
    return names.empty() ? "" : " (under consumerGroups per-binding its bindings' groups are " + names + ")";
  }

  int Fail(const std::string& message) {  // REQUIRES: message already escaped
    std::fprintf(stderr, "sagasim admin: %s\n", message.c_str());
    return kExitInvalid;
  }

  void Line(const char* label, const std::string& value) {
    std::fprintf(out_, "%-20s %s\n", label, Safe(value).c_str());
  }

  static std::string PropertiesText(const std::string& json) {
    std::string out = "{";
    const nlohmann::json parsed = nlohmann::json::parse(json);  // must outlive items()
    for (const auto& [k, v] : parsed.items()) {
      if (out.size() > 1) out += ", ";
      out += k + "=" + v.get<std::string>();
    }
    return out + "}";
  }

  int64_t QueueCount(const std::string& topic) {
    store::Statement& q = db_->Prepare("SELECT queues FROM topic WHERE name = ?");
    q.Bind(1, topic);
    int64_t n = q.Step() ? q.Int(0) : -1;
    q.Reset();
    return n;
  }

  int64_t MaxOffset(const std::string& topic, int64_t queue) {
    store::Statement& q =
        db_->Prepare("SELECT COALESCE(MAX(queue_offset) + 1, 0) FROM message WHERE topic = ? AND queue_id = ?");
    q.Bind(1, topic).Bind(2, queue);
    int64_t n = q.Step() ? q.Int(0) : 0;
    q.Reset();
    return n;
  }

  int64_t StoreTime(const std::string& topic, int64_t queue, int64_t offset) {
    store::Statement& q =
        db_->Prepare("SELECT store_ms FROM message WHERE topic = ? AND queue_id = ? AND queue_offset = ?");
    q.Bind(1, topic).Bind(2, queue).Bind(3, offset);
    int64_t t = q.Step() ? q.Int(0) : 0;
    q.Reset();
    return t;
  }

  // mqadmin's MessageTrack lines: one per group that reads the message's topic.
  void Tracks(const std::string& topic, int64_t queue, int64_t offset, const std::string& tags) {
    std::vector<Subscription> subs;
    store::Statement& q = db_->Prepare("SELECT DISTINCT group_name, topic, expression FROM subscription ORDER BY 1, 2");
    while (q.Step()) subs.push_back({q.Text(0), q.Text(1), q.Text(2)});
    q.Reset();
    std::set<std::string> groups;
    std::map<std::string, std::string> expression;
    for (const Subscription& s : subs) {
      if (s.topic == topic) {
        groups.insert(s.group);
        expression[s.group] = s.expression;
      } else if (topic == "%RETRY%" + s.group) {
        groups.insert(s.group);
        expression[s.group] = "*";
      }
    }
    if (groups.empty()) {
      std::fprintf(out_, "WARN: No Consumer\n");
      return;
    }
    for (const std::string& g : groups) {
      store::Statement& o = db_->Prepare(
          "SELECT persisted_offset FROM consumer_offset WHERE group_name = ? AND topic = ? AND queue_id = ?");
      o.Bind(1, g).Bind(2, topic).Bind(3, queue);
      int64_t consumed = o.Step() ? o.Int(0) : 0;
      o.Reset();
      const char* type = "NOT_CONSUME_YET";
      if (offset < consumed)
        type = broker::TagFilter(expression[g]).Matches(tags) ? "CONSUMED" : "CONSUMED_BUT_FILTERED";
      std::fprintf(out_, "MessageTrack [consumerGroup=%s, trackType=%s, exceptionDesc=null]\n", Safe(g).c_str(), type);
    }
  }

  int GroupList() {
    std::fprintf(out_, "%-64s  %-6s  %-24s %-5s  %-14s  %-7s  %s\n", "#Group", "#Count", "#Version", "#Type", "#Model",
                 "#TPS", "#Diff Total");
    std::vector<std::pair<std::string, int64_t>> groups;
    store::Statement& q = db_->Prepare("SELECT group_name, COUNT(*) FROM subscription GROUP BY 1 ORDER BY 1");
    while (q.Step()) groups.emplace_back(q.Text(0), q.Int(1));
    q.Reset();
    for (const auto& [group, bindings] : groups) {
      int64_t diff = 0;
      store::Statement& o =
          db_->Prepare("SELECT topic, queue_id, persisted_offset FROM consumer_offset WHERE group_name = ?");
      o.Bind(1, group);
      std::vector<std::tuple<std::string, int64_t, int64_t>> rows;
      while (o.Step()) rows.emplace_back(o.Text(0), o.Int(1), o.Int(2));
      o.Reset();
      for (const auto& [topic, queue, consumer] : rows) diff += MaxOffset(topic, queue) - consumer;
      std::fprintf(out_, "%-64s  %-6lld  %-24s %-5s  %-14s  %-7.2f  %lld\n", Safe(group).c_str(),
                   static_cast<long long>(bindings), "V5_1_4", "PUSH", "CLUSTERING", 0.0, static_cast<long long>(diff));
    }
    return kExitOk;
  }

  store::Db* db_;
  std::FILE* out_;
};

}  // namespace

int RunAdmin(const AdminOptions& options, std::FILE* out) {
  std::string path = (std::filesystem::path(options.state_dir) / "broker.db").string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::fprintf(stderr, "sagasim admin: %s: no broker.db here (run a scenario with --state %s first)\n",
                 Safe(options.state_dir).c_str(), base::ShellQuote(options.state_dir).c_str());
    return kExitInvalid;
  }
  // Read-only and checked first: a view of a file that is not a run's broker.db would
  // abort on its first query, or show nothing and exit 0.
  auto db = broker::OpenBrokerDbForReading(path);
  if (!db.ok()) {
    std::fprintf(stderr, "sagasim admin: %s\n", Safe(db.status().message()).c_str());
    return kExitInvalid;
  }
  AdminViews views(db->get(), out);
  try {
    if (options.view == "topic-list") return views.TopicList();
    if (options.view == "topic-status") return views.TopicStatus(options.topic);
    if (options.view == "consumer-progress") return views.ConsumerProgress(options.group);
    if (options.view == "consumer-connection") return views.ConsumerConnection(options.group);
    if (options.view == "query-msg") return views.QueryMsg(options.msg_id);
    if (options.view == "dlq") return views.Dlq(options.group);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sagasim admin: %s: %s\n", Safe(path).c_str(), Safe(e.what()).c_str());
    return kExitInvalid;
  }
  return kExitInvalid;
}

void RegisterAdminCommand(CLI::App& app, int* exit_code) {
  CLI::App* admin = app.add_subcommand("admin", "Inspect a run's broker (broker.db in its --state DIR) like mqadmin");
  admin->require_subcommand(1);
  admin->footer(kExitCodesFooter);
  struct View {
    const char* name;
    const char* help;
    bool topic, group, group_required, msg_id;
  };
  static const View kViews[] = {
      {"topic-list", "Every topic, %RETRY% and %DLQ% included", false, false, false, false},
      {"topic-status", "Queues of a topic: min and max offset, last store time", true, false, false, false},
      {"consumer-progress", "A group's offsets per queue, diff and inflight (no -g: list groups)", false, true, false,
       false},
      {"consumer-connection", "A group's clients and subscriptions, and whether they agree (mqadmin consumerConnection)",
       false, true, true, false},
      {"query-msg", "Every stored copy of a message, its properties, and which groups consumed it", false, false,
       false, true},
      {"dlq", "Messages in %DLQ%<group>: order, original topic, reconsume times, last error", false, true, true,
       false},
  };
  for (const View& v : kViews) {
    auto options = std::make_shared<AdminOptions>();
    options->view = v.name;
    CLI::App* sub = admin->add_subcommand(v.name, v.help);
    sub->add_option("--state", options->state_dir, "The run's state directory")->required()->type_name("DIR");
    if (v.topic) sub->add_option("-t,--topic", options->topic, "Topic")->required()->type_name("TOPIC");
    if (v.group) {
      CLI::Option* g = sub->add_option("-g,--group", options->group, "Consumer group")->type_name("GROUP");
      if (v.group_required) g->required();
    }
    if (v.msg_id)
      sub->add_option("-i,--msg-id", options->msg_id, "Client msgId (UNIQ_KEY)")->required()->type_name("MSGID");
    sub->footer(kExitCodesFooter);
    sub->callback([options, exit_code] { *exit_code = RunAdmin(*options, stdout); });
  }
}

}  // namespace cli
