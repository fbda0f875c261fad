#!/usr/bin/env python3
"""Writes the umockdev files that emulate a Novint Falcon (USB) and a pen
tablet (evdev) for tests/haptics_emulated.c. Run it from this folder after
changing a protocol; review the diff of the generated files like any golden
file.

Falcon:
Line format (umockdev 0.17): USBDEVFS_REAPURBNDELAY ret type endpoint status
flags buffer_length actual_length error_count HEX. Type 2 = control (the
8-byte setup packet is the buffer), 3 = bulk; endpoint 2 = OUT, 129 = 0x81
IN. OUT buffers must match what the program sends byte for byte; an IN
answers the next IN the program submits. IN packets from the FTDI bridge
start with two modem-status bytes (0x31 0x60 here).

Tablet: the evdev ioctls libevdev asks at open (EVIOCGBIT per event type,
EVIOCGABS per axis, name, id, ...), answered from tablet.ioctl, and the pen's
events in evemu format (E: seconds type code value) in tablet.events.
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


# --- pen tablet -------------------------------------------------------------

EV_SYN, EV_KEY, EV_ABS = 0, 1, 3
ABS_X, ABS_Y, ABS_PRESSURE, ABS_TILT_X, ABS_TILT_Y = 0x00, 0x01, 0x18, 0x1A, 0x1B
BTN_TOOL_PEN, BTN_TOUCH, BTN_STYLUS, BTN_STYLUS2 = 0x140, 0x14A, 0x14B, 0x14C


def bits(n_bytes, which):
    b = bytearray(n_bytes)
    for w in which:
        b[w // 8] |= 1 << (w % 8)
    return bytes(b)


def absinfo(value, minimum, maximum, fuzz, flat, resolution):
    import struct
    return struct.pack("<6i", value, minimum, maximum, fuzz, flat, resolution)


def text(s, size=255):
    raw = s.encode() + b"\0"
    return len(raw), raw + bytes(size - len(raw))


def tablet():
    import struct
    name_len, name = text("Stipple Test Pen")
    phys_len, phys = text("usb-0000:00:14.0-3/input0")
    abs_axes = {
        ABS_X: absinfo(0, 0, 15200, 4, 0, 100),          # 152 mm at 100 units/mm
        ABS_Y: absinfo(0, 0, 9500, 4, 0, 100),           # 95 mm
        ABS_PRESSURE: absinfo(0, 0, 2047, 0, 0, 0),
        ABS_TILT_X: absinfo(0, -64, 63, 0, 0, 57),       # about a degree a unit
        ABS_TILT_Y: absinfo(0, -64, 63, 0, 0, 57),
    }
    lines = ["@DEV /dev/input/event9",
             "EVIOCGBIT(0) 8 " + bits(8, [EV_SYN, EV_KEY, EV_ABS]).hex().upper(),
             "EVIOCGNAME(0) %d %s" % (name_len, name.hex().upper()),
             "EVIOCGPHYS(0) %d %s" % (phys_len, phys.hex().upper()),
             "EVIOCGUNIQ(0) 1 " + bytes(255).hex().upper(),
             "EVIOCGID 0 " + struct.pack("<4H", 0x0003, 0x056A, 0x0001, 0x0100).hex().upper(),
             "EVIOCGVERSION 0 01000100",
             "EVIOCGPROP(0) 8 " + bits(8, [0]).hex().upper(),        # INPUT_PROP_POINTER
             "EVIOCGBIT(2) 8 " + bits(8, []).hex().upper(),
             "EVIOCGBIT(3) 8 " + bits(8, list(abs_axes)).hex().upper(),
             "EVIOCGBIT(17) 8 " + bits(8, []).hex().upper(),
             "EVIOCGBIT(1) 96 " + bits(96, [BTN_TOOL_PEN, BTN_TOUCH, BTN_STYLUS, BTN_STYLUS2]).hex().upper(),
             "EVIOCGBIT(5) 8 " + bits(8, []).hex().upper(),
             "EVIOCGBIT(4) 8 " + bits(8, []).hex().upper(),
             "EVIOCGBIT(21) 16 " + bits(16, []).hex().upper(),
             "EVIOCGBIT(18) 8 " + bits(8, []).hex().upper(),
             "EVIOCGKEY(0) 96 " + bits(96, []).hex().upper(),
             "EVIOCGLED(0) 8 " + bits(8, []).hex().upper(),
             "EVIOCGSW(0) 8 " + bits(8, []).hex().upper()]
    for code, info in abs_axes.items():
        lines.append(("EVIOCGABS" if code == 0 else "EVIOCGABS(%d)" % code) + " 0 " + info.hex().upper())
    with open("tablet.ioctl", "w") as f:
        f.write("\n".join(lines) + "\n")

    # the pen comes into range at (50, 80) mm, touches, presses to half
    # pressure with the barrel button (machine) held, tilts 30 degrees right
    events = [
        (0.000, EV_KEY, BTN_TOOL_PEN, 1), (0.000, EV_ABS, ABS_X, 5000), (0.000, EV_ABS, ABS_Y, 1500),
        (0.000, EV_SYN, 0, 0),
        (0.010, EV_KEY, BTN_TOUCH, 1), (0.010, EV_ABS, ABS_PRESSURE, 100), (0.010, EV_SYN, 0, 0),
        (0.020, EV_KEY, BTN_STYLUS, 1), (0.020, EV_ABS, ABS_PRESSURE, 1024),
        (0.020, EV_ABS, ABS_TILT_X, 30), (0.020, EV_SYN, 0, 0),
    ]
    with open("tablet.events", "w") as f:
        f.write("# EVEMU 1.3\n")
        for t, ty, code, value in events:
            f.write("E: %.6f %04x %04x %d\n" % (t, ty, code, value))

    with open("tablet.umockdev", "w") as f:
        f.write("""P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/input/input9/event9
N: input/event9
E: DEVNAME=/dev/input/event9
E: ID_INPUT=1
E: ID_INPUT_TABLET=1
E: MAJOR=13
E: MINOR=73
E: SUBSYSTEM=input
A: dev=13:73
""")


if __name__ == "__main__":
    main()
    tablet()
