#include "valet/core/adapter_registry.hpp"

namespace valet::core {

namespace {

template <typename Map>
const typename Map::mapped_type* FindIn(const Map& map, const std::string& name) {
  auto it = map.find(name);
  return it == map.end() ? nullptr : &it->second;
}

template <typename Map>
std::string JoinNames(const Map& map) {
  std::string names;
  for (const auto& [name, entry] : map) names += (names.empty() ? "" : ", ") + name;
  return names.empty() ? "none" : names;
}

}  // namespace

void AdapterRegistry::AddRepository(const std::string& name, const std::string& section,
                                    RepositoryFactory factory) {
  repositories_[name] = {section, std::move(factory)};
}

void AdapterRegistry::AddQueue(const std::string& name, const std::string& section,
                               QueueFactory factory) {
  queues_[name] = {section, std::move(factory)};
}

void AdapterRegistry::AddServer(const std::string& name, const std::string& section,
                                ServerFactory factory) {
  servers_[name] = {section, std::move(factory)};
}

auto AdapterRegistry::FindRepository(const std::string& name) const
    -> const Entry<RepositoryFactory>* {
  return FindIn(repositories_, name);
}

auto AdapterRegistry::FindQueue(const std::string& name) const -> const Entry<QueueFactory>* {
  return FindIn(queues_, name);
}

auto AdapterRegistry::FindServer(const std::string& name) const -> const Entry<ServerFactory>* {
  return FindIn(servers_, name);
}

std::string AdapterRegistry::Describe() const {
  return "repository: " + JoinNames(repositories_) + "; job_queue: " + JoinNames(queues_) +
         "; server: " + JoinNames(servers_);
}

}  // namespace valet::core
