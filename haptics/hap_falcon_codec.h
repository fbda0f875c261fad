/* hap_falcon_codec.h: the Novint Falcon's firmware packets, encoded and
 * decoded with no device (protocol facts as documented by libnifalcon's
 * FalconFirmwareNovintSDK; this is our own code).
 *
 * Both directions are 16-byte frames: '<', 14 payload bytes, '>'. Each
 * payload byte carries one nibble plus 0x41 ('A'):
 *   bytes 1-4, 5-8, 9-12: a signed 16-bit value per motor, least
 *       significant nibble first (host -> device: motor force command;
 *       device -> host: encoder count);
 *   byte 13: host -> device: LED bits (green 0x2, blue 0x4, red 0x8) and
 *       homing mode (0x1); device -> host: grip buttons in bits 0-3, the
 *       three motors' "homed" flags in bits 4-6 (so this byte may exceed
 *       0x50);
 *   byte 14: unused (0x41).
 * The device answers every frame it receives; the FTDI bridge prefixes
 * every USB packet it returns with two modem-status bytes, which
 * hap_ftdi_strip_status removes.
 *
 * Threads: pure functions; a parser belongs to one thread.
 * Ownership: plain values, no allocation.
 */
#ifndef HAP_FALCON_CODEC_H
#define HAP_FALCON_CODEC_H

#include "hap_device.h"

#define HAP_FALCON_FRAME_SIZE 16
#define HAP_FTDI_PACKET_SIZE 64   /* full-speed bulk packet */
#define HAP_FTDI_STATUS_SIZE 2    /* modem status prefix of each packet */

enum {
    HAP_FALCON_LED_GREEN = 0x2,
    HAP_FALCON_LED_BLUE = 0x4,
    HAP_FALCON_LED_RED = 0x8,
};

typedef struct hap_falcon_command {
    int16_t motor[3];         /* force command per motor (motor units) */
    uint8_t leds;             /* HAP_FALCON_LED_* bits */
    bool homing;              /* ask the firmware to find the home index */
} hap_falcon_command;

typedef struct hap_falcon_report {
    int16_t encoder[3];       /* encoder counts per motor */
    uint8_t buttons;          /* grip buttons, bits 0-3 */
    uint8_t homed;            /* bits 0-2: motor homed */
} hap_falcon_report;

void hap_falcon_encode(const hap_falcon_command *cmd, uint8_t out[HAP_FALCON_FRAME_SIZE]);
/* HAP_ERR_PROTOCOL when the frame is not '<'...'>' or a payload byte is
 * outside its range; *rep untouched then. */
hap_result hap_falcon_decode(const uint8_t in[HAP_FALCON_FRAME_SIZE], hap_falcon_report *rep);

/* A byte-stream reassembler: the device's answers arrive split or joined
 * across USB packets. */
typedef struct hap_falcon_parser {
    uint8_t buf[HAP_FALCON_FRAME_SIZE];
    size_t len;
    uint64_t frames;          /* frames decoded */
    uint64_t junk;            /* bytes skipped looking for a frame */
} hap_falcon_parser;

void hap_falcon_parser_reset(hap_falcon_parser *p);
/* Feeds bytes (modem status already stripped). Returns how many whole valid
 * frames they completed; the newest goes into *latest (untouched when 0). */
size_t hap_falcon_parser_feed(hap_falcon_parser *p, const uint8_t *data, size_t n,
                              hap_falcon_report *latest);

/* Removes the 2 status bytes at the start of each 64-byte packet of an FTDI
 * bulk IN transfer (`in` may equal `out`). Returns the payload length. */
size_t hap_ftdi_strip_status(const uint8_t *in, size_t n, uint8_t *out);

#endif /* HAP_FALCON_CODEC_H */
