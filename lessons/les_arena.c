/* les_arena.c: the arena a parsed lesson lives in (les_internal.h).
 *
 * A chain of blocks, newest first. Allocation bumps a pointer in the newest
 * block and starts a new block (at least LES__ARENA_BLOCK bytes) when it is
 * full; nothing is freed until les__arena_free drops the whole chain. The
 * lesson parser also uses a second, temporary arena for the YAML tree.
 *
 * Threads: an arena belongs to one thread while it is being filled.
 */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "les_internal.h"

#define LES__ARENA_BLOCK 4096u
#define LES__ALIGN alignof(max_align_t)

struct les_arena_block {
    les_arena_block *next;   /* the older block */
    size_t used, capacity;   /* bytes of data[] */
    alignas(max_align_t) unsigned char data[];
};

static size_t les__round_up(size_t n)
{
    return (n + (LES__ALIGN - 1)) & ~(size_t)(LES__ALIGN - 1);
}

static les_arena_block *les__arena_grow(les_arena_block **arena, size_t size)
{
    size_t capacity = size > LES__ARENA_BLOCK ? size : LES__ARENA_BLOCK;
    if (capacity > SIZE_MAX - sizeof(les_arena_block))
        return NULL;
    les_arena_block *block = sim_malloc(sizeof *block + capacity);
    if (!block)
        return NULL;
    block->next = *arena;
    block->used = 0;
    block->capacity = capacity;
    *arena = block;
    return block;
}

void *les__arena_alloc(les_arena_block **arena, size_t size)
{
    if (size > SIZE_MAX - LES__ALIGN)
        return NULL;
    size = les__round_up(size ? size : 1);
    les_arena_block *block = *arena;
    if (!block || block->capacity - block->used < size)
        block = les__arena_grow(arena, size);
    if (!block)
        return NULL;
    void *p = block->data + block->used;
    block->used += size;
    memset(p, 0, size);
    return p;
}

void *les__arena_array(les_arena_block **arena, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return les__arena_alloc(arena, count * size);
}

char *les__arena_strndup(les_arena_block **arena, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *copy = les__arena_alloc(arena, len + 1);
    if (!copy)
        return NULL;
    if (len)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

void les__arena_free(les_arena_block **arena)
{
    les_arena_block *block = *arena;
    while (block) {
        les_arena_block *next = block->next;
        sim_free(block);
        block = next;
    }
    *arena = NULL;
}
