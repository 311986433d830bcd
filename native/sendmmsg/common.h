/*
 * Helpers shared by the addon's parts (send-batch.c, send-threads.c, receive-poll.c): Node-API values in
 * and out, and a thrown TypeError for a bad argument (the JavaScript side checks its own arguments; these
 * throws guard against a caller bug, never against network input).
 */
#ifndef UDPCHAT_NATIVE_COMMON_H
#define UDPCHAT_NATIVE_COMMON_H

#include <netinet/in.h>
#include <node_api.h>
#include <stddef.h>
#include <sys/socket.h>

/* Room for any address the addon handles: sockaddr_in or sockaddr_in6. */
#define ADDRESS_SIZE ((int)sizeof(struct sockaddr_in6))
/* Datagrams per sendmmsg(2)/recvmmsg(2): the message headers live on the stack, this many at a time. */
#define BATCH 64

napi_value number(napi_env env, double value);
napi_value fail(napi_env env, const char *message);
/* A Uint8Array's bytes: 1 on success, 0 when `value` is anything else. */
int bytes_of(napi_env env, napi_value value, void **data, size_t *length);
/* The length of the packed address at `address` (its family says which kind it is). */
socklen_t address_length(const struct sockaddr *address);
void export_function(napi_env env, napi_value exports, const char *name, napi_callback callback);
/* The data of an external (a handle given to JavaScript), or NULL for any other value. Each part's
 * handle data starts with a magic number of its own, which the part checks, so that one part's handle can
 * never be taken for another's. */
void *external_data(napi_env env, napi_value value);

/* A batched send's arguments (batch-args.c). */
typedef struct batch_args {
  napi_value array; /* the payloads, one per datagram; NULL when `single` serves every datagram */
  void *single;
  size_t single_length;
  unsigned char *addresses;
  int32_t count;
} batch_args;
/* Reads and checks (payloads, addresses, count): NULL when they are good, else what is wrong. */
const char *read_batch(napi_env env, napi_value payloads, napi_value addresses, napi_value count,
                       batch_args *out);
/* Datagram `index`'s bytes: 1 on success, 0 when that payload is not a Uint8Array. */
int batch_payload(napi_env env, const batch_args *batch, uint32_t index, void **data, size_t *length);

napi_value init_send_batch(napi_env env, napi_value exports);
napi_value init_send_threads(napi_env env, napi_value exports);
napi_value init_receive_poll(napi_env env, napi_value exports);

#endif
