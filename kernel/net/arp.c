/*
 * arp.c - ARP for IPv4 over Ethernet (RFC 826): a small neighbour cache,
 * answers to requests for our address, requests for unknown next hops, and
 * one waiting packet per unresolved neighbour (sent when the reply arrives).
 * There is no ARP timer: a request is repeated only when another packet needs
 * the neighbour, at most once per ARP_RETRY_MS, so an idle stack arms nothing.
 * Entries do not expire (QEMU's user network never moves a MAC); the least
 * recently used one is replaced when the cache is full. The cache is guarded by
 * net.transmit_lock (every send resolves its next hop here, from any core):
 * arp_input takes it, arp_resolve is called holding it (ethernet.c).
 */
#include "ethernet.h"
#include "memory.h"
#include "stack.h"
#include "string.h"
#include "x86.h"

#define ARP_CACHE_SIZE        16
#define ARP_RETRY_MS          200
#define ARP_HARDWARE_ETHERNET 1
#define ARP_OPERATION_REQUEST 1
#define ARP_OPERATION_REPLY   2
#define ARP_PACKET_SIZE       28

struct arp_packet {
    uint16_t hardware_type;
    uint16_t protocol_type;
    uint8_t hardware_length;
    uint8_t protocol_length;
    uint16_t operation;
    uint8_t sender_mac[ETHERNET_ADDRESS_LENGTH];
    uint32_t sender_address;
    uint8_t target_mac[ETHERNET_ADDRESS_LENGTH];
    uint32_t target_address;
} __attribute__((packed));
_Static_assert(sizeof(struct arp_packet) == ARP_PACKET_SIZE, "ARP packet for Ethernet/IPv4 is 28 bytes");

struct arp_entry {
    uint32_t address; /* 0 = unused slot */
    int resolved;
    uint8_t mac[ETHERNET_ADDRESS_LENGTH];
    uint64_t used_tsc;      /* last lookup or update: replacement picks the oldest */
    uint64_t requested_tsc; /* last request sent, 0 never */
    uint8_t *waiting;       /* one IPv4 packet waiting for the resolution (kmalloc), or 0 */
    uint32_t waiting_length;
};

static struct arp_entry cache[ARP_CACHE_SIZE];

static struct arp_entry *find(uint32_t address)
{
    for (int index = 0; index < ARP_CACHE_SIZE; index++)
        if (cache[index].address == address)
            return &cache[index];
    return 0;
}

/* A slot for `address`: a free one, or the least recently used. */
static struct arp_entry *claim(uint32_t address)
{
    struct arp_entry *victim = &cache[0];
    for (int index = 0; index < ARP_CACHE_SIZE; index++) {
        if (cache[index].address == 0) {
            victim = &cache[index];
            break;
        }
        if (cache[index].used_tsc < victim->used_tsc)
            victim = &cache[index];
    }
    kfree(victim->waiting);
    *victim = (struct arp_entry){ .address = address, .used_tsc = rdtsc() };
    return victim;
}

static void send_arp(uint16_t operation, const uint8_t target_mac[ETHERNET_ADDRESS_LENGTH],
                     uint32_t target_address)
{
    struct packet packet;
    packet_init(&packet);
    struct arp_packet *arp = (struct arp_packet *)packet_append(&packet, sizeof(struct arp_packet));
    arp->hardware_type = htons(ARP_HARDWARE_ETHERNET);
    arp->protocol_type = htons(ETHERNET_TYPE_IPV4);
    arp->hardware_length = ETHERNET_ADDRESS_LENGTH;
    arp->protocol_length = 4;
    arp->operation = htons(operation);
    memcpy(arp->sender_mac, net.interface->mac, ETHERNET_ADDRESS_LENGTH);
    arp->sender_address = htonl(net.config.address);
    memcpy(arp->target_mac, operation == ARP_OPERATION_REQUEST ? (const uint8_t[6]){ 0 } : target_mac,
           ETHERNET_ADDRESS_LENGTH);
    arp->target_address = htonl(target_address);
    const uint8_t *destination = operation == ARP_OPERATION_REQUEST ? ethernet_broadcast : target_mac;
    if (operation == ARP_OPERATION_REQUEST)
        NET_COUNT(arp_requests_sent);
    else
        NET_COUNT(arp_replies_sent);
    ethernet_send(&packet, destination, ETHERNET_TYPE_ARP);
}

/* `entry` just got its MAC: send the packet that waited for it. */
static void release_waiting(struct arp_entry *entry)
{
    if (!entry->waiting)
        return;
    struct packet packet;
    packet_init(&packet);
    memcpy(packet_append(&packet, entry->waiting_length), entry->waiting, entry->waiting_length);
    kfree(entry->waiting);
    entry->waiting = 0;
    ethernet_send(&packet, entry->mac, ETHERNET_TYPE_IPV4);
}

static void arp_input_locked(const uint8_t *data, uint32_t length);

void arp_input(const uint8_t *data, uint32_t length)
{
    acquire(&net.transmit_lock);
    arp_input_locked(data, length);
    release(&net.transmit_lock);
    ethernet_kick(); /* the reply, or the packet that waited for this neighbour */
}

static void arp_input_locked(const uint8_t *data, uint32_t length)
{
    if (length < ARP_PACKET_SIZE) {
        net_count_drop();
        return;
    }
    const struct arp_packet *arp = (const struct arp_packet *)data;
    if (ntohs(arp->hardware_type) != ARP_HARDWARE_ETHERNET ||
        ntohs(arp->protocol_type) != ETHERNET_TYPE_IPV4 || arp->hardware_length != ETHERNET_ADDRESS_LENGTH ||
        arp->protocol_length != 4) {
        net_count_drop();
        return;
    }
    uint32_t sender = ntohl(arp->sender_address);
    uint32_t target = ntohl(arp->target_address);
    if (sender == 0) {
        net_count_drop(); /* an address probe: nothing to learn */
        return;
    }
    /* RFC 826: update a known sender; learn it if the packet is for us. */
    struct arp_entry *entry = find(sender);
    if (!entry && target == net.config.address)
        entry = claim(sender);
    if (entry) {
        memcpy(entry->mac, arp->sender_mac, ETHERNET_ADDRESS_LENGTH);
        entry->resolved = 1;
        entry->used_tsc = rdtsc();
        release_waiting(entry);
    }
    if (target == net.config.address && ntohs(arp->operation) == ARP_OPERATION_REQUEST)
        send_arp(ARP_OPERATION_REPLY, arp->sender_mac, sender);
}

int arp_resolve(uint32_t address, uint8_t mac[ETHERNET_ADDRESS_LENGTH], const struct packet *waiting)
{
    uint64_t now = rdtsc();
    struct arp_entry *entry = find(address);
    if (entry && entry->resolved) {
        memcpy(mac, entry->mac, ETHERNET_ADDRESS_LENGTH);
        entry->used_tsc = now;
        return 1;
    }
    if (!entry)
        entry = claim(address);
    if (waiting) {
        uint8_t *copy = kmalloc(waiting->length);
        if (copy) {
            memcpy(copy, waiting->data, waiting->length);
            kfree(entry->waiting);
            entry->waiting = copy;
            entry->waiting_length = waiting->length;
        }
    }
    if (entry->requested_tsc == 0 || now - entry->requested_tsc >= net_ms_to_tsc(ARP_RETRY_MS)) {
        entry->requested_tsc = now;
        send_arp(ARP_OPERATION_REQUEST, ethernet_broadcast, address);
    }
    return 0;
}
