/* hap_falcon_kin.c: Falcon delta-robot kinematics (see hap_falcon_kin.h). */
#include "hap_falcon_kin.h"

#include <math.h>
#include <string.h>

/* Stamper's dimensions for the Falcon, mm (libnifalcon FalconGeometry.h). */
#define KA 60.0             /* leg base to knee */
#define KB 102.5            /* shin parallelogram side */
#define KC 14.0             /* shin joint to effector centre, u */
#define KD 11.25            /* shin to effector joint */
#define KE 11.25            /* knee to shin joint */
#define KF (-25.0)          /* shin joint to effector centre, v */
#define KR 37.233758        /* frame origin to leg base, u */
#define KS (-27.330909)     /* frame origin to leg base, v */
#define SHAFT_DIAMETER_MM 14.25
#define ARM_DIAMETER_MM 110.0
#define WHEEL_SLOTS 320.0
#define THETA_OFFSET_DEG 35.0
#define MOTOR_UNITS_PER_NM 10000.0
#define FD_STEP_MM 1e-3
#define FK_TOL_RAD 1e-9
#define FK_MAX_ITER 30

/* leg directions: 90, -30, -150 degrees, all turned by 15 degrees */
static const double leg_phi[3] = {
    SIM_PI / 2 + SIM_PI / 12, -SIM_PI / 6 + SIM_PI / 12, -5 * SIM_PI / 6 + SIM_PI / 12,
};

double hap_falcon_encoder_angle(int encoder)
{
    double deg_per_count = SHAFT_DIAMETER_MM * 360.0 / (4.0 * WHEEL_SLOTS * ARM_DIAMETER_MM);
    return sim_rad(encoder * deg_per_count + THETA_OFFSET_DEG);
}

/* Motor angle of one leg for the tip at p; false out of reach. */
static bool leg_ik(int leg, sim_vec3 p, double *theta1)
{
    double cp = cos(leg_phi[leg]), sp = sin(leg_phi[leg]);
    /* the tip in the leg's frame */
    double u = cp * p.x + sp * p.y - KR;
    double v = -sp * p.x + cp * p.y - KS;
    double w = p.z;
    double c3 = (v + KF) / KB;
    if (!(c3 >= -1.0 && c3 <= 1.0))
        return false;
    double s3 = sin(acos(c3));
    double common = w * w + u * u + 2 * KC * u + KA * KA + KC * KC - KD * KD - KE * KE -
                    KB * KB * s3 * s3 - 2 * KB * KE * s3 - 2 * KB * KD * s3 - 2 * KD * KE;
    double l0 = common - 2 * KA * u - 2 * KA * KC;
    double l1 = -4 * KA * w;
    double l2 = common + 2 * KA * u + 2 * KA * KC;
    double disc = l1 * l1 - 4 * l0 * l2;
    if (!(disc >= 0) || l2 == 0)
        return false;
    double t = (-l1 - sqrt(disc)) / (2 * l2);
    *theta1 = 2 * atan(t);
    return isfinite(*theta1);
}

bool hap_falcon_ik(sim_vec3 p, double theta[3])
{
    for (int i = 0; i < 3; i++)
        if (!leg_ik(i, p, &theta[i]))
            return false;
    return true;
}

bool hap_falcon_jacobian(sim_vec3 p, double j[3][3])
{
    const sim_vec3 axes[3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    for (int c = 0; c < 3; c++) {
        double hi[3], lo[3];
        sim_vec3 d = sim_v3_scale(axes[c], FD_STEP_MM);
        if (!hap_falcon_ik(sim_v3_add(p, d), hi) || !hap_falcon_ik(sim_v3_sub(p, d), lo))
            return false;
        for (int r = 0; r < 3; r++)
            j[r][c] = (hi[r] - lo[r]) / (2 * FD_STEP_MM);
    }
    return true;
}

/* Inverse of a 3x3 matrix; false when (nearly) singular. */
static bool invert3(const double m[3][3], double out[3][3])
{
    double c00 = m[1][1] * m[2][2] - m[1][2] * m[2][1];
    double c01 = m[1][2] * m[2][0] - m[1][0] * m[2][2];
    double c02 = m[1][0] * m[2][1] - m[1][1] * m[2][0];
    double det = m[0][0] * c00 + m[0][1] * c01 + m[0][2] * c02;
    double scale = 0;
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            scale = fmax(scale, fabs(m[r][c]));
    if (!(fabs(det) > 1e-12 * scale * scale * scale) || !isfinite(det))
        return false;
    double inv = 1.0 / det;
    out[0][0] = c00 * inv;
    out[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) * inv;
    out[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) * inv;
    out[1][0] = c01 * inv;
    out[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) * inv;
    out[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) * inv;
    out[2][0] = c02 * inv;
    out[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) * inv;
    out[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) * inv;
    return true;
}

static double angle_error(const double target[3], const double th[3], double e[3])
{
    for (int i = 0; i < 3; i++)
        e[i] = target[i] - th[i];
    return fmax(fabs(e[0]), fmax(fabs(e[1]), fabs(e[2])));
}

bool hap_falcon_fk(const double theta[3], sim_vec3 *p_mm)
{
    sim_vec3 p = *p_mm;
    double th[3], e[3];
    if (!hap_falcon_ik(p, th)) {
        p = sim_v3(0, 0, 110);
        if (!hap_falcon_ik(p, th))
            return false;
    }
    double err = angle_error(theta, th, e);
    for (int it = 0; it < FK_MAX_ITER; it++) {
        if (err < FK_TOL_RAD) {
            *p_mm = p;
            return true;
        }
        double j[3][3], ji[3][3];
        if (!hap_falcon_jacobian(p, j) || !invert3(j, ji))
            return false;
        sim_vec3 step = sim_v3(ji[0][0] * e[0] + ji[0][1] * e[1] + ji[0][2] * e[2],
                               ji[1][0] * e[0] + ji[1][1] * e[1] + ji[1][2] * e[2],
                               ji[2][0] * e[0] + ji[2][1] * e[1] + ji[2][2] * e[2]);
        /* backtracking: halve the step while it leaves the workspace or
         * does not reduce the error */
        bool moved = false;
        for (int k = 0; k < 20 && !moved; k++, step = sim_v3_scale(step, 0.5)) {
            sim_vec3 q = sim_v3_add(p, step);
            double tq[3], eq[3];
            if (!hap_falcon_ik(q, tq))
                continue;
            double err_q = angle_error(theta, tq, eq);
            if (err_q < err) {
                p = q;
                err = err_q;
                memcpy(e, eq, sizeof e);
                moved = true;
            }
        }
        if (!moved)
            return false;
    }
    if (err < FK_TOL_RAD) {
        *p_mm = p;
        return true;
    }
    return false;
}

bool hap_falcon_force_to_motor(sim_vec3 p_mm, sim_vec3 f, int16_t motor[3])
{
    motor[0] = motor[1] = motor[2] = 0;
    double j[3][3], ji[3][3];
    if (!hap_falcon_jacobian(p_mm, j) || !invert3(j, ji))
        return false;
    /* ji = d(p)/d(theta) in mm/rad; torque = ji^T f in N mm/rad -> N m */
    double t[3];
    double peak = 0;
    for (int m = 0; m < 3; m++) {
        t[m] = -(ji[0][m] * f.x + ji[1][m] * f.y + ji[2][m] * f.z) * 1e-3 * MOTOR_UNITS_PER_NM;
        if (!isfinite(t[m]))
            return false;
        peak = fmax(peak, fabs(t[m]));
    }
    double s = peak > 32767.0 ? 32767.0 / peak : 1.0;
    for (int m = 0; m < 3; m++)
        motor[m] = (int16_t)lround(t[m] * s);
    return true;
}
