/* haptics_falcon_codec.c: the Falcon's packet codec and kinematics, with no
 * device: known frames, round trips, stream reassembly, FTDI status
 * stripping; motor angles, forward/inverse kinematics, symmetry of the
 * delta robot, and force-to-motor by virtual work. */
#include "test_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hap_falcon_codec.h"
#include "hap_falcon_kin.h"

static void test_encode_known_frames(void **state)
{
    (void)state;
    uint8_t out[16];
    hap_falcon_command cmd;
    memset(&cmd, 0, sizeof cmd);
    hap_falcon_encode(&cmd, out);
    assert_memory_equal(out, "<AAAAAAAAAAAAAA>", 16);
    cmd.motor[0] = 0x1234;
    cmd.motor[1] = -1;
    cmd.motor[2] = INT16_MIN;
    cmd.leds = HAP_FALCON_LED_GREEN;
    cmd.homing = true;
    hap_falcon_encode(&cmd, out);
    assert_memory_equal(out, "<EDCBPPPPAAAIDA>", 16);
}

static void test_decode_known_frames(void **state)
{
    (void)state;
    hap_falcon_report r;
    /* encoders 0x0123, -2 (0xFFFE), 0x7FFF; buttons 0x5, homed 0x7 */
    const uint8_t f[17] = "<DCBAOPPPPPPH\xb6" "A>";
    assert_int_equal(hap_falcon_decode(f, &r), HAP_OK);
    assert_int_equal(r.encoder[0], 0x0123);
    assert_int_equal(r.encoder[1], -2);
    assert_int_equal(r.encoder[2], 0x7FFF);
    assert_int_equal(r.buttons, 0x5);
    assert_int_equal(r.homed, 0x7);
}

static void test_decode_rejects(void **state)
{
    (void)state;
    hap_falcon_report r = {{11, 22, 33}, 1, 1};
    assert_int_equal(hap_falcon_decode((const uint8_t *)"[AAAAAAAAAAAAAA>", &r), HAP_ERR_PROTOCOL);
    assert_int_equal(hap_falcon_decode((const uint8_t *)"<AAAAAAAAAAAAAA]", &r), HAP_ERR_PROTOCOL);
    assert_int_equal(hap_falcon_decode((const uint8_t *)"<AAAAZAAAAAAAAA>", &r), HAP_ERR_PROTOCOL);
    assert_int_equal(hap_falcon_decode((const uint8_t *)"<AAAAAAAAAAAA@A>", &r), HAP_ERR_PROTOCOL);
    assert_int_equal(r.encoder[0], 11);   /* untouched */
}

/* Every command survives encode -> the device's nibble format -> decode of
 * the same layout (the encoder field layout equals the force layout). */
static void test_round_trip(void **state)
{
    (void)state;
    const int16_t values[] = {0, 1, -1, 255, -256, 4096, 12345, -12345, INT16_MAX, INT16_MIN};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        hap_falcon_command cmd = {{values[i], (int16_t)(values[i] ^ 0x5A5A), (int16_t)-values[i]},
                                  HAP_FALCON_LED_RED, false};
        uint8_t frame[16];
        hap_falcon_encode(&cmd, frame);
        hap_falcon_report r;
        assert_int_equal(hap_falcon_decode(frame, &r), HAP_OK);
        for (int m = 0; m < 3; m++)
            assert_int_equal(r.encoder[m], cmd.motor[m]);
        assert_int_equal(r.buttons, HAP_FALCON_LED_RED);
    }
}

static void test_parser_stream(void **state)
{
    (void)state;
    hap_falcon_parser p;
    hap_falcon_parser_reset(&p);
    hap_falcon_report r;
    memset(&r, 0, sizeof r);
    const char *stream = "xx<AAAAAAAAAAAAAA>"    /* junk, then a frame */
                         "<BAAA"                 /* split across feeds ... */
                         ;
    assert_int_equal(hap_falcon_parser_feed(&p, (const uint8_t *)stream, strlen(stream), &r), 1);
    assert_int_equal(r.encoder[0], 0);
    assert_int_equal(p.junk, 2);
    const char *rest = "AAAAAAAAAA>"             /* ... completed */
                       "<AAA>"                   /* a short, broken frame */
                       "<CAAAAAAAAAAAAA>";       /* found again after it */
    assert_int_equal(hap_falcon_parser_feed(&p, (const uint8_t *)rest, strlen(rest), &r), 2);
    assert_int_equal(r.encoder[0], 2);
    assert_int_equal(p.frames, 3);
    assert_true(p.junk > 2);
}

/* Random bytes (with frame markers sprinkled in) never crash the parser,
 * and every frame it reports is one the decoder accepts. */
static void test_parser_garbage(void **state)
{
    (void)state;
    sim_rng rng;
    sim_rng_seed(&rng, 99, 3);
    hap_falcon_parser p;
    hap_falcon_parser_reset(&p);
    uint8_t buf[257];
    uint64_t frames = 0;
    for (int round = 0; round < 2000; round++) {
        size_t n = sim_rng_u32(&rng) % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            uint32_t r = sim_rng_u32(&rng);
            buf[i] = (r & 0x300) == 0 ? '<' : (r & 0x300) == 0x100 ? '>'
                   : (r & 0x300) == 0x200 ? (uint8_t)(0x41 + (r & 0xF)) : (uint8_t)r;
        }
        hap_falcon_report rep;
        memset(&rep, 0, sizeof rep);
        size_t got = hap_falcon_parser_feed(&p, buf, n, &rep);
        frames += got;
        assert_true(p.len < HAP_FALCON_FRAME_SIZE);
        if (got)
            assert_true(rep.buttons <= 0xF && rep.homed <= 7);
    }
    assert_int_equal(p.frames, frames);
    /* a valid frame still gets through after all that */
    hap_falcon_command cmd = {{1, 2, 3}, 0, false};
    uint8_t frame[16];
    hap_falcon_encode(&cmd, frame);
    hap_falcon_report rep;
    hap_falcon_parser_reset(&p);
    assert_int_equal(hap_falcon_parser_feed(&p, frame, 16, &rep), 1);
    assert_int_equal(rep.encoder[2], 3);
}

static void test_ftdi_strip(void **state)
{
    (void)state;
    uint8_t in[130], out[130];
    for (int i = 0; i < 130; i++)
        in[i] = (uint8_t)i;
    /* packets of 64: [0,1] [64,65] [128,129] are status */
    size_t n = hap_ftdi_strip_status(in, sizeof in, out);
    assert_int_equal(n, 124);
    assert_int_equal(out[0], 2);
    assert_int_equal(out[61], 63);
    assert_int_equal(out[62], 66);
    assert_int_equal(out[123], 127);
    assert_int_equal(hap_ftdi_strip_status(in, 2, out), 0);   /* status only */
    /* in place */
    n = hap_ftdi_strip_status(in, 20, in);
    assert_int_equal(n, 18);
    assert_int_equal(in[0], 2);
}

/* ------------------------------------------------------------------------ */
/* Kinematics                                                               */
/* ------------------------------------------------------------------------ */

static void test_encoder_angle(void **state)
{
    (void)state;
    assert_true(fabs(sim_deg(hap_falcon_encoder_angle(0)) - 35.0) < 1e-12);
    /* 14.25 * 360 / (4 * 320 * 110) degrees a count */
    double per = 14.25 * 360.0 / (4.0 * 320.0 * 110.0);
    assert_true(fabs(sim_deg(hap_falcon_encoder_angle(1000)) - (35.0 + 1000 * per)) < 1e-9);
    assert_true(fabs(sim_deg(hap_falcon_encoder_angle(-1000)) - (35.0 - 1000 * per)) < 1e-9);
}

/* Equal motor angles put the tip on the device's axis (the three legs are
 * 120 degrees apart); the reference height for 35 degrees (encoders at 0)
 * is 136.29 mm in Stamper's model with libnifalcon's dimensions. */
static void test_known_position_on_axis(void **state)
{
    (void)state;
    double th[3] = {sim_rad(35), sim_rad(35), sim_rad(35)};
    sim_vec3 p = sim_v3(0, 0, 110);
    assert_true(hap_falcon_fk(th, &p));
    assert_true(fabs(p.x) < 1e-6 && fabs(p.y) < 1e-6);
    assert_true(fabs(p.z - 136.2924) < 1e-3);
    /* and moving all motors together moves along the axis, monotonic */
    double prev_z = 0;
    for (int e = -1500; e <= 1000; e += 500) {
        double t[3] = {hap_falcon_encoder_angle(e), hap_falcon_encoder_angle(e),
                       hap_falcon_encoder_angle(e)};
        sim_vec3 q = sim_v3(0, 0, 110);
        assert_true(hap_falcon_fk(t, &q));
        assert_true(fabs(q.x) < 1e-6 && fabs(q.y) < 1e-6);
        assert_true(q.z > prev_z);
        prev_z = q.z;
    }
}

static sim_vec3 rot_z(sim_vec3 p, double a)
{
    return sim_v3(cos(a) * p.x - sin(a) * p.y, sin(a) * p.x + cos(a) * p.y, p.z);
}

/* Turning the tip by -120 degrees about the axis hands each leg's angle to
 * the next leg. */
static void test_three_fold_symmetry(void **state)
{
    (void)state;
    sim_vec3 p = sim_v3(17, -9, 120);
    double a[3], b[3];
    assert_true(hap_falcon_ik(p, a));
    assert_true(hap_falcon_ik(rot_z(p, -2 * SIM_PI / 3), b));
    assert_true(fabs(b[1] - a[0]) < 1e-9);
    assert_true(fabs(b[2] - a[1]) < 1e-9);
    assert_true(fabs(b[0] - a[2]) < 1e-9);
}

static void test_fk_ik_round_trip(void **state)
{
    (void)state;
    int checked = 0;
    for (double x = -40; x <= 40; x += 20)
        for (double y = -40; y <= 40; y += 20)
            for (double z = 90; z <= 160; z += 35) {
                sim_vec3 p = sim_v3(x, y, z);
                double th[3];
                if (!hap_falcon_ik(p, th))
                    continue;
                sim_vec3 q = sim_v3(0, 0, 110);
                assert_true(hap_falcon_fk(th, &q));
                assert_true(sim_v3_len(sim_v3_sub(p, q)) < 1e-5);
                checked++;
            }
    assert_true(checked >= 60);
    /* out of reach */
    double th[3];
    assert_false(hap_falcon_ik(sim_v3(0, 0, 400), th));
    double wild[3] = {sim_rad(170), sim_rad(170), sim_rad(170)};
    sim_vec3 q = sim_v3(1, 2, 3);
    assert_false(hap_falcon_fk(wild, &q));
    assert_true(q.x == 1 && q.y == 2 && q.z == 3);
}

/* Motor commands do the same work as the tip force: for a small tip move
 * dp, sum(torque_i * dtheta_i) = f . dp. */
static void test_force_to_motor_virtual_work(void **state)
{
    (void)state;
    sim_vec3 p = sim_v3(10, -15, 125);
    sim_vec3 f = sim_v3(0.7, -1.1, 2.0);
    int16_t m[3];
    assert_true(hap_falcon_force_to_motor(p, f, m));
    const sim_vec3 moves[3] = {{0.01, 0, 0}, {0, 0.01, 0}, {0, 0, 0.01}};
    double th0[3];
    assert_true(hap_falcon_ik(p, th0));
    for (int k = 0; k < 3; k++) {
        double th1[3];
        assert_true(hap_falcon_ik(sim_v3_add(p, moves[k]), th1));
        double work_motor = 0;   /* N mm */
        for (int i = 0; i < 3; i++)
            work_motor += (-m[i] / 10000.0) * 1000.0 * (th1[i] - th0[i]);
        double work_tip = sim_v3_dot(f, moves[k]);
        /* motor commands are rounded to integers: allow that */
        assert_true(fabs(work_motor - work_tip) < 2e-4);
    }
    /* saturation keeps the direction */
    int16_t big[3];
    assert_true(hap_falcon_force_to_motor(p, sim_v3_scale(f, 1000), big));
    int peak = 0;
    for (int i = 0; i < 3; i++)
        peak = abs(big[i]) > peak ? abs(big[i]) : peak;
    assert_int_equal(peak, 32767);
    double mpeak = fmax(fmax(abs(m[0]), abs(m[1])), abs(m[2]));
    for (int i = 0; i < 3; i++)
        assert_true(fabs(big[i] / 32767.0 - m[i] / mpeak) < 2e-3);
    assert_false(hap_falcon_force_to_motor(sim_v3(0, 0, 400), f, m));
    assert_true(m[0] == 0 && m[1] == 0 && m[2] == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_known_frames),
        cmocka_unit_test(test_decode_known_frames),
        cmocka_unit_test(test_decode_rejects),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_parser_stream),
        cmocka_unit_test(test_parser_garbage),
        cmocka_unit_test(test_ftdi_strip),
        cmocka_unit_test(test_encoder_angle),
        cmocka_unit_test(test_known_position_on_axis),
        cmocka_unit_test(test_three_fold_symmetry),
        cmocka_unit_test(test_fk_ik_round_trip),
        cmocka_unit_test(test_force_to_motor_virtual_work),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
