// The "steps" section: operator actions at virtual times (restock, redriveDlq,
// resetOffset).

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/duration.h"
#include "base/text.h"
#include "scenario/scenario_loader.h"
#include "services/bindings.h"

namespace scenario::loader {

void Loader::ParseSteps(const Reader& r) {
  if (!r.present() || !r.ExpectArray(kMaxSteps)) return;
  r.ForEachElement([this](int i, const Reader& e) {
    Step step = ParseStep(e);
    step.index = i;
    scenario_.steps.push_back(std::move(step));
  });
}

Step Loader::ParseStep(const Reader& r) {
  Step step;
  if (!r.ExpectObject({"at", "restock", "redriveDlq", "resetOffset"})) return step;
  if (Reader at = r.Child("at"); at.Require()) step.at_ms = at.Duration(0);
  std::vector<std::string> actions;
  for (const char* action : {"restock", "redriveDlq", "resetOffset"})
    if (r.Child(action).present()) actions.push_back(action);
  if (errors_.ok() && actions.size() != 1) {
    r.Fail("expected exactly one action (restock, redriveDlq or resetOffset), got " +
           (actions.empty() ? std::string("none") : base::Join(actions, " and ")));
    return step;
  }
  if (Reader restock = r.Child("restock"); restock.present()) step.restock = ParseItems(restock);
  if (Reader group = r.Child("redriveDlq"); group.present())
    step.redrive_dlq = group.OneOf(services::ConsumerGroupNames(), "group");
  if (Reader reset = r.Child("resetOffset");
      reset.present() && reset.ExpectObject({"group", "topic", "to"})) {
    Step::ResetOffset& o = step.reset_offset.emplace();
    if (Reader group = reset.Child("group"); group.Require())
      o.group = group.OneOf(services::ConsumerGroupNames(), "group");
    if (Reader topic = reset.Child("topic"); topic.Require()) {
      o.topic = Topic(topic);
      CheckGroupConsumes(topic, o.group, o.topic);
    }
    // Like mqadmin resetOffsetByTime: a point in (virtual) time, or the queue's start.
    if (Reader to = reset.Child("to"); to.Require() && to.json() != "earliest") {
      int64_t unused;
      if (to.json().is_string() && !base::ParseDuration(to.json().get<std::string>(), &unused))
        to.Fail("bad offset time " + base::Quote(to.json().get<std::string>()) +
                " (use \"earliest\" or a duration such as \"10s\")");
      else
        o.to_ms = to.Duration(0);
    }
  }
  return step;
}

}  // namespace scenario::loader
