/*
 * udpchat's batched UDP send: one sendmmsg(2) for many datagrams, instead of one node:dgram send (about
 * 2 us of JavaScript) each, on the calling (event loop) thread.
 *
 *   sendBatch(fd, payloads, addresses, count) -> datagrams the kernel took (0..count), or -errno when it
 *     took none. payloads: an array of Uint8Array (one per datagram) or one Uint8Array for all of them.
 *     addresses: packed socket addresses, ADDRESS_SIZE bytes each (see packAddress). MSG_DONTWAIT: a full
 *     send buffer ends the batch early (the caller sends the rest through node:dgram, which queues).
 *   packAddress(host, port) -> a Buffer of ADDRESS_SIZE bytes (sockaddr_in or sockaddr_in6), or null when
 *     host is not an IPv4/IPv6 literal without a scope.
 *   addressSize -> ADDRESS_SIZE.
 *
 * No allocation per call: the message headers live in a fixed array on the stack, BATCH at a time.
 */
#include "common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

static napi_value send_batch(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  int32_t fd;
  batch_args batch;
  struct mmsghdr messages[BATCH];
  struct iovec vectors[BATCH];
  int sent = 0;

  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    return fail(env, "sendBatch(fd, payloads, addresses, count)");
  }
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) return fail(env, "fd: a descriptor");
  const char *wrong = read_batch(env, argv[1], argv[2], argv[3], &batch);
  if (wrong != NULL) return fail(env, wrong);
  int count = batch.count;

  while (sent < count) {
    int n = count - sent < BATCH ? count - sent : BATCH;
    for (int i = 0; i < n; i++) {
      struct sockaddr *address = (struct sockaddr *)(batch.addresses + (size_t)(sent + i) * ADDRESS_SIZE);
      void *data;
      size_t length;
      if (!batch_payload(env, &batch, (uint32_t)(sent + i), &data, &length)) {
        return fail(env, "payloads: an array of Uint8Array");
      }
      vectors[i].iov_base = data;
      vectors[i].iov_len = length;
      memset(&messages[i], 0, sizeof messages[i]);
      messages[i].msg_hdr.msg_name = address;
      messages[i].msg_hdr.msg_namelen = address_length(address);
      messages[i].msg_hdr.msg_iov = &vectors[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    int result;
    do {
      result = sendmmsg(fd, messages, (unsigned int)n, MSG_DONTWAIT);
    } while (result < 0 && errno == EINTR);
    if (result < 0) return number(env, sent > 0 ? sent : -errno);
    sent += result;
    if (result < n) break; /* the kernel refused the next one: the caller decides what to do with it */
  }
  return number(env, sent);
}

static napi_value pack_address(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  char host[64];
  size_t host_length = 0;
  int32_t port;
  void *data;
  unsigned char packed[sizeof(struct sockaddr_in6)];

  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    return fail(env, "packAddress(host, port)");
  }
  if (napi_get_value_string_utf8(env, argv[0], host, sizeof host, &host_length) != napi_ok) {
    return fail(env, "host: a string");
  }
  if (napi_get_value_int32(env, argv[1], &port) != napi_ok || port < 1 || port > 65535) {
    return fail(env, "port: 1..65535");
  }
  memset(packed, 0, sizeof packed);
  if (host_length + 1 < sizeof host) {
    struct sockaddr_in *in4 = (struct sockaddr_in *)packed;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)packed;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
      in4->sin_family = AF_INET;
      in4->sin_port = htons((uint16_t)port);
    } else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
      in6->sin6_family = AF_INET6;
      in6->sin6_port = htons((uint16_t)port);
    } else {
      napi_get_null(env, &result);
      return result;
    }
  } else {
    napi_get_null(env, &result);
    return result;
  }
  if (napi_create_buffer_copy(env, sizeof packed, packed, &data, &result) != napi_ok) return NULL;
  return result;
}

napi_value init_send_batch(napi_env env, napi_value exports) {
  export_function(env, exports, "sendBatch", send_batch);
  export_function(env, exports, "packAddress", pack_address);
  napi_set_named_property(env, exports, "addressSize", number(env, ADDRESS_SIZE));
  return exports;
}
