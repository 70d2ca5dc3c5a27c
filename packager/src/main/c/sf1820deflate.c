/*
 * libdeflate for sf1820's packager, through JNI (Java 17 has no stable foreign-function API).
 *
 * libdeflate compresses a whole buffer into a complete Deflate stream; it has no streaming mode and no
 * flush. The packager compresses an extract in independent blocks on several cores and concatenates
 * them into one Deflate stream, as pigz does, so every block but the last must not end the stream and
 * must end on a byte boundary. libdeflate marks its last Deflate block final (BFINAL, RFC 1951 3.2.3)
 * and the position of that block is known only by walking the blocks: walk_blocks() decodes the block
 * headers and the Huffman symbols (without producing output) to find it, clears its BFINAL bit, and
 * sf1820_unfinish() appends an empty stored block, exactly what zlib's Z_SYNC_FLUSH writes.
 *
 * The walk also proves the stream: the lengths of its literals and matches must add up to the block's
 * input, the final block must end in the stream's last byte, and no block before it may be final.
 * A stream that fails this is never handed back to Java: the call returns a negative error code.
 */
#include <jni.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ERR_NO_ROOM (-1)
#define ERR_WALK (-2)
#define ERR_ARGS (-3)

#define TABLE_BITS 15
#define FAST_BITS 10

struct bits {
    const uint8_t *data;
    size_t length;   /* bytes */
    uint64_t pos;    /* bit position of the next unread bit */
};

/* Up to 32 bits from pos, least significant first as Deflate packs them; reads past the end as zeros. */
static inline uint32_t peek(const struct bits *b, unsigned count) {
    size_t byte = (size_t) (b->pos >> 3);
    unsigned shift = (unsigned) (b->pos & 7);
    uint64_t window = 0;
    if (byte + 8 <= b->length) {
        memcpy(&window, b->data + byte, 8);
    } else {
        for (size_t i = 0; i < 8 && byte + i < b->length; i++) {
            window |= (uint64_t) b->data[byte + i] << (8 * i);
        }
    }
    window >>= shift;
    return (uint32_t) (window & ((1ULL << count) - 1));
}

static inline uint32_t take(struct bits *b, unsigned count) {
    uint32_t value = count == 0 ? 0 : peek(b, count);
    b->pos += count;
    return value;
}

/*
 * A decoding table indexed by the next TABLE_BITS bits of the stream: entry = symbol << 4 | code length,
 * 0 where no code matches. Returns 0 on success, -1 for an over-subscribed code.
 */
static int build_table(uint16_t *table, const uint8_t *lengths, unsigned symbols) {
    unsigned count[16] = {0};
    unsigned next[16];
    memset(table, 0, sizeof(uint16_t) << TABLE_BITS);
    for (unsigned s = 0; s < symbols; s++) {
        count[lengths[s]]++;
    }
    count[0] = 0;
    unsigned code = 0;
    int left = 1;
    for (unsigned len = 1; len < 16; len++) {
        left <<= 1;
        left -= (int) count[len];
        if (left < 0) {
            return -1;
        }
        code = (code + count[len - 1]) << 1;
        next[len] = code;
    }
    for (unsigned s = 0; s < symbols; s++) {
        unsigned len = lengths[s];
        if (len == 0) {
            continue;
        }
        unsigned c = next[len]++;
        unsigned reversed = 0;
        for (unsigned i = 0; i < len; i++) {
            reversed = (reversed << 1) | ((c >> i) & 1);
        }
        uint16_t entry = (uint16_t) (s << 4 | len);
        for (unsigned fill = reversed; fill < (1u << TABLE_BITS); fill += 1u << len) {
            table[fill] = entry;
        }
    }
    return 0;
}

static inline int decode(struct bits *b, const uint16_t *table) {
    uint16_t entry = table[peek(b, TABLE_BITS)];
    if (entry == 0) {
        return -1;
    }
    b->pos += entry & 15;
    return entry >> 4;
}

static const uint16_t LENGTH_BASE[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                         35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t LENGTH_EXTRA[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                         3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint8_t DISTANCE_EXTRA[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                           6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
static const uint8_t CODE_LENGTH_ORDER[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/*
 * Each code has a full table, indexed by TABLE_BITS bits, and a fast one indexed by FAST_BITS that fits in
 * the first-level cache and answers every code up to FAST_BITS long, which is nearly every symbol read.
 */
struct tables {
    uint16_t literal[1 << TABLE_BITS];
    uint16_t distance[1 << TABLE_BITS];
    uint16_t literal_fast[1 << FAST_BITS];
    uint16_t distance_fast[1 << FAST_BITS];
};

/* The fast table: the full table's entries for codes of at most FAST_BITS bits, 0 for longer ones. */
static void build_fast(uint16_t *fast, const uint16_t *table) {
    for (unsigned i = 0; i < (1u << FAST_BITS); i++) {
        uint16_t entry = table[i];
        fast[i] = (entry & 15) <= FAST_BITS ? entry : 0;
    }
}

/* Reads a dynamic block's code lengths (RFC 1951 3.2.7) into its two tables. */
static int read_dynamic_tables(struct bits *b, struct tables *t) {
    unsigned literals = take(b, 5) + 257;
    unsigned distances = take(b, 5) + 1;
    unsigned code_lengths = take(b, 4) + 4;
    if (literals > 286 || distances > 30) {
        return -1;
    }
    uint8_t length_lengths[19] = {0};
    for (unsigned i = 0; i < code_lengths; i++) {
        length_lengths[CODE_LENGTH_ORDER[i]] = (uint8_t) take(b, 3);
    }
    if (build_table(t->literal, length_lengths, 19) != 0) {
        return -1;
    }
    uint8_t lengths[286 + 30];
    unsigned n = 0;
    while (n < literals + distances) {
        int symbol = decode(b, t->literal);
        if (symbol < 0) {
            return -1;
        }
        if (symbol < 16) {
            lengths[n++] = (uint8_t) symbol;
            continue;
        }
        unsigned repeat;
        uint8_t value = 0;
        if (symbol == 16) {
            if (n == 0) {
                return -1;
            }
            value = lengths[n - 1];
            repeat = 3 + take(b, 2);
        } else if (symbol == 17) {
            repeat = 3 + take(b, 3);
        } else {
            repeat = 11 + take(b, 7);
        }
        if (n + repeat > literals + distances) {
            return -1;
        }
        while (repeat--) {
            lengths[n++] = value;
        }
    }
    if (lengths[256] == 0) {
        return -1;
    }
    if (build_table(t->literal, lengths, literals) != 0 || build_table(t->distance, lengths + literals, distances) != 0) {
        return -1;
    }
    build_fast(t->literal_fast, t->literal);
    build_fast(t->distance_fast, t->distance);
    return 0;
}

static void fixed_tables(struct tables *t) {
    uint8_t lengths[288];
    unsigned s = 0;
    for (; s < 144; s++) lengths[s] = 8;
    for (; s < 256; s++) lengths[s] = 9;
    for (; s < 280; s++) lengths[s] = 7;
    for (; s < 288; s++) lengths[s] = 8;
    build_table(t->literal, lengths, 288);
    uint8_t distance_lengths[30];
    memset(distance_lengths, 5, sizeof distance_lengths);
    build_table(t->distance, distance_lengths, 30);
    build_fast(t->literal_fast, t->literal);
    build_fast(t->distance_fast, t->distance);
}

/* 64 bits of the stream from byte `byte` on, least significant first; past the end reads as zeros. */
static inline uint64_t load_window(const uint8_t *data, size_t length, size_t byte) {
    uint64_t window = 0;
    if (byte + 8 <= length) {
        memcpy(&window, data + byte, 8);
    } else {
        for (size_t i = 0; i < 8 && byte + i < length; i++) {
            window |= (uint64_t) data[byte + i] << (8 * i);
        }
    }
    return window;
}

/*
 * Decodes one compressed block's symbols up to its end-of-block, adding the bytes they stand for to
 * *produced. The hot loop of the walk: one 8-byte load per symbol covers the longest literal/length
 * code with its extra bits and distance code with its extra bits (15 + 5 + 15 + 13 = 48 of the at least
 * 57 bits a load holds), so no bit is read twice.
 */
static int skip_symbols(struct bits *b, const struct tables *t, uint64_t *produced) {
    const uint8_t *data = b->data;
    size_t length = b->length;
    uint64_t limit = (uint64_t) length * 8;
    uint64_t pos = b->pos;
    uint64_t count = *produced;
    for (;;) {
        uint64_t window = load_window(data, length, (size_t) (pos >> 3)) >> (pos & 7);
        uint16_t entry = t->literal_fast[window & ((1u << FAST_BITS) - 1)];
        if (entry == 0) {
            entry = t->literal[window & ((1u << TABLE_BITS) - 1)];
            if (entry == 0) {
                return -1;
            }
        }
        unsigned bits = entry & 15;
        unsigned symbol = entry >> 4;
        window >>= bits;
        pos += bits;
        if (symbol < 256) {
            count++;
        } else if (symbol == 256) {
            break;
        } else {
            symbol -= 257;
            if (symbol >= 29) {
                return -1;
            }
            unsigned extra = LENGTH_EXTRA[symbol];
            count += LENGTH_BASE[symbol] + (window & ((1u << extra) - 1));
            window >>= extra;
            pos += extra;
            uint16_t distance = t->distance_fast[window & ((1u << FAST_BITS) - 1)];
            if (distance == 0) {
                distance = t->distance[window & ((1u << TABLE_BITS) - 1)];
            }
            if (distance == 0 || (distance >> 4) >= 30) {
                return -1;
            }
            pos += (distance & 15) + DISTANCE_EXTRA[distance >> 4];
        }
        if (pos > limit) {
            return -1;
        }
    }
    b->pos = pos;
    *produced = count;
    return 0;
}

/*
 * Walks a complete Deflate stream of `length` bytes that inflates to `expected` bytes. On success sets
 * the bit positions of the final block's header and of the end of the stream, and returns 0.
 */
static int walk_blocks(const uint8_t *data, size_t length, uint64_t expected, uint64_t *final_header,
                       uint64_t *end, struct tables *t) {
    struct bits b = {data, length, 0};
    uint64_t produced = 0;
    for (;;) {
        uint64_t header = b.pos;
        unsigned final = take(&b, 1);
        unsigned type = take(&b, 2);
        if (type == 0) {
            b.pos = (b.pos + 7) & ~(uint64_t) 7;
            unsigned stored = take(&b, 16);
            unsigned complement = take(&b, 16);
            if ((stored ^ 0xFFFF) != complement) {
                return -1;
            }
            b.pos += (uint64_t) stored * 8;
            produced += stored;
        } else if (type == 1 || type == 2) {
            if (type == 1) {
                fixed_tables(t);
            } else if (read_dynamic_tables(&b, t) != 0) {
                return -1;
            }
            if (skip_symbols(&b, t, &produced) != 0) {
                return -1;
            }
        } else {
            return -1;
        }
        if (b.pos > (uint64_t) length * 8) {
            return -1;
        }
        if (final) {
            *final_header = header;
            *end = b.pos;
            /* the final block ends in the last byte: nothing of the stream was left unwalked */
            return produced == expected && (b.pos + 7) / 8 == length ? 0 : -1;
        }
    }
}

/*
 * Makes the complete stream in out[0, length) continuable: the final block is no longer final, and an
 * empty stored block follows it, so the stream ends on a byte boundary. Returns the new length, which is
 * at most length + 5, or ERR_WALK.
 */
static jint sf1820_unfinish(uint8_t *out, size_t length, uint64_t expected, struct tables *t) {
    uint64_t final_header;
    uint64_t end;
    if (walk_blocks(out, length, expected, &final_header, &end, t) != 0) {
        return ERR_WALK;
    }
    out[final_header >> 3] &= (uint8_t) ~(1u << (final_header & 7));
    /* the empty stored block: BFINAL 0 and BTYPE 00 at the end, zero bits to the byte boundary, LEN 0, NLEN 0xFFFF */
    size_t last = (size_t) (end >> 3);
    size_t bytes = (size_t) ((end + 3 + 7) / 8);
    for (size_t i = last; i < bytes; i++) {
        /* keep the final block's own bits in the byte it ends in; everything after them is zero */
        out[i] = i == last && i < length ? (uint8_t) (out[i] & ((1u << (end & 7)) - 1)) : 0;
    }
    out[bytes] = 0x00;
    out[bytes + 1] = 0x00;
    out[bytes + 2] = 0xFF;
    out[bytes + 3] = 0xFF;
    return (jint) (bytes + 4);
}

JNIEXPORT jstring JNICALL Java_dk_sf1820_packager_Libdeflate_version(JNIEnv *env, jclass type) {
    (void) type;
    return (*env)->NewStringUTF(env, LIBDEFLATE_VERSION_STRING);
}

JNIEXPORT jlong JNICALL Java_dk_sf1820_packager_Libdeflate_allocCompressor(JNIEnv *env, jclass type, jint level) {
    (void) env;
    (void) type;
    return (jlong) (intptr_t) libdeflate_alloc_compressor(level);
}

JNIEXPORT void JNICALL Java_dk_sf1820_packager_Libdeflate_freeCompressor(JNIEnv *env, jclass type, jlong compressor) {
    (void) env;
    (void) type;
    libdeflate_free_compressor((struct libdeflate_compressor *) (intptr_t) compressor);
}

JNIEXPORT jlong JNICALL Java_dk_sf1820_packager_Libdeflate_allocTables(JNIEnv *env, jclass type) {
    (void) env;
    (void) type;
    return (jlong) (intptr_t) calloc(1, sizeof(struct tables));
}

JNIEXPORT void JNICALL Java_dk_sf1820_packager_Libdeflate_freeTables(JNIEnv *env, jclass type, jlong tables) {
    (void) env;
    (void) type;
    free((void *) (intptr_t) tables);
}

JNIEXPORT jint JNICALL Java_dk_sf1820_packager_Libdeflate_compressBound(JNIEnv *env, jclass type, jlong compressor,
                                                                       jint length) {
    (void) env;
    (void) type;
    size_t bound = libdeflate_deflate_compress_bound((struct libdeflate_compressor *) (intptr_t) compressor,
                                                     (size_t) length);
    /* room for the empty stored block that makes a block continuable */
    bound += 5;
    return bound > INT32_MAX ? INT32_MAX : (jint) bound;
}

/*
 * Compresses input[0, length) into output, which must hold compressBound(length) bytes. A last block
 * ends the Deflate stream; any other is left continuable (see sf1820_unfinish). Returns the bytes
 * written or a negative error code.
 */
JNIEXPORT jint JNICALL Java_dk_sf1820_packager_Libdeflate_compress(JNIEnv *env, jclass type, jlong compressor,
                                                                  jlong tables, jbyteArray input, jint length,
                                                                  jbyteArray output, jboolean last) {
    (void) type;
    jsize input_capacity = (*env)->GetArrayLength(env, input);
    jsize output_capacity = (*env)->GetArrayLength(env, output);
    if (length < 0 || length > input_capacity || output_capacity < 5) {
        return ERR_ARGS;
    }
    uint8_t *in = (*env)->GetPrimitiveArrayCritical(env, input, NULL);
    if (in == NULL) {
        return ERR_ARGS;
    }
    uint8_t *out = (*env)->GetPrimitiveArrayCritical(env, output, NULL);
    if (out == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, input, in, JNI_ABORT);
        return ERR_ARGS;
    }
    size_t written = libdeflate_deflate_compress((struct libdeflate_compressor *) (intptr_t) compressor, in,
                                                 (size_t) length, out, (size_t) output_capacity - 5);
    jint result;
    if (written == 0) {
        result = ERR_NO_ROOM;
    } else if (last) {
        result = (jint) written;
    } else {
        result = sf1820_unfinish(out, written, (uint64_t) length, (struct tables *) (intptr_t) tables);
    }
    (*env)->ReleasePrimitiveArrayCritical(env, output, out, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, input, in, JNI_ABORT);
    return result;
}
