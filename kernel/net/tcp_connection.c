/*
 * tcp_connection.c - where connections live and how they end: the table
 * (hashed by remote address and ports), the listeners, the accept queue, and
 * the two exits (TIME_WAIT, kept on a FIFO without a timer; CLOSED), and the spare buffers that ended
 * connections leave to new ones. Pairs with tcp.h, which states the
 * lifetime rule; tcp_input.c and tcp_socket.c drive the transitions.
 * Everything here runs under the connection's owner core's lock; each bucket
 * of the table belongs to one core (owner.c), and so do the TIME_WAIT FIFO and
 * the spare buffers (struct net_core). The listeners and the accept queues
 * are global, under net.lock, taken inside the owner's lock where needed.
 */
#include "tcp.h"
#include "memory.h"
#include "stack.h"
#include "x86.h"

/* Each bucket is guarded by the lock of the core it is steered to (net_bucket_owner). */
static struct tcp_connection *table[TCP_TABLE_BUCKETS];
/* Written under net.lock, prepended only and never freed: read without a lock (tcp_find_listener). */
static struct tcp_listener *listeners;
/* Each core's TIME_WAIT connections (net_core's time_wait_first/last) are in the order they entered
 * it: with one time_wait_ms for all, also the order in which they end, so expiry looks at the head
 * only. */
_Static_assert(TCP_SPARE_BUFFERS == NET_SPARE_BUFFERS, "one count of spare buffers");

/* Every bit of the four-tuple reaches the bucket (murmur3's finalizer). The hash before took bits 8-17
 * of a sum whose port part only reached bits 16 and up: the connections of one client (one address,
 * one local port, consecutive remote ports) shared 4 of the 1024 buckets, and after a load of new
 * connections every segment's lookup walked hundreds of TIME_WAIT entries (half of QEMU's host CPU
 * per request under `ab -c 8`). */
unsigned tcp_table_bucket(uint32_t remote_address, uint16_t remote_port, uint16_t local_port)
{
    uint32_t hash = remote_address * 0x9E3779B1u ^ ((uint32_t)remote_port << 16 | local_port);
    hash ^= hash >> 16;
    hash *= 0x85EBCA6Bu;
    hash ^= hash >> 13;
    hash *= 0xC2B2AE35u;
    hash ^= hash >> 16;
    return hash % TCP_TABLE_BUCKETS;
}

static unsigned bucket_of(uint32_t remote_address, uint16_t remote_port, uint16_t local_port)
{
    return tcp_table_bucket(remote_address, remote_port, local_port);
}

struct tcp_connection *tcp_lookup(uint32_t remote_address, uint16_t remote_port, uint16_t local_port)
{
    struct tcp_connection *connection = table[bucket_of(remote_address, remote_port, local_port)];
    for (; connection; connection = connection->table_next)
        if (connection->remote_address == remote_address && connection->remote_port == remote_port &&
            connection->local_port == local_port)
            return connection;
    return 0;
}

int tcp_bucket_empty(unsigned bucket) { return table[bucket] == 0; }

static void table_remove(struct tcp_connection *connection)
{
    struct tcp_connection **link =
        &table[bucket_of(connection->remote_address, connection->remote_port, connection->local_port)];
    while (*link && *link != connection)
        link = &(*link)->table_next;
    if (*link)
        *link = connection->table_next;
    connection->table_next = 0;
}

struct tcp_listener *tcp_find_listener(uint16_t port)
{
    for (struct tcp_listener *listener = __atomic_load_n(&listeners, __ATOMIC_ACQUIRE); listener;
         listener = listener->next)
        if (listener->port == port)
            return listener;
    return 0;
}

void tcp_add_listener(struct tcp_listener *listener)
{
    listener->next = listeners;
    __atomic_store_n(&listeners, listener, __ATOMIC_RELEASE); /* published whole: lock-free readers */
}

/* Buffers of connections that ended, kept for the next ones (per owner core: struct net_core): a new
 * connection per request would otherwise allocate and free 24 KiB per request (page runs from the
 * page allocator's bitmap). */
static int take_buffer(struct byte_ring *ring, struct net_spare_buffers *spares, uint32_t capacity)
{
    if (spares->count == 0)
        return byte_ring_init(ring, capacity);
    byte_ring_attach(ring, spares->buffers[--spares->count], capacity);
    return 0;
}

static void give_back_buffer(struct byte_ring *ring, struct net_spare_buffers *spares)
{
    uint8_t *data = byte_ring_detach(ring);
    if (data && spares->count < TCP_SPARE_BUFFERS)
        spares->buffers[spares->count++] = data;
    else
        kfree(data);
}

/* The buffers go back when neither side needs them any more. While the application holds the
 * connection they stay (empty of new data, for a connection that ended): tcp_read reads the receive
 * buffer without a lock, so it must never be freed under a reader (tcp_release frees it). */
static void free_buffers(struct tcp_connection *connection)
{
    connection->out_of_order_count = 0;
    if (connection->application_holds)
        return;
    struct net_core *core = &net_cores[connection->owner];
    give_back_buffer(&connection->send_buffer, &core->spare_send);
    give_back_buffer(&connection->receive_buffer, &core->spare_receive);
}

struct tcp_connection *tcp_create(struct tcp_listener *listener, uint32_t remote_address,
                                  uint16_t remote_port)
{
    uint32_t open = __atomic_load_n(&net.statistics.tcp_connections_open, __ATOMIC_RELAXED);
    uint32_t time_wait = __atomic_load_n(&net.statistics.tcp_connections_time_wait, __ATOMIC_RELAXED);
    if (open - time_wait >= TCP_MAX_CONNECTIONS) /* across cores: a bound give or take a racing SYN */
        return 0;
    unsigned bucket = bucket_of(remote_address, remote_port, listener->port);
    int owner = net_bucket_owner(bucket);
    /* The backlog without net.lock: SYNs of several owner cores count at once (an atomic add taken
     * back when over), accept and close take them back (tcp_detach_listener). */
    if (__atomic_add_fetch(&listener->pending, 1, __ATOMIC_ACQ_REL) > listener->backlog) {
        __atomic_sub_fetch(&listener->pending, 1, __ATOMIC_ACQ_REL);
        return 0;
    }
    struct tcp_connection *connection = kzalloc(sizeof *connection);
    struct net_core *core = &net_cores[owner];
    if (connection)
        connection->owner = owner;
    if (!connection || take_buffer(&connection->send_buffer, &core->spare_send, TCP_SEND_BUFFER_SIZE) != 0 ||
        take_buffer(&connection->receive_buffer, &core->spare_receive, TCP_RECEIVE_BUFFER_SIZE) != 0) {
        if (connection) {
            free_buffers(connection);
            kfree(connection);
        }
        __atomic_sub_fetch(&listener->pending, 1, __ATOMIC_ACQ_REL);
        return 0;
    }
    connection->remote_address = remote_address;
    connection->remote_port = remote_port;
    connection->local_port = listener->port;
    connection->state = TCP_SYN_RECEIVED;
    connection->listener = listener;
    connection->peer_mss = TCP_DEFAULT_PEER_MSS;
    connection->retransmit_timeout_tsc = net_ms_to_tsc(TCP_INITIAL_RTO_MS);
    connection->table_next = table[bucket];
    table[bucket] = connection;
    NET_ADD(tcp_connections_open, 1);
    return connection;
}

void tcp_make_ready(struct tcp_connection *connection)
{
    /* Accepted long ago (every data segment of a served connection comes here): no net.lock. A
     * listener only ever goes from set to 0, under net.lock, so 0 read here stays 0. */
    if (!__atomic_load_n(&connection->listener, __ATOMIC_ACQUIRE))
        return;
    acquire(&net.lock);
    struct tcp_listener *listener = connection->listener;
    if (!listener || connection->ready_for_accept) {
        release(&net.lock);
        return;
    }
    connection->accept_next = 0;
    if (listener->ready_last)
        listener->ready_last->accept_next = connection;
    else
        listener->ready_first = connection;
    listener->ready_last = connection;
    __atomic_store_n(&connection->ready_for_accept, 1, __ATOMIC_RELEASE);
    net_wake_one(&listener->acceptors);
    net_poller_notify_listener(listener, connection->owner);
    release(&net.lock);
    /* The accept-deferral limit no longer applies (owner's lock, held: only the owner writes it). */
    tcp_set_deadline(connection, &connection->linger_deadline, 0);
}

void tcp_detach_listener(struct tcp_connection *connection)
{
    struct tcp_listener *listener = connection->listener;
    if (!listener)
        return;
    if (connection->ready_for_accept) {
        struct tcp_connection **link = &listener->ready_first;
        struct tcp_connection *previous = 0;
        while (*link && *link != connection) {
            previous = *link;
            link = &(*link)->accept_next;
        }
        if (*link) {
            *link = connection->accept_next;
            if (listener->ready_last == connection)
                listener->ready_last = previous;
        }
        connection->ready_for_accept = 0;
    }
    connection->accept_next = 0;
    __atomic_store_n(&connection->listener, 0, __ATOMIC_RELEASE);
    __atomic_sub_fetch(&listener->pending, 1, __ATOMIC_ACQ_REL);
}

static void time_wait_unlink(struct tcp_connection *connection)
{
    struct net_core *core = &net_cores[connection->owner];
    if (connection->time_wait_previous)
        connection->time_wait_previous->time_wait_next = connection->time_wait_next;
    else
        core->time_wait_first = connection->time_wait_next;
    if (connection->time_wait_next)
        connection->time_wait_next->time_wait_previous = connection->time_wait_previous;
    else
        core->time_wait_last = connection->time_wait_previous;
    connection->time_wait_next = connection->time_wait_previous = 0;
}

int tcp_enter_time_wait(struct tcp_connection *connection)
{
    /* The state first: from here on output sends no data and no FIN, only the pending ACK. */
    connection->state = TCP_TIME_WAIT;
    uint32_t in_time_wait = NET_ADD(tcp_connections_time_wait, 1) + 1;
    struct net_core *core = &net_cores[connection->owner];
    tcp_stop_retransmit(connection);
    if (connection->ack_pending)
        tcp_output(connection); /* the ACK of the peer's FIN */
    tcp_clear_deadlines(connection);
    free_buffers(connection);
    connection->time_wait_end = rdtsc() + net_ms_to_tsc(net.config.time_wait_ms);
    connection->time_wait_next = 0;
    connection->time_wait_previous = core->time_wait_last;
    if (core->time_wait_last)
        core->time_wait_last->time_wait_next = connection;
    else
        core->time_wait_first = connection;
    core->time_wait_last = connection;
    if (in_time_wait > TCP_MAX_TIME_WAIT) { /* over all cores; this core's oldest makes room */
        NET_COUNT(tcp_time_wait_skipped);   /* the oldest ends early (Linux drops the newest) */
        tcp_set_closed(core->time_wait_first, 0);
    }
    return 0;
}

static int time_wait_over(const struct tcp_connection *connection, uint64_t now_tsc)
{
    return connection->state == TCP_TIME_WAIT && now_tsc >= connection->time_wait_end;
}

void tcp_reap_time_wait(int index, uint64_t now_tsc)
{
    struct net_core *core = &net_cores[index];
    while (core->time_wait_first && time_wait_over(core->time_wait_first, now_tsc))
        tcp_set_closed(core->time_wait_first, 0);
}

void tcp_set_closed(struct tcp_connection *connection, int error)
{
    if (connection->state == TCP_CLOSED)
        return;
    if (connection->state == TCP_TIME_WAIT) {
        NET_ADD(tcp_connections_time_wait, -1);
        time_wait_unlink(connection);
    }
    table_remove(connection);
    NET_ADD(tcp_connections_open, -1);
    if (error)
        __atomic_store_n(&connection->error, error, __ATOMIC_RELEASE);
    __atomic_store_n(&connection->state, TCP_CLOSED, __ATOMIC_RELEASE);
    tcp_clear_deadlines(connection);
    /* Detached under net.lock before application_holds is read: an accept either took it first
     * (it holds it now: not freed here) or will never see it. With no listener left (accepted, whose
     * store of application_holds came before the listener's release store, or abandoned) there is
     * nothing to detach and no lock to take. */
    if (__atomic_load_n(&connection->listener, __ATOMIC_ACQUIRE)) {
        acquire(&net.lock);
        tcp_detach_listener(connection);
        release(&net.lock);
    }
    net_wake_all(&connection->readers);
    net_wake_all(&connection->writers);
    net_poller_notify_connection(connection);
    free_buffers(connection);
    if (!__atomic_load_n(&connection->application_holds, __ATOMIC_ACQUIRE))
        kfree(connection);
}

void tcp_begin_close(struct tcp_connection *connection)
{
    switch (connection->state) {
    case TCP_SYN_RECEIVED: /* nothing sent yet but the SYN: the FIN follows it (RFC 9293 3.10.4) */
    case TCP_ESTABLISHED:
        connection->state = TCP_FIN_WAIT_1;
        break;
    case TCP_CLOSE_WAIT:
        connection->state = TCP_LAST_ACK;
        break;
    default: /* already closing, or closed */
        return;
    }
    byte_ring_drop(&connection->receive_buffer, byte_ring_count(&connection->receive_buffer));
    connection->out_of_order_count = 0; /* nobody reads any more: queued data goes too */
    tcp_output(connection);
}

void tcp_release(struct tcp_connection *connection)
{
    net_flush_output_requests(connection->owner); /* it may be on the list; it may be freed below */
    connection->application_holds = 0;
    net_poller_forget_connection(connection);
    if (connection->state == TCP_CLOSED || connection->state == TCP_TIME_WAIT)
        free_buffers(connection); /* kept for the reader until now */
    if (connection->state == TCP_CLOSED)
        kfree(connection);
}

void tcp_for_each(int core, void (*visit)(struct tcp_connection *connection, void *context), void *context)
{
    for (unsigned bucket = 0; bucket < TCP_TABLE_BUCKETS; bucket++) {
        if (net_bucket_owner(bucket) != core)
            continue;
        struct tcp_connection *connection = table[bucket];
        while (connection) {
            struct tcp_connection *next = connection->table_next; /* `visit` may close and free it */
            visit(connection, context);
            connection = next;
        }
    }
}

const char *tcp_state_name(enum tcp_state state)
{
    static const char *const names[] = {
        [TCP_CLOSED] = "CLOSED",           [TCP_SYN_RECEIVED] = "SYN_RECEIVED",
        [TCP_ESTABLISHED] = "ESTABLISHED", [TCP_FIN_WAIT_1] = "FIN_WAIT_1",
        [TCP_FIN_WAIT_2] = "FIN_WAIT_2",   [TCP_CLOSING] = "CLOSING",
        [TCP_TIME_WAIT] = "TIME_WAIT",     [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
        [TCP_LAST_ACK] = "LAST_ACK",
    };
    return (unsigned)state < sizeof names / sizeof names[0] ? names[state] : "?";
}
