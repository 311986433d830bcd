/*
 * The relay's fan-out on sender threads: the event loop hands each batch to one or more threads that call
 * sendmmsg(2), so the kernel's work per datagram (most of a relay's CPU on loopback) runs on other cores
 * while the event loop reads the next datagram.
 *
 *   startSendThreads(fd, threads, queueLimit) -> a handle. `threads` lanes (1..16), each a thread with a
 *     FIFO of batches holding at most `queueLimit` datagrams waiting.
 *   sendThreaded(handle, payloads, addresses, count) -> datagrams accepted (0..count): the bytes and
 *     addresses are copied, so the caller may reuse its arrays at once. A datagram whose lane is full is
 *     dropped and counted (UDP's own answer to overload; the queue never grows without bound).
 *   sendThreadStats(handle) -> [sent, bytes sent, failed, dropped, waiting]: the threads' counters.
 *   stopSendThreads(handle, drainMs) -> the lanes send what they hold for up to drainMs, then the rest is
 *     dropped and the threads exit. Idempotent. Must be called before the socket is closed, or a thread
 *     could write to a closed (or reused) descriptor.
 *
 * Don't fragment: an IPv4 socket given threads is set to IP_PMTUDISC_DO. Every datagram the relay sends
 * is at most 1,200 bytes (MAX_DATAGRAM_BYTES, QUIC's size for the same reason), so DF costs nothing there,
 * and without it the kernel picks each datagram's IP ID from a shared table the threads contend on
 * (__ip_select_ident: about 5 % of the relay's CPU at 700,000 deliveries/s).
 *
 * Order: every destination belongs to one lane (a hash of its address), and a lane sends in order, so the
 * datagrams to one destination leave in the order they were handed over.
 */
#include "common.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LANES 16
/* A full send buffer is waited out this long per attempt, this many times, before a datagram is failed. */
#define FULL_WAIT_MS 50
#define FULL_WAITS 20

typedef struct job {
  struct job *next;
  int count;
  struct iovec *vectors;
  unsigned char *addresses;
} job;

struct senders;

typedef struct lane {
  struct senders *owner;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  job *head, *tail;
  size_t waiting;
  int started;
} lane;

#define SENDERS_MAGIC 0x73656e64u /* see external_data */

typedef struct senders {
  uint32_t magic;
  int fd;
  int lane_count;
  size_t queue_limit;
  int stopping;         /* under each lane's lock when set */
  int64_t drain_until;  /* monotonic ms; read by threads after stopping is set */
  int stopped;
  uint64_t sent, bytes, failed, dropped; /* atomics */
  lane lanes[MAX_LANES];
} senders;

static int64_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void bump(uint64_t *counter, uint64_t amount) {
  __atomic_fetch_add(counter, amount, __ATOMIC_RELAXED);
}

/* Waits for room in the send buffer; 0 when the wait should stop (too long, or past the drain time). */
static int wait_writable(senders *s, int *waits) {
  if (++*waits > FULL_WAITS) return 0;
  if (__atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE) && now_ms() > s->drain_until) return 0;
  struct pollfd p = {.fd = s->fd, .events = POLLOUT};
  poll(&p, 1, FULL_WAIT_MS);
  return 1;
}

/* Sends one job, BATCH datagrams per sendmmsg(2); a datagram the kernel refuses is counted and skipped. */
static void send_job(senders *s, job *j) {
  struct mmsghdr messages[BATCH];
  int done = 0, waits = 0;
  while (done < j->count) {
    int n = j->count - done < BATCH ? j->count - done : BATCH;
    memset(messages, 0, sizeof(struct mmsghdr) * (size_t)n);
    for (int i = 0; i < n; i++) {
      struct sockaddr *address = (struct sockaddr *)(j->addresses + (size_t)(done + i) * ADDRESS_SIZE);
      messages[i].msg_hdr.msg_name = address;
      messages[i].msg_hdr.msg_namelen = address_length(address);
      messages[i].msg_hdr.msg_iov = &j->vectors[done + i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    int result = sendmmsg(s->fd, messages, (unsigned int)n, MSG_DONTWAIT);
    if (result > 0) {
      uint64_t bytes = 0;
      for (int i = 0; i < result; i++) bytes += j->vectors[done + i].iov_len;
      bump(&s->sent, (uint64_t)result);
      bump(&s->bytes, bytes);
      done += result;
      waits = 0;
    } else if (result < 0 && errno == EINTR) {
      continue;
    } else if (result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
      if (!wait_writable(s, &waits)) {
        bump(&s->failed, (uint64_t)(j->count - done));
        return;
      }
    } else {
      bump(&s->failed, 1); /* this datagram (bad address, unreachable network): skip it, go on */
      done++;
    }
  }
}

static void *lane_main(void *argument) {
  lane *l = argument;
  senders *s = l->owner;
  for (;;) {
    pthread_mutex_lock(&l->lock);
    while (l->head == NULL && !s->stopping) pthread_cond_wait(&l->wake, &l->lock);
    job *list = l->head;
    l->head = l->tail = NULL;
    l->waiting = 0;
    int stopping = s->stopping;
    pthread_mutex_unlock(&l->lock);
    if (list == NULL && stopping) return NULL;
    while (list != NULL) {
      job *next = list->next;
      if (stopping && now_ms() > s->drain_until) bump(&s->dropped, (uint64_t)list->count);
      else send_job(s, list);
      free(list);
      list = next;
    }
  }
}

static void stop(senders *s, int64_t drain_ms) {
  if (s->stopped) return;
  s->stopped = 1;
  s->drain_until = now_ms() + drain_ms;
  for (int i = 0; i < s->lane_count; i++) {
    lane *l = &s->lanes[i];
    pthread_mutex_lock(&l->lock);
    __atomic_store_n(&s->stopping, 1, __ATOMIC_RELEASE);
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
  }
  for (int i = 0; i < s->lane_count; i++) {
    if (s->lanes[i].started) pthread_join(s->lanes[i].thread, NULL);
  }
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  senders *s = data;
  stop(s, 0);
  for (int i = 0; i < s->lane_count; i++) {
    pthread_mutex_destroy(&s->lanes[i].lock);
    pthread_cond_destroy(&s->lanes[i].wake);
  }
  free(s);
}

static senders *senders_of(napi_env env, napi_value value) {
  senders *s = external_data(env, value);
  return s != NULL && s->magic == SENDERS_MAGIC ? s : NULL;
}

static napi_value start_send_threads(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], result;
  int32_t fd, threads;
  double limit;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) {
    return fail(env, "startSendThreads(fd, threads, queueLimit)");
  }
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) return fail(env, "fd: a descriptor");
  if (napi_get_value_int32(env, argv[1], &threads) != napi_ok || threads < 1 || threads > MAX_LANES) {
    return fail(env, "threads: 1..16");
  }
  if (napi_get_value_double(env, argv[2], &limit) != napi_ok || !(limit >= 1)) return fail(env, "queueLimit");
  senders *s = calloc(1, sizeof *s);
  if (s == NULL) return fail(env, "out of memory");
  struct sockaddr_storage local;
  socklen_t local_length = sizeof local;
  if (getsockname(fd, (struct sockaddr *)&local, &local_length) == 0 && local.ss_family == AF_INET) {
    int mode = IP_PMTUDISC_DO;
    setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &mode, sizeof mode);
  }
  s->magic = SENDERS_MAGIC;
  s->fd = fd;
  s->lane_count = threads;
  s->queue_limit = (size_t)limit;
  for (int i = 0; i < threads; i++) {
    lane *l = &s->lanes[i];
    l->owner = s;
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->wake, NULL);
  }
  for (int i = 0; i < threads; i++) {
    lane *l = &s->lanes[i];
    if (pthread_create(&l->thread, NULL, lane_main, l) != 0) {
      finalize(env, s, NULL);
      return fail(env, "could not start a sender thread");
    }
    l->started = 1;
  }
  if (napi_create_external(env, s, finalize, NULL, &result) != napi_ok) {
    finalize(env, s, NULL);
    return NULL;
  }
  return result;
}

/* The lane of a destination: FNV-1a over its port and address bytes (the family's bytes only). */
static int lane_of(const unsigned char *address, int lanes) {
  const struct sockaddr *sa = (const struct sockaddr *)address;
  size_t end = sa->sa_family == AF_INET6 ? 24 : 8;
  uint32_t hash = 2166136261u;
  for (size_t i = 2; i < end; i++) hash = (hash ^ address[i]) * 16777619u;
  return (int)(hash % (uint32_t)lanes);
}

/* Copies the datagrams of lane `which` into one allocation: the job, its vectors, addresses and bytes. */
static job *job_for_lane(napi_env env, const batch_args *batch, const int *lanes, int which, int in_lane,
                         size_t bytes) {
  size_t size = sizeof(job) + (size_t)in_lane * (sizeof(struct iovec) + ADDRESS_SIZE) + bytes;
  job *j = malloc(size);
  if (j == NULL) return NULL;
  j->next = NULL;
  j->count = in_lane;
  j->vectors = (struct iovec *)(j + 1);
  j->addresses = (unsigned char *)(j->vectors + in_lane);
  unsigned char *data = j->addresses + (size_t)in_lane * ADDRESS_SIZE;
  int k = 0;
  for (int i = 0; i < batch->count; i++) {
    if (lanes[i] != which) continue;
    void *source;
    size_t length;
    batch_payload(env, batch, (uint32_t)i, &source, &length); /* checked by the caller's first pass */
    memcpy(j->addresses + (size_t)k * ADDRESS_SIZE, batch->addresses + (size_t)i * ADDRESS_SIZE, ADDRESS_SIZE);
    memcpy(data, source, length);
    j->vectors[k].iov_base = data;
    j->vectors[k].iov_len = length;
    data += length;
    k++;
  }
  return j;
}

/* Appends a job to its lane unless the lane is full; returns the datagrams accepted. */
static int enqueue(senders *s, lane *l, job *j) {
  pthread_mutex_lock(&l->lock);
  if (s->stopping || l->waiting + (size_t)j->count > s->queue_limit) {
    pthread_mutex_unlock(&l->lock);
    bump(&s->dropped, (uint64_t)j->count);
    free(j);
    return 0;
  }
  int accepted = j->count; /* read now: once unlocked, the thread may send and free the job */
  if (l->tail == NULL) l->head = j;
  else l->tail->next = j;
  l->tail = j;
  l->waiting += (size_t)accepted;
  pthread_cond_signal(&l->wake);
  pthread_mutex_unlock(&l->lock);
  return accepted;
}

static napi_value send_threaded(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  batch_args batch;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    return fail(env, "sendThreaded(handle, payloads, addresses, count)");
  }
  senders *s = senders_of(env, argv[0]);
  if (s == NULL) return fail(env, "handle: from startSendThreads");
  const char *wrong = read_batch(env, argv[1], argv[2], argv[3], &batch);
  if (wrong != NULL) return fail(env, wrong);
  int count = batch.count;
  if (count == 0) return number(env, 0);

  int *lanes = malloc(sizeof(int) * (size_t)count);
  if (lanes == NULL) return fail(env, "out of memory");
  int in_lane[MAX_LANES] = {0};
  size_t bytes[MAX_LANES] = {0};
  for (int i = 0; i < count; i++) {
    void *data;
    size_t length;
    if (!batch_payload(env, &batch, (uint32_t)i, &data, &length)) {
      free(lanes);
      return fail(env, "payloads: an array of Uint8Array");
    }
    lanes[i] = lane_of(batch.addresses + (size_t)i * ADDRESS_SIZE, s->lane_count);
    in_lane[lanes[i]]++;
    bytes[lanes[i]] += length;
  }
  int accepted = 0;
  for (int which = 0; which < s->lane_count; which++) {
    if (in_lane[which] == 0) continue;
    job *j = job_for_lane(env, &batch, lanes, which, in_lane[which], bytes[which]);
    if (j == NULL) bump(&s->dropped, (uint64_t)in_lane[which]);
    else accepted += enqueue(s, &s->lanes[which], j);
  }
  free(lanes);
  return number(env, accepted);
}

static napi_value send_thread_stats(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) {
    return fail(env, "sendThreadStats(handle)");
  }
  senders *s = senders_of(env, argv[0]);
  if (s == NULL) return fail(env, "handle: from startSendThreads");
  size_t waiting = 0;
  for (int i = 0; i < s->lane_count; i++) {
    pthread_mutex_lock(&s->lanes[i].lock);
    waiting += s->lanes[i].waiting;
    pthread_mutex_unlock(&s->lanes[i].lock);
  }
  double values[5] = {
      (double)__atomic_load_n(&s->sent, __ATOMIC_RELAXED),
      (double)__atomic_load_n(&s->bytes, __ATOMIC_RELAXED),
      (double)__atomic_load_n(&s->failed, __ATOMIC_RELAXED),
      (double)__atomic_load_n(&s->dropped, __ATOMIC_RELAXED),
      (double)waiting,
  };
  napi_create_array_with_length(env, 5, &result);
  for (uint32_t i = 0; i < 5; i++) napi_set_element(env, result, i, number(env, values[i]));
  return result;
}

static napi_value stop_send_threads(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  double drain_ms = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) {
    return fail(env, "stopSendThreads(handle, drainMs)");
  }
  senders *s = senders_of(env, argv[0]);
  if (s == NULL) return fail(env, "handle: from startSendThreads");
  if (argc > 1 && (napi_get_value_double(env, argv[1], &drain_ms) != napi_ok || !(drain_ms >= 0))) {
    return fail(env, "drainMs: >= 0");
  }
  stop(s, (int64_t)drain_ms);
  return NULL;
}

napi_value init_send_threads(napi_env env, napi_value exports) {
  export_function(env, exports, "startSendThreads", start_send_threads);
  export_function(env, exports, "sendThreaded", send_threaded);
  export_function(env, exports, "sendThreadStats", send_thread_stats);
  export_function(env, exports, "stopSendThreads", stop_send_threads);
  return exports;
}
