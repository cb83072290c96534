/*
 * poller.c - per-thread readiness queues (include/net.h net_poller_*): a
 * worker watches its connections and the shared listener, and blocks in
 * net_poller_wait until one of them has news, so one thread per core serves
 * every connection of its core without ever spinning. Reports are
 * edge-triggered: a watch is reported once per batch of news, so the worker
 * reads (or accepts) until the call would block. Pairs with poller.h; the
 * TCP code calls the notify functions under a connection's owner lock or
 * net.lock (listeners); a poller's own lists are under its lock (innermost).
 */
#include "poller.h"
#include "cpu.h"
#include "memory.h"
#include "net.h"
#include "stack.h"
#include "tcp.h"

/* A poller on the owner core takes new connections while it watches fewer than this (the sample's
 * clients per worker); beyond, the other workers take turns. */
#define PREFERRED_POLLER_CONNECTIONS 64

static void report(struct net_watch *watch)
{
    if (!watch)
        return;
    struct net_poller *poller = watch->poller;
    acquire(&poller->lock);
    if (watch->queued) {
        release(&poller->lock);
        return;
    }
    watch->queued = 1;
    watch->ready_next = 0;
    if (poller->ready_last)
        poller->ready_last->ready_next = watch;
    else
        poller->ready_first = watch;
    poller->ready_last = watch;
    net_wake_all(&poller->waiters);
    release(&poller->lock);
}

/* held: watch->poller->lock. */
static void unqueue(struct net_watch *watch)
{
    if (!watch->queued)
        return;
    struct net_poller *poller = watch->poller;
    struct net_watch *previous = 0;
    for (struct net_watch *entry = poller->ready_first; entry; previous = entry, entry = entry->ready_next) {
        if (entry != watch)
            continue;
        if (previous)
            previous->ready_next = entry->ready_next;
        else
            poller->ready_first = entry->ready_next;
        if (poller->ready_last == entry)
            poller->ready_last = previous;
        break;
    }
    watch->queued = 0;
}

void net_poller_notify_connection(struct tcp_connection *connection) { report(connection->watch); }

/* The listener's watch on core `core`, if its poller has room for one more connection. */
static struct net_watch *owner_watch(struct tcp_listener *listener, int core)
{
    for (struct net_watch *watch = listener->watches; watch; watch = watch->listener_next)
        if (watch->poller->core == core)
            return __atomic_load_n(&watch->poller->connections, __ATOMIC_RELAXED) <
                           PREFERRED_POLLER_CONNECTIONS
                       ? watch
                       : 0;
    return 0;
}

void net_poller_notify_listener(struct tcp_listener *listener, int owner_core)
{
    struct net_watch *preferred = owner_watch(listener, owner_core);
    if (preferred) {
        report(preferred); /* (if already queued, its worker accepts and tcp_accept reports again) */
        return;
    }
    /* Take turns, skipping watches already queued (their workers will accept anyway, and an idle
     * one should get this connection). */
    struct net_watch *start = listener->next_watch;
    struct net_watch *watch = start;
    while (watch) {
        struct net_watch *following = watch->listener_next ? watch->listener_next : listener->watches;
        if (!__atomic_load_n(&watch->queued, __ATOMIC_RELAXED)) {
            listener->next_watch = following;
            report(watch);
            return;
        }
        watch = following;
        if (watch == start)
            break; /* every watch is queued already */
    }
}

void net_poller_forget_connection(struct tcp_connection *connection)
{
    struct net_watch *watch = connection->watch;
    if (!watch)
        return;
    struct net_poller *poller = watch->poller;
    acquire(&poller->lock);
    unqueue(watch);
    poller->connections--;
    release(&poller->lock);
    connection->watch = 0;
    kfree(watch);
}

/* ---- the application's calls (include/net.h) ----------------------------------------- */

struct net_poller *net_poller_create(void)
{
    struct net_poller *poller = kzalloc(sizeof(struct net_poller));
    if (poller) {
        spinlock_init(&poller->lock, "net.poller");
        poller->core = cpu_index();
    }
    return poller;
}

static struct net_watch *new_watch(struct net_poller *poller, void *context)
{
    struct net_watch *watch = kzalloc(sizeof *watch);
    if (watch) {
        watch->poller = poller;
        watch->context = context;
    }
    return watch;
}

int net_poller_watch_listener(struct net_poller *poller, struct tcp_listener *listener, void *context)
{
    struct net_watch *watch = new_watch(poller, context);
    if (!watch)
        return NET_ERROR_NO_MEMORY;
    acquire(&net.lock);
    watch->listener_next = listener->watches;
    listener->watches = watch;
    listener->next_watch = watch;
    if (listener->ready_first)
        report(watch); /* connections already wait */
    release(&net.lock);
    return 0;
}

int net_poller_watch(struct net_poller *poller, struct tcp_connection *connection, void *context)
{
    struct net_watch *watch = new_watch(poller, context);
    if (!watch)
        return NET_ERROR_NO_MEMORY;
    struct spinlock *owner_lock = &net_cores[connection->owner].lock;
    acquire(owner_lock);
    net_poller_forget_connection(connection); /* at most one watch per connection */
    connection->watch = watch;
    acquire(&poller->lock);
    poller->connections++;
    release(&poller->lock);
    /* News that came before the watch (data with the first segment, a FIN, a reset) is reported now. */
    if (byte_ring_count(&connection->receive_buffer) || connection->fin_received || connection->error ||
        connection->state == TCP_CLOSED)
        report(watch);
    release(owner_lock);
    return 0;
}

int net_poller_wait(struct net_poller *poller, void **contexts, int capacity, uint64_t timeout_ms)
{
    uint64_t deadline = net_deadline_after_ms(timeout_ms);
    int count = 0;
    acquire(&poller->lock);
    while (!poller->ready_first && !net_deadline_passed(deadline))
        net_wait(&poller->waiters, &poller->lock, deadline);
    while (poller->ready_first && count < capacity) {
        struct net_watch *watch = poller->ready_first;
        poller->ready_first = watch->ready_next;
        if (!poller->ready_first)
            poller->ready_last = 0;
        watch->queued = 0;
        contexts[count++] = watch->context;
    }
    release(&poller->lock);
    return count;
}
