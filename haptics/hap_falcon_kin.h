/* hap_falcon_kin.h: kinematics of the Novint Falcon, a three-legged delta
 * robot: encoder counts -> motor angles -> tip position (forward), tip
 * position -> motor angles (inverse), and a tip force -> motor commands
 * (through the Jacobian's transpose).
 *
 * Model: R. E. Stamper's parallel manipulator (PhD thesis, University of
 * Maryland, 1997) with the Falcon's dimensions as measured and published by
 * libnifalcon (FalconGeometry.h, Kevin Ouellet); our own implementation.
 * Inverse kinematics is closed form; forward kinematics is Newton's method
 * on it, with the Jacobian taken by central differences of the inverse
 * (no transcribed derivative to get wrong).
 *
 * DEVICE SPACE (mm): the kinematic frame, origin at the centre of the
 * motor plane, +z out of the device toward the user, +y up, +x to the
 * user's left as seen facing the device; the grip works roughly within
 * x, y in [-60, 60] and z in [75, 175].
 *
 * Motor commands: torque = J^T f (N m), scaled by 10000 units per N m and
 * negated for the motors' sense, as libnifalcon's stamper kinematics does;
 * the result saturates at the int16 range, scaling all three motors
 * together so the force keeps its direction.
 *
 * Threads: pure functions, allocation-free (safe on the servo thread).
 */
#ifndef HAP_FALCON_KIN_H
#define HAP_FALCON_KIN_H

#include "hap_device.h"

/* Motor angle (rad) for an encoder count: 35 degrees at count 0 and
 * (shaft diameter * 360) / (4 * 320 slots * arm diameter) degrees per count. */
double hap_falcon_encoder_angle(int encoder);

/* Motor angles (rad) that put the tip at p_mm; false outside the
 * reachable workspace. */
bool hap_falcon_ik(sim_vec3 p_mm, double theta_rad[3]);

/* The tip position for motor angles. *p_mm is the starting guess on entry
 * (the previous position; the workspace centre (0, 0, 110) when unknown)
 * and the answer on exit. False when Newton's method did not converge to
 * 1e-9 rad (then *p_mm is left unchanged). */
bool hap_falcon_fk(const double theta_rad[3], sim_vec3 *p_mm);

/* The Jacobian d(theta)/d(p) (rad per mm) at p_mm; false out of reach. */
bool hap_falcon_jacobian(sim_vec3 p_mm, double j[3][3]);

/* Motor commands rendering force_n at the tip at p_mm. False (and zero
 * commands) out of reach or at a singular pose. */
bool hap_falcon_force_to_motor(sim_vec3 p_mm, sim_vec3 force_n, int16_t motor[3]);

#endif /* HAP_FALCON_KIN_H */
