/*
 * handoff.h - the stack's lock-free hand-off list: many cores push, one
 * consumer takes the whole list at once (a Treiber stack taken by exchange,
 * so there is no ABA: nobody pops single nodes). Intrusive: the node lives in
 * the object handed over (a connection that wants output, a received frame
 * for its owner core). The two users are stack.h's per-core lists: the
 * output requests of tcp_write and the frame inbox of each owner core.
 */
#ifndef TORO_NET_HANDOFF_H
#define TORO_NET_HANDOFF_H

struct net_handoff_node {
    struct net_handoff_node *next;
};

struct net_handoff {
    struct net_handoff_node *head; /* newest first; 0 when empty */
};

/* Any core, no lock. Returns 1 if the list was empty before this push (the consumer may be asleep:
 * wake it), 0 if not (a wake-up is already on its way, or it has not taken the list yet). */
static inline int net_handoff_push(struct net_handoff *list, struct net_handoff_node *node)
{
    struct net_handoff_node *head = __atomic_load_n(&list->head, __ATOMIC_RELAXED);
    do
        node->next = head;
    while (!__atomic_compare_exchange_n(&list->head, &head, node, 1, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
    return head == 0;
}

/* The consumer only: take every node pushed so far, oldest first (the order frames arrived in). */
static inline struct net_handoff_node *net_handoff_take_all(struct net_handoff *list)
{
    struct net_handoff_node *node = __atomic_exchange_n(&list->head, 0, __ATOMIC_ACQUIRE);
    struct net_handoff_node *oldest_first = 0;
    while (node) {
        struct net_handoff_node *next = node->next;
        node->next = oldest_first;
        oldest_first = node;
        node = next;
    }
    return oldest_first;
}

/* 1 if nodes wait (a hint: a push may land right after). */
static inline int net_handoff_pending(struct net_handoff *list)
{
    return __atomic_load_n(&list->head, __ATOMIC_ACQUIRE) != 0;
}

#endif
