/* hap_replay.c: trace playback as a device (see hap_replay.h). */
#include "hap_replay.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Playback limits: with them every time below fits an int64 (a span of
 * at most 30 years, stretched at most 1000 times). */
#define REPLAY_MIN_SPEED 0.001
#define REPLAY_MAX_SPEED 1000.0
#define REPLAY_MAX_SPAN_US ((int64_t)30 * 36525 * 86400 * 1000000 / 100)  /* 30 years */

typedef struct replay {
    const sim_trace *trace;
    double speed;
    bool loop;
    size_t index;                 /* newest sample at or before the time */
    int64_t loop_base_us;         /* servo time where the current pass began */
    int64_t first_us, span_us;
} replay;

static hap_result replay_read(hap_device *dev, int64_t t_us, hap_state *st)
{
    replay *r = dev->impl;
    const sim_sample *s = r->trace->samples;
    size_t n = r->trace->count;
    double pass_us = (double)(t_us - r->loop_base_us) * r->speed;
    if (pass_us > (double)r->span_us) {
        if (!r->loop)
            return hap_device__fail(dev, HAP_ERR_ENDED, 0, "playing the trace");
        /* start over, one nominal period after the last sample */
        int64_t period_us = r->trace->header.sample_rate_hz ? 1000000 / r->trace->header.sample_rate_hz : 1000;
        r->loop_base_us += (int64_t)((double)(r->span_us + period_us) / r->speed);
        r->index = 0;
        pass_us = (double)(t_us - r->loop_base_us) * r->speed;
    }
    int64_t want = r->first_us + (int64_t)floor(pass_us);
    while (r->index + 1 < n && s[r->index + 1].t_us <= want)
        r->index++;
    const sim_sample *c = &s[r->index];
    st->tip_mm = sim_v3(c->tip_mm[0], c->tip_mm[1], c->tip_mm[2]);
    sim_vec3 a = sim_v3(c->axis[0], c->axis[1], c->axis[2]);
    st->axis = sim_v3_len2(a) > 0 ? sim_v3_normalize(a) : sim_v3(0, 0, 1);
    st->axis_sensed = true;
    st->buttons = c->buttons;
    st->homed = true;
    return HAP_OK;
}

static void replay_close(hap_device *dev)
{
    sim_free(dev->impl);
    dev->impl = NULL;
}

static const hap_backend_ops replay_ops = {
    .name = "replay",
    .close = replay_close,
    .read = replay_read,
};

hap_result hap_replay_open(hap_device *dev, const hap_replay_desc *desc, sim_error *err)
{
    memset(dev, 0, sizeof *dev);
    if (!desc || !desc->trace || desc->trace->count == 0 || !desc->trace->samples)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "replay: the trace has no samples");
    double speed = desc->speed == 0 ? 1.0 : desc->speed;
    if (!(speed >= REPLAY_MIN_SPEED && speed <= REPLAY_MAX_SPEED))
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "replay: speed %g is not in [%g, %g]", speed,
                                         REPLAY_MIN_SPEED, REPLAY_MAX_SPEED);
    const sim_sample *s = desc->trace->samples;
    for (size_t i = 1; i < desc->trace->count; i++)
        if (s[i].t_us < s[i - 1].t_us)
            return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                             "replay: sample %zu goes back in time", i);
    /* the times come from a file: bound the span (in double, which cannot
     * overflow) so the playback arithmetic in int64 cannot either */
    if ((double)s[desc->trace->count - 1].t_us - (double)s[0].t_us > (double)REPLAY_MAX_SPAN_US)
        return (hap_result)sim_error_set(err, HAP_ERR_ARG, NULL, 0, 0,
                                         "replay: the trace's times span more than 30 years");
    replay *r = sim_calloc(1, sizeof *r);
    if (!r)
        return (hap_result)sim_error_set(err, HAP_ERR_NOMEM, NULL, 0, 0, "replay: out of memory");
    r->trace = desc->trace;
    r->speed = speed;
    r->loop = desc->loop;
    r->first_us = s[0].t_us;
    r->span_us = s[desc->trace->count - 1].t_us - s[0].t_us;

    hap_device_info info;
    memset(&info, 0, sizeof info);
    info.backend = HAP_BACKEND_REPLAY;
    snprintf(info.model, sizeof info.model, "trace replay");
    snprintf(info.location, sizeof info.location, "%s", desc->trace->header.device);
    info.workspace_min_mm = sim_v3(-1000, -1000, -1000);
    info.workspace_max_mm = sim_v3(1000, 1000, 1000);
    info.sensed = HAP_AXIS_XYZ | HAP_AXIS_STYLUS;
    info.button_count = 3;
    info.rate_hz = desc->trace->header.sample_rate_hz;
    info.surface_frame = true;
    hap_device__attach(dev, &replay_ops, r, &info);
    return HAP_OK;
}
