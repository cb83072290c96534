/*
 * tcp_socket.c - the application's TCP API (include/net.h): listen, accept,
 * read, write, close, abort. A connection's calls take its owner core's lock
 * (tcp.h), never net.lock (listen and accept do: the listeners are global),
 * do their work on the calling thread's core (tcp_write runs the output path
 * right here), and wait by blocking the thread on a wait queue (wait.c) - the
 * core halts meanwhile if it has nothing else to run. Pairs with tcp.h.
 */
#include "net.h"
#include "memory.h"
#include "stack.h"
#include "cpu.h"
#include "tcp.h"

static struct spinlock *owner_lock(struct tcp_connection *connection)
{
    return &net_cores[connection->owner].lock;
}

/* held: net.lock. The ready connection to accept: the first one owned by the calling core (its
 * frames, protocol and application then share one core), else the first one. */
static struct tcp_connection *pick_ready(struct tcp_listener *listener)
{
    int here = cpu_index();
    for (struct tcp_connection *connection = listener->ready_first; connection;
         connection = connection->accept_next)
        if (connection->owner == here)
            return connection;
    return listener->ready_first;
}

struct tcp_listener *tcp_listen(uint16_t port, int backlog, uint64_t defer_accept_ms, int *error)
{
    int result = 0;
    struct tcp_listener *listener = 0;
    if (!net.interface) {
        result = NET_ERROR_NO_DEVICE;
    } else {
        acquire(&net.lock);
        if (tcp_find_listener(port)) {
            result = NET_ERROR_IN_USE;
        } else if (!(listener = kzalloc(sizeof *listener))) {
            result = NET_ERROR_NO_MEMORY;
        } else {
            listener->port = port;
            listener->backlog = backlog > 0 ? backlog : 1;
            listener->defer_accept_ms = defer_accept_ms;
            tcp_add_listener(listener);
        }
        release(&net.lock);
    }
    if (error)
        *error = result;
    return listener;
}

struct tcp_connection *tcp_accept(struct tcp_listener *listener, uint64_t timeout_ms)
{
    uint64_t deadline = net_deadline_after_ms(timeout_ms);
    acquire(&net.lock);
    while (!listener->ready_first) {
        if (net_deadline_passed(deadline)) {
            release(&net.lock);
            return 0;
        }
        net_wait(&listener->acceptors, &net.lock, deadline);
    }
    struct tcp_connection *connection = pick_ready(listener);
    /* application_holds before the listener goes: the owner's input reads them in the other order
     * (tcp_input.c's receive_data), and its tcp_set_closed reads application_holds only after
     * detaching under net.lock, so the connection is freed by nobody or by its holder. */
    __atomic_store_n(&connection->application_holds, 1, __ATOMIC_RELEASE);
    tcp_detach_listener(connection);
    NET_COUNT(tcp_connections_accepted);
    if (listener->ready_first) /* more wait: pass the turn to the next worker */
        net_poller_notify_listener(listener, listener->ready_first->owner);
    release(&net.lock);
    return connection;
}

/* After a read: tell the peer when the window has opened enough to matter (RFC 1122 4.2.3.3). */
static void maybe_update_window(struct tcp_connection *connection)
{
    if (connection->state != TCP_ESTABLISHED && connection->state != TCP_FIN_WAIT_1 &&
        connection->state != TCP_FIN_WAIT_2)
        return;
    uint32_t window = tcp_receive_window(connection);
    uint32_t threshold = TCP_RECEIVE_BUFFER_SIZE / 2 < TCP_MSS ? TCP_RECEIVE_BUFFER_SIZE / 2 : TCP_MSS;
    if (window >= connection->advertised_window + threshold) {
        connection->ack_pending = 1;
        tcp_output(connection);
    }
}

/* The fast path of tcp_read, without net.lock: the reader is its receive buffer's only consumer
 * (byte_ring.h), the network thread its only producer, and the buffer stays while the application
 * holds the connection (tcp_connection.c's free_buffers). Takes what has arrived; with nothing there
 * and no wait asked for, says so unless the connection ended. Returns 0 when the locked path must
 * decide (wait, end of stream, error), else the bytes read or NET_ERROR_TIMEOUT. */
static long read_without_lock(struct tcp_connection *connection, void *buffer, size_t length,
                              uint64_t timeout_ms)
{
    if (length == 0 || __atomic_load_n(&connection->error, __ATOMIC_ACQUIRE))
        return 0; /* a reset: the locked path reports it, whatever is still buffered */
    uint32_t wanted = length > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)length;
    uint32_t taken = byte_ring_read(&connection->receive_buffer, buffer, wanted);
    if (taken) {
        /* The window update (an ACK) needs the lock, but only once a read opened the window by an
         * MSS or half the buffer; the check is repeated under it. */
        uint32_t advertised = __atomic_load_n(&connection->advertised_window, __ATOMIC_RELAXED);
        if (byte_ring_space(&connection->receive_buffer) >= advertised + TCP_MSS) {
            acquire(owner_lock(connection));
            maybe_update_window(connection);
            release(owner_lock(connection));
        }
        return taken;
    }
    int ended = __atomic_load_n(&connection->error, __ATOMIC_ACQUIRE) ||
                __atomic_load_n(&connection->fin_received, __ATOMIC_ACQUIRE) ||
                __atomic_load_n(&connection->state, __ATOMIC_ACQUIRE) == TCP_CLOSED;
    /* Data that lands after this check is reported to the poller again (it is queued then). */
    return timeout_ms == 0 && !ended ? NET_ERROR_TIMEOUT : 0;
}

long tcp_read(struct tcp_connection *connection, void *buffer, size_t length, uint64_t timeout_ms)
{
    long quick = read_without_lock(connection, buffer, length, timeout_ms);
    if (quick) {
        NET_COUNT(tcp_reads_without_lock);
        return quick;
    }
    uint64_t deadline = net_deadline_after_ms(timeout_ms);
    long result;
    acquire(owner_lock(connection));
    for (;;) {
        if (connection->error) { /* RFC 9293 3.10.7.3: a reset flushes what was not read */
            result = connection->error;
            break;
        }
        if (byte_ring_count(&connection->receive_buffer)) {
            uint32_t wanted = length > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)length;
            result = byte_ring_read(&connection->receive_buffer, buffer, wanted);
            maybe_update_window(connection);
            break;
        }
        if (connection->fin_received || connection->state == TCP_CLOSED) {
            result = 0;
            break;
        }
        if (net_deadline_passed(deadline)) {
            result = NET_ERROR_TIMEOUT;
            break;
        }
        net_wait(&connection->readers, owner_lock(connection), deadline);
    }
    release(owner_lock(connection));
    return result;
}

/* The fast path of tcp_write, without waiting for the owner's lock: the writer is its send buffer's
 * only producer (byte_ring.h), so bytes that fit go in lock-free; sending them takes the lock only
 * if it is free, and otherwise hands the connection to its owner thread (net_request_output), so a
 * writer never spins. Returns 0 when the locked path must decide (no room for all of it, the
 * connection not open for writing, an error). */
static long write_without_lock(struct tcp_connection *connection, const void *buffer, size_t length)
{
    enum tcp_state state = __atomic_load_n(&connection->state, __ATOMIC_ACQUIRE);
    if (length == 0 || length > byte_ring_space(&connection->send_buffer) ||
        __atomic_load_n(&connection->error, __ATOMIC_ACQUIRE) ||
        (state != TCP_ESTABLISHED && state != TCP_CLOSE_WAIT))
        return 0;
    byte_ring_write(&connection->send_buffer, buffer, (uint32_t)length);
    if (__atomic_load_n(&connection->corked, __ATOMIC_ACQUIRE))
        return (long)length; /* tcp_close or tcp_cork(0) sends it */
    if (try_acquire(owner_lock(connection))) {
        tcp_output(connection);
        release(owner_lock(connection));
    } else {
        net_request_output(connection);
    }
    return (long)length;
}

long tcp_write(struct tcp_connection *connection, const void *buffer, size_t length, uint64_t timeout_ms)
{
    long quick = write_without_lock(connection, buffer, length);
    if (quick) {
        NET_COUNT(tcp_writes_without_lock);
        return quick;
    }
    uint64_t deadline = net_deadline_after_ms(timeout_ms);
    const uint8_t *bytes = buffer;
    size_t queued = 0;
    long result = 0;
    acquire(owner_lock(connection));
    while (queued < length) {
        if (connection->error) {
            result = connection->error;
            break;
        }
        if (connection->state != TCP_ESTABLISHED && connection->state != TCP_CLOSE_WAIT) {
            result = NET_ERROR_CLOSED;
            break;
        }
        size_t chunk = length - queued > 0xFFFFFFFFu ? 0xFFFFFFFFu : length - queued;
        uint32_t written = byte_ring_write(&connection->send_buffer, bytes + queued, (uint32_t)chunk);
        queued += written;
        if (written && (!connection->corked || queued < length))
            tcp_output(connection);
        if (queued < length) {
            if (net_deadline_passed(deadline)) {
                result = NET_ERROR_TIMEOUT;
                break;
            }
            net_wait(&connection->writers, owner_lock(connection), deadline);
        }
    }
    release(owner_lock(connection));
    return result ? result : (long)queued;
}

void tcp_cork(struct tcp_connection *connection, int corked)
{
    acquire(owner_lock(connection));
    connection->corked = corked;
    if (!corked && connection->state != TCP_CLOSED)
        tcp_output(connection);
    release(owner_lock(connection));
}

void tcp_close(struct tcp_connection *connection)
{
    struct spinlock *lock = owner_lock(connection); /* the connection may be gone at the release */
    acquire(lock);
    tcp_begin_close(connection);
    tcp_release(connection); /* may free it: last use */
    release(lock);
}

void tcp_abort(struct tcp_connection *connection)
{
    struct spinlock *lock = owner_lock(connection);
    acquire(lock);
    if (connection->state != TCP_CLOSED) {
        tcp_send_reset(connection);
        tcp_set_closed(connection, NET_ERROR_RESET);
    }
    tcp_release(connection); /* frees it */
    release(lock);
}

void tcp_peer(struct tcp_connection *connection, uint32_t *address, uint16_t *port)
{
    /* The identity never changes after creation: no lock needed. */
    if (address)
        *address = connection->remote_address;
    if (port)
        *port = connection->remote_port;
}
