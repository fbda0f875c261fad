/* rnd_result.c: names and messages of the render module's result codes, and
 * the GL error helpers every render file shares.
 *
 * Threads: reentrant (the GL helpers: the GL thread).
 */
#include "rnd_internal.h"

#include <string.h>

static const char *const rnd__names[] = {
#define RND__NAME(name, msg) "RND_" #name,
    RND_RESULT_MAP(RND__NAME)
#undef RND__NAME
};

static const char *const rnd__messages[] = {
#define RND__MSG(name, msg) msg,
    RND_RESULT_MAP(RND__MSG)
#undef RND__MSG
};

const char *rnd_result_name(rnd_result r)
{
    return ((int)r >= 0 && r < RND_RESULT_COUNT) ? rnd__names[r] : "RND_UNKNOWN";
}

const char *rnd_result_message(rnd_result r)
{
    return ((int)r >= 0 && r < RND_RESULT_COUNT) ? rnd__messages[r] : "unknown result";
}

GLenum rnd__gl_drain_errors(void)
{
    GLenum first = GL_NO_ERROR;
    /* Bounded: a lost context may report errors forever. */
    for (int i = 0; i < 32; i++) {
        GLenum e = glGetError();
        if (e == GL_NO_ERROR)
            break;
        if (first == GL_NO_ERROR)
            first = e;
    }
    return first;
}

const char *rnd__gl_error_name(GLenum e)
{
    switch (e) {
    case GL_NO_ERROR: return "GL_NO_ERROR";
    case GL_INVALID_ENUM: return "GL_INVALID_ENUM";
    case GL_INVALID_VALUE: return "GL_INVALID_VALUE";
    case GL_INVALID_OPERATION: return "GL_INVALID_OPERATION";
    case GL_INVALID_FRAMEBUFFER_OPERATION: return "GL_INVALID_FRAMEBUFFER_OPERATION";
    case GL_OUT_OF_MEMORY: return "GL_OUT_OF_MEMORY";
    default: return "GL error";
    }
}

const char *rnd_gl_renderer(void)
{
    const GLubyte *s = glGetString(GL_RENDERER);
    return s ? (const char *)s : "";
}

bool rnd_gl_is_software(void)
{
    const char *r = rnd_gl_renderer();
    return strstr(r, "llvmpipe") || strstr(r, "softpipe") || strstr(r, "Software Rasterizer");
}
