#pragma once

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

#include "valet/adapters/http/api_router.hpp"

namespace valet::adapters::http {

// Sends `reply` (status, headers, body with its length) on `response`.
void WriteReply(Poco::Net::HTTPServerResponse& response, const ApiResponse& reply);

// Ends a connection after a reply to a request that was not read in full: the client's unread
// bytes would otherwise make the kernel answer with a reset that can destroy the reply.
void LingeringClose(Poco::Net::StreamSocket& socket);

}  // namespace valet::adapters::http
