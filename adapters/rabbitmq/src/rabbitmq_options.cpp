#include "rabbitmq_options.hpp"

#include "valet/core/settings_reader.hpp"

namespace valet::adapters::rabbitmq {

namespace {

Status ReadBool(const core::AdapterSettings& settings, const char* key, bool& out) {
  if (!settings.section.is_object()) return Status::Ok();
  auto it = settings.section.find(key);
  if (it == settings.section.end() || it->is_null()) return Status::Ok();
  if (!it->is_boolean()) {
    return Status::InvalidArgument(settings.key + "." + key + " must be true or false, got " +
                                   JsonText(*it));
  }
  out = it->get<bool>();
  return Status::Ok();
}

core::AdapterSettings Child(const core::AdapterSettings& settings, const char* key) {
  static const Json kNull;
  const Json* section = &kNull;
  if (settings.section.is_object()) {
    auto it = settings.section.find(key);
    if (it != settings.section.end()) section = &*it;
  }
  return core::AdapterSettings{*section,        settings.key + "." + key, settings.clock,
                               settings.logger, settings.secret,          settings.queue_capacity};
}

Status ReadQueueParams(const core::AdapterSettings& settings, RabbitmqOptions& options) {
  if (Status s = core::CheckKeys(settings, {"name", "queue_name", "durable", "delete_when_unused",
                                            "deleted_when_unused", "exclusive", "no_wait"});
      !s.ok()) {
    return s;
  }
  std::string name;
  std::string queue_name;
  for (Status s : {core::ReadString(settings, "name", name),
                   core::ReadString(settings, "queue_name", queue_name),
                   ReadBool(settings, "durable", options.durable),
                   ReadBool(settings, "delete_when_unused", options.delete_when_unused),
                   ReadBool(settings, "deleted_when_unused", options.delete_when_unused),
                   ReadBool(settings, "exclusive", options.exclusive)}) {
    if (!s.ok()) return s;
  }
  bool ignored = false;  // every declaration waits for the broker's answer, so errors are seen
  if (Status s = ReadBool(settings, "no_wait", ignored); !s.ok()) return s;
  if (!name.empty() && !queue_name.empty() && name != queue_name) {
    return Status::InvalidArgument(settings.key + ": name and queue_name differ (\"" + name +
                                   "\", \"" + queue_name + "\") - give one of them");
  }
  bool given = settings.section.is_object() &&
               (settings.section.contains("name") || settings.section.contains("queue_name"));
  if (given) {
    options.queue = name.empty() ? queue_name : name;
    if (options.queue.empty())
      return Status::InvalidArgument(settings.key + ".name must not be empty");
  }
  return Status::Ok();
}

Status ReadConsumeParams(const core::AdapterSettings& settings, RabbitmqOptions& options) {
  if (Status s =
          core::CheckKeys(settings, {"name", "auto_ack", "exclusive", "no_local", "no_wait"});
      !s.ok()) {
    return s;
  }
  bool ignored = false;
  for (Status s :
       {core::ReadString(settings, "name", options.consumer_tag),
        ReadBool(settings, "auto_ack", options.auto_ack),
        ReadBool(settings, "exclusive", options.consume_exclusive),
        ReadBool(settings, "no_local", options.no_local), ReadBool(settings, "no_wait", ignored)}) {
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status ReadPublishParams(const core::AdapterSettings& settings, RabbitmqOptions& options) {
  if (Status s = core::CheckKeys(settings, {"exchange", "routing_key", "mandatory", "immediate"});
      !s.ok()) {
    return s;
  }
  bool immediate = false;
  for (Status s : {core::ReadString(settings, "exchange", options.exchange),
                   core::ReadString(settings, "routing_key", options.routing_key),
                   ReadBool(settings, "mandatory", options.mandatory),
                   ReadBool(settings, "immediate", immediate)}) {
    if (!s.ok()) return s;
  }
  if (immediate) {
    return Status::InvalidArgument(settings.key +
                                   ".immediate: RabbitMQ does not support immediate publishing "
                                   "(removed in 3.0) - leave it false");
  }
  return Status::Ok();
}

}  // namespace

Result<RabbitmqOptions> ReadRabbitmqOptions(const core::AdapterSettings& settings) {
  RabbitmqOptions options;
  if (Status s = core::CheckKeys(settings, {"queue_params", "consume_params", "publish_params"});
      !s.ok()) {
    return s;
  }
  for (Status s : {ReadQueueParams(Child(settings, "queue_params"), options),
                   ReadConsumeParams(Child(settings, "consume_params"), options),
                   ReadPublishParams(Child(settings, "publish_params"), options)}) {
    if (!s.ok()) return s;
  }
  if (settings.queue_capacity > 0) options.prefetch = std::min(settings.queue_capacity, 65535);
  options.uri = settings.secret("RABBITMQ_URI");
  if (options.uri.empty()) {
    return Status::InvalidArgument(
        "RABBITMQ_URI is not set (environment or /run/secrets/rabbitmq_uri); expected "
        "amqp://user:password@host:port/vhost");
  }

  if (options.auto_ack) {
    settings.logger.Log(LogLevel::kWarning, "rabbitmq",
                        settings.key +
                            ".consume_params.auto_ack is true: jobs are acknowledged on "
                            "delivery, so jobs can be lost when valetd stops or crashes, and "
                            "the prefetch does not limit what the broker sends");
  }
  if (!options.durable) {
    settings.logger.Log(LogLevel::kWarning, "rabbitmq",
                        settings.key +
                            ".queue_params.durable is false: queued jobs are lost when RabbitMQ "
                            "restarts");
  }
  if (!options.mandatory) {
    settings.logger.Log(LogLevel::kWarning, "rabbitmq",
                        settings.key +
                            ".publish_params.mandatory is false: a job that no queue takes is "
                            "dropped silently");
  }
  return options;
}

}  // namespace valet::adapters::rabbitmq
