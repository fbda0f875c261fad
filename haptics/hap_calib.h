/* hap_calib.h: calibration from a device's space into the lesson surface's
 * frame (pad frame or head frame, sim_surface.h), so that every sample
 * leaving the servo thread is in the surface frame.
 *
 * The map is a similarity (rotation, uniform scale, offset):
 *     p_surface = offset_mm + scale * R * p_device
 * plus an optional DEPTH SCALE: below the skin, depth along the surface
 * normal is rescaled so that device travel matches real needle depth
 * (depth_surface = device_depth * depth_scale) even when `scale` enlarges
 * the device workspace to cover a head. The servo applies that part, as it
 * needs a surface query (hap_servo.h); depth_scale == 0 means "same as
 * scale" (a plain similarity).
 *
 * Forces go the other way: f_device = R^T f_surface (no scale: newtons are
 * newtons). A surface-frame stiffness k becomes k * max(scale, depth_scale)
 * at the device, which is how the servo keeps rendering inside the device's
 * stiffness limit.
 *
 * The guided 3-point procedure: the app asks the trainee to touch three
 * known points (landmarks) and calls hap_calib_from_points with the device
 * positions read there. Calibrations are saved per station as a small text
 * file.
 *
 * Threads: pure functions; save/load on the setup thread.
 * Ownership: plain values; no allocation.
 */
#ifndef HAP_CALIB_H
#define HAP_CALIB_H

#include "hap_device.h"

typedef struct hap_calib {
    double rot[3][3];        /* device -> surface rotation, row-major */
    sim_vec3 offset_mm;      /* where the device origin lands, surface frame */
    double scale;            /* surface mm per device mm, > 0 */
    double depth_scale;      /* surface mm of depth per device mm; 0 = scale */
} hap_calib;

/* Identity: device space is the surface frame. */
hap_calib hap_calib_identity(void);

/* The similarity part only (no depth rescaling). */
sim_vec3 hap_calib_point(const hap_calib *c, sim_vec3 p_device);
sim_vec3 hap_calib_point_inverse(const hap_calib *c, sim_vec3 p_surface);
/* Directions and velocities (rotation; velocities also scale). */
sim_vec3 hap_calib_dir(const hap_calib *c, sim_vec3 d_device);
sim_vec3 hap_calib_velocity(const hap_calib *c, sim_vec3 v_device);
/* A surface-frame force as a device-space force: R^T f. */
sim_vec3 hap_calib_force_to_device(const hap_calib *c, sim_vec3 f_surface);
/* The effective depth scale (depth_scale, or scale when 0). */
double hap_calib_depth_scale(const hap_calib *c);
/* The largest of scale and depth scale: divides device stiffness limits. */
double hap_calib_max_gain(const hap_calib *c);

/* Fits the map taking device points dev[i] to surface points surf[i]
 * (i = 0..2). Rotation from the two triangles' frames, scale from the ratio
 * of their perimeters, offset from the centroids. *residual_mm (may be
 * NULL) receives the RMS distance between mapped and given surface points,
 * so the app can refuse a sloppy calibration. HAP_ERR_ARG when either
 * triangle is degenerate (points closer than 5 mm or nearly collinear).
 * depth_scale is set to 0 (uniform); set it afterwards if wanted. */
hap_result hap_calib_from_points(hap_calib *out, const sim_vec3 dev[3],
                                 const sim_vec3 surf[3], double *residual_mm,
                                 sim_error *err);

/* HAP_OK when finite, scale > 0, depth_scale >= 0 and R orthonormal with
 * determinant +1 (tolerance 1e-6); else HAP_ERR_ARG with a reason. */
hap_result hap_calib_check(const hap_calib *c, sim_error *err);

/* Text file "stipple-calibration 1" + "scale", "depth_scale", "rotation"
 * (9 numbers), "offset" (3 numbers) lines. Load reports file:line:column
 * for what it cannot take and checks the result with hap_calib_check. */
hap_result hap_calib_save(const hap_calib *c, const char *path, sim_error *err);
hap_result hap_calib_load(hap_calib *c, const char *path, sim_error *err);

#endif /* HAP_CALIB_H */
