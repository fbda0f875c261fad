#!/usr/bin/env python3
"""Writes the umockdev ioctl scripts that emulate a Novint Falcon for
tests/haptics_falcon_usb.c. Run it from this folder after changing the
protocol; review the diff of the .ioctl files like any golden file.

Line format (umockdev 0.17): USBDEVFS_REAPURBNDELAY ret type endpoint status
flags buffer_length actual_length error_count HEX. Type 2 = control (the
8-byte setup packet is the buffer), 3 = bulk; endpoint 2 = OUT, 129 = 0x81
IN. OUT buffers must match what the program sends byte for byte; an IN
answers the next IN the program submits. IN packets from the FTDI bridge
start with two modem-status bytes (0x31 0x60 here).
"""

STATUS = bytes([0x31, 0x60])


def control(request, value):
    setup = bytes([0x40, request, value & 0xFF, value >> 8, 0, 0, 0, 0])
    return "USBDEVFS_REAPURBNDELAY 0 2 0 0 0 8 0 0 " + setup.hex().upper()


def bulk_out(data):
    return "USBDEVFS_REAPURBNDELAY 0 3 2 0 0 %d %d 0 %s" % (len(data), len(data), data.hex().upper())


def bulk_in(payload, status=0):
    data = STATUS + payload if status == 0 else b""
    return "USBDEVFS_REAPURBNDELAY 0 3 129 %d 0 64 %d 0 %s" % (status, len(data), data.hex().upper())


def nibbles(v):
    v &= 0xFFFF
    return bytes(0x41 + ((v >> (4 * k)) & 0xF) for k in range(4))


def command(leds, motors=(0, 0, 0), homing=False):
    return b"<" + b"".join(nibbles(m) for m in motors) + bytes([0x41 + (leds | int(homing)), 0x41]) + b">"


def report(enc=(0, 0, 0), buttons=0, homed=7):
    return b"<" + b"".join(nibbles(e) for e in enc) + bytes([0x41 + (buttons | homed << 4), 0x41]) + b">"


RED, GREEN, BLUE = 0x8, 0x2, 0x4
PURGE = [control(0x00, 1), control(0x00, 2)]
NORMAL = [control(0x09, 1), control(0x03, 0x0002), control(0x00, 1), control(0x00, 2)]
LOADER = [control(0x00, 1), control(0x00, 2), control(0x09, 16), control(0x03, 0x4138),
          control(0x04, 8), control(0x02, 0), control(0x01, 0x0200), control(0x01, 0x0100),
          control(0x01, 0x0101)]
LOADER_GO = [control(0x01, 0x0100), control(0x03, 0x0015)]
FIRMWARE = bytes((i * 37 + 11) & 0xFF for i in range(70))   # tests/haptics/falcon_test_firmware.bin


def write(name, comment, lines):
    with open(name, "w") as f:
        for c in comment.strip().splitlines():
            f.write("# " + c + "\n")
        f.write("\n".join(lines) + "\n")


def main():
    with open("falcon_test_firmware.bin", "wb") as f:
        f.write(FIRMWARE)

    # A Falcon whose firmware runs: open, a session of frames, then unplugged.
    session = []
    encs = [(0, 0, 0), (0, 0, 0), (300, 300, 300), (300, 300, 300), (-200, 100, 50), (0, 0, 0)]
    buttons = [0, 0, 0, 1, 1, 0]
    for e, b in zip(encs, buttons):
        session += [bulk_out(command(GREEN)), bulk_in(report(e, b))]
    write("falcon_session.ioctl", """
Falcon with firmware: FTDI setup, a probe frame answered, six exchanges
(encoders 0 / 300 / mixed, the centre button pressed in two), then an IN
that fails with ENODEV (-19): the device was unplugged.""",
          PURGE + NORMAL + [bulk_out(command(RED)), bulk_in(report())] + session +
          [bulk_out(command(GREEN)), bulk_in(b"", status=-19)])

    # A Falcon without firmware: the probe gets status bytes only; the
    # firmware is loaded (echoed), then frames come back.
    probe_fail = []
    for _ in range(2):
        probe_fail += [bulk_out(command(RED))] + [bulk_in(b"")] * 3
    load = LOADER + [bulk_out(bytes([0x0A, 0x43, 0x0D])), bulk_in(bytes([0x0A, 0x44, 0x2C, 0x0D]))]
    load += LOADER_GO + [bulk_out(b"A"), bulk_in(b"A")]
    for off in range(0, len(FIRMWARE), 62):
        chunk = FIRMWARE[off:off + 62]
        load += [bulk_out(chunk), bulk_in(chunk)]
    load += NORMAL
    write("falcon_firmware.ioctl", """
Falcon without firmware: FTDI setup, two probe frames answered by modem
status only, the boot loader handshake, falcon_test_firmware.bin (70 bytes)
sent in chunks of 62 and 8 and echoed, the link back to normal, a probe
answered with a frame, and the close: one exchange with zero force, and the
last red zero frame.""",
          PURGE + NORMAL + probe_fail + load +
          [bulk_out(command(RED)), bulk_in(report())] +
          [bulk_out(command(GREEN)), bulk_in(report()), bulk_out(command(RED))])

    # The loader echoes a wrong byte: the transfer must be refused.
    bad = bytearray(FIRMWARE[:62])
    bad[5] ^= 0xFF
    write("falcon_bad_echo.ioctl", """
Falcon without firmware whose boot loader echoes byte 5 of the first chunk
wrong: loading must stop with a firmware error.""",
          PURGE + NORMAL + probe_fail + LOADER +
          [bulk_out(bytes([0x0A, 0x43, 0x0D])), bulk_in(bytes([0x0A, 0x44, 0x2C, 0x0D]))] +
          LOADER_GO + [bulk_out(b"A"), bulk_in(b"A"), bulk_out(FIRMWARE[:62]), bulk_in(bytes(bad))])


if __name__ == "__main__":
    main()
