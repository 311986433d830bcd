/*
 * The bench's client sockets, read with recvmmsg(2): node:dgram costs a receiver about 2.5 us of
 * JavaScript and allocation per datagram, more than a relay spends relaying it, so a bench built on it
 * measures itself. Here a socket is a plain descriptor watched by the event loop (uv_poll); what all the
 * sockets that were readable in one turn of the loop received goes to JavaScript in one call (a uv_check
 * handle ends the turn), copied into buffers the caller owns.
 *
 *   openClientSocket(localHost, remoteHost, remotePort, receiveBuffer) -> fd, or -errno. A non-blocking
 *     UDP socket bound to localHost (port 0) and connect()ed to the remote; receiveBuffer > 0 sets
 *     SO_RCVBUF.
 *   sendOn(fd, bytes) -> bytes sent, or -errno (MSG_DONTWAIT).
 *   closeSocket(fd): closes a descriptor from openClientSocket that is not being received from.
 *   startReceiving(fds, slotSize, data, lengths, sockets, onBatch) -> a handle. fds: an Int32Array;
 *     lengths and sockets: Int32Arrays of the same size, `slots` (at least receiveBatch); data: a
 *     Uint8Array of slots * slotSize bytes. onBatch(count) is called at the end of each turn of the event
 *     loop in which datagrams arrived (and whenever the slots are full), with datagram k's bytes at
 *     data[k * slotSize ...] (cut at slotSize), its length in lengths[k] and the index in fds of the
 *     socket that received it in sockets[k]. The buffers are reused by the next call: onBatch must read
 *     them before it returns. An optional seventh argument, `times` (a Float64Array as long as lengths),
 *     gets each datagram's receive time: when the kernel put it in the socket (SO_TIMESTAMPNS, taken on
 *     CLOCK_REALTIME and moved to CLOCK_MONOTONIC, process.hrtime's clock), in ns, or the time recvmmsg
 *     returned when the kernel gave none. The bench stamps receipt with it, so that the time a datagram
 *     waited for the generator's own event loop is not counted as the relay's latency.
 *   stopReceiving(handle): stops watching; the sockets stay open (closeSocket each).
 *   receiveBatch -> BATCH.
 */
#include "common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

/* Batches read per readable event before the loop is given back to others. */
#define BATCHES_PER_EVENT 8

struct receiver;

typedef struct watch {
  uv_poll_t poll;
  struct receiver *owner;
  int index;
  int fd;
} watch;

#define RECEIVER_MAGIC 0x72656376u /* see external_data */

typedef struct receiver {
  uint32_t magic;
  uv_check_t check;
  napi_env env;
  napi_ref callback, data_ref, lengths_ref, sockets_ref, resource;
  napi_async_context context;
  unsigned char *data;
  int32_t *lengths, *sockets;
  double *times; /* NULL: not asked for */
  napi_ref times_ref;
  size_t slot_size;
  int slots, pending;
  int count;
  int open_watches;
  int stopped;
  int finalized; /* the JavaScript handle is gone: free once stopped and every watch is closed */
  int check_open;
  watch *watches;
} receiver;

static int parse_address(const char *host, int port, struct sockaddr_storage *out, socklen_t *length) {
  memset(out, 0, sizeof *out);
  struct sockaddr_in *in4 = (struct sockaddr_in *)out;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
  if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
    in4->sin_family = AF_INET;
    in4->sin_port = htons((uint16_t)port);
    *length = sizeof *in4;
    return 1;
  }
  if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)port);
    *length = sizeof *in6;
    return 1;
  }
  return 0;
}

static int open_client(const char *local, const char *remote, int port, int receive_buffer) {
  struct sockaddr_storage here, there;
  socklen_t here_length, there_length;
  if (!parse_address(local, 0, &here, &here_length) || !parse_address(remote, port, &there, &there_length)) {
    return -EINVAL;
  }
  if (here.ss_family != there.ss_family) return -EAFNOSUPPORT;
  int fd = socket(here.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  if (receive_buffer > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on); /* best effort: without it, see stamp_batch */
  if (bind(fd, (struct sockaddr *)&here, here_length) < 0 ||
      connect(fd, (struct sockaddr *)&there, there_length) < 0) {
    int error = errno;
    close(fd);
    return -error;
  }
  return fd;
}

static napi_value open_client_socket(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  char local[64], remote[64];
  size_t length;
  int32_t port, receive_buffer;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    return fail(env, "openClientSocket(localHost, remoteHost, remotePort, receiveBuffer)");
  }
  if (napi_get_value_string_utf8(env, argv[0], local, sizeof local, &length) != napi_ok) {
    return fail(env, "localHost: a string");
  }
  if (napi_get_value_string_utf8(env, argv[1], remote, sizeof remote, &length) != napi_ok) {
    return fail(env, "remoteHost: a string");
  }
  if (napi_get_value_int32(env, argv[2], &port) != napi_ok || port < 1 || port > 65535) {
    return fail(env, "remotePort: 1..65535");
  }
  if (napi_get_value_int32(env, argv[3], &receive_buffer) != napi_ok) return fail(env, "receiveBuffer");
  return number(env, open_client(local, remote, port, receive_buffer));
}

static napi_value send_on(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  void *data;
  size_t length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    return fail(env, "sendOn(fd, bytes)");
  }
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) return fail(env, "fd: a descriptor");
  if (!bytes_of(env, argv[1], &data, &length)) return fail(env, "bytes: a Uint8Array");
  ssize_t sent;
  do {
    sent = send(fd, data, length, MSG_DONTWAIT);
  } while (sent < 0 && errno == EINTR);
  return number(env, sent < 0 ? -errno : (double)sent);
}

static napi_value close_socket(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) {
    return fail(env, "closeSocket(fd)");
  }
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) return fail(env, "fd: a descriptor");
  close(fd);
  return NULL;
}

/* Calls onBatch(pending) as the event loop would call any callback (async hooks, microtasks after). */
static void deliver(receiver *r) {
  napi_env env = r->env;
  napi_handle_scope scope;
  napi_value callback, self, argv[1], result;
  if (r->pending == 0 || r->stopped) return;
  napi_open_handle_scope(env, &scope);
  napi_get_reference_value(env, r->callback, &callback);
  napi_get_global(env, &self); /* napi_make_callback wants an object for `this` */
  argv[0] = number(env, r->pending);
  r->pending = 0;
  if (napi_make_callback(env, r->context, self, callback, 1, argv, &result) == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
  napi_close_handle_scope(env, scope);
}

#define CONTROL_SPACE CMSG_SPACE(sizeof(struct timespec))

static int64_t ns_of(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The kernel's receive time of one datagram on CLOCK_MONOTONIC, or `fallback` if it gave none. */
static double receive_time(struct msghdr *header, int64_t realtime_minus_monotonic, int64_t fallback) {
  for (struct cmsghdr *c = CMSG_FIRSTHDR(header); c != NULL; c = CMSG_NXTHDR(header, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    struct timespec t;
    memcpy(&t, CMSG_DATA(c), sizeof t);
    return (double)((int64_t)t.tv_sec * 1000000000 + t.tv_nsec - realtime_minus_monotonic);
  }
  return (double)fallback;
}

/* Fills times[first ...] for `got` datagrams just read (both clocks read now, so a clock step is followed). */
static void stamp_batch(receiver *r, struct mmsghdr *messages, int first, int got) {
  int64_t monotonic = ns_of(CLOCK_MONOTONIC);
  int64_t offset = ns_of(CLOCK_REALTIME) - monotonic;
  for (int k = 0; k < got; k++) r->times[first + k] = receive_time(&messages[k].msg_hdr, offset, monotonic);
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  watch *w = (watch *)poll;
  receiver *r = w->owner;
  struct mmsghdr messages[BATCH];
  struct iovec vectors[BATCH];
  unsigned char controls[BATCH][CONTROL_SPACE];
  if (status < 0 || !(events & UV_READABLE)) return;
  for (int round = 0; round < BATCHES_PER_EVENT && !r->stopped; round++) {
    if (r->pending == r->slots) deliver(r);
    int first = r->pending;
    int n = r->slots - first < BATCH ? r->slots - first : BATCH;
    memset(messages, 0, sizeof(struct mmsghdr) * (size_t)n);
    for (int k = 0; k < n; k++) {
      vectors[k].iov_base = r->data + (size_t)(first + k) * r->slot_size;
      vectors[k].iov_len = r->slot_size;
      messages[k].msg_hdr.msg_iov = &vectors[k];
      messages[k].msg_hdr.msg_iovlen = 1;
      messages[k].msg_hdr.msg_control = controls[k];
      messages[k].msg_hdr.msg_controllen = CONTROL_SPACE;
    }
    int got = recvmmsg(w->fd, messages, (unsigned int)n, MSG_DONTWAIT, NULL);
    if (got <= 0) return; /* EAGAIN: drained; ECONNREFUSED (the relay went away): nothing to read */
    for (int k = 0; k < got; k++) {
      size_t length = messages[k].msg_len;
      r->lengths[first + k] = (int32_t)(length < r->slot_size ? length : r->slot_size);
      r->sockets[first + k] = w->index;
    }
    if (r->times != NULL) stamp_batch(r, messages, first, got);
    r->pending += got;
    if (got < n) return;
  }
}

/* After the loop's poll phase: what this turn received goes to JavaScript in one call. */
static void on_turn_end(uv_check_t *check) {
  deliver(check->data);
}

static void free_when_done(receiver *r) {
  if (!r->stopped || r->open_watches > 0 || !r->finalized) return; /* open_watches counts the check too */
  free(r->watches);
  free(r);
}

static void on_closed(uv_handle_t *handle) {
  receiver *r = handle->data;
  r->open_watches--;
  free_when_done(r);
}

static void stop_receiver(receiver *r) {
  if (r->stopped) return;
  r->stopped = 1;
  napi_env env = r->env;
  napi_delete_reference(env, r->callback);
  napi_delete_reference(env, r->data_ref);
  napi_delete_reference(env, r->lengths_ref);
  napi_delete_reference(env, r->sockets_ref);
  if (r->times_ref != NULL) napi_delete_reference(env, r->times_ref);
  napi_async_destroy(env, r->context);
  napi_delete_reference(env, r->resource);
  int polls = r->open_watches - (r->check_open ? 1 : 0);
  for (int i = 0; i < polls; i++) {
    uv_poll_stop(&r->watches[i].poll);
    uv_close((uv_handle_t *)&r->watches[i].poll, on_closed);
  }
  if (r->check_open) {
    uv_check_stop(&r->check);
    uv_close((uv_handle_t *)&r->check, on_closed);
  }
  free_when_done(r);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  receiver *r = data;
  r->finalized = 1;
  stop_receiver(r);
  free_when_done(r);
}

static receiver *receiver_of(napi_env env, napi_value value) {
  receiver *r = external_data(env, value);
  return r != NULL && r->magic == RECEIVER_MAGIC ? r : NULL;
}

static int int32_array_of(napi_env env, napi_value value, int32_t **data, size_t *length) {
  bool is_typedarray = false;
  napi_typedarray_type type;
  napi_value arraybuffer;
  size_t offset;
  if (napi_is_typedarray(env, value, &is_typedarray) != napi_ok || !is_typedarray) return 0;
  if (napi_get_typedarray_info(env, value, &type, length, (void **)data, &arraybuffer, &offset) != napi_ok) {
    return 0;
  }
  return type == napi_int32_array;
}

static int float64_array_of(napi_env env, napi_value value, double **data, size_t *length) {
  bool is_typedarray = false;
  napi_typedarray_type type;
  napi_value arraybuffer;
  size_t offset;
  if (napi_is_typedarray(env, value, &is_typedarray) != napi_ok || !is_typedarray) return 0;
  if (napi_get_typedarray_info(env, value, &type, length, (void **)data, &arraybuffer, &offset) != napi_ok) {
    return 0;
  }
  return type == napi_float64_array;
}

/* Watches every descriptor, then the end of each loop turn; on failure returns the libuv error. */
static int watch_all(receiver *r, uv_loop_t *loop, const int32_t *fds) {
  for (int i = 0; i < r->count; i++) {
    watch *w = &r->watches[i];
    w->owner = r;
    w->index = i;
    w->fd = fds[i];
    int error = uv_poll_init(loop, &w->poll, fds[i]);
    if (error == 0) {
      w->poll.data = r;
      r->open_watches++;
      error = uv_poll_start(&w->poll, UV_READABLE, on_readable);
    }
    if (error != 0) return error;
  }
  uv_check_init(loop, &r->check);
  r->check.data = r;
  r->check_open = 1;
  r->open_watches++;
  uv_unref((uv_handle_t *)&r->check); /* the sockets keep the loop alive, not this */
  return uv_check_start(&r->check, on_turn_end);
}

static napi_value start_receiving(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7], result, resource, name;
  int32_t *fds, *lengths, *sockets;
  double *times = NULL;
  size_t fd_count, lengths_count, sockets_count, data_length, times_count = 0;
  void *data;
  uint32_t slot_size;
  napi_valuetype type;
  uv_loop_t *loop;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6) {
    return fail(env, "startReceiving(fds, slotSize, data, lengths, sockets, onBatch[, times])");
  }
  if (!int32_array_of(env, argv[0], &fds, &fd_count)) return fail(env, "fds: an Int32Array");
  if (napi_get_value_uint32(env, argv[1], &slot_size) != napi_ok || slot_size < 1) return fail(env, "slotSize");
  if (!int32_array_of(env, argv[3], &lengths, &lengths_count) || lengths_count < BATCH ||
      lengths_count > INT32_MAX) {
    return fail(env, "lengths: an Int32Array of at least receiveBatch");
  }
  if (!int32_array_of(env, argv[4], &sockets, &sockets_count) || sockets_count != lengths_count) {
    return fail(env, "sockets: an Int32Array as long as lengths");
  }
  if (!bytes_of(env, argv[2], &data, &data_length) || data_length / slot_size < lengths_count) {
    return fail(env, "data: a Uint8Array of lengths.length * slotSize bytes");
  }
  if (napi_typeof(env, argv[5], &type) != napi_ok || type != napi_function) return fail(env, "onBatch");
  if (argc >= 7 && napi_typeof(env, argv[6], &type) == napi_ok && type != napi_undefined &&
      (!float64_array_of(env, argv[6], &times, &times_count) || times_count != lengths_count)) {
    return fail(env, "times: a Float64Array as long as lengths");
  }
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return fail(env, "no event loop");

  receiver *r = calloc(1, sizeof *r);
  watch *watches = calloc(fd_count > 0 ? fd_count : 1, sizeof *watches);
  if (r == NULL || watches == NULL) {
    free(r);
    free(watches);
    return fail(env, "out of memory");
  }
  r->magic = RECEIVER_MAGIC;
  r->env = env;
  r->watches = watches;
  r->count = (int)fd_count;
  r->data = data;
  r->lengths = lengths;
  r->sockets = sockets;
  r->times = times;
  r->slots = (int)lengths_count;
  r->slot_size = slot_size;
  napi_create_reference(env, argv[5], 1, &r->callback);
  napi_create_reference(env, argv[2], 1, &r->data_ref);
  napi_create_reference(env, argv[3], 1, &r->lengths_ref);
  napi_create_reference(env, argv[4], 1, &r->sockets_ref);
  if (times != NULL) napi_create_reference(env, argv[6], 1, &r->times_ref);
  napi_create_object(env, &resource);
  napi_create_reference(env, resource, 1, &r->resource);
  napi_create_string_utf8(env, "udpchat.receiveBatch", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resource, name, &r->context);
  int error = watch_all(r, loop, fds);
  if (error != 0 || napi_create_external(env, r, finalize, NULL, &result) != napi_ok) {
    r->finalized = 1;
    stop_receiver(r);
    return fail(env, error != 0 ? uv_strerror(error) : "could not create the handle");
  }
  return result;
}

static napi_value stop_receiving(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) {
    return fail(env, "stopReceiving(handle)");
  }
  receiver *r = receiver_of(env, argv[0]);
  if (r == NULL) return fail(env, "handle: from startReceiving");
  stop_receiver(r);
  return NULL;
}

napi_value init_receive_poll(napi_env env, napi_value exports) {
  export_function(env, exports, "openClientSocket", open_client_socket);
  export_function(env, exports, "sendOn", send_on);
  export_function(env, exports, "closeSocket", close_socket);
  export_function(env, exports, "startReceiving", start_receiving);
  export_function(env, exports, "stopReceiving", stop_receiving);
  napi_set_named_property(env, exports, "receiveBatch", number(env, BATCH));
  return exports;
}
