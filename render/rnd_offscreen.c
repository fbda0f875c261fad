/* rnd_offscreen.c: a headless OpenGL 3.3 core context (EGL, surfaceless)
 * rendering into a framebuffer object, for tests, benches and report images.
 *
 * The display is Mesa's surfaceless platform (no X, no Wayland, no GPU
 * needed: llvmpipe renders). When that platform is missing, EGL's default
 * display is tried. The context has no window surface: all drawing goes to
 * a multisampled colour + depth FBO (when the driver offers samples), which
 * rnd_offscreen_read resolves into a plain FBO and reads back.
 *
 * The EGL display is opened once per process and kept (see
 * rnd__open_display); each rnd_offscreen has its own context.
 *
 * Threads: an rnd_offscreen belongs to the thread that made it current.
 * Ownership: rnd_offscreen_create allocates; rnd_offscreen_destroy frees.
 */
#include "rnd_internal.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

#define RND__OFF_MAX_SIZE 16384
#define RND__OFF_WANT_SAMPLES 4

#ifndef EGL_PLATFORM_SURFACELESS_MESA
#define EGL_PLATFORM_SURFACELESS_MESA 0x31DD
#endif

struct rnd_offscreen {
    EGLDisplay display;
    EGLContext context;
    int width, height;
    int samples;             /* 1: no multisampling */
    GLuint draw_fbo;         /* what drawing goes to (multisampled or not) */
    GLuint draw_color, draw_depth;
    GLuint resolve_fbo;      /* plain, for readback (0 when samples == 1) */
    GLuint resolve_color;
    char device[128];        /* GL_RENDERER */
};

/* ------------------------------------------------------------------------ */
/* The process's display                                                    */
/* ------------------------------------------------------------------------ */

/* Opened on first use, never terminated: EGL displays are process-wide, and
 * eglTerminate would end one for every other offscreen context too; Mesa
 * also unloads its driver then (leaking a little, and costing a reload on
 * the next picture). */
static once_flag rnd__display_once = ONCE_FLAG_INIT;
static mtx_t rnd__display_mutex;
static EGLDisplay rnd__display = EGL_NO_DISPLAY;

static void rnd__display_mutex_init(void)
{
    mtx_init(&rnd__display_mutex, mtx_plain);
}

/* ------------------------------------------------------------------------ */
/* EGL                                                                      */
/* ------------------------------------------------------------------------ */

static bool rnd__has_ext(const char *list, const char *name)
{
    if (!list)
        return false;
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n) {
        bool starts = p == list || p[-1] == ' ';
        bool ends = p[n] == '\0' || p[n] == ' ';
        if (starts && ends)
            return true;
    }
    return false;
}

static const char *rnd__egl_error_name(EGLint e)
{
    switch (e) {
    case EGL_SUCCESS: return "EGL_SUCCESS";
    case EGL_NOT_INITIALIZED: return "EGL_NOT_INITIALIZED";
    case EGL_BAD_ACCESS: return "EGL_BAD_ACCESS";
    case EGL_BAD_ALLOC: return "EGL_BAD_ALLOC";
    case EGL_BAD_ATTRIBUTE: return "EGL_BAD_ATTRIBUTE";
    case EGL_BAD_CONFIG: return "EGL_BAD_CONFIG";
    case EGL_BAD_CONTEXT: return "EGL_BAD_CONTEXT";
    case EGL_BAD_DISPLAY: return "EGL_BAD_DISPLAY";
    case EGL_BAD_MATCH: return "EGL_BAD_MATCH";
    case EGL_BAD_PARAMETER: return "EGL_BAD_PARAMETER";
    default: return "EGL error";
    }
}

/* Opens and initialises a display: Mesa surfaceless first, else default. */
static rnd_result rnd__init_display(EGLDisplay *out, sim_error *err)
{
    *out = EGL_NO_DISPLAY;
    const char *client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    EGLDisplay d = EGL_NO_DISPLAY;
    if (rnd__has_ext(client, "EGL_MESA_platform_surfaceless") &&
        rnd__has_ext(client, "EGL_EXT_platform_base")) {
        PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display =
            (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress(
                "eglGetPlatformDisplayEXT");
        if (get_platform_display)
            d = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA,
                                     EGL_DEFAULT_DISPLAY, NULL);
    }
    EGLint major = 0, minor = 0;
    if (d != EGL_NO_DISPLAY && !eglInitialize(d, &major, &minor))
        d = EGL_NO_DISPLAY;
    if (d == EGL_NO_DISPLAY) {
        d = eglGetDisplay(EGL_DEFAULT_DISPLAY);
        if (d == EGL_NO_DISPLAY || !eglInitialize(d, &major, &minor)) {
            EGLint e = eglGetError();
            if (err)
                err->sys_errno = e;
            return (rnd_result)sim_error_set(
                err, RND_ERR_NO_DISPLAY, NULL, 0, 0,
                "cannot open an EGL display for offscreen rendering (%s): "
                "install Mesa's EGL (libegl-mesa0) or run with a GPU driver",
                rnd__egl_error_name(e));
        }
    }
    *out = d;
    return RND_OK;
}

/* The process's display, initialised on first use (thread-safe). */
static rnd_result rnd__open_display(EGLDisplay *out, sim_error *err)
{
    call_once(&rnd__display_once, rnd__display_mutex_init);
    mtx_lock(&rnd__display_mutex);
    rnd_result rc = RND_OK;
    if (rnd__display == EGL_NO_DISPLAY)
        rc = rnd__init_display(&rnd__display, err);
    *out = rnd__display;
    mtx_unlock(&rnd__display_mutex);
    return rc;
}

/* A 3.3 core desktop GL context with no surface, made current. */
static rnd_result rnd__make_context(rnd_offscreen *off, sim_error *err)
{
    EGLDisplay d = off->display;
    const char *ext = eglQueryString(d, EGL_EXTENSIONS);
    if (!rnd__has_ext(ext, "EGL_KHR_surfaceless_context"))
        return (rnd_result)sim_error_set(
            err, RND_ERR_NO_DISPLAY, NULL, 0, 0,
            "the EGL display cannot make a context current without a "
            "surface (EGL_KHR_surfaceless_context missing)");
    if (!eglBindAPI(EGL_OPENGL_API))
        return (rnd_result)sim_error_set(
            err, RND_ERR_NO_DISPLAY, NULL, 0, 0,
            "the EGL display offers no desktop OpenGL (eglBindAPI: %s)",
            rnd__egl_error_name(eglGetError()));

    static const EGLint config_attribs[] = {
        EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
        EGL_SURFACE_TYPE, 0,
        EGL_NONE,
    };
    EGLConfig config = NULL;
    EGLint n = 0;
    if (!eglChooseConfig(d, config_attribs, &config, 1, &n) || n < 1) {
        if (!rnd__has_ext(ext, "EGL_KHR_no_config_context"))
            return (rnd_result)sim_error_set(
                err, RND_ERR_NO_DISPLAY, NULL, 0, 0,
                "the EGL display has no configuration for desktop OpenGL");
        config = (EGLConfig)0; /* EGL_NO_CONFIG_KHR */
    }
    static const EGLint ctx_attribs[] = {
        EGL_CONTEXT_MAJOR_VERSION, 3,
        EGL_CONTEXT_MINOR_VERSION, 3,
        EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
        EGL_NONE,
    };
    off->context = eglCreateContext(d, config, EGL_NO_CONTEXT, ctx_attribs);
    if (off->context == EGL_NO_CONTEXT) {
        EGLint e = eglGetError();
        if (err)
            err->sys_errno = e;
        return (rnd_result)sim_error_set(
            err, RND_ERR_NO_DISPLAY, NULL, 0, 0,
            "cannot create an OpenGL 3.3 core context (%s)",
            rnd__egl_error_name(e));
    }
    if (!eglMakeCurrent(d, EGL_NO_SURFACE, EGL_NO_SURFACE, off->context))
        return (rnd_result)sim_error_set(
            err, RND_ERR_NO_DISPLAY, NULL, 0, 0,
            "cannot make the offscreen OpenGL context current (%s)",
            rnd__egl_error_name(eglGetError()));
    return RND_OK;
}

/* ------------------------------------------------------------------------ */
/* Framebuffers                                                             */
/* ------------------------------------------------------------------------ */

/* Colour + depth renderbuffers in a new FBO; samples <= 1: plain. */
static bool rnd__make_fbo(int w, int h, int samples, bool depth, GLuint *fbo,
                          GLuint *color, GLuint *depth_rb)
{
    glGenFramebuffers(1, fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, *fbo);
    glGenRenderbuffers(1, color);
    glBindRenderbuffer(GL_RENDERBUFFER, *color);
    if (samples > 1)
        glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, w, h);
    else
        glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0,
                              GL_RENDERBUFFER, *color);
    if (depth) {
        glGenRenderbuffers(1, depth_rb);
        glBindRenderbuffer(GL_RENDERBUFFER, *depth_rb);
        if (samples > 1)
            glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples,
                                             GL_DEPTH_COMPONENT24, w, h);
        else
            glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, w, h);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT,
                                  GL_RENDERBUFFER, *depth_rb);
    }
    glBindRenderbuffer(GL_RENDERBUFFER, 0);
    return glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE &&
           rnd__gl_drain_errors() == GL_NO_ERROR;
}

static void rnd__delete_fbos(rnd_offscreen *off)
{
    GLuint rbs[3] = {off->draw_color, off->draw_depth, off->resolve_color};
    GLuint fbos[2] = {off->draw_fbo, off->resolve_fbo};
    glDeleteRenderbuffers(3, rbs);
    glDeleteFramebuffers(2, fbos);
    off->draw_color = off->draw_depth = off->resolve_color = 0;
    off->draw_fbo = off->resolve_fbo = 0;
}

static rnd_result rnd__make_framebuffers(rnd_offscreen *off, int want,
                                         sim_error *err)
{
    if (epoxy_gl_version() < 33 || !epoxy_is_desktop_gl())
        return (rnd_result)sim_error_set(
            err, RND_ERR_NO_DISPLAY, NULL, 0, 0,
            "the offscreen context offers OpenGL %d.%d, 3.3 core is needed",
            epoxy_gl_version() / 10, epoxy_gl_version() % 10);
    GLint max_samples = 0;
    glGetIntegerv(GL_MAX_SAMPLES, &max_samples);
    rnd__gl_drain_errors();
    int samples = want < max_samples ? want : max_samples;
    if (samples > 1) {
        GLuint unused = 0;
        if (rnd__make_fbo(off->width, off->height, samples, true, &off->draw_fbo,
                          &off->draw_color, &off->draw_depth) &&
            rnd__make_fbo(off->width, off->height, 1, false, &off->resolve_fbo,
                          &off->resolve_color, &unused)) {
            off->samples = samples;
            glBindFramebuffer(GL_FRAMEBUFFER, off->draw_fbo);
            return RND_OK;
        }
        rnd__delete_fbos(off); /* the driver refused: fall back to plain */
    }
    if (!rnd__make_fbo(off->width, off->height, 1, true, &off->draw_fbo,
                       &off->draw_color, &off->draw_depth)) {
        rnd__delete_fbos(off);
        return (rnd_result)sim_error_set(
            err, RND_ERR_GL, NULL, 0, 0,
            "cannot create a %d x %d offscreen framebuffer", off->width,
            off->height);
    }
    off->samples = 1;
    glBindFramebuffer(GL_FRAMEBUFFER, off->draw_fbo);
    return RND_OK;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */
/* ------------------------------------------------------------------------ */

rnd_result rnd_offscreen_create(rnd_offscreen **out, int width, int height,
                                sim_error *err)
{
    rnd_offscreen_desc desc = {width, height, 0};
    return rnd_offscreen_create_desc(out, &desc, err);
}

rnd_result rnd_offscreen_create_desc(rnd_offscreen **out,
                                     const rnd_offscreen_desc *desc,
                                     sim_error *err)
{
    sim_error_clear(err);
    if (!out || !desc) {
        if (out)
            *out = NULL;
        return (rnd_result)sim_error_set(err, RND_ERR_ARG, NULL, 0, 0,
                                         "rnd_offscreen_create: out or desc is NULL");
    }
    *out = NULL;
    int width = desc->width, height = desc->height;
    int want = desc->samples > 0 ? desc->samples : RND__OFF_WANT_SAMPLES;
    if (width < 1 || height < 1 || width > RND__OFF_MAX_SIZE ||
        height > RND__OFF_MAX_SIZE)
        return (rnd_result)sim_error_set(
            err, RND_ERR_ARG, NULL, 0, 0,
            "offscreen size %d x %d is outside 1..%d pixels", width, height,
            RND__OFF_MAX_SIZE);
    rnd_offscreen *off = sim_calloc(1, sizeof *off);
    if (!off)
        return (rnd_result)sim_error_set(err, RND_ERR_NOMEM, NULL, 0, 0,
                                         "out of memory for the offscreen context");
    off->width = width;
    off->height = height;
    off->display = EGL_NO_DISPLAY;
    off->context = EGL_NO_CONTEXT;
    rnd_result rc = rnd__open_display(&off->display, err);
    if (rc == RND_OK)
        rc = rnd__make_context(off, err);
    if (rc == RND_OK)
        rc = rnd__make_framebuffers(off, want, err);
    if (rc != RND_OK) {
        rnd_offscreen_destroy(off);
        return rc;
    }
    const GLubyte *name = glGetString(GL_RENDERER);
    snprintf(off->device, sizeof off->device, "%s", name ? (const char *)name : "unknown");
    glViewport(0, 0, width, height);
    *out = off;
    return RND_OK;
}

rnd_result rnd_offscreen_make_current(rnd_offscreen *off)
{
    if (!off)
        return RND_ERR_ARG;
    if (eglGetCurrentContext() != off->context &&
        !eglMakeCurrent(off->display, EGL_NO_SURFACE, EGL_NO_SURFACE,
                        off->context))
        return RND_ERR_NO_DISPLAY;
    glBindFramebuffer(GL_FRAMEBUFFER, off->draw_fbo);
    return RND_OK;
}

int rnd_offscreen_samples(const rnd_offscreen *off)
{
    return off ? off->samples : 0;
}

const char *rnd_offscreen_device(const rnd_offscreen *off)
{
    return off ? off->device : "";
}

void rnd_offscreen_finish(rnd_offscreen *off)
{
    if (off && rnd_offscreen_make_current(off) == RND_OK)
        glFinish();
}

rnd_result rnd_offscreen_read(rnd_offscreen *off, uint8_t *rgba)
{
    if (!off || !rgba)
        return RND_ERR_ARG;
    rnd_result rc = rnd_offscreen_make_current(off);
    if (rc != RND_OK)
        return rc;
    GLuint src = off->draw_fbo;
    if (off->samples > 1) {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, off->draw_fbo);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, off->resolve_fbo);
        glBlitFramebuffer(0, 0, off->width, off->height, 0, 0, off->width,
                          off->height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
        src = off->resolve_fbo;
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, src);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, off->width, off->height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    glBindFramebuffer(GL_FRAMEBUFFER, off->draw_fbo);
    if (rnd__gl_drain_errors() != GL_NO_ERROR)
        return RND_ERR_GL;
    /* GL rows run bottom-up: flip in place to top-down. */
    size_t stride = (size_t)off->width * 4;
    for (int y = 0; y < off->height / 2; y++) {
        uint8_t *a = rgba + (size_t)y * stride;
        uint8_t *b = rgba + (size_t)(off->height - 1 - y) * stride;
        for (size_t i = 0; i < stride; i++) {
            uint8_t t = a[i];
            a[i] = b[i];
            b[i] = t;
        }
    }
    return RND_OK;
}

void rnd_offscreen_destroy(rnd_offscreen *off)
{
    if (!off)
        return;
    /* Another context current on this thread is restored afterwards. */
    EGLContext prev_ctx = eglGetCurrentContext();
    EGLDisplay prev_dpy = eglGetCurrentDisplay();
    EGLSurface prev_draw = eglGetCurrentSurface(EGL_DRAW);
    EGLSurface prev_read = eglGetCurrentSurface(EGL_READ);
    bool restore = prev_ctx != EGL_NO_CONTEXT && prev_ctx != off->context;
    if (off->context != EGL_NO_CONTEXT) {
        bool current = prev_ctx == off->context ||
                       eglMakeCurrent(off->display, EGL_NO_SURFACE,
                                      EGL_NO_SURFACE, off->context);
        if (current && off->draw_fbo)
            rnd__delete_fbos(off);
        eglMakeCurrent(off->display, EGL_NO_SURFACE, EGL_NO_SURFACE,
                       EGL_NO_CONTEXT);
        eglDestroyContext(off->display, off->context);
    }
    if (restore)
        eglMakeCurrent(prev_dpy, prev_draw, prev_read, prev_ctx);
    if (!restore && off->display != EGL_NO_DISPLAY)
        eglReleaseThread();
    sim_free(off);
}
