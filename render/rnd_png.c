/* rnd_png.c: PNG files (stb_image_write / stb_image from Debian's libstb,
 * whose shared library already holds the implementations) and one-call
 * headless pictures: offscreen context, renderer, camera, draw, read, write.
 *
 * Threads: any thread with no GL context current of its own that it needs
 * kept (rnd_render_picture makes its own context current and releases it).
 * Ownership: rnd_read_png's pixels belong to the caller (rnd_image_free).
 */
#include "rnd_internal.h"

#include <errno.h>
#include <limits.h>
#include <stb_image.h>
#include <stb_image_write.h>
#include <string.h>

#define RND__PICTURE_DEFAULT_W 1280
#define RND__PICTURE_DEFAULT_H 800

/* ------------------------------------------------------------------------ */
/* Files                                                                    */
/* ------------------------------------------------------------------------ */

rnd_result rnd_write_png(const char *path, int width, int height,
                         const uint8_t *rgba, sim_error *err)
{
    sim_error_clear(err);
    if (!path || !*path || !rgba || width < 1 || height < 1 ||
        width > INT_MAX / 4)
        return (rnd_result)sim_error_set(err, RND_ERR_ARG, path, 0, 0,
                                         "rnd_write_png: no path, no pixels or "
                                         "a size of %d x %d", width, height);
    errno = 0;
    if (!stbi_write_png(path, width, height, 4, rgba, width * 4)) {
        int e = errno;
        if (err)
            err->sys_errno = e;
        return (rnd_result)sim_error_set(err, RND_ERR_IO, path, 0, 0,
                                         "cannot write the PNG image: %s",
                                         e ? strerror(e) : "encoder failed");
    }
    return RND_OK;
}

rnd_result rnd_read_png(const char *path, int *width, int *height,
                        uint8_t **rgba, sim_error *err)
{
    sim_error_clear(err);
    if (!path || !width || !height || !rgba)
        return (rnd_result)sim_error_set(err, RND_ERR_ARG, path, 0, 0,
                                         "rnd_read_png: missing argument");
    *rgba = NULL;
    *width = *height = 0;
    int w = 0, h = 0, channels = 0;
    errno = 0;
    uint8_t *px = stbi_load(path, &w, &h, &channels, 4);
    if (!px) {
        int e = errno;
        if (err)
            err->sys_errno = e;
        return (rnd_result)sim_error_set(err, RND_ERR_IO, path, 0, 0,
                                         "cannot read the image: %s",
                                         stbi_failure_reason()
                                             ? stbi_failure_reason()
                                             : "unknown reason");
    }
    *rgba = px;
    *width = w;
    *height = h;
    return RND_OK;
}

void rnd_image_free(uint8_t *rgba)
{
    stbi_image_free(rgba);
}

/* ------------------------------------------------------------------------ */
/* One-call pictures                                                        */
/* ------------------------------------------------------------------------ */

rnd_result rnd_render_picture(const rnd_picture_desc *desc, sim_error *err)
{
    sim_error_clear(err);
    if (!desc || !desc->path || !desc->surface || (desc->dot_count && !desc->dots))
        return (rnd_result)sim_error_set(err, RND_ERR_ARG, NULL, 0, 0,
                                         "rnd_render_picture: needs a path, a "
                                         "surface and the dots it counts");
    int w = desc->width > 0 ? desc->width : RND__PICTURE_DEFAULT_W;
    int h = desc->height > 0 ? desc->height : RND__PICTURE_DEFAULT_H;
    rnd_offscreen *off = NULL;
    rnd_renderer *r = NULL;
    uint8_t *px = NULL;
    rnd_offscreen_desc od = {w, h, desc->samples > 0 ? desc->samples : 4};
    rnd_result rc = rnd_offscreen_create_desc(&off, &od, err);
    if (rc == RND_OK)
        rc = rnd_renderer_create(&r, err);
    if (rc == RND_OK) {
        rc = rnd_renderer_set_surface(r, desc->surface);
        if (rc != RND_OK)
            sim_error_set(err, rc, NULL, 0, 0,
                          "cannot upload the surface mesh (%s)", rnd_result_name(rc));
    }
    if (rc == RND_OK) {
        rc = rnd_renderer_set_dots(r, desc->dots, desc->dot_count);
        if (rc != RND_OK)
            sim_error_set(err, rc, NULL, 0, 0, "cannot upload %zu dots (%s)",
                          desc->dot_count, rnd_result_name(rc));
    }
    if (rc == RND_OK) {
        if (desc->skin_rgb)
            rnd_renderer_set_skin_tone(r, desc->skin_rgb[0], desc->skin_rgb[1],
                                       desc->skin_rgb[2]);
        if (desc->heatmap && (rc = rnd_renderer_set_heatmap(r, desc->heatmap, 1.0f)) != RND_OK)
            sim_error_set(err, rc, NULL, 0, 0, "cannot upload the heatmap (%s)",
                          rnd_result_name(rc));
    }
    if (rc == RND_OK) {
        rnd_frame frame = {0};
        frame.width = w;
        frame.height = h;
        frame.camera = desc->camera ? *desc->camera : rnd_camera_frame(desc->surface);
        frame.lesson = desc->lesson;
        frame.show_overlays = desc->lesson != NULL;
        frame.show_tip = desc->show_tip;
        frame.tip_mm = desc->tip_mm;
        frame.tip_in_skin = desc->tip_in_skin;
        rnd_renderer_draw(r, &frame);
        px = sim_malloc((size_t)w * (size_t)h * 4);
        if (!px)
            rc = (rnd_result)sim_error_set(err, RND_ERR_NOMEM, NULL, 0, 0,
                                           "out of memory for a %d x %d picture", w, h);
    }
    if (rc == RND_OK) {
        rc = rnd_offscreen_read(off, px);
        if (rc != RND_OK)
            sim_error_set(err, rc, NULL, 0, 0, "cannot read the rendered frame back");
    }
    if (rc == RND_OK)
        rc = rnd_write_png(desc->path, w, h, px, err);
    sim_free(px);
    rnd_renderer_destroy(r);
    rnd_offscreen_destroy(off);
    return rc;
}

rnd_result rnd_render_png(const char *path, int width, int height,
                          const sim_surface *surface, const les_lesson *lesson,
                          const rnd_dot *dots, size_t n, sim_error *err)
{
    rnd_picture_desc d = {0};
    d.path = path;
    d.width = width;
    d.height = height;
    d.surface = surface;
    d.lesson = lesson;
    d.dots = dots;
    d.dot_count = n;
    return rnd_render_picture(&d, err);
}
