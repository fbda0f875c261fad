/* hap_replay.h: a device that plays a recorded trace (sim_trace.h) back in
 * time with the servo's clock, so a recorded attempt drives the same
 * pipeline (servo, force model, ring, recorder) as a live one.
 *
 * Positions are the trace's, already in the surface frame
 * (info.surface_frame). The device is passive (no actuators): the forces the
 * servo renders are recorded, not felt. When the trace is over, reads
 * answer HAP_ERR_ENDED (the servo ends the session), unless `loop`.
 *
 * Threads and ownership: as hap_device.h; the trace is borrowed and must
 * outlive the device.
 */
#ifndef HAP_REPLAY_H
#define HAP_REPLAY_H

#include "hap_device.h"
#include "sim_trace.h"

typedef struct hap_replay_desc {
    const sim_trace *trace;       /* borrowed; at least one sample */
    double speed;                 /* 0 = 1.0 (real time); 0.001..1000 */
    bool loop;                    /* start over at the end */
} hap_replay_desc;

hap_result hap_replay_open(hap_device *dev, const hap_replay_desc *desc, sim_error *err);

#endif /* HAP_REPLAY_H */
