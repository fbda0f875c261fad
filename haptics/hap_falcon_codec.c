/* hap_falcon_codec.c: Falcon frame encoding and decoding (see
 * hap_falcon_codec.h). */
#include "hap_falcon_codec.h"

#include <string.h>

#define NIBBLE_BASE 0x41

void hap_falcon_encode(const hap_falcon_command *cmd, uint8_t out[HAP_FALCON_FRAME_SIZE])
{
    out[0] = '<';
    for (int m = 0; m < 3; m++) {
        uint16_t v = (uint16_t)cmd->motor[m];
        for (int k = 0; k < 4; k++)
            out[1 + 4 * m + k] = (uint8_t)(NIBBLE_BASE + ((v >> (4 * k)) & 0xF));
    }
    out[13] = (uint8_t)(NIBBLE_BASE + ((cmd->leds & 0xE) | (cmd->homing ? 1 : 0)));
    out[14] = NIBBLE_BASE;
    out[15] = '>';
}

hap_result hap_falcon_decode(const uint8_t in[HAP_FALCON_FRAME_SIZE], hap_falcon_report *rep)
{
    if (in[0] != '<' || in[15] != '>')
        return HAP_ERR_PROTOCOL;
    hap_falcon_report r;
    for (int m = 0; m < 3; m++) {
        uint16_t v = 0;
        for (int k = 0; k < 4; k++) {
            int b = in[1 + 4 * m + k] - NIBBLE_BASE;
            if (b < 0 || b > 0xF)
                return HAP_ERR_PROTOCOL;
            v |= (uint16_t)(b << (4 * k));
        }
        r.encoder[m] = (int16_t)v;   /* two's complement on the wire */
    }
    int status = in[13] - NIBBLE_BASE;
    if (status < 0 || status > 0x7F)
        return HAP_ERR_PROTOCOL;
    r.buttons = (uint8_t)(status & 0xF);
    r.homed = (uint8_t)((status >> 4) & 0x7);
    *rep = r;
    return HAP_OK;
}

void hap_falcon_parser_reset(hap_falcon_parser *p)
{
    memset(p, 0, sizeof *p);
}

size_t hap_falcon_parser_feed(hap_falcon_parser *p, const uint8_t *data, size_t n,
                              hap_falcon_report *latest)
{
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = data[i];
        if (p->len == 0 && b != '<') {
            p->junk++;
            continue;
        }
        p->buf[p->len++] = b;
        if (p->len < HAP_FALCON_FRAME_SIZE)
            continue;
        hap_falcon_report r;
        if (hap_falcon_decode(p->buf, &r) == HAP_OK) {
            *latest = r;
            found++;
            p->frames++;
            p->len = 0;
            continue;
        }
        /* Not a frame: drop its '<' and resynchronise on the next '<' in
         * the bytes already buffered. */
        size_t k = 1;
        while (k < p->len && p->buf[k] != '<')
            k++;
        p->junk += k;
        memmove(p->buf, p->buf + k, p->len - k);
        p->len -= k;
    }
    return found;
}

size_t hap_ftdi_strip_status(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t w = 0;
    for (size_t off = 0; off < n; off += HAP_FTDI_PACKET_SIZE) {
        size_t chunk = n - off < HAP_FTDI_PACKET_SIZE ? n - off : HAP_FTDI_PACKET_SIZE;
        if (chunk <= HAP_FTDI_STATUS_SIZE)
            continue;
        memmove(out + w, in + off + HAP_FTDI_STATUS_SIZE, chunk - HAP_FTDI_STATUS_SIZE);
        w += chunk - HAP_FTDI_STATUS_SIZE;
    }
    return w;
}
